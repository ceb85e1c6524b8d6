"""Write the settings table of README.md, the extractor's settings in meltano.yml and
sample_config.json from the one declaration of the settings (tap_amazon_seller/settings.py).

    python scripts/update_settings.py          # rewrite the three files
    python scripts/update_settings.py --check  # exit 1 if one of them is not current

tests/test_docs.py runs the check, so a setting added to the declaration and not written
out here fails the suite.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tap_amazon_seller.settings import SETTINGS, Setting  # noqa: E402

README_START = "<!-- settings table: written by scripts/update_settings.py -->"
README_END = "<!-- end of the settings table -->"
MELTANO_START = (
    "      # settings: written by scripts/update_settings.py from tap_amazon_seller/settings.py"
)
MELTANO_END = "      # end of the settings"
MELTANO_KINDS = {
    "string": "string",
    "boolean": "boolean",
    # Meltano's integer kind is what the settings had before; a fraction still passes.
    "number": "integer",
    "integer": "integer",
    "date-time": "date_iso8601",
    "list": "array",
    "object": "object",
    "hours": "object",
}


def readme_table() -> str:
    lines = ["| setting | required | default | description |", "|---|---|---|---|"]
    for setting in SETTINGS:
        default = setting.shown_default
        if not default and setting.default is not None:
            default = f"`{json.dumps(setting.default)}`".replace('`"', "`").replace('"`', "`")
        cells = [f"`{setting.name}`", setting.required, default, setting.description]
        lines.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")
    return "\n".join(lines)


def _yaml_string(text: str) -> str:
    # JSON strings are YAML strings: quoting each one leaves nothing to YAML's guessing.
    return json.dumps(text, ensure_ascii=False)


def meltano_settings() -> str:
    lines = [MELTANO_START, "      settings:"]
    for setting in SETTINGS:
        lines.append(f"        - name: {setting.name}")
        kind = "password" if setting.secret else MELTANO_KINDS[setting.type]
        if setting.choices:
            kind = "options"
        lines.append(f"          kind: {kind}")
        if setting.secret:
            lines.append("          sensitive: true")
        if setting.default is not None:
            lines.append(f"          value: {json.dumps(setting.default)}")
        if setting.choices:
            lines.append("          options:")
            for value, label in setting.choices:
                lines.append(f"            - {{label: {_yaml_string(label)}, value: {value}}}")
        lines.append(f"          description: {_yaml_string(setting.summary)}")
    lines.append(MELTANO_END)
    return "\n".join(lines)


def sample_config() -> str:
    def shown(setting: Setting) -> Any:
        return setting.example if setting.example is not None else setting.default

    return json.dumps({s.name: shown(s) for s in SETTINGS}, indent=2) + "\n"


def _between(text: str, start: str, end: str, new: str, where: str) -> str:
    if start not in text or end not in text:
        raise SystemExit(f"{where}: the markers {start!r} and {end!r} are missing")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + new + tail


def written() -> dict[Path, str]:
    """Each file as it should be."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    meltano = (ROOT / "meltano.yml").read_text(encoding="utf-8")
    return {
        ROOT / "README.md": _between(
            readme,
            README_START,
            README_END,
            f"{README_START}\n{readme_table()}\n{README_END}",
            "README.md",
        ),
        ROOT / "meltano.yml": _between(
            meltano, MELTANO_START, MELTANO_END, meltano_settings(), "meltano.yml"
        ),
        ROOT / "sample_config.json": sample_config(),
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in written().items():
        if path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if stale and "--check" in argv:
        print(f"not current: {', '.join(stale)}; run python scripts/update_settings.py")
        return 1
    print(f"{'rewrote' if stale else 'current'}: {', '.join(stale) or 'every file'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
