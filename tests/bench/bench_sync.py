"""Sync figures (``make bench``):

1. API calls used for N edits over M entities vs the planned minimum (one
   call per changed entity), with and without injected faults;
2. sustained writes as a fraction of the tokens the server granted, over
   refill windows the drain filled (goal >= 0.95), on a small bucket so the
   token limit, not latency, is what binds;
3. the longest main-thread stall of a real QGIS event loop (a QTimer ticking
   every 10 ms) while the worker drains 1,000 operations (goal < 100 ms),
   reported beside the timer's own baseline gap measured idle in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from plugin.model.ids import new_push_id  # noqa: E402
from plugin.sync import executor as ex  # noqa: E402
from plugin.sync.journal import Journal, PlannedOp  # noqa: E402
from plugin.sync.push import job_path, plan_push  # noqa: E402
from tests.unit.test_sync_support import (  # noqa: E402
    load_snapshot,
    make_client,
    make_edits,
    start_sandbox,
)


def calls_vs_minimum(n_edits: int = 300, faults: bool = False) -> dict:
    """Edits over entities -> planned ops (the minimum) -> HTTP calls actually made."""
    sb = start_sandbox(sample_nodes=150, seed=31)
    try:
        client = make_client(sb.base_url)
        with tempfile.TemporaryDirectory() as tmp:
            journal = Journal(os.path.join(tmp, "job.gpkg"), create=True)
            snap = load_snapshot(journal, client, sb.job_id)
            edits = make_edits(snap, n_edits, seed=5)
            plan = plan_push(journal, sb.job_id, edits.working, edits.schemas, edits.new_items)
            before = client.governor.stats.calls  # every HTTP attempt, client retries included
            if faults:
                sb.set_faults(error_rate=0.10, drop_after_write_rate=0.05)
            res = ex.Executor(journal, client, sb.job_id, backoff_s=0.01, max_backoff_s=0.05).run()
            sb.clear_faults()
            used = client.governor.stats.calls - before
            journal.close()
        return {
            "edits": edits.edits,
            "entities": len(edits.touched),
            "planned": len(plan.changes),
            "calls": used,
            "status": res.status,
        }
    finally:
        sb.stop()


def token_utilisation(bucket: int = 1000, ops: int = 500, scale: float = 30.0) -> dict:
    """Writes' share of the tokens granted in the windows the drain used (last window excluded)."""
    sb = start_sandbox(sample_nodes=10, seed=32, bucket_size=bucket, time_scale=scale)
    try:
        client = make_client(sb.base_url, scale)
        with tempfile.TemporaryDirectory() as tmp:
            journal = Journal(os.path.join(tmp, "job.gpkg"), create=True)
            journal.plan(
                [
                    PlannedOp(
                        "node",
                        nid,
                        "POST",
                        job_path(sb.job_id, f"nodes/{nid}"),
                        {"latitude": 40.0, "longitude": -77.0},
                    )
                    for nid in (new_push_id() for _ in range(ops))
                ]
            )
            t0 = time.monotonic()
            res = ex.Executor(journal, client, sb.job_id).run()
            elapsed = time.monotonic() - t0
            journal.close()
        windows = [w for w in sb.stats["windows"] if w["requests"]]
        full = windows[:-1]  # the last window is cut short by the end of the queue
        granted = sum(w["granted"] for w in full)
        spent = sum(w["spent"] for w in full)
        ideal = (ops * 10 / bucket - 1) * (60.0 / scale)
        return {
            "status": res.status,
            "windows": len(windows),
            "granted": granted,
            "spent": spent,
            "fraction": spent / granted if granted else 0.0,
            "elapsed_s": elapsed,
            "ideal_s": ideal,
            "token_429": sb.stats["429"]["token"],
        }
    finally:
        sb.stop()


def start_sandbox_process(sample_nodes: int = 10, scale: float = 60.0):
    """The sandbox in its own process (so its HTTP threads do not share QGIS's GIL)."""
    code = (
        "import sys; from plugin.sandbox.__main__ import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "--port",
            "0",
            "--sample-nodes",
            str(sample_nodes),
            "--time-scale",
            str(scale),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    line = proc.stdout.readline().split()
    if len(line) < 3 or line[0] != "SANDBOX":
        proc.kill()
        raise RuntimeError("the sandbox did not start")
    return proc, line[2], line[3].split("=", 1)[1]


def measure_stall(n_ops: int = 1000, with_dock: bool = True) -> dict:
    """Longest gap between 10 ms QTimer ticks on the main thread while ``n_ops`` drain."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QElapsedTimer, QEventLoop, QTimer

    from plugin.worker import SyncWorker

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False)
        app.initQgis()
    proc, base_url, job_id = start_sandbox_process()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "job.gpkg")
            journal = Journal(path, create=True)
            ops = []
            for i in range(n_ops):
                nid = new_push_id()
                ops.append(
                    PlannedOp(
                        "node",
                        nid,
                        "POST",
                        job_path(job_id, f"nodes/{nid}"),
                        {
                            "latitude": 40.0 + i * 1e-6,
                            "longitude": -77.0,
                            "attributes": {"note": {new_push_id(): f"n{i}"}},
                        },
                    )
                )
            journal.plan(ops)
            journal.close()

            def tick_gaps(seconds: float, until=None) -> list:
                gaps = []
                clock = QElapsedTimer()
                clock.start()
                last = [clock.elapsed()]
                loop = QEventLoop()

                def tick():
                    now = clock.elapsed()
                    gaps.append(now - last[0])
                    last[0] = now
                    if (until is not None and until()) or now > seconds * 1000:
                        loop.quit()

                timer = QTimer()
                timer.setInterval(10)
                timer.timeout.connect(tick)
                timer.start()
                loop.exec()
                timer.stop()
                return gaps

            baseline = tick_gaps(1.0)
            worker = SyncWorker(make_client(base_url))
            dock = None
            if with_dock:
                from plugin.gui.sync_dock import SyncDock

                dock = SyncDock(None, worker)
                dock.set_job(path, job_id)
            finished = []
            worker.drainFinished.connect(lambda st, msg, counts: finished.append((st, counts)))
            t0 = time.monotonic()
            worker.submit_drain(path, job_id)
            gaps = tick_gaps(600.0, until=lambda: bool(finished))
            elapsed = time.monotonic() - t0
            worker.shutdown()
            if dock is not None:
                dock.deleteLater()
            status, counts = finished[0] if finished else ("timeout", {})
        return {
            "ops": n_ops,
            "status": status,
            "done": counts.get("done", 0),
            "drain_s": elapsed,
            "max_gap_ms": max(gaps) if gaps else None,
            "baseline_max_gap_ms": max(baseline),
            "ticks": len(gaps),
        }
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    for faults in (False, True):
        r = calls_vs_minimum(faults=faults)
        label = "with 10% 500s + 5% drops" if faults else "no faults"
        print(
            f"calls for {r['edits']} edits over {r['entities']} entities ({label}): "
            f"planned minimum {r['planned']}, used {r['calls']} "
            f"(ratio {r['calls'] / r['planned']:.3f}) [{r['status']}]"
        )
    u = token_utilisation()
    print(
        f"sustained writes: {u['spent']} of {u['granted']} tokens granted in "
        f"{u['windows'] - 1} full windows = {u['fraction']:.3f} (goal >= 0.95); "
        f"drain {u['elapsed_s']:.2f} s vs ideal {u['ideal_s']:.2f} s "
        f"(ratio {u['elapsed_s'] / u['ideal_s']:.2f}); token 429s {u['token_429']}"
    )
    s = measure_stall()
    print(
        f"main-thread stall while {s['ops']} ops drain: max gap {s['max_gap_ms']} ms "
        f"(idle baseline max gap {s['baseline_max_gap_ms']} ms, ratio "
        f"{s['max_gap_ms'] / max(1, s['baseline_max_gap_ms']):.2f}; goal < 100 ms); "
        f"{s['done']} done in {s['drain_s']:.1f} s [{s['status']}]"
    )


if __name__ == "__main__":
    main()
