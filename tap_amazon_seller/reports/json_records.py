"""JSON report documents (Sales and Traffic, Brand Analytics, vendor analytics) as records.

The records list is read item by item (ijson), so memory holds one record (a stream whose
record is the whole document holds that document). Items are made to
fit the stream's schema by the caller's `conform` (numbers sent as strings, and so on); the
spec's `lifted` paths copy nested values to the top, where the keys are.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterator

from tap_amazon_seller.reports.documents import Document, iter_json_items, read_json_document
from tap_amazon_seller.reports.spec import ReportSpec, lift, report_schema


def json_records(
    document: Document,
    spec: ReportSpec,
    base: dict[str, t.Any],
    conform: Callable[[dict[str, t.Any]], dict[str, t.Any]],
) -> Iterator[dict[str, t.Any]]:
    assert spec.json_records is not None
    lifted = spec.json_records.lifted
    if spec.json_records.is_whole_document:
        required = tuple(report_schema(spec.json_records.schema_file).get("required") or ())
        with document.open_binary() as binary:
            yield {**base, **conform(read_json_document(binary, required))}
        return
    with document.open_binary() as binary:
        for item in iter_json_items(binary, f"{spec.json_records.path}.item"):
            record = {**base, **conform(item)}
            for path in lifted:
                record[path.rsplit(".", 1)[-1]] = lift(record, path)
            yield record
