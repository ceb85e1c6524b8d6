"""ruff and mypy stay clean (they are installed by the `test` extra)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: What the distribution ships: the tap, the simulator and the facts both read.
PACKAGES = ("tap_amazon_seller", "sp_api_simulator", "sp_api_facts")


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the test extra (pip install -e '.[test]')")
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [tool("ruff"), "check", *PACKAGES, "tests", "scripts", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run(
        [tool("mypy"), *PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Reads of the wall clock other than through the one seam (`clock.now()` / `clock.today()`).
WALL_CLOCK = re.compile(
    r"\b(datetime\.(now|utcnow|today)|date\.today|time\.time(_ns)?|pendulum\.now)\("
)
# The seams themselves, and the test harness that sets the clock and measures the real one.
CLOCK_SEAMS = {
    "tap_amazon_seller/clock.py",
    "sp_api_simulator/clock.py",
    "tests/conftest.py",
    "tests/clock_shim/sitecustomize.py",
    "tests/test_quality.py",
}


def test_now_is_read_only_through_the_clock_seam() -> None:
    """The tap, the simulator and every test's expectations read "now" through one seam, so
    a test that sets the instant moves all of them together."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in (*PACKAGES, "tests", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in CLOCK_SEAMS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert not found, "read the clock through tap_amazon_seller.clock:\n" + "\n".join(found)
