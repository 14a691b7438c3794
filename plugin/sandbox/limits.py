"""The two independent rate limits (general spacing, token bucket) and their stats."""

from __future__ import annotations

import threading
import time
from typing import Callable


def mask_key(key: str) -> str:
    """An API key as shown in stats: first two characters, then ``***``."""
    return key[:2] + "***"


class Bucket:
    """One key's token bucket: resets to full ``period`` after ``last_refill_ms``."""

    def __init__(self, size: int, now_ms: int) -> None:
        self.size = size
        self.tokens = size
        self.last_refill_ms = now_ms


class RateLimiter:
    """General limit (one call per interval per key, measured at arrival of the last
    accepted call) and the per-key token bucket, with per-window statistics."""

    def __init__(
        self,
        bucket_size: int = 10000,
        refill_period_s: float = 60.0,
        general_interval_s: float = 0.05,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bucket_size = bucket_size
        self.refill_period_s = refill_period_s
        self.general_interval_s = general_interval_s
        self.clock = clock
        self.lock = threading.Lock()
        self.buckets: dict[str, Bucket] = {}
        self.last_call: dict[str, float] = {}
        self.shrink_to: int | None = None  # fault: size granted at the next refills
        self.windows: list[dict] = []
        self.counts = {"requests": 0, "429_general": 0, "429_token": 0, "by_status": {}}

    # ---------------------------------------------------------------- general limit
    def general_ok(self, key: str, arrival: float) -> bool:
        """Record the arrival; False when it comes too soon after the last accepted call."""
        with self.lock:
            last = self.last_call.get(key)
            if last is not None and arrival - last < self.general_interval_s - 1e-9:
                self.counts["429_general"] += 1
                return False
            self.last_call[key] = arrival
            return True

    # ---------------------------------------------------------------- token bucket
    def _bucket(self, key: str, now: float) -> Bucket:
        now_ms = int(now * 1000)
        b = self.buckets.get(key)
        if b is None:
            b = self.buckets[key] = Bucket(self._grant(), now_ms)
            self._open_window(key, b)
        elif now_ms >= b.last_refill_ms + self.refill_period_s * 1000:
            b.size = self._grant()
            b.tokens = b.size
            b.last_refill_ms = now_ms
            self._open_window(key, b)
        return b

    def _grant(self) -> int:
        return self.bucket_size if self.shrink_to is None else min(self.shrink_to, self.bucket_size)

    def _open_window(self, key: str, b: Bucket) -> None:
        self.windows.append(
            {
                "key": key,
                "refill_time": b.last_refill_ms,
                "granted": b.size,
                "spent": 0,
                "requests": 0,
                "429_token": 0,
            }
        )
        del self.windows[:-1000]

    def _window(self, key: str) -> dict | None:
        for w in reversed(self.windows):
            if w["key"] == key:
                return w
        return None

    def check_tokens(self, key: str, cost: int, now: float) -> tuple[bool, dict]:
        """Refill if due; (allowed, meta). Does not spend."""
        with self.lock:
            b = self._bucket(key, now)
            w = self._window(key)
            if w is not None:
                w["requests"] += 1
            ok = b.tokens >= cost
            if not ok:
                self.counts["429_token"] += 1
                if w is not None:
                    w["429_token"] += 1
            return ok, {"token_count": b.tokens, "last_refill_time": b.last_refill_ms}

    def spend(self, key: str, cost: int) -> dict:
        """Deduct ``cost`` after a successful call; returns the meta to send."""
        with self.lock:
            b = self.buckets[key]
            spent = min(cost, b.tokens)
            b.tokens -= spent
            w = self._window(key)
            if w is not None:
                w["spent"] += spent
            return {"token_count": b.tokens, "last_refill_time": b.last_refill_ms}

    def meta(self, key: str) -> dict:
        with self.lock:
            b = self.buckets[key]
            return {"token_count": b.tokens, "last_refill_time": b.last_refill_ms}

    def refill_now(self) -> None:
        """Reset every bucket to full now (a new window starts)."""
        with self.lock:
            now_ms = int(self.clock() * 1000)
            for key, b in self.buckets.items():
                b.size = self._grant()
                b.tokens = b.size
                b.last_refill_ms = now_ms
                self._open_window(key, b)

    def drain(self, key: str) -> None:
        """Empty a key's bucket (used by a token-429 storm)."""
        with self.lock:
            b = self._bucket(key, self.clock())
            b.tokens = 0

    def count_general_429(self) -> None:
        with self.lock:
            self.counts["429_general"] += 1

    def count_status(self, status: int) -> None:
        with self.lock:
            self.counts["requests"] += 1
            s = str(status)
            self.counts["by_status"][s] = self.counts["by_status"].get(s, 0) + 1

    def snapshot(self) -> dict:
        """Stats: per refill window tokens granted/spent, 429s by kind, request counts."""
        with self.lock:
            return {
                "requests": self.counts["requests"],
                "by_status": dict(self.counts["by_status"]),
                "429": {"general": self.counts["429_general"], "token": self.counts["429_token"]},
                "windows": [dict(w, key=mask_key(w["key"])) for w in self.windows],
                "bucket_size": self.bucket_size,
                "refill_period_s": self.refill_period_s,
                "general_interval_s": self.general_interval_s,
            }
