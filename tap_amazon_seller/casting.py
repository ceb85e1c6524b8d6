"""Read values the way Amazon really sends them, not only as its models promise.

Report cells arrive as text in many spellings: booleans as "Yes"/"false"/"Y",
numbers with thousands separators or decimal commas (EU files), dates as ISO 8601,
"2026-11-20 10:00:00 PST", "11/20/2026" or "20.11.2026". Every caster takes the
raw text and returns the typed value, or None for an empty cell; they run once
per cell, so they are written for speed (a regex or two, no dateutil).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = frozenset(("true", "1", "yes", "y"))
_FALSE = frozenset(("false", "0", "no", "n"))

# Zone abbreviations Amazon writes into report dates, as UTC offsets in hours.
ZONE_OFFSETS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "CST": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "WET": 0,
    "WEST": 1,
    "JST": 9,
    "AEST": 10,
    "AEDT": 11,
    "SGT": 8,
    "IST": 5.5,
    "GST": 4,
    "MEZ": 1,
    "MESZ": 2,  # German files name CET/CEST in German
    # And in English, as a listings report's open-date "23/09/2021 10:34:38 MEST" does
    # (jrl84/amazon-sp-api#55).
    "MET": 1,
    "MEST": 2,
}
_MONTHS = {
    name: index
    for index, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_ZONES = {name: timezone(timedelta(hours=hours)) for name, hours in ZONE_OFFSETS.items()}

_WITH_ZONE_NAME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([A-Z]{1,4})$"
)
_TIME_AND_ZONE = r"(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?(?:\s*([A-Z]{1,4}))?$"
# MM/DD/YYYY (or MM/DD/YY), DD.MM.YYYY, and DD-Mon-YYYY, each with an optional time and zone.
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})" + _TIME_AND_ZONE)
_EU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME_AND_ZONE)
_NAMED_MONTH_DATE = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})" + _TIME_AND_ZONE)
# YYYY/MM/DD (Japanese files), and YY/M/D with a short year (Japanese seller feedback).
_YEAR_FIRST_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME_AND_ZONE)
_SHORT_YEAR_FIRST_DATE = re.compile(r"^(\d{2})/(\d{1,2})/(\d{1,2})" + _TIME_AND_ZONE)
# A month alone, for reports by month: MM/YYYY (ledger summary) or YYYY-MM (storage fees).
_MONTH_ONLY = re.compile(r"^(?:(\d{1,2})/(\d{4})|(\d{4})-(\d{2}))$")


_THOUSANDS = re.compile(r"^-?\d{1,3}(?:([,.])\d{3})(?:\1\d{3})*$")


class CastError(ValueError):
    """A cell that cannot be read as its declared type."""


class AmbiguousDateError(CastError):
    """A date whose day and month cannot be told apart in the marketplace's order."""


def as_bool(value: Any) -> bool | None:
    """A boolean sent as a JSON boolean or as a string ("false", "Yes", "1"); else None."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def cast_bool(text: str) -> bool | None:
    if not text:
        return None
    value = as_bool(text)
    if value is None:
        raise CastError(f"not a boolean: {text!r}")
    return value


def cast_int(text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    if text.strip() in _NOT_APPLICABLE:
        return None
    if _THOUSANDS.match(text):  # "1,234" or "1.234"
        return int(text.replace(",", "").replace(".", ""))
    number = cast_decimal(text)
    if number is None or number != number.to_integral_value():
        raise CastError(f"not an integer: {text!r}")
    return int(number)


# Amazon's spellings of "no value" in numeric columns (the fee preview writes "--").
_NOT_APPLICABLE = frozenset(("--", "-", "N/A", "n/a", "NA"))


#: Decimal exponents beyond this are no real amount (and beyond any warehouse's numeric).
_MAX_EXPONENT = 38


def cast_decimal(text: str) -> Decimal | None:
    """A decimal, keeping its exact digits (money must not pass through float).

    Also reads Amazon's "--" (not applicable) as null and an open-ended "365+" (the restock
    report's days of supply) as its bound, 365.
    """
    if not text:
        return None
    # Most cells are plain numbers that Decimal reads as they are, in C; the rest (and
    # whatever is out of range) take the full reading. The same result either way
    # (tests/test_casting_properties.py).
    try:
        number = Decimal(text)
    except InvalidOperation:
        return read_decimal(text)
    if number.is_finite() and abs(number.adjusted()) <= _MAX_EXPONENT:
        return number
    return read_decimal(text)


def read_decimal(text: str) -> Decimal | None:
    """cast_decimal's full reading, spelling by spelling."""
    if not text:
        return None
    cleaned = text.strip()
    if cleaned in _NOT_APPLICABLE:
        return None
    cleaned = cleaned.removesuffix("+")
    if "," in cleaned:
        # "1,234.56" (US thousands) or "1.234,56" / "12,34" (EU decimal comma).
        if "." in cleaned and cleaned.rfind(",") < cleaned.rfind("."):
            cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CastError(f"not a number: {text!r}") from None
    if not number.is_finite():  # "NaN", "Infinity": no JSON number can carry them
        raise CastError(f"not a number: {text!r}")
    if abs(number.adjusted()) > _MAX_EXPONENT:
        # "1e999999999": no amount or count is that large, and turning it into an integer
        # would take the process's memory.
        raise CastError(f"not a number in range: {text!r}")
    return number


def _to_utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _zone(name: str | None) -> timezone:
    if not name:
        return UTC
    try:
        return _ZONES[name]
    except KeyError:
        raise CastError(f"unknown time zone {name!r}") from None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _month(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        month = _MONTHS.get(text.lower())
        if month is None:
            raise CastError(f"unknown month {text!r}") from None
        return month


def _date_parts(
    text: str, *, order: str = "MDY"
) -> tuple[int, int, int, str | None, str | None] | None:
    """(year, month, day, time, zone) of the day-first, month-first and year-first layouts.

    A slashed date with a short first field is read in the marketplace's `order`
    (regions.date_order): month first (11/20/2026), day first (20/11/2026) or, with a short
    year, year first (26/11/20). Where that order cannot apply (a four-digit year last in a
    year-first marketplace), only a field above 12 can tell day from month: it is never
    guessed."""
    if order == "YMD" and (match := _SHORT_YEAR_FIRST_DATE.match(text)):
        return _year(match[1]), int(match[2]), int(match[3]), match[4], match[5]
    if match := _US_DATE.match(text):
        first, second, last = int(match[1]), int(match[2]), match[3]
        if order == "YMD":
            if first > 12 >= second:
                order = "DMY"
            elif second > 12 >= first:
                order = "MDY"
            else:
                raise AmbiguousDateError(f"day and month cannot be told apart: {text!r}")
        if order == "DMY":
            return _year(last), second, first, match[4], match[5]
        return _year(last), first, second, match[4], match[5]
    if match := _YEAR_FIRST_DATE.match(text):
        return int(match[1]), int(match[2]), int(match[3]), match[4], match[5]
    if match := _EU_DATE.match(text):
        return _year(match[3]), int(match[2]), int(match[1]), match[4], match[5]
    if match := _NAMED_MONTH_DATE.match(text):
        return _year(match[3]), _month(match[2]), int(match[1]), match[4], match[5]
    return None


def _at(year: int, month: int, day: int, clock: str | None, zone: str | None) -> datetime:
    hour = minute = second = 0
    if clock:
        parts = [int(p) for p in clock.split(":")]
        hour, minute = parts[0], parts[1]
        second = parts[2] if len(parts) > 2 else 0
    return datetime(year, month, day, hour, minute, second, tzinfo=_zone(zone))


def cast_datetime(text: str, *, order: str = "MDY") -> str | None:
    """Any of Amazon's date-time spellings, as ISO 8601 in UTC (naive ones are taken as UTC);
    a slashed date is month first unless the marketplace's `order` says (see _date_parts)."""
    if not text:
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        # Already in the output form ("2026-11-20T10:00:00+00:00"): keep the text.
        if len(text) == 25 and text[10] == "T" and text.endswith("+00:00"):
            return text
        return _to_utc_iso(moment)
    try:
        if match := _WITH_ZONE_NAME.match(text):
            moment = datetime.fromisoformat(f"{match[1]}T{match[2]}")
            return _to_utc_iso(moment.replace(tzinfo=_zone(match[3])))
        if parts := _date_parts(text, order=order):
            return _to_utc_iso(_at(*parts))
    except AmbiguousDateError:
        raise
    except ValueError:
        pass
    raise CastError(f"not a date-time: {text!r}")


def cast_date(text: str, *, order: str = "MDY") -> str | None:
    """A calendar date as YYYY-MM-DD (from YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY, YYYY/MM/DD or
    a date-time; DD/MM/YYYY or YY/MM/DD in the marketplace's `order`).

    A month alone (MM/YYYY or YYYY-MM, in reports by month) is read as its first day.
    """
    if not text:
        return None
    text = text.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    if len(text) > 10 and text[4] == "-" and text[:4].isdigit():
        try:  # an ISO date with a time: the calendar date as written, not shifted to UTC
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            pass
    try:
        parts = _date_parts(text, order=order)
        if parts is not None:
            return date(parts[0], parts[1], parts[2]).isoformat()
        if match := _MONTH_ONLY.match(text):
            year, month = (match[2], match[1]) if match[1] else (match[3], match[4])
            return date(int(year), int(month), 1).isoformat()
    except AmbiguousDateError:
        raise
    except ValueError:
        pass
    raise CastError(f"not a date: {text!r}")


def cast_string(text: str) -> str | None:
    return text if text != "" else None


#: The casters of local dates and date-times in each marketplace date order.
LOCAL_CASTERS: dict[tuple[str, str], Callable[[str], Any]] = {
    (kind, order): functools.partial(cast, order=order)
    for kind, cast in (("local-date", cast_date), ("local-date-time", cast_datetime))
    for order in ("MDY", "DMY", "YMD")
}


CASTERS: dict[str, Callable[[str], Any]] = {
    "string": cast_string,
    "integer": cast_int,
    "number": cast_decimal,
    "boolean": cast_bool,
    "date-time": cast_datetime,
    "date": cast_date,
    # A date the way the marketplace's own site writes it (Seller Central's seller
    # feedback): month first in the US and Canada, day first elsewhere. This entry is the
    # month-first reading; Column.caster_for picks the day-first one by marketplace.
    "local-date": cast_date,
    # A date-time the same way, with the local zone's name ("07/08/2024 07:31:42 MESZ" in a
    # German listings report is 7 August, 05:31:42 UTC).
    "local-date-time": cast_datetime,
}


def snake_case(header: str) -> str:
    """Report header to column name: "amazon-order-id" and "Event Type" -> snake_case."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", header.strip())
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return name.strip("_").lower() or "column"


def conform_json(
    value: Any, schema: dict[str, Any], problems: list[str] | None = None, path: str = ""
) -> Any:
    """A JSON value made to fit its schema when Amazon sent a number or a boolean as a
    string ("137.28", "false"). A string that means neither where the schema wants one
    ("lots" for an integer) is null, its path noted in `problems`: a value of the wrong
    type would fail the target. Anything else is left as it is."""
    if value is None:
        return None
    types = schema.get("type") or ()
    if isinstance(types, str):
        types = (types,)
    if isinstance(value, dict | list) and types and not {"object", "array"} & set(types):
        # An object or list where the schema wants a value (a string, a number): it fits
        # no type the field may have, and a target would refuse the record.
        return _unfit(json.dumps(value, default=str), path, problems)
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        return {
            k: conform_json(v, properties[k], problems, f"{path}.{k}" if path else k)
            if k in properties
            else v
            for k, v in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items") or {}
        return [conform_json(v, items, problems, f"{path}[]") for v in value]
    if isinstance(value, str) and "string" not in types:
        try:
            if "integer" in types:
                return cast_int(value)
            if "number" in types:
                return cast_decimal(value)
        except CastError:
            return _unfit(value, path, problems)
        if "boolean" in types:
            flag = as_bool(value)
            return _unfit(value, path, problems) if flag is None else flag
    return value


def _unfit(value: str, path: str, problems: list[str] | None) -> None:
    if problems is not None:
        problems.append(f"{path or 'value'}: {value[:40]!r}")
    return None
