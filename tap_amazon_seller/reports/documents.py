"""Report documents: download to disk, check, decompress, decode, and read rows as a stream.

A document is streamed to a temporary file (memory stays flat whatever its
size), a GZIP document is read through once to check its end-of-stream marker
and CRC (a truncated download is caught before a single record is emitted),
then it is decoded and parsed line by line, or item by item for JSON (ijson), or
element by element for XML (reports/xml_records.py).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import logging
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import ijson
import requests

from tap_amazon_seller.errors import TapError

LOGGER = logging.getLogger("tap_amazon_seller.reports")
DEFAULT_CHARSET = "iso-8859-1"
CHUNK = 1 << 20

# Amazon's charset names that Python spells differently, or where a superset decodes
# what the strict codec would reject (Amazon JP files are Windows-31J in practice).
_CHARSET_ALIASES = {
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms932": "cp932",
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
}


class DocumentError(TapError):
    """A document could not be downloaded whole, or is not what it claims to be."""


class IncompleteDocumentError(DocumentError):
    """Every download of a document was cut short or refused: a new report may be whole."""


class ExpiredUrlError(DocumentError):
    """The pre-signed URL was refused (expired): ask getReportDocument for a fresh one."""


def python_codec(charset: str | None) -> str:
    """Python codec for a Content-Type charset; ISO-8859-1 when none or unknown."""
    if not charset:
        return DEFAULT_CHARSET
    name = charset.strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        LOGGER.warning("Unknown document charset %r; decoding as %s", charset, DEFAULT_CHARSET)
        return DEFAULT_CHARSET
    return name


def charset_of(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value
    return None


@dataclass
class Document:
    """A downloaded document on disk. `close()` deletes it."""

    path: Path
    gzipped: bool
    encoding: str
    #: The charset the Content-Type named, if any (an XML declaration may name its own).
    charset: str | None = None

    def open_binary(self) -> IO[bytes]:
        # gzip.open owns the file it opens, so closing the stream closes the file too.
        return gzip.open(self.path, "rb") if self.gzipped else self.path.open("rb")  # type: ignore[return-value]

    def open_text(self) -> IO[str]:
        # errors="replace": an undecodable byte becomes U+FFFD and the row is reported,
        # rather than the whole document failing.
        return io.TextIOWrapper(
            self.open_binary(), encoding=self.encoding, errors="replace", newline=""
        )

    @property
    def size(self) -> int:
        """Bytes on disk (compressed, for a GZIP document)."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def close(self) -> None:
        self.path.unlink(missing_ok=True)


def download(
    session: requests.Session,
    url: str,
    *,
    gzipped: bool,
    timeout: float = 300.0,
    directory: str | None = None,
) -> Document:
    """Stream `url` to a temporary file and check it is whole; never log the URL."""
    fd, name = tempfile.mkstemp(
        prefix="sp-api-report-", suffix=".gz" if gzipped else ".txt", dir=directory
    )
    path = Path(name)
    try:
        try:
            with session.get(url, stream=True, timeout=timeout) as response:
                if response.status_code in (400, 403):
                    raise ExpiredUrlError(
                        f"the document host refused the pre-signed URL (HTTP {response.status_code})"
                    )
                if response.status_code >= 300:
                    raise DocumentError(f"the document host answered HTTP {response.status_code}")
                charset = charset_of(response.headers.get("content-type"))
                encoding = python_codec(charset)
                with os.fdopen(fd, "wb") as out:
                    fd = -1
                    shutil.copyfileobj(response.raw, out, CHUNK)
        except requests.RequestException as exc:
            raise DocumentError(f"download interrupted ({type(exc).__name__})") from None
        except Exception as exc:  # urllib3 ProtocolError on a short body, etc.
            if isinstance(exc, DocumentError):
                raise
            raise DocumentError(f"download interrupted ({type(exc).__name__})") from None
        document = Document(path, gzipped, encoding, charset)
        if gzipped:
            verify_gzip(path)
        return document
    except BaseException:
        if fd >= 0:
            os.close(fd)
        path.unlink(missing_ok=True)
        raise


def verify_gzip(path: Path) -> None:
    """Read a GZIP file through (CRC and length are checked at its end) without keeping it."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(CHUNK):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        raise DocumentError(f"the GZIP document is truncated or corrupt ({exc})") from None


#: The longest field read (a listing's description can pass csv's default of 128 KiB).
MAX_FIELD = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD)


class _Rows:
    """csv's reader, with its errors (a field past MAX_FIELD) as DocumentError."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader

    @property
    def line_num(self) -> int:
        return int(self._reader.line_num)

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self._reader)
        except csv.Error as exc:
            raise DocumentError(f"line {self.line_num + 1}: {exc}") from None


def iter_tsv(text: IO[str]) -> tuple[list[str], Any]:
    """Header and a reader over the rows (its `line_num` is the line in the document).
    Quotes are data, not syntax, in Amazon's files."""
    rows = _Rows(csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = next(rows, None)
    return header or [], rows


def iter_json_items(binary: IO[bytes], prefix: str) -> Iterator[dict[str, Any]]:
    """Items of the array at `prefix` (ijson notation, e.g. "salesAndTrafficByDate.item").

    A document that is not JSON, or has no such array at all, is a DocumentError: an
    empty report has the array, empty; anything else is not this report.
    """
    array = prefix.removesuffix(".item")
    empty = True
    try:
        for item in ijson.items(binary, prefix, use_float=False):
            empty = False
            yield item
        # Only a document without items is read again, to tell an empty list from none:
        # watching every parse event for it would slow every document 2.5 times.
        if empty and not _has_array(binary, array):
            raise DocumentError(f"the JSON document has no {array} list: it is not this report")
    except ijson.JSONError as exc:
        raise DocumentError(f"the document is not valid JSON ({_first_line(exc)})") from None


def _has_array(binary: IO[bytes], array: str) -> bool:
    binary.seek(0)
    return any(path == array and event == "start_array" for path, event, _ in ijson.parse(binary))


def read_json_document(binary: IO[bytes], required: tuple[str, ...]) -> dict[str, Any]:
    """The whole JSON document (for a stream whose record is the document: it is held in
    memory, as the one record it becomes must be). One without a `required` field (an
    error body, another report) is a DocumentError: it is not this report."""
    try:
        document = next(ijson.items(binary, "", use_float=False), None)
    except ijson.JSONError as exc:
        raise DocumentError(f"the document is not valid JSON ({_first_line(exc)})") from None
    missing = [f for f in required if not isinstance(document, dict) or f not in document]
    if missing:
        raise DocumentError(f"the JSON document has no {', '.join(missing)}: it is not this report")
    return cast(dict[str, Any], document)


def read_json_value(binary: IO[bytes], prefix: str) -> Any:
    """The first value at `prefix` (e.g. "reportSpecification"), or None."""
    try:
        for value in ijson.items(binary, prefix):
            return value
    except ijson.JSONError as exc:
        raise DocumentError(f"the document is not valid JSON ({_first_line(exc)})") from None
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
