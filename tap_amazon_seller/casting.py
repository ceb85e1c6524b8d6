"""Read values the way Amazon really sends them, not only as its models promise."""

from __future__ import annotations

from typing import Any

_TRUE = frozenset(("true", "1", "yes", "y"))
_FALSE = frozenset(("false", "0", "no", "n"))


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
