"""Fault injection settings and their own seeded random generator."""

from __future__ import annotations

import random
import threading
from typing import Any

FAULT_FIELDS: dict[str, type] = {
    "latency_ms": float,  # added before every API response
    "error_rate": float,  # fraction of API calls answered 500 (nothing applied)
    "drop_after_write_rate": float,  # fraction of POST/DELETE applied, then the socket closed
    "storm_429": int,  # the next N API calls get 429 GENERAL RATE LIMIT EXCEEDED
    "rate_429": float,  # fraction of API calls answered 429 (general shape)
    "drain_bucket": bool,  # empty the caller's bucket now (token 429s until refill)
    "shrink_bucket_to": int,  # refills grant at most this many tokens (until cleared)
    "malformed_json_rate": float,  # fraction of JSON responses cut short (after applying)
    "path_filter": str,  # faults only hit paths containing this text
}


class Faults:
    """Current fault settings; ``roll(name)`` draws from the fault RNG."""

    def __init__(self, seed: int = 1) -> None:
        self.lock = threading.Lock()
        self.rng = random.Random(f"faults-{seed}")
        self.settings: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def update(self, **changes: Any) -> dict:
        """Merge settings (``None`` clears one); raises ValueError on unknown names/types."""
        with self.lock:
            for name, value in changes.items():
                if name not in FAULT_FIELDS:
                    raise ValueError(
                        "unknown fault {!r}; known: {}".format(
                            name, ", ".join(sorted(FAULT_FIELDS))
                        )
                    )
                if value is None:
                    self.settings.pop(name, None)
                    continue
                kind = FAULT_FIELDS[name]
                if kind is bool:
                    if not isinstance(value, bool):
                        raise ValueError(f"fault {name} must be true/false")
                elif kind is str:
                    if not isinstance(value, str):
                        raise ValueError(f"fault {name} must be a string")
                else:
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        raise ValueError(f"fault {name} must be a number")
                    value = kind(value)
                    if name.endswith("_rate") and not 0.0 <= value <= 1.0:
                        raise ValueError(f"fault {name} must be between 0 and 1")
                    if value < 0:
                        raise ValueError(f"fault {name} must not be negative")
                self.settings[name] = value
            return dict(self.settings)

    def clear(self) -> None:
        with self.lock:
            self.settings.clear()

    def get(self, name: str, default: Any = None) -> Any:
        with self.lock:
            return self.settings.get(name, default)

    def applies(self, path: str) -> bool:
        f = self.get("path_filter")
        return not f or f in path

    def roll(self, name: str) -> bool:
        """True with the configured probability of ``name`` (counts hits)."""
        with self.lock:
            p = self.settings.get(name, 0.0)
            hit = p > 0 and self.rng.random() < p
            if hit:
                self.counts[name] = self.counts.get(name, 0) + 1
            return hit

    def take_storm(self) -> bool:
        with self.lock:
            n = self.settings.get("storm_429", 0)
            if n > 0:
                self.settings["storm_429"] = n - 1
                if n - 1 == 0:
                    self.settings.pop("storm_429")
                self.counts["storm_429"] = self.counts.get("storm_429", 0) + 1
                return True
            return False

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1

    def snapshot(self) -> dict:
        with self.lock:
            return {"settings": dict(self.settings), "counts": dict(self.counts)}
