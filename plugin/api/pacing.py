"""The governor: paces every call to Katapult's two rate limits, and cancel tokens.

Rules (from Katapult's rate-limit documentation):

* at least ``min_interval_s`` between the starts of any two calls (general limit);
* the token balance is always the one from the last ``meta`` the server sent; a new
  ``last_refill_time`` starts a new window, planned against the ``token_count`` observed
  (never an assumed bucket size);
* a call whose cost exceeds the known balance waits for the refill, i.e.
  ``last_refill_time + refill period``, converted to the local monotonic clock through
  the local time at which ``last_refill_time`` values were first seen (so the server's
  clock being off does no harm);
* after the refill instant the balance is unknown again: one call goes out and its
  ``meta`` sets the new window's balance before the next paid call starts;
* back-off holds (after a general 429 or a transient failure) apply to every caller;
* two lanes: waiting ``"interactive"`` calls are granted before waiting ``"bulk"`` ones,
  and bulk calls leave ``bulk_reserve_tokens`` for interactive ones.

Every wait can be interrupted through a :class:`CancelToken`.
"""
from __future__ import annotations

import itertools
import math
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from .errors import CancelledError

LANES = ("interactive", "bulk")
MAX_WINDOW_RECORDS = 1000  # refill windows kept in ``stats.windows`` (about 16 hours)


class CancelToken:
    """A flag the GUI sets to stop waits and retries; thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        """Cancel: wakes every wait that watches this token."""
        self._event.set()
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def wait(self, seconds: float | None) -> bool:
        """Sleep up to ``seconds``; return True (early) if cancelled."""
        return self._event.wait(seconds)

    def raise_if_cancelled(self, what: str = "The Katapult request") -> None:
        """Raise :class:`CancelledError` if cancelled."""
        if self.cancelled:
            raise CancelledError(f"{what} was cancelled")

    def add_callback(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on a later cancel (check :attr:`cancelled` after adding)."""
        with self._lock:
            self._callbacks.append(callback)

    def remove_callback(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback`` on cancel."""
        with self._lock:
            try:
                self._callbacks.remove(callback)
            except ValueError:
                pass


@dataclass
class Ticket:
    """A granted call: pass it back to :meth:`Governor.observe` or :meth:`Governor.release`."""

    number: int
    cost: int
    lane: str
    started: float


@dataclass
class WindowRecord:
    """One refill window as the client saw it."""

    last_refill_time: int
    first_seen: float
    first_count: int
    calls_observed: int = 0
    tokens_observed: int = 0
    last_count: int = 0


@dataclass
class GovernorStats:
    """Counters for the UI, logs and benches."""

    calls: int = 0
    waits: int = 0
    wait_seconds: float = 0.0
    tokens_planned: int = 0
    rate_limited_token: int = 0
    rate_limited_general: int = 0
    backoffs: int = 0
    responses_without_meta: int = 0
    windows: list = field(default_factory=list)

    @property
    def rate_limited(self) -> dict:
        """429 counts by kind."""
        return {"token": self.rate_limited_token, "general": self.rate_limited_general}

    def as_dict(self) -> dict:
        """Plain dict (windows summarised)."""
        return {
            "calls": self.calls, "waits": self.waits, "wait_seconds": self.wait_seconds,
            "tokens_planned": self.tokens_planned, "429_token": self.rate_limited_token,
            "429_general": self.rate_limited_general, "backoffs": self.backoffs,
            "responses_without_meta": self.responses_without_meta,
            "windows": len(self.windows),
        }


class Governor:
    """Decides when each call may start. Thread-safe; share one per API key.

    ``clock`` is a monotonic clock in seconds. With the default ``sleep=None`` waits block
    on a condition variable (woken by responses, cancels and other callers); a custom
    ``sleep(seconds)`` (tests with a fake clock) is called instead, outside the lock.
    """

    def __init__(self, min_interval_s: float = 0.055, refill_period_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] | None = None, *,
                 backoff_base_s: float = 0.5, backoff_max_s: float = 30.0,
                 bulk_reserve_tokens: int = 20,
                 jitter: Callable[[], float] = random.random) -> None:
        if min_interval_s < 0 or refill_period_s <= 0:
            raise ValueError("min_interval_s must be >= 0 and refill_period_s > 0")
        self.min_interval_s = float(min_interval_s)
        self.refill_period_s = float(refill_period_s)
        self.backoff_base_s = float(backoff_base_s)
        self.backoff_max_s = float(backoff_max_s)
        self.bulk_reserve_tokens = int(bulk_reserve_tokens)
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._cond = threading.Condition(threading.Lock())
        self._numbers = itertools.count(1)
        self._queues: dict[str, deque] = {lane: deque() for lane in LANES}
        self._in_flight: dict[int, Ticket] = {}
        self._last_start: float | None = None
        self._hold_until = -math.inf
        self._count: int | None = None        # balance from the last meta (None: unknown)
        self._refill_ms: int | None = None     # last_refill_time of the current window
        self._refill_local: float | None = None  # local clock of that refill
        self._offsets: deque = deque(maxlen=8)  # local first-seen minus server refill (s)
        self._late_refills = 0
        # The server stamps a call's arrival somewhere between our start + the fastest
        # one-way trip and our receipt of its answer - the fastest trip back. To keep the
        # stamps min_interval apart even when a stamp is late (scheduling on the server), the
        # next call also waits until receipt - fastest round trip + min_interval.
        self._rtts: deque = deque(maxlen=64)
        self._not_before = -math.inf
        self.stats = GovernorStats()

    @classmethod
    def for_time_scale(cls, time_scale: float, **kw) -> Governor:
        """A governor matching a sandbox started with ``time_scale`` (every limit and
        back-off divided by it): ``time_scale=60`` makes a refill window last 1 s."""
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        kw.setdefault("min_interval_s", 0.055 / time_scale)
        kw.setdefault("refill_period_s", 60.0 / time_scale)
        kw.setdefault("backoff_base_s", 0.5 / time_scale)
        kw.setdefault("backoff_max_s", 30.0 / time_scale)
        return cls(**kw)

    # ----------------------------------------------------------------- public API
    def acquire(self, cost: int = 1, lane: str = "interactive",
                cancel: CancelToken | None = None) -> Ticket:
        """Block until a call of ``cost`` tokens may start in ``lane``; return its ticket.

        Raises :class:`CancelledError` if ``cancel`` fires while waiting.
        """
        if lane not in self._queues:
            raise ValueError(f"unknown lane {lane!r}; use one of {LANES}")
        cost = max(0, int(cost))
        marker = object()
        waited = False
        wait_started = 0.0
        with self._cond:
            self._queues[lane].append(marker)
            try:
                while True:
                    if cancel is not None and cancel.cancelled:
                        raise CancelledError("The Katapult request was cancelled while "
                                             "waiting for the rate limit")
                    now = self._clock()
                    delay = self._delay(marker, lane, cost, now)
                    if delay <= 0:
                        break
                    if not waited:
                        waited, wait_started = True, now
                    self._wait(delay, cancel)
                now = self._clock()
                ticket = Ticket(next(self._numbers), cost, lane, now)
                self._in_flight[ticket.number] = ticket
                self._last_start = now
                self.stats.calls += 1
                self.stats.tokens_planned += cost
                if waited:
                    self.stats.waits += 1
                    self.stats.wait_seconds += max(0.0, now - wait_started)
                return ticket
            finally:
                self._queues[lane].remove(marker)
                self._cond.notify_all()

    def observe(self, meta: dict | None, ticket: Ticket | None = None) -> None:
        """Take the bucket state from a response's ``meta`` (None: response had no meta)."""
        with self._cond:
            now = self._clock()
            if ticket is not None:
                self._in_flight.pop(ticket.number, None)
                self._note_receipt(ticket, now)
            count, refill_ms = _parse_meta(meta)
            if count is None:
                self.stats.responses_without_meta += 1
                if ticket is not None and self._count is not None:
                    self._count = max(0, self._count - ticket.cost)
            else:
                self._apply(count, refill_ms, now, ticket)
            self._cond.notify_all()

    def release(self, ticket: Ticket, charged: bool = True, answered: bool = False) -> None:
        """The call is over without a ``meta``: forget it; assume its cost was charged unless
        told not. ``answered``: an answer did arrive (e.g. a middleware error)."""
        with self._cond:
            self._in_flight.pop(ticket.number, None)
            if answered:
                self._note_receipt(ticket, self._clock())
            if charged and self._count is not None:
                self._count = max(0, self._count - ticket.cost)
            self._cond.notify_all()

    def note_rate_limited(self, kind: str, cost: int = 1) -> None:
        """Count a 429. For ``"token"`` the balance is treated as below ``cost`` until refill
        (call :meth:`observe` with the 429's meta first)."""
        with self._cond:
            if kind == "token":
                self.stats.rate_limited_token += 1
                self._count = min(self._count if self._count is not None else 0,
                                  max(0, cost - 1))
                if self._refill_local is None:
                    self._refill_local = self._clock()
            else:
                self.stats.rate_limited_general += 1
            self._cond.notify_all()

    def backoff(self, attempt: int) -> float:
        """Hold every caller for an exponential, jittered delay (``attempt`` from 0).

        Returns the delay; the waiting happens in the next :meth:`acquire`.
        """
        base = min(self.backoff_max_s, self.backoff_base_s * (2 ** max(0, attempt)))
        delay = base * (0.5 + 0.5 * self._jitter())
        with self._cond:
            self.stats.backoffs += 1
            self._hold_until = max(self._hold_until, self._clock() + delay)
            self._cond.notify_all()
        return delay

    def estimate_seconds(self, total_cost: int, calls: int | None = None) -> float:
        """Rough time to spend ``total_cost`` tokens in ``calls`` calls from now (for ETAs)."""
        with self._cond:
            now = self._clock()
            spacing = (calls or 0) * self.min_interval_s
            window = self._window_size()
            available = self._available(now)
            if total_cost <= 0 or (available is not None and total_cost <= available):
                return spacing
            if window is None or window <= 0:
                return spacing  # nothing known about the bucket yet
            remaining = total_cost - (available or 0)
            until_refill = max(0.0, self._refill_at() - now) if self._refill_local else 0.0
            windows = math.ceil(remaining / window)
            return max(spacing, until_refill + (windows - 1) * self.refill_period_s)

    @property
    def balance(self) -> int | None:
        """Tokens believed available now (None: unknown until the next response)."""
        with self._cond:
            return self._available(self._clock())

    @property
    def next_refill_in(self) -> float | None:
        """Seconds until the expected refill (None if unknown)."""
        with self._cond:
            if self._refill_local is None:
                return None
            return max(0.0, self._refill_at() - self._clock())

    def waiting(self) -> dict:
        """Number of callers waiting per lane."""
        with self._cond:
            return {lane: len(q) for lane, q in self._queues.items()}

    # ----------------------------------------------------------------- internals
    def _note_receipt(self, ticket: Ticket, now: float) -> None:
        self._rtts.append(max(0.0, now - ticket.started))
        self._not_before = max(self._not_before, now - min(self._rtts) + self.min_interval_s)

    def _refill_at(self) -> float:
        return self._refill_local + self.refill_period_s

    def _window_size(self) -> int | None:
        if not self.stats.windows:
            return None
        return self.stats.windows[-1].first_count

    def _bulk_reserve(self) -> int:
        """Tokens bulk calls leave for interactive ones: the configured reserve, but at most
        5 % of the current window (a shrunken bucket is not eaten by the reserve)."""
        window = self._window_size()
        if window is None:
            return self.bulk_reserve_tokens
        return max(0, min(self.bulk_reserve_tokens, window // 20))

    def _available(self, now: float) -> int | None:
        self._expire(now)
        if self._count is None:
            return None
        return self._count - sum(t.cost for t in self._in_flight.values())

    def _expire(self, now: float) -> None:
        """Past the refill instant the old balance means nothing: it is unknown again."""
        if self._count is not None and self._refill_local is not None \
                and now >= self._refill_at():
            self._count = None

    def _delay(self, marker: object, lane: str, cost: int, now: float) -> float:
        """0 if the call may start now, else how long to wait (inf: until woken)."""
        if self._queues[lane][0] is not marker:
            return math.inf
        if lane == "bulk" and self._queues["interactive"]:
            return math.inf
        if now < self._hold_until:
            return self._hold_until - now
        if self._last_start is not None and now < self._last_start + self.min_interval_s:
            return self._last_start + self.min_interval_s - now
        if now < self._not_before:
            return self._not_before - now
        if cost <= 0:
            return 0.0
        available = self._available(now)
        if available is None:
            # Unknown balance: one paid call at a time goes out to learn it.
            return math.inf if any(t.cost > 0 for t in self._in_flight.values()) else 0.0
        reserve = self._bulk_reserve() if lane == "bulk" else 0
        if available - reserve >= cost:
            return 0.0
        if self._refill_local is None:
            return math.inf
        return max(self._refill_at() - now, 1e-6)

    def _apply(self, count: int, refill_ms: int | None, now: float,
               ticket: Ticket | None) -> None:
        cost = ticket.cost if ticket is not None else 0
        if refill_ms is None:  # a count without a refill time: keep the window we know
            if self._refill_local is None:
                self._refill_local = now
            self._count = count if self._count is None else min(self._count, count)
            return
        if self._refill_ms is not None and refill_ms < self._refill_ms and ticket is not None \
                and self.stats.windows and ticket.started > self.stats.windows[-1].first_seen:
            # A call started in the current window reports an older refill: the server's
            # clock went back (or it is another server). Start over from this answer.
            self._offsets.clear()
            self._refill_ms = None
        if self._refill_ms is None or refill_ms > self._refill_ms:
            # A refill: a new window, planned against the count observed.
            self._offsets.append(now - refill_ms / 1000.0)
            self._refill_ms = refill_ms
            self._refill_local = refill_ms / 1000.0 + min(self._offsets)
            self._count = count
            self._late_refills = 0
            self.stats.windows.append(WindowRecord(refill_ms, now, count + cost, 1, cost,
                                                   count))
            del self.stats.windows[:-MAX_WINDOW_RECORDS]
            return
        if refill_ms < self._refill_ms:
            return  # an answer from an older window arriving late: nothing to learn
        # Same window.
        if self._count is None and now >= self._refill_at():
            if ticket is None or ticket.started < self._refill_at():
                return  # a late answer from before the refill: the balance stays unknown
            # The call started after the expected refill, yet the server has not refilled.
            self._late_refill(now)
        self._count = count if self._count is None else min(self._count, count)
        if self.stats.windows:
            record = self.stats.windows[-1]
            record.calls_observed += 1
            record.tokens_observed += cost
            record.last_count = min(record.last_count, count)

    def _late_refill(self, now: float) -> None:
        self._late_refills += 1
        step = max(self.min_interval_s, 0.01 * self.refill_period_s) * (2 ** self._late_refills)
        self._refill_local = now - self.refill_period_s + min(step, self.refill_period_s)

    def _wait(self, delay: float, cancel: CancelToken | None) -> None:
        """Wait (lock held on entry and exit) until ``delay`` passed or something changed."""
        if self._sleep is not None:
            step = delay if math.isfinite(delay) else max(self.min_interval_s, 1e-3)
            self._cond.release()
            try:
                self._sleep(step)
            finally:
                self._cond.acquire()
            return
        wake = self._notify_from_other_thread
        if cancel is not None:
            cancel.add_callback(wake)
        try:
            if cancel is not None and cancel.cancelled:
                return
            self._cond.wait(delay if math.isfinite(delay) else None)
        finally:
            if cancel is not None:
                cancel.remove_callback(wake)

    def _notify_from_other_thread(self) -> None:
        with self._cond:
            self._cond.notify_all()


def _parse_meta(meta: object) -> tuple[int | None, int | None]:
    if not isinstance(meta, dict):
        return None, None
    count = meta.get("token_count")
    refill = meta.get("last_refill_time")
    try:
        count = int(count) if count is not None and not isinstance(count, bool) else None
    except (TypeError, ValueError):
        count = None
    try:
        refill = int(refill) if refill is not None and not isinstance(refill, bool) else None
    except (TypeError, ValueError):
        refill = None
    return count, refill
