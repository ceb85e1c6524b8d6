"""Regenerate sp_api_facts/usage_plans.json from Amazon's models.

The installed package must not read ../shared (users do not have it), so the
facts it needs from the models (every operation's method, path and default
usage plan) are copied into the package by this script, and
tests/test_conformance.py checks the copy against the models.

Usage: python scripts/update_usage_plans.py [path/to/shared/sp-api/models]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ROOT.parent / "shared" / "sp-api" / "models"
OUTPUT = ROOT / "sp_api_facts" / "usage_plans.json"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
_PLAN_ROW = re.compile(
    r"Usage Plan:?\**\s*\n+\|[^\n]*\|\s*\n\|[-| ]+\|\s*\n\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|"
)


def read_usage_plans(models_dir: Path) -> dict[str, dict]:
    """Return {"<model>.<operationId>": {method, path, rate, burst}} for every model."""
    plans: dict[str, dict] = {}
    for model_path in sorted(models_dir.glob("*.json")):
        model = json.loads(model_path.read_text(encoding="utf-8"))
        for path, item in model["paths"].items():
            for method, operation in item.items():
                if method not in HTTP_METHODS:
                    continue
                match = _PLAN_ROW.search(operation.get("description", ""))
                plans[f"{model_path.stem}.{operation['operationId']}"] = {
                    "method": method.upper(),
                    "path": path,
                    "rate": float(match.group(1)) if match else None,
                    "burst": int(float(match.group(2))) if match else None,
                }
    return plans


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MODELS
    plans = read_usage_plans(models_dir)
    OUTPUT.write_text(json.dumps(plans, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(plans)} operations to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
