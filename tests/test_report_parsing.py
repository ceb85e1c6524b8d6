"""Parsing report documents defensively: by header name, typed, nothing dropped silently."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from tap_amazon_seller.casting import (
    CastError,
    cast_date,
    cast_datetime,
    cast_decimal,
    cast_int,
    conform_json,
)
from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import Document, DocumentError, python_codec, verify_gzip
from tap_amazon_seller.reports.engine import ReportJob
from tap_amazon_seller.streams.reports import ReportStream
from tap_amazon_seller.tap import TapAmazonSeller

CONFIG = {"refresh_token": "r", "lwa_client_id": "c", "lwa_client_secret": "s", "region": "eu"}


def parse(
    tmp_path: Path,
    content: bytes,
    stream: str = "fba_customer_shipment_sales",
    encoding: str = "utf-8",
) -> list[dict]:
    path = tmp_path / "doc.gz"
    path.write_bytes(gzip.compress(content))
    tap = TapAmazonSeller(config=CONFIG)
    report_stream = tap.streams[stream]
    assert isinstance(report_stream, ReportStream)
    job = ReportJob("TYPE", "eu", ("A1PA6795UKMFR9",))
    base = {"marketplace_id": "A1PA6795UKMFR9", "report_id": "1"}
    document = Document(path, True, encoding)
    logger = report_stream.logger
    return list(reader.records(document, report_stream.spec, job, base, logger, dict))


def test_values_that_cannot_be_read_are_counted_per_column_with_the_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A column Amazon writes another way is not silently nulled: past the first few lines
    logged, one WARNING per column says how many of its values were lost, naming the report."""
    lines = [f"SKU-{n}\t{n}\tsoon\n" for n in range(8)]  # shipment-date "soon": no date
    content = ("sku\tquantity\tshipment-date\n" + "".join(lines)).encode()
    path = tmp_path / "doc.gz"
    path.write_bytes(gzip.compress(content))
    tap = TapAmazonSeller(config=CONFIG)
    stream = tap.streams["fba_customer_shipment_sales"]
    assert isinstance(stream, ReportStream)
    job = ReportJob("TYPE", "eu", ("A1PA6795UKMFR9",), report_id="7001")
    base = {"marketplace_id": "A1PA6795UKMFR9", "report_id": "7001"}
    with caplog.at_level(logging.WARNING):
        rows = list(
            reader.records(
                Document(path, True, "utf-8"), stream.spec, job, base, stream.logger, dict
            )
        )
    assert [r["shipment_date"] for r in rows] == [None] * 8
    assert [r["quantity"] for r in rows] == list(range(8))
    said = [line for line in caplog.messages if "of column" in line]
    assert said == [
        "TYPE for A1PA6795UKMFR9 (report 7001): 8 value(s) of column shipment_date could not "
        "be read and were emitted as null"
    ]


def test_columns_by_name_in_any_order_with_new_ones_kept(tmp_path: Path) -> None:
    text = (
        "quantity\tnew-column\tsku\tshipment-date\titem-price-per-unit\n"
        "3\tsurprise\tSKU-1\t2026-11-20 10:00:00 PST\t1.234,50\n"
    )
    (row,) = parse(tmp_path, text.encode())
    assert row["quantity"] == 3 and row["sku"] == "SKU-1"
    assert row["shipment_date"] == "2026-11-20T18:00:00+00:00"
    assert str(row["item_price_per_unit"]) == "1234.50"
    assert row["extra_columns"] == {"new-column": "surprise"}
    assert "fnsku" not in row  # a declared column the document lacks is simply absent


def test_bad_rows_are_counted_logged_with_line_numbers_and_still_emitted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = (
        b"sku\tquantity\tship-city\n"
        b"SKU-1\t2\tK\xc3\xb6ln\n"
        b"SKU-2\tlots\tBerlin\n"  # not an integer
        b"SKU-3\t1\n"  # a column short
        b"SKU-4\t1\tK\xf6ln\n"  # Latin-1 byte in a UTF-8 document
    )
    with caplog.at_level(logging.WARNING):
        rows = parse(tmp_path, content)
    assert [r["sku"] for r in rows] == ["SKU-1", "SKU-2", "SKU-3", "SKU-4"]
    assert rows[0]["ship_city"] == "Köln"
    assert rows[1]["quantity"] is None
    assert rows[2]["ship_city"] is None
    assert rows[3]["ship_city"] == "K\ufffdln"
    assert "line 3: quantity: not a number: 'lots'; emitted as null" in caplog.text
    assert "line 4: 2 columns where the header has 3" in caplog.text
    assert "line 5: undecodable bytes" in caplog.text


def test_identical_adjacent_rows_get_distinct_stable_keys(tmp_path: Path) -> None:
    content = b"sku\tquantity\nA\t1\nA\t1\nB\t1\n"
    first = [r["row_key"] for r in parse(tmp_path, content)]
    again = [r["row_key"] for r in parse(tmp_path, content)]
    assert len(set(first)) == 3 and first == again


def test_truncated_gzip_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(b"sku\n" + b"SKU\n" * 10_000)[:-20])
    with pytest.raises(DocumentError, match="truncated"):
        verify_gzip(path)


@pytest.mark.parametrize(
    ("charset", "codec"),
    [
        (None, "iso-8859-1"),
        ("UTF-8", "utf-8-sig"),
        ("Cp1252", "cp1252"),
        ("Shift_JIS", "cp932"),
        ("windows-31j", "cp932"),
        ("x-unknown", "iso-8859-1"),
    ],
)
def test_charsets_amazon_names(charset: str | None, codec: str) -> None:
    assert python_codec(charset) == codec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T10:00:00+00:00", "2026-11-20T10:00:00+00:00"),
        ("2026-11-20T10:00:00+09:00", "2026-11-20T01:00:00+00:00"),
        ("2026-11-20 10:00:00 UTC", "2026-11-20T10:00:00+00:00"),
        ("2026-11-20 02:00:00 PST", "2026-11-20T10:00:00+00:00"),
        ("2026-07-20 02:00:00 PDT", "2026-07-20T09:00:00+00:00"),
        ("2026-11-20 11:00:00 MEZ", "2026-11-20T10:00:00+00:00"),
        ("11/20/2026", "2026-11-20T00:00:00+00:00"),
        ("11/20/26", "2026-11-20T00:00:00+00:00"),
        ("20.11.2026 10:00:00 UTC", "2026-11-20T10:00:00+00:00"),
        ("20-Nov-2026", "2026-11-20T00:00:00+00:00"),
        ("", None),
    ],
)
def test_every_date_spelling(text: str, expected: str | None) -> None:
    assert cast_datetime(text) == expected


def test_dates_numbers_and_failures() -> None:
    assert cast_date("2026-11-20T23:30:00-08:00") == "2026-11-20"  # the date as written
    assert cast_date("20.11.2026") == "2026-11-20"
    assert str(cast_decimal("1,234.56")) == "1234.56" and str(cast_decimal("12,34")) == "12.34"
    assert cast_int("1,234") == 1234 and cast_int("3.0") == 3
    # Amazon's "--" (not applicable) and the restock report's open-ended "365+".
    assert cast_decimal("--") is None and cast_int("--") is None
    assert cast_int("365+") == 365 and str(cast_decimal("12.5+")) == "12.5"
    for bad, caster in (("2026-13-45", cast_datetime), ("abc", cast_decimal), ("1.5", cast_int)):
        with pytest.raises(CastError):
            caster(bad)


def test_json_numbers_and_booleans_sent_as_strings_are_read() -> None:
    schema = {
        "type": "object",
        "properties": {
            "amount": {"type": ["number", "null"]},
            "units": {"type": ["integer", "null"]},
            "flag": {"type": ["boolean", "null"]},
            "name": {"type": ["string", "null"]},
            "nested": {"type": "object", "properties": {"rate": {"type": ["number"]}}},
        },
    }
    record = {
        "amount": "137.28",
        "units": "3",
        "flag": "false",
        "name": "42",
        "nested": {"rate": "0.5"},
    }
    out = conform_json(record, schema)
    assert str(out["amount"]) == "137.28" and out["units"] == 3 and out["flag"] is False
    assert out["name"] == "42" and str(out["nested"]["rate"]) == "0.5"


# Local dates as each marketplace's site writes them, days above 12 and below. Seller
# feedback's short-year spellings are those Airbyte's connector reads per marketplace
# (airbytehq/airbyte#8810); the listings open-date spellings are from real files (German
# "MESZ" from a DE sync, English "MEST" from jrl84/amazon-sp-api#55).
LOCAL_DATES = [
    ("seller_feedback", "date", "US", "1/13/17", "2017-01-13"),
    ("seller_feedback", "date", "US", "2/1/17", "2017-02-01"),
    ("seller_feedback", "date", "DE", "13.1.17", "2017-01-13"),
    ("seller_feedback", "date", "DE", "2.1.17", "2017-01-02"),
    ("seller_feedback", "date", "FR", "13/1/17", "2017-01-13"),
    ("seller_feedback", "date", "UK", "2/1/17", "2017-01-02"),
    ("seller_feedback", "date", "JP", "17/1/13", "2017-01-13"),
    ("seller_feedback", "date", "JP", "26/2/1", "2026-02-01"),
    ("seller_feedback", "date", "JP", "2026/02/01", "2026-02-01"),
    ("seller_feedback", "date", "JP", "13/01/2026", "2026-01-13"),  # only a day can be 13
    ("seller_feedback", "date", "JP", "01/13/2026", "2026-01-13"),
    ("seller_feedback", "date", "JP", "01/02/2026", None),  # January or February: not guessed
    (
        "products_inventory",
        "open_date",
        "DE",
        "07/08/2024 07:31:42 MESZ",
        "2024-08-07T05:31:42+00:00",
    ),
    (
        "products_inventory",
        "open_date",
        "DE",
        "23/09/2021 10:34:38 MEST",
        "2021-09-23T08:34:38+00:00",
    ),
    (
        "products_inventory",
        "open_date",
        "US",
        "2022-07-11 01:34:18 PDT",
        "2022-07-11T08:34:18+00:00",
    ),
    (
        "products_inventory",
        "open_date",
        "US",
        "07/08/2024 07:31:42 PDT",
        "2024-07-08T14:31:42+00:00",
    ),
    (
        "products_inventory",
        "open_date",
        "JP",
        "2024/08/07 07:31:42 JST",
        "2024-08-06T22:31:42+00:00",
    ),
]


@pytest.mark.parametrize(("stream", "column", "country", "text", "expected"), LOCAL_DATES)
def test_local_dates_are_read_in_the_marketplaces_order(
    stream: str, column: str, country: str, text: str, expected: str | None
) -> None:
    from tap_amazon_seller.regions import MARKETPLACES_BY_COUNTRY
    from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM

    spec = REPORT_SPECS_BY_STREAM[stream]
    (declared,) = [c for c in spec.columns if c.name == column]
    cast = declared.caster_for(MARKETPLACES_BY_COUNTRY[country].id)
    if expected is None:
        with pytest.raises(CastError, match="cannot be told apart"):
            cast(text)
    else:
        assert cast(text) == expected
