"""What a report stream is, declared as data: `ReportSpec` and its columns.

The registry (registry.py) is a list of these; streams/reports.py turns each into a
Singer stream and the engine requests, polls and parses reports from them. Adding
a report stream is adding one `ReportSpec`, nothing else.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal

from tap_amazon_seller.casting import CASTERS, LOCAL_CASTERS, snake_case
from tap_amazon_seller.regions import date_order
from tap_amazon_seller.reports.retirements import Retirement, removal

ColumnType = Literal[
    "string", "integer", "number", "boolean", "date-time", "date", "local-date", "local-date-time"
]


@dataclass(frozen=True)
class Column:
    header: str  # as Amazon writes it in the header row
    type: ColumnType = "string"
    #: Other spellings of the header Amazon uses (older files, other languages).
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return snake_case(self.header)

    @property
    def caster(self) -> Callable[[str], Any]:
        return CASTERS[self.type]

    def caster_for(self, marketplace_id: str) -> Callable[[str], Any]:
        """The caster for this column in a marketplace's document ("local-date" and
        "local-date-time" columns are read in the marketplace's date order)."""
        if self.type.startswith("local-"):
            return LOCAL_CASTERS[(self.type, date_order(marketplace_id))]
        return self.caster

    @property
    def header_names(self) -> tuple[str, ...]:
        """The forms of every spelling this column is recognised by (see header_forms)."""
        forms = (f for h in (self.header, *self.aliases) for f in header_forms(h))
        return tuple(dict.fromkeys(f for f in forms if f))


def header_forms(header: str) -> tuple[str, str]:
    """A header's snake_case name and its case-folded words in any script: "Order ID" is
    ("order_id", "order_id"), "注文番号" ("", "注文番号") (no snake_case name: it has no
    ASCII letters, and two such headers must not meet under one name)."""
    words = re.sub(r"[\W_]+", "_", header.strip().casefold()).strip("_")
    return (snake_case(header) if re.search("[0-9A-Za-z]", header) else ""), words


def columns(*specs: str) -> tuple[Column, ...]:
    """Columns from "header", "header:type" or "header|alias|alias:type" strings, e.g.
    columns("sku", "quantity:integer", "Date|Datum:local-date")."""
    result = []
    for spec in specs:
        names, _, kind = spec.rpartition(":") if ":" in spec else (spec, "", "string")
        if kind not in CASTERS:
            raise ValueError(f"column {spec!r}: type must be one of {', '.join(CASTERS)}")
        header, *aliases = names.split("|")
        result.append(Column(header, kind, tuple(aliases)))  # type: ignore[arg-type]
    return tuple(result)


@dataclass(frozen=True)
class JsonRecords:
    """Where a JSON report's records are: the array at `path`, shaped by `definition`; or,
    made by `whole_document`, the document itself as one record."""

    schema_file: str  # in tap_amazon_seller/data/report_schemas/ (copies of Amazon's)
    path: str  # top-level array, e.g. "salesAndTrafficByDate" ("": the whole document)
    definition: str  # the array items' definition, e.g. "SalesAndTrafficByDate" ("": root)
    #: Nested fields copied to the top of each record under their own name (a key that
    #: Amazon nests, e.g. "searchQueryData.searchQuery" -> "searchQuery").
    lifted: tuple[str, ...] = ()

    @classmethod
    def whole_document(cls, schema_file: str) -> JsonRecords:
        """One record a document, its top-level fields (for streams whose consumers keep a
        report's lists together, as hotglue's sales_traffic_report does)."""
        return cls(schema_file, path="", definition="")

    @property
    def is_whole_document(self) -> bool:
        return not self.path


@dataclass(frozen=True)
class XmlField:
    """One field of an XML report's record, found by a path below the record's element.

    `path` is element names separated by "/", optionally ending in "@attribute"; "." is
    the element itself. With `fields` the match is an object of those sub-fields (paths
    relative to it); `repeated` makes every match an item of an array.
    """

    name: str
    path: str
    type: ColumnType = "string"
    repeated: bool = False
    fields: tuple[XmlField, ...] = ()
    #: Text holding a list (e.g. "1,2,3"): split on this into an array of strings.
    split: str | None = None

    @property
    def caster(self) -> Callable[[str], Any]:
        return CASTERS[self.type]


def xml_fields(*specs: str | XmlField) -> tuple[XmlField, ...]:
    """Fields from "Path", "Path:type" or "name=Path:type" strings (the name defaults to the
    snake_case of the path's last step), e.g. xml_fields("PurchaseDate:date-time")."""
    result = []
    for spec in specs:
        if isinstance(spec, XmlField):
            result.append(spec)
            continue
        name, _, rest = spec.rpartition("=")
        path, _, kind = rest.partition(":")
        kind = kind or "string"
        if kind not in CASTERS:
            raise ValueError(f"xml field {spec!r}: type must be one of {', '.join(CASTERS)}")
        result.append(XmlField(name or snake_case(path.rsplit("/", 1)[-1]), path, kind))  # type: ignore[arg-type]
    return tuple(result)


@dataclass(frozen=True)
class XmlRecords:
    """Where an XML report's records are: each `record` element (its path below the
    document's root, e.g. "Message/Order"), shaped by `fields`. Elements the fields do not
    name land in `extra_elements`, so an element Amazon adds never breaks a sync."""

    record: str
    fields: tuple[XmlField, ...]
    #: The document's root element: any other root (an HTML error page) is not this report.
    root: str = "AmazonEnvelope"


# -- timings: how a stream's reports cover time, each carrying only what it needs ---------


@dataclass(frozen=True)
class Snapshot:
    """One report a run: the account as it is now (inventory, listings, fees)."""

    kind: ClassVar[str] = "snapshot"
    #: Reuse a report created this recently instead of requesting another.
    reuse_minutes: int = 60
    #: Still send dataStartTime (start_date) and dataEndTime (now): report types that want a
    #: range even for a snapshot (the generic streams of `report_types`).
    full_range: bool = False
    #: Amazon fails (FATAL) a report covering less time than this: dataStartTime is sent this
    #: many hours before dataEndTime (e.g. the FBA fee preview wants 72 hours).
    min_range_hours: int | None = None


@dataclass(frozen=True)
class Windows:
    """Consecutive windows of data time, the bookmark at the end of the last one delivered."""

    kind: ClassVar[str] = "windows"
    #: Longest data window Amazon accepts in one request.
    days: int = 30
    #: Re-read this many days before the bookmark (data Amazon revises).
    lookback_days: int = 0
    #: Windows start and end on UTC midnights (reports whose data is by calendar day).
    whole_days: bool = False
    #: How far back Amazon keeps the data: windows start no earlier.
    history_days: int | None = None
    #: Report options that carry the window instead of dataStartTime/dataEndTime, as
    #: (from, to): reports that select by another date (promotions by their start).
    options: tuple[str, str] | None = None
    #: A window shorter than this (Amazon fails the report otherwise) starts earlier.
    min_range_hours: int | None = None


@dataclass(frozen=True)
class Periods:
    """Windows on the edges of a period (a day, week, month or quarter; periods.py) for
    reports whose rows sum one, so no row covers part of a period."""

    kind: ClassVar[str] = "periods"
    #: The report option that sets the period (reportPeriod, aggregatedByTimePeriod) ...
    option: str | None = None
    #: ... or the period when no option does (or the option is not sent).
    period: str | None = None
    #: "finished" (Brand Analytics): only periods that are over, each request ending on a
    #: period's last second, so the bookmark sits on a period edge. "running" (FBA ledger
    #: summary, storage fees): up to now, and the period the bookmark is in, still running
    #: when it was read, is read again whole.
    reads: Literal["finished", "running"] = "finished"
    #: Finished periods: whether one request may cover several.
    spans: bool = True
    #: Longest data range of one request (None: one period, or as many as `spans` allows).
    days: int | None = None
    #: Running periods: re-read this many whole periods before the bookmark's (a month's
    #: estimate revised the month after). Counted in periods, not days, so the first of a
    #: month reaches back one month, not two.
    lookback_periods: int = 0


@dataclass(frozen=True)
class Listed:
    """Reports Amazon makes on its own schedule (settlements): listed with getReports,
    never requested; the bookmark is the newest listed report's creation time."""

    kind: ClassVar[str] = "listed"
    #: Older report types listed together with the spec's own.
    also_list: tuple[str, ...] = ()


Timing = Snapshot | Windows | Periods | Listed
Format = Literal["tsv", "json", "xml"]
#: A report's records: TSV columns (typed; unknown columns land in `extra_columns`), or
#: where a JSON or XML report's records are.
Records = tuple[Column, ...] | JsonRecords | XmlRecords


@dataclass(frozen=True)
class ReportSpec:
    """One report stream: which report, how to request it, and what its records look like."""

    stream: str
    report_type: str
    description: str
    role: str
    #: The records: `columns(...)`, a `JsonRecords` or an `XmlRecords` (one format a report).
    records: Records = ()
    #: How the reports cover time: Snapshot (the default), Windows, Periods or Listed.
    timing: Timing = Snapshot()
    #: The report option that names the partition's marketplace (sent with each request).
    marketplace_option: str | None = None
    #: Natural key columns (record names); marketplace_id is always added. Empty: row_key.
    keys: tuple[str, ...] = ()
    #: For a flat file whose key can repeat within a group of consecutive rows (an order's
    #: items in order files without an item id: two lines of one SKU), the group's column.
    #: Records get `key_repeat` (0 for the key's first row in its group, then 1, 2...), and
    #: it is part of the key, so the lines stay apart.
    repeats_within: str | None = None
    #: Report options sent with createReport (settings may add to them).
    options: dict[str, str] = field(default_factory=dict)
    #: The report must not cover time later than this many minutes before now.
    end_lag_minutes: int = 2
    #: Hours after which a new report can hold new data (Amazon's documented refresh of the
    #: type, cited where the spec is declared): a partition read in full more recently is
    #: not due, and no report is requested for it. 0: every run.
    cadence_hours: float = 0.0
    #: Report options sent unless the `report_options` setting sets them (each one is also
    #: in `allowed_options`, with the values Amazon takes).
    option_defaults: dict[str, str] = field(default_factory=dict)
    #: Regions where Amazon offers the report (e.g. multi-country inventory is EU only).
    regions: tuple[str, ...] = ("na", "eu", "fe")
    #: Report options a user may set per stream with the `report_options` setting: option
    #: name -> the values Amazon allows (empty: any value; None as a whole: any option, for
    #: the generic streams of `report_types`).
    allowed_options: dict[str, tuple[str, ...]] | None = field(default_factory=dict)
    #: A restricted report (it holds PII): its document is fetched with a Restricted Data
    #: Token, and the stream reads it only when the `include_pii` setting allows PII.
    restricted: bool = False
    #: Report options a request cannot go without (a stream missing one is skipped, loudly).
    required_options: tuple[str, ...] = ()
    #: The longest value Amazon takes for an option, in characters.
    option_max_length: dict[str, int] = field(default_factory=dict)
    #: Report options copied into every record (as snake_case fields), for reports whose
    #: rows mean something else under another option (the ledger summary's aggregations).
    option_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The fields that only make sense together are checked here, once: a spec that
        # combines them otherwise fails at import, naming the stream, instead of planning
        # reports nobody meant.
        problems = _invalid_combinations(self)
        if problems:
            raise ValueError(f"ReportSpec {self.stream}: {'; '.join(problems)}")

    @property
    def incremental(self) -> bool:
        """Bookmarked streams: every timing but a snapshot."""
        return not isinstance(self.timing, Snapshot)

    @property
    def requestable(self) -> bool:
        return not isinstance(self.timing, Listed)

    @property
    def bookmark_field(self) -> str:
        """The bookmark: a window's end, or a listed report's creation time."""
        return "report_created_time" if isinstance(self.timing, Listed) else "report_end_date"

    @property
    def also_list(self) -> tuple[str, ...]:
        return self.timing.also_list if isinstance(self.timing, Listed) else ()

    @property
    def format(self) -> Format:
        if isinstance(self.records, JsonRecords):
            return "json"
        if isinstance(self.records, XmlRecords):
            return "xml"
        return "tsv"

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.records if isinstance(self.records, tuple) else ()

    @property
    def json_records(self) -> JsonRecords | None:
        return self.records if isinstance(self.records, JsonRecords) else None

    @property
    def xml_records(self) -> XmlRecords | None:
        return self.records if isinstance(self.records, XmlRecords) else None

    def removal(self, today: date) -> Retirement | None:
        """Amazon's removal of the report type, once `today` is past it (retirements.py)."""
        return removal(self.report_type, today)

    @property
    def primary_keys(self) -> list[str]:
        if not self.keys:
            return ["row_key"]
        repeat = ["key_repeat"] if self.repeats_within else []
        return ["marketplace_id", *self.keys, *repeat]

    def report_options(self, settings: Any) -> dict[str, str]:
        """The options sent with createReport: the fixed ones, the defaults, and the user's."""
        options = {**self.options, **self.option_defaults}
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
        if self.repeats_within:
            properties["key_repeat"] = {
                "type": ["integer"],
                "description": "0 for the first row of this key in its "
                f"{self.repeats_within}, 1 for the next: the file has no id that tells them apart.",
            }
        for option in self.option_fields:
            properties[snake_case(option)] = {"type": ["string", "null"]}
        if self.json_records is not None:
            item = json_item_schema(self.json_records)["properties"]
            properties.update(item)
            for path in self.json_records.lifted:
                properties[path.rsplit(".", 1)[-1]] = lifted_schema(item, path)
        elif self.xml_records is not None:
            for xml_field in self.xml_records.fields:
                properties[xml_field.name] = _xml_field_schema(xml_field)
            properties["extra_elements"] = {
                "type": ["object", "null"],
                "additionalProperties": {"type": ["string", "null"]},
                "description": "Elements the report had that this stream does not declare, "
                "by their path below the record (with [n] where an element repeats).",
            }
        else:
            for column in self.columns:
                properties[column.name] = _column_schema(column.type)
            properties["extra_columns"] = {
                "type": ["object", "null"],
                "additionalProperties": {"type": ["string", "null"]},
                "description": "Columns the report had that this stream does not declare.",
            }
        return {"type": "object", "properties": properties}


def lifted_schema(properties: dict[str, Any], path: str) -> dict[str, Any]:
    """The schema of a nested field (`path` dotted) of an item's `properties`."""
    *parents, name = path.split(".")
    for parent in parents:
        properties = properties[parent]["properties"]
    return properties[name]


def lift(record: dict[str, Any], path: str) -> Any:
    """The value of a nested field (`path` dotted) of a record, None where a level is missing."""
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _column_schema(kind: ColumnType) -> dict[str, Any]:
    if kind in ("date-time", "date", "local-date", "local-date-time"):
        return {
            "type": ["string", "null"],
            "format": "date-time" if kind.endswith("date-time") else "date",
        }
    return {"type": [kind, "null"]}


def _xml_field_schema(xml_field: XmlField) -> dict[str, Any]:
    if xml_field.fields:
        item: dict[str, Any] = {
            "type": ["object", "null"],
            "properties": {f.name: _xml_field_schema(f) for f in xml_field.fields},
        }
    elif xml_field.split is not None:
        item = {"type": ["array", "null"], "items": {"type": ["string"]}}
    else:
        item = _column_schema(xml_field.type)
    if xml_field.repeated:
        return {"type": ["array", "null"], "items": item}
    return item


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

    if records.is_whole_document:
        root = {k: v for k, v in document.items() if k != "definitions"}
        return resolve(root)
    return resolve({"$ref": f"#/definitions/{records.definition}"})


def _invalid_combinations(spec: ReportSpec) -> list[str]:
    # What the types cannot say: the rest (one format, fields of another timing) cannot be
    # written at all.
    problems = []
    timing = spec.timing
    if isinstance(timing, Periods):
        if not (timing.option or timing.period):
            problems.append("Periods needs an option or a period")
        if timing.reads == "running" and not timing.spans:
            problems.append("running periods are read up to now, so they span periods")
        if timing.reads == "finished" and timing.lookback_periods:
            problems.append("lookback_periods is for running periods (finished ones are final)")
    if isinstance(timing, Listed) and (
        spec.options or spec.option_defaults or spec.required_options
    ):
        problems.append("a listed report is never requested, so it takes no options")
    for option in spec.option_defaults:
        if spec.allowed_options is not None and option not in spec.allowed_options:
            problems.append(f"option_defaults.{option} is not in allowed_options")
    if spec.repeats_within and (not spec.keys or spec.format != "tsv"):
        problems.append("repeats_within counts repeats of a flat file's keys: it needs keys")
    return problems
