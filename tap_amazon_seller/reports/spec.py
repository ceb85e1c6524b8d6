"""What a report stream is, declared as data: `ReportSpec` and its columns.

The registry (registry.py) is a list of these; streams/reports.py turns each into a
Singer stream and the engine requests, polls and parses reports from them. Adding
a report stream is adding one `ReportSpec`, nothing else.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from tap_amazon_seller.casting import CASTERS, snake_case

ColumnType = Literal["string", "integer", "number", "boolean", "date-time", "date"]


@dataclass(frozen=True)
class Column:
    header: str  # as Amazon writes it in the header row
    type: ColumnType = "string"
    #: Other spellings of the header met in real files (read into the same column).
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return snake_case(self.header)

    @property
    def caster(self) -> Callable[[str], Any]:
        return CASTERS[self.type]


def columns(*specs: str) -> tuple[Column, ...]:
    """Columns from "header" or "header:type" strings, e.g. columns("sku", "quantity:integer");
    "header|other-spelling:type" names a header Amazon also writes another way."""
    result = []
    for spec in specs:
        headers, _, kind = spec.rpartition(":") if ":" in spec else (spec, "", "string")
        if kind not in CASTERS:
            raise ValueError(f"column {spec!r}: type must be one of {', '.join(CASTERS)}")
        header, *aliases = headers.split("|")
        result.append(Column(header, kind, tuple(aliases)))  # type: ignore[arg-type]
    return tuple(result)


@dataclass(frozen=True)
class JsonRecords:
    """Where a JSON report's records are: the array at `path`, shaped by `definition`."""

    schema_file: str  # in tap_amazon_seller/data/report_schemas/ (copies of Amazon's)
    path: str  # top-level array, e.g. "salesAndTrafficByDate"
    definition: str  # the array items' definition, e.g. "SalesAndTrafficByDate"


@dataclass(frozen=True)
class ReportSpec:
    """One report stream: which report, how to request it, and what its records look like."""

    stream: str
    report_type: str
    description: str
    role: str
    #: TSV: declared columns (typed); unknown columns land in `extra_columns`.
    columns: tuple[Column, ...] = ()
    #: JSON: where the records are.
    json_records: JsonRecords | None = None
    #: Natural key columns (record names); marketplace_id is always added. Empty: row_key.
    keys: tuple[str, ...] = ()
    #: Incremental streams request consecutive windows of data time and bookmark
    #: the end of the last window delivered (`report_end_date`).
    incremental: bool = False
    #: Longest data window Amazon accepts in one request, in days.
    window_days: int | None = None
    #: Report options sent with createReport (settings may add to them).
    options: dict[str, str] = field(default_factory=dict)
    #: False for reports Amazon only generates on its own schedule (settlements):
    #: they are listed with getReports, never requested.
    requestable: bool = True
    #: Snapshot reports: reuse one created this recently instead of requesting another.
    reuse_minutes: int = 60
    #: The report must not cover time later than this many minutes before now.
    end_lag_minutes: int = 2
    #: The bookmark of incremental streams: the end of the report's data window.
    bookmark_field: str = "report_end_date"
    #: Incremental streams re-read this many days before the bookmark (data Amazon revises).
    lookback_days: int = 0
    #: Windows start and end on UTC midnights (reports whose data is by calendar day).
    whole_days: bool = False
    #: Report options taken from settings: option name -> setting name.
    option_settings: dict[str, str] = field(default_factory=dict)
    #: Regions where Amazon offers the report (e.g. multi-country inventory is EU only).
    regions: tuple[str, ...] = ("na", "eu", "fe")
    #: Older report types listed together with `report_type` (not requestable streams).
    also_list: tuple[str, ...] = ()
    #: Snapshot streams that still send dataStartTime (start_date) and dataEndTime (now).
    full_range: bool = False
    #: How far back Amazon keeps the data, in days: windows start no earlier.
    history_days: int | None = None
    #: Report options a user may set per stream with the `report_options` setting: option
    #: name -> the values Amazon allows (empty: any value; None as a whole: any option, for
    #: the generic streams of `report_types`).
    allowed_options: dict[str, tuple[str, ...]] | None = field(default_factory=dict)
    #: Amazon fails (FATAL) a report covering less time than this: snapshots send
    #: dataStartTime this many hours before dataEndTime, and a shorter incremental window
    #: starts earlier (e.g. the FBA fee preview wants 72 hours).
    min_range_hours: int | None = None
    #: Report options copied into every record (as snake_case fields), for reports whose
    #: rows mean something else under another option (the ledger summary's aggregations).
    option_fields: tuple[str, ...] = ()
    #: The period rows aggregate over (DAILY/WEEKLY/MONTHLY): windows then start and end on
    #: its boundaries, so no row covers part of one, and the period the bookmark is in is
    #: read again whole. `period_option` names a report option that sets it instead.
    period: str | None = None
    period_option: str | None = None

    @property
    def is_json(self) -> bool:
        return self.json_records is not None

    @property
    def primary_keys(self) -> list[str]:
        return ["marketplace_id", *self.keys] if self.keys else ["row_key"]

    def report_options(self, settings: Any) -> dict[str, str]:
        """The options sent with createReport: the fixed ones and those from settings."""
        options = dict(self.options)
        for option, setting in self.option_settings.items():
            options[option] = str(getattr(settings, setting))
        # The user's own (validated up front against allowed_options) come last.
        options.update(getattr(settings, "report_options", {}).get(self.stream, {}))
        return options

    def schema(self) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "marketplace_id": {"type": ["string"]},
            "region": {"type": ["string", "null"]},
            "report_id": {"type": ["string", "null"]},
        }
        if self.incremental:
            properties[self.bookmark_field] = {"type": ["string"], "format": "date-time"}
            if self.requestable:
                properties["report_start_date"] = {"type": ["string"], "format": "date-time"}
        if not self.keys:
            properties["row_key"] = {"type": ["string"]}
        for option in self.option_fields:
            properties[snake_case(option)] = {"type": ["string", "null"]}
        if self.json_records is not None:
            properties.update(json_item_schema(self.json_records)["properties"])
        else:
            for column in self.columns:
                properties[column.name] = _column_schema(column.type)
            properties["extra_columns"] = {
                "type": ["object", "null"],
                "additionalProperties": {"type": ["string", "null"]},
                "description": "Columns the report had that this stream does not declare.",
            }
        return {"type": "object", "properties": properties}


def _column_schema(kind: ColumnType) -> dict[str, Any]:
    if kind in ("date-time", "date"):
        return {"type": ["string", "null"], "format": kind}
    return {"type": [kind, "null"]}


@cache
def report_schema(schema_file: str) -> dict[str, Any]:
    """One of Amazon's JSON report schemas, as shipped in data/report_schemas/."""
    text = resources.files("tap_amazon_seller").joinpath(f"data/report_schemas/{schema_file}")
    return json.loads(text.read_text("utf-8"))


def json_item_schema(records: JsonRecords) -> dict[str, Any]:
    """The item definition of a JSON report with refs resolved and every field nullable."""
    document = report_schema(records.schema_file)
    definitions = document.get("definitions", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(copy.deepcopy(definitions[node["$ref"].rsplit("/", 1)[1]]))
            out = {
                k: resolve(v)
                for k, v in node.items()
                if k not in ("required", "examples", "$schema", "$id", "additionalProperties")
            }
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            return out
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve({"$ref": f"#/definitions/{records.definition}"})
