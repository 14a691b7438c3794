"""Ids: Firebase-style push ids for new items, and checks for ids put into URLs."""
from __future__ import annotations

import re
import secrets
import threading
import time

# Firebase push-id alphabet: ASCII-sorted, so ids sort by creation time.
_ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,256}$")
# Characters that can never be part of a path segment we send (they would change the URL
# or are forbidden in Firebase keys).
_ILLEGAL_PATH_CHARS = re.compile(r"[/?#%\\\[\]$.\x00-\x20\x7f]")

_lock = threading.Lock()
_last_ms = -1
_last_random: list[int] = []


def new_push_id(now_ms: int | None = None) -> str:
    """A 20-character, time-ordered id like Katapult's own (``-MWjCEDgYy9qzw2zZ2dc``).

    8 characters encode the millisecond timestamp, 12 are random; two ids made in the
    same millisecond still sort in creation order (the random part is incremented).
    """
    global _last_ms, _last_random
    ms = int(time.time() * 1000) if now_ms is None else int(now_ms)
    with _lock:
        if ms == _last_ms and _last_random:
            digits = list(_last_random)
            i = len(digits) - 1
            while i >= 0 and digits[i] == 63:
                digits[i] = 0
                i -= 1
            if i >= 0:
                digits[i] += 1
            else:  # 64**12 ids in one millisecond: start a fresh random tail
                digits = [secrets.randbelow(64) for _ in range(12)]
        else:
            digits = [secrets.randbelow(64) for _ in range(12)]
        _last_ms, _last_random = ms, digits
    head = []
    for _ in range(8):
        head.append(_ALPHABET[ms % 64])
        ms //= 64
    return "".join(reversed(head)) + "".join(_ALPHABET[d] for d in digits)


def new_client_id() -> str:
    """An id for a new item chosen by the client (>= 20 chars of ``[A-Za-z0-9_-]``)."""
    return new_push_id()


def is_valid_id(value: object) -> bool:
    """True if ``value`` is acceptable as a client-chosen id (20-256 of ``[A-Za-z0-9_-]``)."""
    return isinstance(value, str) and bool(_CLIENT_ID_RE.match(value))


def path_id_problem(value: object) -> str | None:
    """Why ``value`` cannot be an id in a URL path segment, or None if it can.

    Looser than :func:`is_valid_id`: existing ids such as ``midpoint_section`` or photo
    UUIDs are shorter/other shapes, but no id may contain URL or Firebase-key syntax.
    """
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if not value:
        return "is empty"
    if len(value) > 768:
        return f"is {len(value)} characters long (at most 768)"
    bad = _ILLEGAL_PATH_CHARS.search(value)
    if bad:
        ch = bad.group(0)
        shown = repr(ch) if ch.isprintable() and ch != " " else f"U+{ord(ch):04X}"
        return f"contains the character {shown}, which ids may not contain"
    return None
