"""cast_decimal's fast path (Decimal reading the cell as it is) against its full reading."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from tap_amazon_seller.casting import CastError, cast_decimal, conform_json, read_decimal

# Cells as Amazon's files spell numbers, and as they should not.
NUMBERISH = st.from_regex(
    r"\A\s?[+-]?(\d{1,4}([.,]\d{3})*([.,]\d{1,4})?|\.\d+)([eE][+-]?\d{1,3})?\+?\s?\Z"
)
WORDS = st.sampled_from(
    ["NaN", "-nan", "Infinity", "-Inf", "sNaN", "--", "-", "N/A", "NA", "365+", "1e999999", "1_000"]
)


def outcome(read: object, text: str) -> tuple[str, str]:
    try:
        value = read(text)  # type: ignore[operator]
    except CastError as exc:
        return ("error", str(exc))
    return ("value", repr(value))  # repr: the exact digits and exponent, not only the value


@given(st.one_of(NUMBERISH, WORDS, st.text(max_size=12)))
@example("0.00")
@example(" 12.5 ")
@example("1,234.56")
@example("1.234,56")
@example("1E+38")
@example("1E+39")
def test_the_fast_path_reads_every_cell_as_the_full_reading_does(text: str) -> None:
    assert outcome(cast_decimal, text) == outcome(read_decimal, text)


def test_plain_cells_keep_their_digits() -> None:
    assert repr(cast_decimal("19.90")) == repr(Decimal("19.90"))
    assert cast_decimal("") is None


def test_an_object_or_list_where_the_schema_wants_a_value_is_null_and_noted() -> None:
    """Found by answers generated from the finances model: an object where the model
    types a date (`endTime: {}`) was kept as it was, and the record failed its schema."""
    problems: list[str] = []
    schema = {
        "type": "object",
        "properties": {
            "endTime": {"type": ["string", "null"], "format": "date-time"},
            "tags": {"type": ["array", "null"], "items": {"type": "string"}},
        },
    }
    row = {"endTime": {}, "tags": ["a"], "other": {"kept": 1}}
    assert conform_json(row, schema, problems) == {
        "endTime": None,
        "tags": ["a"],
        "other": {"kept": 1},
    }
    assert problems == ["endTime: '{}'"]
