"""Client-chosen ids for new entities and attribute instances.

Uses ``plugin.api.ids`` when that module is present (the API room owns it) and
falls back to an equivalent local generator so the model stays usable alone.
"""

from __future__ import annotations

import re
import secrets
import threading
import time

PUSH_CHARS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,256}$")

_lock = threading.Lock()
_last_ms = -1
_last_rand: list[int] = [0] * 12


def _local_push_id() -> str:
    """A 20-char Firebase-style push id: 8 chars of time (ms), 12 random, time ordered."""
    global _last_ms
    with _lock:
        now = int(time.time() * 1000)
        if now == _last_ms:
            # Same millisecond: increment the random part so ids stay strictly ordered.
            i = 11
            while i >= 0 and _last_rand[i] == 63:
                _last_rand[i] = 0
                i -= 1
            if i >= 0:
                _last_rand[i] += 1
        else:
            _last_ms = now
            for i in range(12):
                _last_rand[i] = secrets.randbelow(64)
        ts = now
        head = []
        for _ in range(8):
            head.append(PUSH_CHARS[ts % 64])
            ts //= 64
        return "".join(reversed(head)) + "".join(PUSH_CHARS[r] for r in _last_rand)


def _local_is_valid_id(value: object) -> bool:
    """True when ``value`` is a valid client-chosen id (20-256 chars of ``[A-Za-z0-9_-]``)."""
    return isinstance(value, str) and bool(_ID_RE.match(value))


try:  # pragma: no cover - depends on the API room being present
    from ..api.ids import is_valid_id as _api_is_valid_id
    from ..api.ids import new_push_id as _api_new_push_id
except ImportError:  # pragma: no cover
    _api_new_push_id = None
    _api_is_valid_id = None


def new_push_id() -> str:
    """A new 20-char time-ordered push id (``plugin.api.ids`` when available)."""
    if _api_new_push_id is not None:
        return _api_new_push_id()
    return _local_push_id()


def is_valid_id(value: object) -> bool:
    """True when ``value`` may be used as a client-chosen id."""
    if _api_is_valid_id is not None:
        return bool(_api_is_valid_id(value))
    return _local_is_valid_id(value)
