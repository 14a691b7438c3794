"""Governor with a fake clock: spacing, token windows from meta, refills, back-off, cancel,
lanes. Deterministic: no test depends on wall-clock time."""
from __future__ import annotations

import threading

import pytest

from plugin.api.errors import CancelledError
from plugin.api.pacing import CancelToken, Governor

SERVER_EPOCH_MS = 1_790_000_000_000  # server clock: unrelated to the local monotonic clock


class FakeClock:
    def __init__(self, start: float = 500.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self.on_sleep = None

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(self)


def make(**kw):
    clock = FakeClock()
    kw.setdefault("jitter", lambda: 1.0)
    gov = Governor(clock=clock, sleep=clock.sleep, **kw)
    return gov, clock


def meta(count, refill_ms=SERVER_EPOCH_MS):
    return {"token_count": count, "last_refill_time": refill_ms}


def call(gov, cost, m, lane="interactive"):
    """Acquire, then answer with meta ``m`` (None: no answer yet); return the ticket."""
    ticket = gov.acquire(cost, lane)
    if m is not None:
        gov.observe(m, ticket)
    return ticket


def test_min_interval_between_starts():
    gov, clock = make(min_interval_s=0.055)
    starts = [gov.acquire(0).started for _ in range(20)]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= 0.055 - 1e-12
    assert max(gaps) < 0.056  # no needless waiting either
    assert gov.stats.calls == 20


def test_min_interval_configurable():
    gov, clock = make(min_interval_s=0.5)
    a, b = gov.acquire(0), gov.acquire(0)
    assert b.started - a.started == pytest.approx(0.5)


def test_window_planned_against_observed_count_then_waits_for_refill():
    gov, clock = make(min_interval_s=0.055, refill_period_s=60.0)
    call(gov, 10, meta(25))                  # unknown balance: the first call probes
    window_start = clock.now
    call(gov, 10, meta(15))
    call(gov, 10, meta(5))
    assert gov.balance == 5
    waiting = gov.acquire(10)                # 5 < 10: must wait for the refill
    assert waiting.started >= window_start + 60.0 - 1e-9
    assert waiting.started < window_start + 60.0 + 0.06
    assert gov.stats.waits >= 1


def test_never_assumes_a_full_bucket_after_refill():
    gov, clock = make(min_interval_s=0.0, refill_period_s=60.0)
    call(gov, 10, meta(90))
    for c in (80, 70, 60, 50, 40, 30, 20, 10, 0):
        call(gov, 10, meta(c))
    # New window: the bucket shrank to 35 (peak hours). Plan against what is observed.
    t = gov.acquire(10)
    assert gov.balance is None               # unknown until the probe's answer
    gov.observe(meta(25, SERVER_EPOCH_MS + 60_000), t)
    refill_local = clock.now
    call(gov, 10, meta(15, SERVER_EPOCH_MS + 60_000))
    call(gov, 10, meta(5, SERVER_EPOCH_MS + 60_000))
    late = gov.acquire(10)
    assert late.started >= refill_local + 60.0 - 1e-9
    assert [w.first_count for w in gov.stats.windows] == [100, 35]


def test_only_one_paid_call_while_balance_unknown():
    gov, clock = make(min_interval_s=0.0)
    probe = gov.acquire(10)
    assert gov.acquire(0) is not None        # free calls are not held back
    released = []

    def answer(c):
        if not released:
            released.append(c.now)
            gov.observe(meta(990), probe)
    clock.on_sleep = answer
    second = gov.acquire(10)                 # waits until the probe's answer arrives
    assert released and second.started >= released[0]


def test_refill_converted_through_local_first_seen_time_despite_server_skew():
    # Server clock is hours off; only the local time a last_refill_time was first seen counts.
    gov, clock = make(min_interval_s=0.0, refill_period_s=60.0)
    skewed = SERVER_EPOCH_MS + 7 * 3600 * 1000
    t0 = clock.now
    call(gov, 10, meta(10, skewed))
    call(gov, 10, meta(0, skewed))
    assert gov.next_refill_in == pytest.approx(60.0 - (clock.now - t0))
    t = gov.acquire(10)
    assert t.started == pytest.approx(t0 + 60.0)


def test_best_offset_is_kept_across_windows():
    # Window 1 is first seen 5 s after its refill (we were idle); window 2 promptly.
    gov, clock = make(min_interval_s=0.0, refill_period_s=60.0)
    call(gov, 10, meta(100, SERVER_EPOCH_MS))
    clock.now += 100
    call(gov, 10, meta(100, SERVER_EPOCH_MS + 100_000))   # seen at t1+100, refill at +100 s
    # offset from window 1 = t1 - R1; window 2's refill maps to t1 + 100 (not later)
    assert gov.next_refill_in == pytest.approx(60.0)
    clock.now += 1
    call(gov, 10, meta(90, SERVER_EPOCH_MS + 100_000))
    assert gov.next_refill_in == pytest.approx(59.0)


def test_stale_and_out_of_order_meta():
    gov, clock = make(min_interval_s=0.0)
    a = gov.acquire(10)
    b = gov.acquire(0)
    gov.observe(meta(50, SERVER_EPOCH_MS + 60_000), a)
    gov.observe(meta(70, SERVER_EPOCH_MS), b)        # answer from an older window: ignored
    assert gov.balance == 50
    c = gov.acquire(10)
    d = gov.acquire(10)
    gov.observe(meta(30, SERVER_EPOCH_MS + 60_000), d)
    gov.observe(meta(40, SERVER_EPOCH_MS + 60_000), c)  # out of order: the lower count holds
    assert gov.balance == 30


def test_in_flight_calls_are_reserved():
    gov, clock = make(min_interval_s=0.0)
    call(gov, 10, meta(30))
    gov.acquire(10)
    gov.acquire(10)
    assert gov.balance == 10
    gov.acquire(10)
    assert gov.balance == 0


def test_token_429_waits_for_refill():
    gov, clock = make(min_interval_s=0.0)
    call(gov, 10, meta(500))
    t0 = clock.now
    t = gov.acquire(10)
    gov.observe(meta(500), t)                          # the server says 429 token anyway
    gov.note_rate_limited("token", 10)
    assert gov.stats.rate_limited_token == 1
    retry = gov.acquire(10)
    assert retry.started == pytest.approx(t0 + 60.0)


def test_late_server_refill_is_probed_with_growing_steps():
    gov, clock = make(min_interval_s=0.0, refill_period_s=60.0)
    call(gov, 10, meta(0))
    probe = gov.acquire(10)                            # after the expected refill
    gov.observe(meta(0), probe)                        # ...but the server has not refilled
    again = gov.acquire(10)
    assert again.started > probe.started               # held, not spinning
    gov.observe(meta(0), again)
    third = gov.acquire(10)
    assert third.started - again.started > again.started - probe.started


def test_backoff_is_exponential_with_jitter_and_capped():
    jit = iter([0.0, 1.0, 1.0, 1.0])
    gov, clock = make(min_interval_s=0.0, backoff_base_s=0.5, backoff_max_s=3.0,
                      jitter=lambda: next(jit))
    assert gov.backoff(0) == pytest.approx(0.25)       # 0.5 * (0.5 + 0.5*0)
    assert gov.backoff(1) == pytest.approx(1.0)
    assert gov.backoff(2) == pytest.approx(2.0)
    assert gov.backoff(6) == pytest.approx(3.0)        # capped
    before = clock.now
    t = gov.acquire(1, "bulk")
    assert t.started == pytest.approx(before + 3.0)    # the hold applies to everyone


def test_cancel_interrupts_wait_fake_clock():
    gov, clock = make(min_interval_s=0.0)
    call(gov, 10, meta(0))
    token = CancelToken()
    clock.on_sleep = lambda c: token.cancel()
    with pytest.raises(CancelledError):
        gov.acquire(10, cancel=token)
    assert gov.waiting() == {"interactive": 0, "bulk": 0}


def test_cancel_interrupts_real_wait_from_another_thread():
    gov = Governor(min_interval_s=0.0, refill_period_s=3600.0)
    gov.observe(meta(0), gov.acquire(10))
    token = CancelToken()
    outcome = []

    def worker():
        try:
            gov.acquire(10, "bulk", token)
        except CancelledError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    while gov.waiting()["bulk"] == 0:
        threading.Event().wait(0.001)
    token.cancel()
    thread.join(10)
    assert not thread.is_alive() and len(outcome) == 1


def test_interactive_lane_goes_before_waiting_bulk_lane():
    gov = Governor(min_interval_s=0.0, refill_period_s=3600.0)
    gov.observe(meta(0), gov.acquire(10))            # bucket empty for an hour
    order: list[str] = []

    def run(lane):
        gov.acquire(10, lane)
        order.append(lane)

    bulk = [threading.Thread(target=run, args=("bulk",)) for _ in range(3)]
    for t in bulk:
        t.start()
    while gov.waiting()["bulk"] < 3:
        threading.Event().wait(0.001)
    inter = threading.Thread(target=run, args=("interactive",))
    inter.start()
    while gov.waiting()["interactive"] < 1:
        threading.Event().wait(0.001)
    gov.observe(meta(1000, SERVER_EPOCH_MS + 3_600_000))  # refill observed: all may go
    for t in [*bulk, inter]:
        t.join(10)
    assert order[0] == "interactive" and order.count("bulk") == 3


def test_bulk_leaves_reserve_for_interactive():
    gov, clock = make(min_interval_s=0.0, bulk_reserve_tokens=20)
    call(gov, 10, meta(990))                           # a 1000-token window
    call(gov, 10, meta(25))
    t = gov.acquire(1, "interactive")                  # interactive may use the reserve
    gov.observe(meta(24), t)
    t0 = clock.now
    bulk = gov.acquire(10, "bulk")                     # 24 - 20 < 10: waits for refill
    assert bulk.started >= t0 + 59.0


def test_estimate_seconds():
    gov, clock = make(min_interval_s=0.1, refill_period_s=60.0)
    assert gov.estimate_seconds(50, calls=5) == pytest.approx(0.5)   # nothing known yet
    call(gov, 10, meta(90))
    assert gov.estimate_seconds(90, calls=9) == pytest.approx(0.9)   # fits in balance
    # 290 tokens: 90 now, then 100 per window -> this window's end + one more window
    eta = gov.estimate_seconds(290, calls=29)
    assert eta == pytest.approx(gov.next_refill_in + 60.0)


def test_response_without_meta_and_release():
    gov, clock = make(min_interval_s=0.0)
    call(gov, 10, meta(100))
    t = gov.acquire(10)
    gov.observe(None, t)
    assert gov.stats.responses_without_meta == 1
    assert gov.balance == 90                             # assumed charged
    t = gov.acquire(10)
    gov.release(t, charged=False)
    assert gov.balance == 90


def test_bad_arguments():
    with pytest.raises(ValueError):
        Governor(min_interval_s=-1)
    gov, _ = make()
    with pytest.raises(ValueError):
        gov.acquire(1, "urgent")


def test_late_server_stamp_cannot_squeeze_the_next_call():
    # Fastest round trip 0.01 s. A slow answer (0.2 s) may have been stamped by the server
    # just before it was sent, so the next call waits min_interval after receipt - 0.01 s.
    gov, clock = make(min_interval_s=0.055)
    t = gov.acquire(0)
    clock.now += 0.01
    gov.observe(meta(100), t)
    t = gov.acquire(0)
    clock.now += 0.2
    gov.observe(meta(100), t)
    receipt = clock.now
    nxt = gov.acquire(0)
    assert nxt.started == pytest.approx(receipt - 0.01 + 0.055)
    # With a long network round trip the rule costs nothing: the spacing is already there.
    gov2, clock2 = make(min_interval_s=0.055)
    for _ in range(5):
        t = gov2.acquire(0)
        clock2.now += 0.1
        gov2.observe(meta(100), t)
        assert gov2.acquire(0).started == clock2.now
        clock2.now += 0.001


def test_for_time_scale():
    gov = Governor.for_time_scale(60)
    assert gov.min_interval_s == pytest.approx(0.055 / 60)
    assert gov.refill_period_s == pytest.approx(1.0)
    assert gov.backoff_base_s == pytest.approx(0.5 / 60)
    with pytest.raises(ValueError):
        Governor.for_time_scale(0)


def test_server_clock_going_back_starts_over():
    gov, clock = make(min_interval_s=0.0)
    call(gov, 10, meta(100, SERVER_EPOCH_MS))
    clock.now += 1
    call(gov, 10, meta(90, SERVER_EPOCH_MS))
    # a call started in this window reports a refill an hour earlier: not a stale answer
    call(gov, 10, meta(500, SERVER_EPOCH_MS - 3_600_000))
    assert gov.balance == 500 and len(gov.stats.windows) == 2
    assert gov.next_refill_in == pytest.approx(60.0)


def test_bulk_reserve_is_capped_by_window_size():
    gov, clock = make(min_interval_s=0.0, bulk_reserve_tokens=20)
    call(gov, 10, meta(50))                        # a 60-token window: reserve 3, not 20
    t0 = clock.now
    for count in (40, 30, 20, 10):
        call(gov, 10, meta(count), lane="bulk")
    assert clock.now == t0                         # no wait: 10 - 3 >= ... until 10 left
    late = gov.acquire(10, "bulk")                 # 10 - 3 < 10: wait for the refill
    assert late.started >= t0 + 59.0
