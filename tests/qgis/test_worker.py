"""The single background worker in a real QGIS event loop, against the sandbox over HTTP."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication

from plugin.model.ids import new_push_id
from plugin.sync.journal import Journal, PlannedOp
from plugin.sync.push import job_path
from plugin.worker import SyncWorker
from tests.qgis.katapult_support import wait_until
from tests.unit.test_sync_support import make_client, start_sandbox


@pytest.fixture()
def sb():
    server = start_sandbox(sample_nodes=10, seed=8)
    yield server
    server.stop()


@pytest.fixture()
def worker(qgis_app, sb):
    w = SyncWorker(make_client(sb.base_url))
    yield w
    w.shutdown()


def plan_nodes(path, job_id, n, bad=()):
    j = Journal(path, create=True)
    ids = []
    ops = []
    for i in range(n):
        nid = "bad" if i in bad else new_push_id()
        ids.append(nid)
        ops.append(
            PlannedOp(
                "node",
                nid,
                "POST",
                job_path(job_id, f"nodes/{nid}"),
                {"latitude": 40.0 + i * 1e-5, "longitude": -77.0},
            )
        )
    j.plan(ops)
    j.close()
    return ids


class Recorder:
    def __init__(self, worker):
        self.events = []
        worker.callFinished.connect(lambda rid, res: self.events.append(("call", rid, res)))
        worker.callFailed.connect(lambda rid, msg: self.events.append(("failed", rid, msg)))
        worker.drainFinished.connect(
            lambda st, msg, counts: self.events.append(("drain", st, counts))
        )
        worker.authRequired.connect(lambda msg: self.events.append(("auth", msg)))
        worker.progress.connect(lambda summary: self.events.append(("progress", summary)))
        worker.opChanged.connect(lambda *a: self.events.append(("op",) + a))

    def of(self, kind):
        return [e for e in self.events if e[0] == kind]


def test_reads_go_ahead_of_a_running_drain_and_signals_arrive_in_the_gui_thread(
    worker, sb, tmp_path
):
    rec = Recorder(worker)
    path = str(tmp_path / "job.gpkg")
    plan_nodes(path, sb.job_id, 60)
    sb.set_faults(latency_ms=5)
    worker.submit_drain(path, sb.job_id)
    assert wait_until(lambda: any(e[0] == "op" for e in rec.events), 20)
    rid = worker.submit_read(lambda client, cancel: client.get_job(sb.job_id))
    assert wait_until(lambda: rec.of("drain"), 60)
    calls = [i for i, e in enumerate(rec.events) if e[0] == "call" and e[1] == rid]
    drains = [i for i, e in enumerate(rec.events) if e[0] == "drain"]
    assert calls and calls[0] < drains[0], "the interactive read waited for the whole drain"
    assert rec.of("call")[0][2]["id"] == sb.job_id
    status, counts = rec.of("drain")[0][1:]
    assert status == "drained" and counts["done"] == 60
    last = rec.of("progress")[-1][1]
    assert last["running"] is False and last["counts"]["pending"] == 0 and last["eta_s"] is not None


def test_task_manager_shows_the_drain_and_cancelling_it_stops(worker, sb, tmp_path):
    rec = Recorder(worker)
    path = str(tmp_path / "job.gpkg")
    plan_nodes(path, sb.job_id, 200)
    sb.set_faults(latency_ms=20)
    manager = QgsApplication.taskManager()
    worker.submit_drain(path, sb.job_id)
    assert wait_until(lambda: manager.countActiveTasks() > 0 or rec.of("drain"), 20)
    tasks = [t for t in manager.activeTasks() if "Katapult" in t.description()]
    assert tasks, "no Katapult task in QGIS's task manager while draining"
    tasks[0].cancel()
    assert wait_until(lambda: rec.of("drain"), 30)
    status, counts = rec.of("drain")[0][1:]
    assert status == "cancelled"
    assert counts["pending"] + counts["sent"] > 0 and counts["failed"] == 0  # nothing lost
    assert wait_until(
        lambda: not [t for t in manager.activeTasks() if "Katapult" in t.description()], 10
    )


def test_pause_resume_retry_failed(worker, sb, tmp_path):
    rec = Recorder(worker)
    path = str(tmp_path / "job.gpkg")
    plan_nodes(path, sb.job_id, 30, bad={3})
    sb.set_faults(latency_ms=10)
    worker.submit_drain(path, sb.job_id)
    assert wait_until(lambda: len(rec.of("op")) >= 5, 20)
    worker.pause()
    assert wait_until(lambda: rec.of("drain"), 20)
    assert rec.of("drain")[0][1] == "paused"
    paused_counts = rec.of("drain")[0][2]
    assert paused_counts["pending"] > 0
    worker.resume()
    assert wait_until(lambda: len(rec.of("drain")) == 2, 30)
    status, counts = rec.of("drain")[1][1:]
    assert status == "drained" and counts["done"] == 29 and counts["failed"] == 1
    failed = [e for e in rec.of("op") if e[4] == "failed"]
    assert failed and "invalid_id" in failed[0][5]
    # the user fixes nothing: retry sends it again and it fails again, visibly
    worker.retry_failed(path, sb.job_id)
    assert wait_until(lambda: len(rec.of("drain")) == 3, 30)
    assert rec.of("drain")[2][2]["failed"] == 1


def test_auth_error_pauses_and_asks_for_the_key(qgis_app, sb, tmp_path):
    keys = iter(["wrong-key", "demo-key"])
    w = SyncWorker(client_factory=lambda: make_client(sb.base_url, api_key=next(keys)))
    try:
        rec = Recorder(w)
        path = str(tmp_path / "job.gpkg")
        plan_nodes(path, sb.job_id, 3)
        w.submit_drain(path, sb.job_id)
        assert wait_until(lambda: rec.of("auth") and rec.of("drain"), 20)
        assert rec.of("drain")[0][1] == "auth" and w.is_paused()
        assert rec.of("drain")[0][2]["pending"] == 3
        w.resume()  # the user entered the right key: a new client is built from the settings
        assert wait_until(lambda: len(rec.of("drain")) == 2, 20)
        assert rec.of("drain")[1][1] == "drained" and rec.of("drain")[1][2]["done"] == 3
    finally:
        w.shutdown()


def test_closing_mid_drain_loses_nothing(qgis_app, sb, tmp_path):
    path = str(tmp_path / "job.gpkg")
    ids = plan_nodes(path, sb.job_id, 80)
    sb.set_faults(latency_ms=10)
    w = SyncWorker(make_client(sb.base_url))
    rec = Recorder(w)
    w.submit_drain(path, sb.job_id)
    assert wait_until(lambda: len(rec.of("op")) >= 10, 20)
    w.shutdown()  # QGIS closes
    j = Journal(path)
    left = j.counts()
    j.close()
    assert left["pending"] + left["sent"] > 0
    w2 = SyncWorker(make_client(sb.base_url))  # next session
    try:
        rec2 = Recorder(w2)
        w2.submit_drain(path, sb.job_id)
        assert wait_until(lambda: rec2.of("drain"), 60)
        assert rec2.of("drain")[0][2]["done"] == 80
    finally:
        w2.shutdown()
    server_ids = [n["id"] for n in make_client(sb.base_url).list_nodes(sb.job_id)]
    assert all(server_ids.count(i) == 1 for i in ids)
