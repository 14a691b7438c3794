"""Time helpers: ISO-8601 stamps with millisecond precision, parsing of query times."""

from __future__ import annotations

import datetime as _dt

_UTC = _dt.timezone.utc


def iso_from_ms(ms: int) -> str:
    """``2026-05-01T13:22:10.123Z`` for epoch milliseconds (sortable as text)."""
    d = _dt.datetime.fromtimestamp(ms / 1000.0, _UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso(text: str) -> float:
    """Epoch milliseconds (float) of an ISO-8601 date/time; naive means UTC.

    Raises ``ValueError`` for anything that is not ISO-8601.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty timestamp")
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    if len(s) < 10 or s[4] != "-":
        raise ValueError(f"not ISO-8601: {text!r}")
    # Python 3.9/3.10 fromisoformat only takes 3 or 6 fraction digits.
    if "." in s:
        head, _, rest = s.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        if not digits:
            raise ValueError(f"not ISO-8601: {text!r}")
        s = head + "." + (digits + "000000")[:6] + rest
    d = _dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=_UTC)
    return d.timestamp() * 1000.0


def parse_time_param(text: str) -> float:
    """Epoch ms from ISO-8601 or Unix seconds (as the tracked-actions route accepts)."""
    t = text.strip()
    try:
        return float(int(t)) * 1000.0
    except ValueError:
        return parse_iso(t)
