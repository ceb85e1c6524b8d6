"""README, meltano.yml and sample_config.json must describe the settings the tap really has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tap_amazon_seller.settings import CONFIG_SCHEMA

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = set(CONFIG_SCHEMA["properties"])


def readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return names


def test_the_settings_table_meltano_yml_and_sample_config_are_written_from_the_declaration() -> (
    None
):
    from tests.test_conformance import load_script

    script = load_script("update_settings")
    stale = [p.name for p, text in script.written().items() if p.read_text("utf-8") != text]
    assert not stale, f"{stale} not current: run python scripts/update_settings.py"


def test_readme_settings_table_lists_every_setting() -> None:
    assert readme_settings() == SETTINGS


def test_meltano_yml_declares_every_setting_and_secrets_as_sensitive() -> None:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))
    (extractor,) = project["plugins"]["extractors"]
    declared = {s["name"]: s for s in extractor["settings"]}
    assert set(declared) == SETTINGS
    secret = {n for n, p in CONFIG_SCHEMA["properties"].items() if p.get("secret")}
    assert {n for n, s in declared.items() if s.get("sensitive")} == secret
    for name, setting in declared.items():
        default = CONFIG_SCHEMA["properties"][name].get("default")
        if default is not None:
            assert setting.get("value") == default, name


def test_sample_config_has_every_setting_and_is_valid() -> None:
    sample = json.loads((ROOT / "sample_config.json").read_text(encoding="utf-8"))
    assert set(sample) == SETTINGS
    from tap_amazon_seller.tap import TapAmazonSeller

    TapAmazonSeller(config=sample)  # raises if the sample does not validate


def test_readme_opens_with_the_demo_and_the_test_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("-m tap_amazon_seller.demo")
    assert block[1].endswith("-m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci


def test_readme_stream_table_lists_every_stream() -> None:
    from tap_amazon_seller.tap import TapAmazonSeller

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## What it does today", 1)[1].split("\n\n", 2)[1]
    listed = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    streams = {
        s.tap_stream_id for s in TapAmazonSeller(config={}, validate_config=False).catalog.streams
    }
    assert listed == streams


def table_rows(table: str) -> dict[str, list[str]]:
    """A README table's rows by the name in their first cell's backticks, cell by cell."""
    return {
        line.split("`")[1]: [cell.strip() for cell in line.split("|")[1:-1]]
        for line in table.splitlines()
        if line.startswith("| `")
    }


def test_readme_stream_table_says_what_the_registry_declares_for_every_report_stream() -> None:
    """Each report stream's row names its report type, its replication and its key, as its
    ReportSpec declares them (the table is written by hand; this keeps it honest)."""
    from tap_amazon_seller.reports.registry import REPORT_SPECS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## What it does today", 1)[1].split("\n\n", 2)[1]
    rows = table_rows(table)
    wrong = []
    for spec in REPORT_SPECS:
        _, source, replication, key, _, _ = rows[spec.stream]
        if replication.startswith("as `"):  # "as `another_stream`"
            replication = rows[replication.split("`")[1]][2]
        if f"`{spec.report_type}`" not in source:
            wrong.append(f"{spec.stream}: its row does not name {spec.report_type}")
        if spec.incremental != replication.startswith("incremental"):
            wrong.append(f"{spec.stream}: replication {replication!r}")
        if spec.incremental and f"`{spec.bookmark_field}`" not in replication:
            wrong.append(f"{spec.stream}: bookmark {spec.bookmark_field} not in {replication!r}")
        listed = re.findall(r"`([^`]+)`", key.split(" (")[0])
        if listed != spec.primary_keys:
            wrong.append(f"{spec.stream}: key {listed} where the spec has {spec.primary_keys}")
    assert not wrong, "\n".join(wrong)


def test_readme_lists_every_report_type_amazon_removed_with_its_dates() -> None:
    from tap_amazon_seller.reports.retirements import RETIREMENTS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- retired report types", 1)[1].split("\n\n", 1)[0]
    rows = table_rows(table)
    assert set(rows) == set(RETIREMENTS)
    for report_type, retirement in RETIREMENTS.items():
        _, deprecated, removed, _ = rows[report_type]
        assert removed == retirement.removed.isoformat(), report_type
        if retirement.deprecated:
            assert deprecated.startswith(retirement.deprecated.isoformat()), report_type


def test_readme_cadence_table_is_the_registry() -> None:
    from collections import defaultdict

    from tap_amazon_seller.reports.registry import REPORT_SPECS

    groups: dict[float, list[str]] = defaultdict(list)
    for spec in REPORT_SPECS:
        groups[spec.cadence_hours].append(spec.stream)
    rows = {}
    for hours, streams in groups.items():
        label = "every run" if not hours else f"{hours:g} h"
        rows[label] = ", ".join(f"`{s}`" for s in sorted(streams))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- cadence table:")
    table = text[start : text.index("<!-- end of the cadence table -->")]
    found = {}
    for line in table.splitlines()[3:]:
        label, streams = (cell.strip() for cell in line.strip("|").split("|"))
        found[label] = streams
    assert found == rows
