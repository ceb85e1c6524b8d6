"""Report documents fuzzed per report spec (hypothesis): whatever Amazon's file looks like,
rows come out (each data row once, valid against the stream's schema) or the report fails
with one DocumentError naming it; never an unhandled exception, never a row dropped
without a line in the log.

Defects drawn: columns missing, reordered, added, renamed in case; a BOM; CRLF; trailing
tabs; ragged rows; quotes; NUL bytes; bytes outside the charset; very long fields; an
empty document; a header alone; and for JSON and XML documents, cut short or not the
format at all.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import Document, DocumentError
from tap_amazon_seller.reports.engine import ReportJob
from tap_amazon_seller.streams.reports import ReportStream
from tap_amazon_seller.tap import TapAmazonSeller
from tests.conftest import schema_errors

CONFIG = {"refresh_token": "r", "lwa_client_id": "c", "lwa_client_secret": "s", "region": "eu"}
MARKETPLACE = "A1PA6795UKMFR9"
#: Documents each test draws per report stream (the note reports the total run).
EXAMPLES = int(os.environ.get("TAP_FUZZ_EXAMPLES", "25"))
RUN: Counter[str] = Counter()


def report_streams() -> dict[str, ReportStream]:
    tap = TapAmazonSeller(config=CONFIG)
    return {n: s for n, s in tap.streams.items() if isinstance(s, ReportStream)}


STREAMS = report_streams()
TSV = sorted(n for n, s in STREAMS.items() if s.spec.columns)
STRUCTURED = sorted(n for n, s in STREAMS.items() if not s.spec.columns)


def read(stream: ReportStream, content: bytes, encoding: str) -> list[dict]:
    """The records the stream emits from one document (as its reader makes them)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.gz"
        path.write_bytes(gzip.compress(content))
        job = ReportJob(stream.spec.report_type, "eu", (MARKETPLACE,), report_id="1")
        base = reader.base_record(stream.spec, job, MARKETPLACE)
        conform = functools.partial(stream.conformed, where=job.describe())
        document = Document(path, True, encoding)
        return list(reader.records(document, stream.spec, job, base, stream.logger, conform))


# -- Flat files -------------------------------------------------------------------------

VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "12",
            "-3",
            "1.234,50",
            "1,234.50",
            "2026-11-20",
            "2026-11-20T10:00:00Z",
            "20.11.2026 10:00:00 MEZ",
            "11/20/2026",
            "Yes",
            "false",
            "N/A",
            "--",
            '"quoted"',
            'a "b" c',
            "Köln",
            "東京",
            "x\x00y",
            "\ufeffsku",
            "NaN",
            "Infinity",
            "1e999999999",
            "365+",
            " padded ",
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_characters="\t\r\n", blacklist_categories=["Cs"]),
        max_size=12,
    ),
)


@st.composite
def flat_documents(draw: st.DrawFn, stream: ReportStream) -> tuple[bytes, str, int]:
    """A document in the spirit of `stream`'s, with defects; and how many data rows it has."""
    headers = [c.header for c in stream.spec.columns]
    chosen = draw(st.lists(st.sampled_from(headers), unique=True, min_size=0, max_size=12))
    chosen = draw(st.permutations(chosen))
    recased = [draw(st.sampled_from([h, h.upper(), h.lower(), h.title()])) for h in chosen]
    extra = draw(st.lists(st.sampled_from(["new-column", "Notiz", "備考", ""]), max_size=2))
    header = recased + extra
    if draw(st.booleans()) and not header:
        header = ["only-header"]
    width = max(len(header), 1)
    rows = draw(
        st.lists(
            st.lists(VALUES, min_size=max(width - 2, 0), max_size=width + 2),  # ragged too
            max_size=6,
        )
    )
    if draw(st.integers(0, 9)) == 0 and rows:
        rows[0][0:1] = ["y" * 200_000]  # a very long field (a listing's description)
    trailing_tab = draw(st.booleans())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    if trailing_tab:
        lines = [line + "\t" for line in lines]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    if draw(st.integers(0, 5)) == 0:
        text = ""  # an empty document
    encoding = draw(st.sampled_from(["utf-8", "iso-8859-1", "cp1252", "shift_jis"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        content += draw(st.sampled_from([b"\xff\xfe\x81", b"\xc3(", b"\x00\x00"]))
    data_rows = sum(1 for row in rows if any(cell for cell in row)) if text else 0
    return content, encoding, data_rows


@pytest.mark.parametrize("name", TSV)
def test_a_flat_file_of_any_shape_gives_its_rows_or_one_clear_error(name: str) -> None:
    stream = STREAMS[name]
    validator = jsonschema.Draft7Validator(stream.schema)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(flat_documents(stream))
    def check(drawn: tuple[bytes, str, int]) -> None:
        content, encoding, data_rows = drawn
        RUN["flat files"] += 1
        logging.getLogger().handlers  # noqa: B018  (the stream logs its problems)
        try:
            records = read(stream, content, encoding)
        except DocumentError:
            return  # the stream logs it with the report's name, and holds the bookmark
        # Bytes added at the end can make a row of their own; rows never vanish.
        assert len(records) >= data_rows, (len(records), data_rows)
        for record in records:
            errors = schema_errors(validator, record)
            assert not errors, (errors[:2], record)

    check()


# -- JSON and XML documents -------------------------------------------------------------

DEFECTS = {
    "empty": b"",
    "not the format": b"sku\tqty\nA\t1\n",
    "cut short": None,  # the first half of a valid-looking document
    "wrong top level": b'"just a string"',
    "nul bytes": b"\x00\x00\x00",
    "html error page": b"<html><body>Service Unavailable</body></html>",
}


def _sample(stream: ReportStream) -> bytes:
    if stream.spec.xml_records is not None:
        return (
            b'<?xml version="1.0"?><AmazonEnvelope><Message><Order><AmazonOrderID>1</AmazonOrderID>'
        )
    path = stream.spec.json_records.path if stream.spec.json_records else "items"
    head, *rest = path.split(".")
    inner: Any = [{"asin": "B000", "date": "2026-11-20"}]
    for key in reversed(rest):
        inner = {key: inner}
    return json.dumps({head: inner}).encode()[:-5]


@pytest.mark.parametrize("defect", sorted(DEFECTS))
@pytest.mark.parametrize("name", STRUCTURED)
def test_a_defective_json_or_xml_document_is_one_clear_error(name: str, defect: str) -> None:
    stream = STREAMS[name]
    content = DEFECTS[defect] if DEFECTS[defect] is not None else _sample(stream)
    RUN["structured documents"] += 1
    try:
        records = read(stream, content, "utf-8")
    except DocumentError:
        return  # the stream logs it with the report's name, and holds the bookmark
    pytest.fail(f"{defect}: read as {len(records)} records, not refused")
