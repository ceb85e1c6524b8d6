"""The tap's Singer message writer (singer_output.py) against singer-sdk's own."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from singer_sdk.singerlib import RecordMessage, SchemaMessage, StateMessage
from singer_sdk.singerlib.encoding import SimpleSingerWriter

from tap_amazon_seller.singer_output import BLOCK, SingerOutput
from tap_amazon_seller.tap import TapAmazonSeller

EXTRACTED = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC)


def read(line: str | bytes) -> dict[str, Any]:
    message = json.loads(line, parse_float=Decimal)
    if "time_extracted" in message:
        message["time_extracted"] = datetime.fromisoformat(message["time_extracted"])
    return message


def record(values: dict[str, Any]) -> RecordMessage:
    return RecordMessage(stream="s", record=values, time_extracted=EXTRACTED)


def test_the_tap_writes_with_it() -> None:
    assert TapAmazonSeller.message_writer_class is SingerOutput


def test_every_message_reads_back_as_singer_sdks_writer_writes_it() -> None:
    messages = [
        SchemaMessage("s", {"type": "object", "properties": {"a": {"type": "number"}}}, ["a"]),
        record(
            {
                "a": Decimal("1.10"),
                "big": Decimal("12345678901234567890.123456789"),
                "exp": Decimal("2E+3"),
                "text": 'Zürich – 東京 "quoted" \\ tab\there',
                "none": None,
                "nested": [1, {"b": Decimal("-0.5"), "c": False}],
                "int": 10**20,
            }
        ),
        StateMessage({"bookmarks": {"s": {"replication_key_value": "2026-03-29T01:30:15Z"}}}),
    ]
    ours, theirs = SingerOutput(), SimpleSingerWriter()
    for message in messages:
        line = ours.format_message(message)
        assert b"\n" not in line
        assert read(line) == read(theirs.format_message(message))


def test_nan_and_infinite_decimals_become_null_as_with_singer_sdk() -> None:
    message = record({"x": Decimal("NaN"), "y": [Decimal("-Infinity")], "z": Decimal("1")})
    line = SingerOutput().format_message(message)
    assert read(line)["record"] == {"x": None, "y": [None], "z": 1}
    assert read(line) == read(SimpleSingerWriter().format_message(message))


def test_unicode_line_separators_are_escaped_so_no_consumer_splits_a_message() -> None:
    text = "a\u2028b\u2029c\x85d"
    line = SingerOutput().format_message(record({"text": text}))
    assert len(line.decode().splitlines()) == 1
    assert read(line)["record"]["text"] == text


class _Stdout(io.TextIOWrapper):
    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_records_are_gathered_and_every_other_message_writes_them_out(monkeypatch: Any) -> None:
    # Unbuffered, as with PYTHONUNBUFFERED: every write would reach the pipe at once.
    stdout = _Stdout(io.BytesIO(), encoding="utf-8", write_through=True)
    monkeypatch.setattr("sys.stdout", stdout)
    writer = SingerOutput()
    for number in range(3):
        writer.write_message(record({"n": number}))
    assert stdout.buffer.getvalue() == b""  # type: ignore[attr-defined]
    assert stdout.flushes == 0
    writer.write_message(StateMessage({"bookmarks": {}}))
    assert stdout.flushes == 1
    lines = stdout.buffer.getvalue().decode().splitlines()  # type: ignore[attr-defined]
    assert [read(line)["type"] for line in lines] == ["RECORD"] * 3 + ["STATE"]
    assert [read(line)["record"]["n"] for line in lines[:3]] == [0, 1, 2]


def test_a_full_block_is_written_without_waiting_for_a_state(monkeypatch: Any) -> None:
    stdout = _Stdout(io.BytesIO(), encoding="utf-8", write_through=True)
    monkeypatch.setattr("sys.stdout", stdout)
    writer = SingerOutput()
    big = "x" * 1000
    count = BLOCK // 1000 + 1
    for number in range(count):
        writer.write_message(record({"n": number, "text": big}))
    written = stdout.buffer.getvalue().decode().splitlines()  # type: ignore[attr-defined]
    assert sum(len(line) + 1 for line in written) >= BLOCK  # one block at least, in order
    assert [read(line)["record"]["n"] for line in written] == list(range(len(written)))
    assert stdout.flushes == 0
    writer.flush()
    written = stdout.buffer.getvalue().decode().splitlines()  # type: ignore[attr-defined]
    assert [read(line)["record"]["n"] for line in written] == list(range(count))


def test_records_still_gathered_at_exit_are_written(tmp_path: Path) -> None:
    script = (
        "from tap_amazon_seller.singer_output import SingerOutput\n"
        "from singer_sdk.singerlib import RecordMessage\n"
        "writer = SingerOutput()\n"
        "writer.write_message(RecordMessage(stream='s', record={'n': 1}))\n"
        "raise SystemExit(3)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    assert child.returncode == 3
    assert [read(line)["record"] for line in child.stdout.splitlines()] == [{"n": 1}]


def test_a_text_stdout_gets_text() -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        SingerOutput().write_message(StateMessage({"text": "é"}))
    assert read(output.getvalue())["value"] == {"text": "é"}
    assert output.getvalue().endswith("\n")
