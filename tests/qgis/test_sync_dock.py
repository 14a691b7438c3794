"""Sync dock in QGIS: resume on open, auto-push on save, journal beside open edit sessions."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsGeometry, QgsPointXY, QgsProject, QgsSettings

from plugin.api.pacing import CancelToken
from plugin.gui.sync_dock import AUTO_PUSH_KEY, SyncDock, format_eta
from plugin.gui.sync_flows import SyncController
from plugin.layers.load_task import download_job
from plugin.layers.project import open_job_gpkg
from plugin.model.ids import new_push_id
from plugin.sync.journal import Journal, PlannedOp
from plugin.sync.push import job_path
from plugin.worker import SyncWorker
from tests.qgis.katapult_support import wait_until
from tests.unit.test_sync_support import make_client, start_sandbox


@pytest.fixture()
def env(qgis_app, qgis_new_project, qgis_iface, tmp_path):
    sb = start_sandbox(sample_nodes=10, seed=9)
    client = make_client(sb.base_url)
    path = str(tmp_path / "job.gpkg")
    download_job(client, CancelToken(), None, sb.job_id, path=path)
    worker = SyncWorker(make_client(sb.base_url))
    controller = SyncController(worker)
    dock = SyncDock(
        qgis_iface, worker, push=lambda: controller.push(), pull=lambda: controller.pull()
    )
    dock.controller = controller
    finished = []
    worker.drainFinished.connect(lambda st, msg, counts: finished.append((st, counts)))
    yield sb, client, path, worker, dock, finished
    QgsSettings().remove(AUTO_PUSH_KEY)
    worker.shutdown()
    dock.deleteLater()
    QgsProject.instance().clear()
    sb.stop()


def plan_new_nodes(path, job_id, ids):
    """A journal with one planned node create per id (left open for the caller)."""
    j = Journal(path)
    j.plan(
        [
            PlannedOp("node", nid, "POST", job_path(job_id, f"nodes/{nid}"),
                      {"latitude": 40.0, "longitude": -77.0})
            for nid in ids
        ]
    )
    return j


def server_nodes(sb):
    return {n["id"]: n for n in json.loads(str(sb.store.list_nodes(sb.job_id, None, None)))}


def test_opening_a_job_resumes_what_the_last_session_left(env):
    sb, client, path, worker, dock, finished = env
    ids = [new_push_id() for _ in range(5)]
    j = plan_new_nodes(path, sb.job_id, ids)
    j.mark_sent(j.next_runnable().op_id)  # QGIS died with this one in flight
    j.close()
    dock.watch_project()
    open_job_gpkg(path, QgsProject.instance())
    assert wait_until(lambda: finished, 30)
    assert finished[0][0] == "drained" and finished[0][1]["done"] == 5
    assert set(ids) <= set(server_nodes(sb))
    assert "Done: 5" in dock.counts_label.text()


def test_auto_push_on_save(env):
    sb, client, path, worker, dock, finished = env
    dock.watch_project()
    layers = open_job_gpkg(path, QgsProject.instance())
    dock.auto_push.setChecked(True)
    assert QgsSettings().value(AUTO_PUSH_KEY, False, type=bool)
    nodes = layers["node"]
    feature = next(iter(nodes.getFeatures()))
    p = feature.geometry().asPoint()
    nodes.startEditing()
    nodes.changeGeometry(feature.id(), QgsGeometry.fromPointXY(QgsPointXY(p.x(), p.y() + 0.0003)))
    assert nodes.commitChanges()
    assert wait_until(lambda: finished, 30)
    assert finished[0][1]["done"] == 1
    assert server_nodes(sb)[feature["kp_id"]]["latitude"] == pytest.approx(p.y() + 0.0003)


def test_journal_writes_while_qgis_holds_an_open_edit_session(env):
    """sqlite3 writes (plan, acks, base) while a layer of the same file has uncommitted edits."""
    sb, client, path, worker, dock, finished = env
    layers = open_job_gpkg(path, QgsProject.instance())
    nodes = layers["node"]
    f1, f2 = list(nodes.getFeatures())[:2]
    nodes.startEditing()
    p = f1.geometry().asPoint()
    nodes.changeGeometry(f1.id(), QgsGeometry.fromPointXY(QgsPointXY(p.x() + 0.0004, p.y())))
    ids = [new_push_id() for _ in range(20)]
    j = plan_new_nodes(path, sb.job_id, ids)
    j.close()
    worker.submit_drain(path, sb.job_id)
    assert wait_until(lambda: finished, 30)
    assert finished[0][1]["done"] == 20
    assert nodes.commitChanges(), nodes.commitErrors()  # QGIS can still save its edits
    moved = {f["kp_id"]: f for f in nodes.getFeatures()}[f1["kp_id"]]
    assert moved.geometry().asPoint().x() == pytest.approx(p.x() + 0.0004)
    j = Journal(path)
    assert len([k for k in j.base_all("node") if k in ids]) == 20
    j.close()


def test_eta_text():
    assert format_eta(None) == "—"
    assert format_eta(0.2) == "< 1 s"
    assert format_eta(42) == "42 s"
    assert format_eta(185) == "3 min 5 s"
    assert format_eta(3720) == "1 h 2 min"
