"""The simulator is a package of its own: it imports nothing of the tap, so it checks the
tap without borrowing its beliefs (#20), and the tap runs without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_quality import tool

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    """import-linter's contracts (pyproject.toml): the simulator imports nothing of the tap,
    the tap nothing of the simulator (its demo aside), the shared facts neither."""
    result = subprocess.run(
        [tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def _modules_loaded(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after running `code`."""
    script = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_a_running_simulator_has_loaded_nothing_of_the_tap() -> None:
    """Not even a data file read through the tap's package: every family registered, one
    answer served, and tap_amazon_seller never loaded."""
    loaded = _modules_loaded(
        "import json, urllib.request\n"
        "from sp_api_simulator import Simulator, SimulatorConfig\n"
        "with Simulator(SimulatorConfig(time_scale=1000)).running() as sim:\n"
        "    config = sim.tap_config()\n"
        "    token = json.load(urllib.request.urlopen(urllib.request.Request(\n"
        "        config['lwa_token_url'], data=('grant_type=refresh_token&refresh_token='\n"
        "        + config['refresh_token'] + '&client_id=' + config['lwa_client_id']\n"
        "        + '&client_secret=' + config['lwa_client_secret']).encode())))\n"
        "    url = config['api_base_url'].replace('{region}', 'na')\n"
        "    request = urllib.request.Request(url + '/sellers/v1/marketplaceParticipations',\n"
        "        headers={'x-amz-access-token': token['access_token']})\n"
        "    assert json.load(urllib.request.urlopen(request))['payload']\n"
    )
    assert "sp_api_simulator" in loaded
    assert "tap_amazon_seller" not in loaded


def test_the_tap_loads_without_the_simulator() -> None:
    loaded = _modules_loaded("from tap_amazon_seller.tap import TapAmazonSeller")
    assert "tap_amazon_seller" in loaded
    assert "sp_api_simulator" not in loaded
