"""Keep secrets out of every log line, whichever library writes it.

Written by hand because no logging library knows SP-API's secrets: the refresh
token and client secret from the config, access tokens as LWA issues them, and
pre-signed report document URLs (their query string is a credential). Installed
as a log-record factory, so it covers singer-sdk's, requests' and urllib3's
loggers as well as ours, and tracebacks as well as messages.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any

MASK = "[REDACTED]"

_PATTERNS = (
    # LWA access and refresh tokens ("Atza|..." and "Atzr|...").
    (re.compile(r"Atz[ar]\|[^\s\"'&,;)]+"), MASK),
    # Restricted Data Tokens ("Atz.sprdt|...").
    (re.compile(r"Atz\.sprdt\|[^\s\"'&,;)]+"), MASK),
    # LWA client secrets.
    (re.compile(r"amzn1\.oa2-cs\.v1\.[0-9A-Za-z]+"), MASK),
    # Query strings of pre-signed URLs (S3 style and the simulator's).
    (
        re.compile(r"\?[^\s\"']*(?:X-Amz-Signature|X-Amz-Credential|[Ss]ignature)=[^\s\"']*"),
        "?" + MASK,
    ),
    # Token fields of JSON bodies ("access_token": "...") and forms (access_token=...).
    (
        re.compile(
            r"((?:[\"'](?:access_token|refresh_token|client_secret)[\"']\s*:\s*[\"']?)"
            r"|(?:(?:access_token|refresh_token|client_secret)=))[^\s\"'&,}]+"
        ),
        r"\1" + MASK,
    ),
)

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def register_secret(value: str | None) -> None:
    """Mask `value` wherever it appears in a later log line."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def install() -> None:
    """Wrap the log-record factory once per process so that every record is redacted."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed format string: log it as it is
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
        return record

    logging.setLogRecordFactory(redacting_factory)
