"""Governor against the sandbox with a scaled clock: does it spend what the server grants
without a single 429?

(a) 3,000 node updates (10 tokens each) through KatapultClient + Governor against a
    sandbox with ``time_scale`` (default 60: a 60 s refill window lasts 1 s). Printed:
    per full refill window, writes achieved as a fraction of the writes the granted tokens
    allow (goal >= 0.95), and the 429 count (goal 0).
(b) the same while the sandbox shrinks the bucket mid-run: token 429s after the first
    response of the smaller window (goal 0).
Baseline measured in the same run: a naive client (no governor, retry at once on 429)
doing the same kind of updates, its 429s per successful write.

Usage: python -m tests.bench.bench_governor [--updates 3000] [--time-scale 60]
       [--bucket 2000] [--shrink-to 1000]
The bucket defaults to 2,000 tokens (200 writes per window) so that a window's writes fit
in one scaled second on a shared laptop; --bucket 10000 is the production size, which at
time_scale 60 needs about 1 ms per request to be token-bound rather than latency-bound.
"""
from __future__ import annotations

import argparse
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from plugin.api.client import KatapultClient  # noqa: E402
from plugin.api.errors import RateLimitError  # noqa: E402
from plugin.api.pacing import Governor, Ticket  # noqa: E402

WRITE_COST = 10
_NOTED: list = []



class RemoteSandbox:
    """The sandbox in its own process (so the client's GIL does not skew the server's
    arrival times), driven through its /__admin routes."""

    def __init__(self, **kw) -> None:
        self.api_key = "bench-key"
        self._token = secrets.token_hex(8)
        args = [sys.executable, "-m", "plugin.sandbox", "--port", "0", "--api-key", self.api_key,
                "--admin-token", self._token]
        for key, value in kw.items():
            args += ["--" + key.replace("_", "-"), str(value)]
        self._proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
        line = self._proc.stdout.readline()
        if not line.startswith("SANDBOX READY"):
            self.stop()
            raise RuntimeError(f"sandbox did not start: {line!r}")
        _, _, url, job = line.split()
        self.base_url = url
        self.job_id = job.split("=", 1)[1]
        self._root = url.split("/api/", 1)[0]
        self._admin = requests.Session()
        self._admin.trust_env = False
        self._admin.headers["X-Admin-Token"] = self._token

    @property
    def stats(self) -> dict:
        return self._admin.get(self._root + "/__admin/stats", timeout=30).json()

    def set_faults(self, **faults) -> dict:
        return self._admin.post(self._root + "/__admin/faults", json=faults, timeout=30).json()

    def notes(self) -> str:
        return self._notes

    def stop(self) -> None:
        self._notes = ""
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                _, err = self._proc.communicate(timeout=10)
                self._notes = "\n".join(line for line in err.splitlines()
                                        if line.startswith("note:"))
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.communicate()


def _client(server: RemoteSandbox, scale: float) -> KatapultClient:
    gov = Governor.for_time_scale(scale)  # 0.055/scale s spacing, 60/scale s refill
    return KatapultClient(server.base_url, server.api_key, governor=gov,
                          configure_session=lambda s: setattr(s, "trust_env", False))


def _run(updates: int, scale: float, bucket: int, shrink_to: int | None) -> dict:
    server = RemoteSandbox(sample_nodes=50, seed=7, time_scale=scale, bucket_size=bucket)
    try:
        client = _client(server, scale)
        job = server.job_id
        nodes = [n["id"] for n in client.list_nodes(job)]
        shrink_at = updates // 3 if shrink_to else None
        shrink_window_index = None
        t0 = time.perf_counter()
        for i in range(updates):
            if i == shrink_at:
                server.set_faults(shrink_bucket_to=shrink_to)
                shrink_window_index = len(server.stats["windows"])  # next window is smaller
            client.update_node(job, nodes[i % len(nodes)],
                               {"attributes": {"bench_counter": {"one": str(i)}}}, lane="bulk")
        elapsed = time.perf_counter() - t0
        stats = server.stats
        client.close()
    finally:
        server.stop()
    if server.notes() and not _NOTED:
        _NOTED.append(True)
        print(server.notes())
    windows = stats["windows"]
    full = windows[:-1]  # the last window ends with the run, not with the refill
    fractions = [w["spent"] / w["granted"] for w in full if w["granted"]]
    result = {
        "elapsed_s": elapsed, "windows": len(windows), "fractions": fractions,
        "429_general": stats["429"]["general"], "429_token": stats["429"]["token"],
        "gov": client.governor.stats.as_dict(),
    }
    if shrink_to:
        small = [w for w in windows[shrink_window_index or 0:] if w["granted"] <= shrink_to]
        result["small_windows"] = len(small)
        result["429_token_small"] = sum(w["429_token"] for w in small)
        result["small_fractions"] = [w["spent"] / w["granted"] for w in small[:-1]]
        result["big_fractions"] = [w["spent"] / w["granted"]
                                   for w in full[:shrink_window_index or 0]]
    return result


def _naive(writes: int, scale: float, bucket: int) -> dict:
    """No governor: send as fast as possible, retry immediately on any 429."""
    server = RemoteSandbox(sample_nodes=50, seed=7, time_scale=scale, bucket_size=bucket)
    try:
        gov = _NoGovernor()
        client = KatapultClient(server.base_url, server.api_key, governor=gov, max_retries=0,
                                max_token_retries=0,
                                configure_session=lambda s: setattr(s, "trust_env", False))
        job = server.job_id
        nodes = [n["id"] for n in client.list_nodes(job)]
        done = limited = 0
        t0 = time.perf_counter()
        while done < writes:
            try:
                client.update_node(job, nodes[done % len(nodes)],
                                   {"attributes": {"bench_counter": {"one": str(done)}}})
                done += 1
            except RateLimitError:
                limited += 1
        elapsed = time.perf_counter() - t0
        client.close()
    finally:
        server.stop()
    return {"writes": done, "429": limited, "elapsed_s": elapsed}


class _NoGovernor:
    """Baseline: lets every call start at once and learns nothing from answers."""

    def acquire(self, cost: int = 1, lane: str = "interactive", cancel=None) -> Ticket:
        return Ticket(0, cost, lane, time.monotonic())

    def observe(self, meta, ticket=None) -> None:
        pass

    def release(self, ticket, charged: bool = True, answered: bool = False) -> None:
        pass

    def note_rate_limited(self, kind: str, cost: int = 1) -> None:
        pass

    def backoff(self, attempt: int) -> float:
        return 0.0


def _fmt(values: list[float]) -> str:
    if not values:
        return "n/a"
    listed = " ".join(f"{v:.2f}" for v in values)
    return (f"mean {statistics.mean(values):.3f}, min {min(values):.3f}, "
            f"max {max(values):.3f} over {len(values)} full windows [{listed}]")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--time-scale", type=float, default=60.0)
    parser.add_argument("--bucket", type=int, default=2000)
    parser.add_argument("--shrink-to", type=int, default=1000)
    parser.add_argument("--naive-writes", type=int, default=600)
    args = parser.parse_args(argv if argv is not None else [])
    scale, bucket = args.time_scale, args.bucket
    print(f"time_scale {scale:g} (refill window {60 / scale:.2f} s), bucket {bucket} tokens "
          f"= {bucket // WRITE_COST} writes per window, {args.updates} updates")

    a = _run(args.updates, scale, bucket, None)
    print(f"(a) writes per window / writes granted: {_fmt(a['fractions'])}  (goal >= 0.95)")
    print(f"(a) 429s: token {a['429_token']}, general {a['429_general']}  (goal 0); "
          f"{a['windows']} windows, {a['elapsed_s']:.1f} s; governor {a['gov']}")

    b = _run(args.updates, scale, bucket, args.shrink_to)
    print(f"(b) bucket {bucket} -> {args.shrink_to} after {args.updates // 3} updates: "
          f"token 429s in the smaller windows {b['429_token_small']} (goal 0), "
          f"total 429s token {b['429_token']}, general {b['429_general']}")
    print(f"(b) before shrink: {_fmt(b['big_fractions'])}; after: {_fmt(b['small_fractions'])}")

    n = _naive(args.naive_writes, scale, bucket)
    paced_rate = a["429_token"] + a["429_general"]
    print(f"baseline (no governor, immediate retry): {n['429']} 429s for {n['writes']} writes "
          f"= {n['429'] / max(1, n['writes']):.2f} per write; governor: "
          f"{paced_rate / max(1, args.updates):.4f} per write")
    ideal = args.updates * WRITE_COST / bucket * (60 / scale)
    print(f"(a) run time / ideal token-bound time ({ideal:.1f} s): {a['elapsed_s'] / ideal:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
