"""Job browser dock against the sandbox: list, search, create, rename, metadata, archive, open."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsProject

from plugin.gui.job_browser import JobBrowserDock, matches
from plugin.gui.job_dialogs import MetadataError, format_metadata, metadata_changes, parse_metadata
from plugin.layers.geopackage import read_meta
from plugin.layers.project import job_layers, open_job_gpkg
from tests.conftest import ARTIFACTS
from tests.qgis.katapult_support import wait_until
from tests.qgis.test_layers_gpkg import make_client


def run(task, timeout: float = 60.0):
    """Wait for a dock task (processing Qt events) and return its result; fail with its error."""
    outcome = {}
    task.succeeded.connect(lambda result: outcome.setdefault("ok", result))
    task.failed.connect(lambda exc: outcome.setdefault("error", exc))
    assert wait_until(lambda: outcome, timeout), f"{task.description()} did not finish"
    wait_until(lambda: False, 0.05)  # let follow-up slots run
    if "error" in outcome:
        raise outcome["error"]
    return outcome["ok"]


@pytest.fixture
def dock(sandbox, qgis_new_project):
    widget = JobBrowserDock(client_factory=lambda: make_client(sandbox))
    yield widget
    wait_until(lambda: not widget.tasks, 10)
    widget.deleteLater()
    QgsProject.instance().clear()


def server_jobs(sandbox):
    return {job["id"]: job for job in sandbox.store.jobs.values()}


def test_list_search_and_archived_toggle(dock, sandbox):
    jobs = run(dock.refresh_jobs())
    active = {j["id"] for j in server_jobs(sandbox).values() if j["status"] == "active"}
    assert {j["id"] for j in jobs} == active
    assert set(dock.visible_job_ids()) == active
    # columns: name, status, last updated, metadata
    item = dock.tree.topLevelItem(0)
    job = dock.job(item.data(0, 0x0100))
    assert item.text(0) == job["name"] and item.text(1) == job["status"]
    assert item.text(2) == job["last_updated"][:16].replace("T", " ") and "city" in item.text(3)
    assert item.toolTip(2) == job["last_updated"]
    dock.search_edit.setText("boiling")
    assert [dock.job(i)["name"] for i in dock.visible_job_ids()] == ["Boiling Springs extension"]
    dock.search_edit.setText("")
    dock.archived_check.blockSignals(True)
    dock.archived_check.setChecked(True)
    dock.archived_check.blockSignals(False)
    jobs = run(dock.refresh_jobs())
    assert {j["id"] for j in jobs} == set(server_jobs(sandbox))
    assert any(j["status"] == "archived" for j in jobs)
    dock.resize(700, 420)
    dock.tree.topLevelItem(0).setSelected(True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert dock.grab().save(str(ARTIFACTS / "job_browser.png"))
    dock.metadata_edit.setText("job_type:audit")
    jobs = run(dock.refresh_jobs())
    assert [j["name"] for j in jobs] == ["Carlisle 2025 audit (archived)"]


def test_create_rename_metadata_archive_restore(dock, sandbox):
    created = run(
        dock.create_job("QGIS test job ✓", "katapult_default", {"city": "Buffalo", "priority": 3})
    )
    job_id = created["id"]
    run_follow_up(dock)
    server = server_jobs(sandbox)[job_id]
    assert server["name"] == "QGIS test job ✓" and server["job_creator"] == "katapult_default"
    assert server["metadata"] == {"city": "Buffalo", "priority": 3}
    assert dock.job(job_id) is not None and dock.selected_job_id() == job_id

    run(dock.rename_job(job_id, "Renamed job"))
    run_follow_up(dock)
    assert server_jobs(sandbox)[job_id]["name"] == "Renamed job"
    assert dock.job(job_id)["name"] == "Renamed job"

    run(
        dock.update_metadata(
            job_id,
            metadata_changes(
                {"city": "Buffalo", "priority": 3}, {"city": "Rochester", "crew": "B"}
            ),
        )
    )
    assert server_jobs(sandbox)[job_id]["metadata"] == {"city": "Rochester", "crew": "B"}

    run(dock.set_archived(job_id, True))
    run_follow_up(dock)
    assert server_jobs(sandbox)[job_id]["status"] == "archived"
    assert dock.job(job_id) is None  # archived jobs hidden unless asked for
    run(dock.set_archived(job_id, False))
    run_follow_up(dock)
    assert server_jobs(sandbox)[job_id]["status"] == "active"
    assert dock.job(job_id) is not None


def run_follow_up(dock) -> None:
    """Wait for the list reload a change triggers."""
    wait_until(lambda: not dock.tasks, 30)


def test_open_job_through_the_dock(dock, sandbox, tmp_path):
    run(dock.refresh_jobs())
    report = run(dock.open_job(sandbox.job_id, path=str(tmp_path / "job.gpkg")))
    wait_until(lambda: bool(job_layers(sandbox.job_id)), 5)
    layers = job_layers(sandbox.job_id)
    nodes = json.loads(str(sandbox.store.list_nodes(sandbox.job_id, None, None)))
    assert layers["node"].featureCount() == len(nodes)
    assert report.name == dock.job(sandbox.job_id)["name"]
    assert read_meta(report.path)["job_name"] == report.name
    assert "Opened" in dock.status_label.text()


def test_failure_is_reported_not_raised(sandbox, qgis_new_project):
    from plugin.api.client import KatapultClient
    from plugin.api.pacing import Governor

    widget = JobBrowserDock(
        client_factory=lambda: KatapultClient(
            sandbox.base_url,
            "wrong-key",
            governor=Governor(min_interval_s=0.002, refill_period_s=1.0),
        )
    )
    messages = []
    widget.failed.connect(messages.append)
    task = widget.refresh_jobs()
    from plugin.api.errors import AuthError
    from plugin.layers.load_task import WorkerCallError  # noqa: F401 - same interface

    with pytest.raises(AuthError):
        run(task)
    wait_until(lambda: messages, 5)
    assert messages and "wrong-key" not in messages[0]
    assert "failed" in widget.status_label.text()
    widget.deleteLater()


def test_pick_lists_ask_first_then_cache(sandbox, qgis_new_project, tmp_path):
    answers = []
    widget = JobBrowserDock(
        client_factory=lambda: make_client(sandbox),
        confirm=lambda title, text: answers.append(text) or len(answers) > 1,
    )
    run(widget.open_job(sandbox.job_id, "Sample", path=str(tmp_path / "job.gpkg")))
    requests_before = sandbox.stats["requests"]
    assert widget.load_pick_lists(sandbox.job_id) is None  # declined: nothing sent
    assert "1000" in answers[0]
    assert sandbox.stats["requests"] == requests_before
    run(widget.load_pick_lists(sandbox.job_id))
    path = job_layers(sandbox.job_id)["node"].customProperty("katapult/gpkg")
    cached = json.loads(read_meta(path)["pick_lists"])
    assert "pole" in cached["node_type"] and "Southern Pine" in cached["pole_species"]
    node_layer = job_layers(sandbox.job_id)["node"]
    setup = node_layer.editorWidgetSetup(node_layer.fields().indexOf("pole_species"))
    assert setup.type() == "ValueMap"
    # reopened offline: the cached pick-lists apply again, no call needed
    requests = sandbox.stats["requests"]
    reopened = open_job_gpkg(path, QgsProject.instance())["node"]
    setup = reopened.editorWidgetSetup(reopened.fields().indexOf("pole_species"))
    assert setup.type() == "ValueMap" and sandbox.stats["requests"] == requests
    widget.deleteLater()
    QgsProject.instance().clear()


def test_metadata_text_round_trip_and_errors():
    meta = {"city": "Buffalo", "priority": 2, "done": False, "ratio": 0.5}
    assert parse_metadata(format_metadata(meta)) == meta
    with pytest.raises(MetadataError, match="line 2"):
        parse_metadata("city = x\nno equals sign")
    assert metadata_changes({"a": 1, "b": 2}, {"a": 1, "c": 3}) == {"c": 3, "b": None}
    assert matches({"name": "Carlisle", "metadata": {"city": "X"}}, "carl x")
    assert not matches({"name": "Carlisle"}, "boiling")


def test_dock_on_the_single_worker(sandbox, qgis_new_project, tmp_path):
    """With the plugin's worker, calls run there (not in the GUI thread); downloads still load."""
    from plugin.worker import SyncWorker

    worker = SyncWorker(client_factory=lambda: make_client(sandbox), show_task=False)
    try:
        widget = JobBrowserDock(worker=worker)
        jobs = run(widget.refresh_jobs())
        assert sandbox.job_id in {j["id"] for j in jobs}
        created = run(widget.create_job("Via worker", "katapult_default"))
        assert server_jobs(sandbox)[created["id"]]["name"] == "Via worker"
        run_follow_up(widget)
        report = run(widget.open_job(sandbox.job_id, path=str(tmp_path / "w.gpkg")))
        assert job_layers(sandbox.job_id)["node"].featureCount() == report.counts["nodes"]
        failing = widget.rename_job("-NoSuchJob0000000000", "x")
        with pytest.raises(Exception, match="(?i)not found|no such|does not exist"):
            run(failing)
        widget.deleteLater()
    finally:
        worker.shutdown()
        QgsProject.instance().clear()


def test_names_filled_from_the_light_list_when_missing(qgis_new_project):
    """Narrow unit test with a stub client: permission entries without names get them."""

    class StubClient:
        calls = []

        def list_jobs(self, include_archived=None, metadata_filter=None, as_list=None, cancel=None):
            self.calls.append(as_list)
            if as_list:
                return [{"id": "-J1", "name": "Named later"}]
            return [{"id": "-J1", "status": "active", "metadata": {"city": "X"}}]

    stub = StubClient()
    widget = JobBrowserDock(client_factory=lambda: stub)
    jobs = run(widget.refresh_jobs())
    assert jobs[0]["name"] == "Named later" and stub.calls == [None, True]
    assert widget.tree.topLevelItem(0).text(0) == "Named later"
    widget.deleteLater()


def test_open_a_new_empty_job(dock, sandbox, tmp_path):
    created = run(dock.create_job("Empty job", "katapult_default"))
    run_follow_up(dock)
    report = run(dock.open_job(created["id"], path=str(tmp_path / "empty.gpkg")))
    assert report.counts == {"nodes": 0, "connections": 0, "sections": 0, "photos": 0}
    layers = job_layers(created["id"])
    assert set(layers) == {"node", "connection", "section", "photo"}
    assert all(layer.isValid() and layer.featureCount() == 0 for layer in layers.values())
    assert layers["node"].renderer().type() == "categorizedSymbol"


def test_showing_the_dock_lists_jobs(dock, sandbox):
    dock.show()
    assert wait_until(lambda: dock.jobs, 30)
    assert sandbox.job_id in {j["id"] for j in dock.jobs}
    dock.hide()


def test_reopen_while_open_with_a_write_ahead_log(dock, sandbox, tmp_path):
    """Open, save something (QGIS leaves a -wal beside the file), open again: clean new copy."""
    import sqlite3

    path = str(tmp_path / "job.gpkg")
    run(dock.open_job(sandbox.job_id, "Sample", path=path))
    layer = job_layers(sandbox.job_id)["node"]
    feature = next(layer.getFeatures())
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("kp_sync"), "pending")
    assert layer.commitChanges()
    import os

    assert os.path.exists(path + "-wal")
    report = run(dock.open_job(sandbox.job_id, "Sample", path=path))
    assert report.part_path == "" and not os.path.exists(str(tmp_path / "job.part.gpkg"))
    layers = job_layers(sandbox.job_id)
    nodes = json.loads(str(sandbox.store.list_nodes(sandbox.job_id, None, None)))
    assert layers["node"].featureCount() == len(nodes)
    assert all(f["kp_sync"] in ("", None) for f in layers["node"].getFeatures())
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert len([lyr for lyr in QgsProject.instance().mapLayers().values()]) == 4


def test_dock_deleted_while_a_call_runs(sandbox, qgis_new_project):
    from tests.qgis.katapult_support import flush_deletes

    widget = JobBrowserDock(client_factory=lambda: make_client(sandbox))
    task = widget.refresh_jobs()
    outcome = []
    task.succeeded.connect(lambda result: outcome.append("ok"))
    task.failed.connect(lambda exc: outcome.append(exc))
    widget.deleteLater()
    flush_deletes()
    assert wait_until(lambda: outcome, 30)  # the late answer lands on a deleted dock: ignored
    assert outcome == ["ok"]


def test_dialogs_validate_input(qgis_new_project):
    from plugin.gui.job_dialogs import MetadataDialog, NewJobDialog

    dialog = NewJobDialog(default_model="katapult_default")
    with pytest.raises(ValueError, match="name"):
        dialog.values()
    dialog.accept()
    assert "name" in dialog.error_label.text() and dialog.result() == 0
    dialog.name_edit.setText("  Pole audit  ")
    dialog.metadata_edit.setPlainText("city = Buffalo\npriority = 2\n# comment")
    assert dialog.values() == ("Pole audit", "katapult_default", {"city": "Buffalo", "priority": 2})
    dialog.model_edit.setText("")
    with pytest.raises(ValueError, match="model"):
        dialog.values()
    meta = MetadataDialog({"city": "Buffalo", "crew": "A"})
    meta.edit.setPlainText("city = Rochester")
    assert meta.changes() == {"city": "Rochester", "crew": None}
    meta.edit.setPlainText("broken line")
    meta.accept()
    assert "line 1" in meta.error_label.text()


def test_cancel_a_worker_download_from_the_task_manager(sandbox, qgis_new_project, tmp_path):
    """The proxy task in QGIS's task manager cancels the download running on the worker."""
    import threading

    from plugin.worker import SyncWorker

    worker = SyncWorker(client_factory=lambda: make_client(sandbox), show_task=False)
    gate = threading.Event()
    try:
        worker.submit(lambda w, cancel: gate.wait(10))  # keeps the worker busy
        widget = JobBrowserDock(worker=worker)
        call = widget.open_job(sandbox.job_id, "x", path=str(tmp_path / "c.gpkg"))
        errors = []
        call.failed.connect(errors.append)
        assert call.proxy is not None
        call.proxy.cancel()  # what the task manager's cancel button does
        assert wait_until(lambda: call.isCanceled(), 5)
        gate.set()
        assert wait_until(lambda: errors, 30)
        assert "cancel" in str(errors[0]).lower()
        assert not (tmp_path / "c.gpkg").exists() and not job_layers(sandbox.job_id)
        widget.deleteLater()
    finally:
        gate.set()
        worker.shutdown()
