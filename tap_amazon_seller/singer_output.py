"""Singer messages to stdout: encoded by msgspec, written in blocks.

singer-sdk's default writer encodes every message with simplejson (in Python, for a record's
dicts) and flushes stdout after each one: about a third of a report sync's time (#19). This
writer encodes in C (msgspec) and gathers records into blocks of BLOCK bytes, written with
one call each. It keeps its own block rather than rely on stdout's buffer: with
PYTHONUNBUFFERED set (as in many container images) stdout has none, and every record
would be a system call. Every message that is not a RECORD (SCHEMA, STATE,
ACTIVATE_VERSION, BATCH) writes the block out and flushes, so a target holds every record a
STATE covers by the time it reads that STATE; a tap killed between two STATEs loses only
records that no STATE it wrote covers, which the next run reads again. What is still
gathered when the process exits is written then.

What a target receives differs from the default writer only in spelling, not in values:
non-ASCII text as UTF-8 rather than \\u escapes, and UTC instants the SDK itself adds
(`time_extracted`) ending in `Z` rather than `+00:00`.
"""

from __future__ import annotations

import atexit
import sys
import typing as t
import weakref
from decimal import Decimal

import msgspec
from singer_sdk.singerlib.encoding.base import GenericSingerWriter, SingerMessageType
from singer_sdk.singerlib.encoding.simple import Message

# Decimals as JSON numbers, as singer-sdk writes them; anything msgspec has no encoding for
# becomes its text, as singer-sdk's default encoder does.
_ENCODER = msgspec.json.Encoder(enc_hook=str, decimal_format="number")

# The line separators other than \n that JSON leaves unescaped inside strings: a consumer
# that splits its input with str.splitlines() would cut a message at them. Their UTF-8 bytes
# can only occur inside a string, so the escape is always valid JSON.
_LINE_SEPARATORS = (
    (b"\xe2\x80\xa8", b"\\u2028"),
    (b"\xe2\x80\xa9", b"\\u2029"),
    (b"\xc2\x85", b"\\u0085"),
)


def _finite(value: t.Any) -> t.Any:
    """`value` with every NaN or infinite Decimal as None (JSON has no such number)."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def encode(value: t.Any) -> bytes:
    """One line of JSON (without its newline), as valid as singer-sdk's own encoder makes."""
    try:
        line = _ENCODER.encode(value)
    except ValueError:  # a Decimal NaN or Infinity: null, as singer-sdk writes it
        line = _ENCODER.encode(_finite(value))
    if not line.isascii():
        for raw, escaped in _LINE_SEPARATORS:
            if raw in line:
                line = line.replace(raw, escaped)
    return line


#: Bytes of records gathered before they are written out.
BLOCK = 256 * 1024


class SingerOutput(GenericSingerWriter[bytes, Message]):
    """The tap's message writer (TapAmazonSeller.message_writer_class)."""

    def __init__(self) -> None:
        self._block = bytearray()
        _WRITERS.add(self)

    def serialize_message(self, message: Message) -> bytes:
        return encode(message.to_dict())

    def write_message(self, message: Message) -> None:
        block = self._block
        block += self.format_message(message)
        block += b"\n"
        if message.type != SingerMessageType.RECORD:
            self.flush()
        elif len(block) >= BLOCK:
            self._write_out()

    def flush(self) -> None:
        """Write out what is gathered and flush stdout."""
        self._write_out()
        sys.stdout.flush()

    def _write_out(self) -> None:
        if not self._block:
            return
        stdout = sys.stdout
        binary = getattr(stdout, "buffer", None)
        if binary is None:  # stdout replaced by a text stream (an embedding program, a test)
            stdout.write(self._block.decode())
        else:
            binary.write(self._block)
        self._block.clear()


_WRITERS: weakref.WeakSet[SingerOutput] = weakref.WeakSet()


@atexit.register
def _write_out_at_exit() -> None:
    for writer in list(_WRITERS):
        writer.flush()
