"""Sandbox speed: serving GET .../nodes for a 20,000-node job, and generating it.

Figures are printed as ratios to a baseline measured in the same run:
``json.dumps`` of the same 20,000 node dicts.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from plugin.sandbox import SandboxServer  # noqa: E402

N_NODES = 20000
REPEAT = 5


def _best(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    t0 = time.perf_counter()
    server = SandboxServer(sample_nodes=N_NODES, seed=1, general_interval_ms=0).start()
    startup = time.perf_counter() - t0
    try:
        nodes = list(server.store.data[server.job_id].nodes.values())
        baseline = _best(lambda: json.dumps(nodes, separators=(",", ":")))
        path = f"/api/v3/jobs/{server.job_id}/nodes?api_key={server.api_key}"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        sizes = []

        def fetch() -> None:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == 200, resp.status
            sizes.append(len(body))

        serve = _best(fetch)
        conn.close()
        tokens = server.stats["windows"][-1]
    finally:
        server.stop()
    print(f"bench_sandbox: {N_NODES} nodes, response {statistics.mean(sizes) / 1e6:.1f} MB")
    print(f"  baseline json.dumps(nodes):       {baseline:.3f} s (= 1.00)")
    print(
        f"  serve GET .../nodes (best of {REPEAT}):  {serve:.3f} s"
        f" = {serve / baseline:.2f} x baseline"
    )
    print(
        f"  start-up incl. generation:        {startup:.3f} s = {startup / baseline:.2f} x baseline"
    )
    print(f"  tokens spent in the run: {tokens['spent']} of {tokens['granted']}")


if __name__ == "__main__":
    main()
