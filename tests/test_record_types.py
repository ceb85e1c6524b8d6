"""Flat-file report rows go out without singer-sdk's per-record conformance pass (it was a
third of a sync's time), so the tap's own casting must already give every field its
schema's type and no field the schema lacks. Checked on every flat-file stream of a sync
of three marketplaces: the SDK's conformance, applied to the records, would change
nothing, and what is written validates against the schemas."""

from __future__ import annotations

import copy
import logging
import typing as t

import pytest
from jsonschema import Draft7Validator
from singer_sdk.helpers._typing import conform_record_data_types
from singer_sdk.helpers.conform import TypeConformanceLevel

from sp_api_simulator import Simulator
from tap_amazon_seller.reports.registry import REPORT_SPECS
from tap_amazon_seller.streams.reports import ReportStream
from tests import instants
from tests.conftest import SyncResult, run_sync, select

TSV_STREAMS = [s.stream for s in REPORT_SPECS if s.format == "tsv"]


def sync_all(sim: Simulator) -> SyncResult:
    config = sim.tap_config(
        marketplaces=["US", "DE", "JP"],
        start_date=instants.days_ago(40, at_midnight=True).isoformat(),
        report_poll_interval=0.02,
    )
    return run_sync(config, catalog=select(*TSV_STREAMS))


def test_flat_file_streams_skip_the_sdks_conformance() -> None:
    from tap_amazon_seller.tap import TapAmazonSeller

    tap = TapAmazonSeller(config={}, validate_config=False)
    levels = {
        name: stream.TYPE_CONFORMANCE_LEVEL
        for name, stream in tap.streams.items()
        if isinstance(stream, ReportStream)
    }
    assert {n for n, level in levels.items() if level == TypeConformanceLevel.NONE} == set(
        TSV_STREAMS
    )


def test_flat_file_records_already_have_their_schemas_types(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each record as the stream hands it to the SDK, before it is written.
    handed: dict[str, list[dict]] = {}
    original = ReportStream._generate_record_messages

    def keep(self: ReportStream, record: dict) -> t.Any:
        handed.setdefault(self.name, []).append(copy.deepcopy(record))
        return original(self, record)

    monkeypatch.setattr(ReportStream, "_generate_record_messages", keep)
    result = sync_all(sim)
    read = [name for name in TSV_STREAMS if handed.get(name)]
    assert len(read) >= 30, read  # most flat-file streams have rows in the simulator
    logger = logging.getLogger("test")
    for name in read:
        schema = result.tap.streams[name].schema
        validator = Draft7Validator(schema)
        for record in handed[name]:
            assert set(record) <= set(schema["properties"]), name
            # The SDK's conformance, were it on, would change nothing ...
            conformed = conform_record_data_types(
                name, copy.deepcopy(record), schema, TypeConformanceLevel.RECURSIVE, logger
            )
            assert conformed == record, name
        # ... and what was written is of the schema's types.
        for written in result.records[name]:
            errors = [e.message for e in validator.iter_errors(written)]
            assert not errors, (name, errors[:3])
