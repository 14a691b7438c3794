"""Identifier helpers for the sandbox: Firebase-style push ids, UUIDs, id rules."""

from __future__ import annotations

import random
import re
import threading
import uuid

PUSH_CHARS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
RESOURCE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,256}$")
INSTANCE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class PushIdMaker:
    """Makes 20-char, time-ordered push ids (8 time chars + 12 random chars).

    Ids made within the same millisecond (or with a clock that went back) keep
    their order by incrementing the random part, as Firebase clients do.
    """

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()
        self._last_ts = -1
        self._last_rand = [0] * 12
        self._lock = threading.Lock()

    def make(self, ts_ms: int) -> str:
        """Return a new push id for the time ``ts_ms`` (epoch milliseconds)."""
        with self._lock:
            ts_ms = int(ts_ms)
            if ts_ms <= self._last_ts:
                ts_ms = self._last_ts
                i = 11
                while i >= 0 and self._last_rand[i] == 63:
                    self._last_rand[i] = 0
                    i -= 1
                if i >= 0:
                    self._last_rand[i] += 1
            else:
                self._last_rand = [self._rng.randrange(64) for _ in range(12)]
            self._last_ts = ts_ms
            head = []
            t = ts_ms
            for _ in range(8):
                head.append(PUSH_CHARS[t % 64])
                t //= 64
            return "".join(reversed(head)) + "".join(PUSH_CHARS[r] for r in self._last_rand)


def make_uuid(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng`` (deterministic for a seeded rng)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def is_valid_resource_id(value: object) -> bool:
    """True when ``value`` meets the client-chosen id rules (20-256 of [A-Za-z0-9_-])."""
    return isinstance(value, str) and bool(RESOURCE_ID_RE.match(value))


def is_valid_instance_id(value: object) -> bool:
    """True when ``value`` is a usable attribute instance id (1-256 of [A-Za-z0-9_-])."""
    return isinstance(value, str) and bool(INSTANCE_ID_RE.match(value))
