"""The photo dock and folder import in real QGIS against the sandbox (worker thread, real HTTP)."""

from __future__ import annotations

import threading
import time

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from plugin.gui.photo_dock import (
    DROP_JOB,
    DROP_MAIN,
    DROP_TRUE,
    ROLE_MAIN,
    ROLE_PHOTO_ID,
    PhotoDock,
)
from plugin.gui.photo_import_dialog import COL_ITEM, PhotoImportDialog
from plugin.layers.project import add_job_layers
from plugin.photos import backend as backend_module
from plugin.photos.backend import PhotoBackend
from plugin.photos.index import main_count
from plugin.photos.thumbs import ThumbCache
from plugin.sandbox.jpeg import make_jpeg
from plugin.worker import SyncWorker
from tests.qgis.jobs_support import download_job
from tests.unit.photos_support import client_for, isolated_nodes, write_photos_near

pytestmark = pytest.mark.sandbox


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


@pytest.fixture
def env(qgis_app, qgis_iface, sandbox, tmp_path, monkeypatch):
    gpkg = download_job(sandbox, tmp_path / "job.gpkg")
    layers = add_job_layers(gpkg, QgsProject.instance(), zoom=False)
    client = client_for(sandbox)
    worker = SyncWorker(client, show_task=False)
    threads = []
    real_fetch = backend_module.fetch_image

    def recording_fetch(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(backend_module, "fetch_image", recording_fetch)
    backend = PhotoBackend(worker, ThumbCache(str(tmp_path / "thumbs")))
    dock = PhotoDock(qgis_iface, backend)
    dock.resize(600, 700)
    yield dict(
        gpkg=gpkg,
        layers=layers,
        client=client,
        worker=worker,
        dock=dock,
        backend=backend,
        threads=threads,
        sandbox=sandbox,
        tmp=tmp_path,
    )
    dock.unload()
    dock.close()
    dock.deleteLater()
    worker.shutdown()
    client.close()
    QgsProject.instance().removeAllMapLayers()


def select_node(layer, node_id):
    ids = [f.id() for f in layer.getFeatures() if f["kp_id"] == node_id]
    assert ids, node_id
    layer.selectByIds(ids)


def server_node(env, node_id):
    return env["client"].get_node(env["sandbox"].job_id, node_id)


def test_selected_node_shows_thumbnails_off_the_gui_thread(env):
    sandbox, dock = env["sandbox"], env["dock"]
    nodes = [n for n in env["client"].list_nodes(sandbox.job_id) if len(n.get("photos") or {}) >= 2]
    node = nodes[0]
    select_node(env["layers"]["node"], node["id"])
    assert dock.context is not None and dock.context.item.item_id == node["id"]
    assert dock.list.count() == len(node["photos"])
    assert wait_for(lambda: len(dock._images) == len(node["photos"]))
    assert env["threads"] and all(t is not threading.main_thread() for t in env["threads"])
    captions = [dock.list.item(i).text() for i in range(dock.list.count())]
    records = {p["id"]: p for p in env["client"].list_photos(sandbox.job_id)}
    for i in range(dock.list.count()):
        pid = dock.list.item(i).data(ROLE_PHOTO_ID)
        assert records[pid]["filename"] in captions[i]
        assert not dock.list.item(i).icon().isNull()
    mains = [
        dock.list.item(i) for i in range(dock.list.count()) if dock.list.item(i).data(ROLE_MAIN)
    ]
    assert len(mains) == main_count(node) and all("★" in m.text() for m in mains)
    # cached on disk by id and size: a second showing costs no call
    assert all(env["backend"].cache.get(pid, "small") for pid in node["photos"])
    calls = len(env["threads"])
    dock._images.clear()
    dock.refresh()
    assert wait_for(lambda: len(dock._images) == len(node["photos"]))
    before = sandbox.stats
    assert len(env["threads"]) == calls + len(node["photos"])  # served from the cache by the worker
    assert before is not None


def test_set_main_from_dock_leaves_one_main(env):
    sandbox, dock = env["sandbox"], env["dock"]
    node = next(
        n for n in env["client"].list_nodes(sandbox.job_id) if len(n.get("photos") or {}) >= 2
    )
    select_node(env["layers"]["node"], node["id"])
    target = next(pid for pid, a in node["photos"].items() if a.get("association") != "main")
    assert dock.select_photo(target)
    done = []
    dock.finished.connect(done.append)
    dock.set_main_selected()
    assert wait_for(lambda: done)
    fresh = server_node(env, node["id"])
    assert main_count(fresh) == 1 and fresh["photos"][target]["association"] == "main"
    first = dock.list.item(0)
    assert first.data(ROLE_PHOTO_ID) == target and first.data(ROLE_MAIN)
    assert sum(1 for i in range(dock.list.count()) if dock.list.item(i).data(ROLE_MAIN)) == 1


def test_dropped_files_upload_once_and_bad_files_are_refused(env):
    sandbox, dock, tmp = env["sandbox"], env["dock"], env["tmp"]
    node = isolated_nodes(env["client"].list_nodes(sandbox.job_id), min_gap_m=25)[0]
    select_node(env["layers"]["node"], node["id"])
    shown = dock.list.count()
    folder = tmp / "drop"
    folder.mkdir()
    files = sorted(write_photos_near(folder, [node], 2, seed=21))
    (folder / "scan.jpg").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "cut.jpg").write_bytes((folder / "IMG_0000.JPG").read_bytes()[:-40])
    done = []
    dock.finished.connect(done.append)
    dock.upload_files(
        files + [str(folder / "scan.jpg"), str(folder / "cut.jpg"), str(folder / "gone.jpg")],
        DROP_MAIN,
        confirm=False,
    )
    assert wait_for(lambda: done, 60)
    log = dock.status.toPlainText()
    assert "scan.jpg: not a JPEG" in log and "cut.jpg: the JPEG is truncated" in log
    assert "gone.jpg: cannot be read" in log
    assert wait_for(lambda: dock.list.count() == shown + 2)
    fresh = server_node(env, node["id"])
    assert main_count(fresh) == 1
    layer = env["layers"]["node"]
    feature = next(f for f in layer.getFeatures() if f["kp_id"] == node["id"])
    assert feature["kp_photos"] == len(fresh["photos"]) == dock.list.count()
    # the same files dropped again: nothing is sent twice
    done.clear()
    dock.upload_files(files, DROP_TRUE, confirm=False)
    assert wait_for(lambda: done, 60)
    assert "Nothing to upload" in dock.status.toPlainText()
    assert len(server_node(env, node["id"])["photos"]) == len(fresh["photos"])
    # job only
    done.clear()
    extra = write_photos_near(tmp, [node], 1, seed=99)
    before = len(env["client"].list_photos(sandbox.job_id))
    dock.upload_files(list(extra), DROP_JOB, confirm=False)
    assert wait_for(lambda: done, 60)
    assert len(env["client"].list_photos(sandbox.job_id)) == before + 1
    assert len(server_node(env, node["id"])["photos"]) == len(fresh["photos"])


def test_folder_import_review_correct_and_upload(env):
    sandbox, tmp = env["sandbox"], env["tmp"]
    nodes = isolated_nodes(env["client"].list_nodes(sandbox.job_id), min_gap_m=25)
    folder = tmp / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 8, seed=31)
    # 2 km from every node and no time: listed as unmatched, never guessed
    (folder / "far.jpg").write_bytes(
        make_jpeg(
            40,
            30,
            (9, 9, 9),
            lat=float(nodes[0]["latitude"]) + 0.02,
            lon=float(nodes[0]["longitude"]),
        )
    )
    (folder / "readme.txt").write_text("field notes")
    dialog = PhotoImportDialog(env["backend"], env["gpkg"], sandbox.job_id)
    dialog.folder.setText(str(folder))
    dialog.distance.setValue(10)
    scanned = []
    dialog.scanned.connect(scanned.append)
    dialog.scan()
    assert wait_for(lambda: scanned, 60)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert len(names) == 10
    proposals = {
        dialog.rows[r].check.path: dialog.table.cellWidget(r, COL_ITEM).currentData()
        for r in range(len(names))
    }
    for path, node_id in expected.items():
        assert proposals[path] == node_id
    assert "far.jpg" in dialog.unmatched.text()
    assert "readme.txt" in dialog.log.toPlainText()
    # correct one row by hand: the first photo goes to another node
    first = names.index("IMG_0000.JPG")
    dialog.set_choice(first, nodes[1]["id"])
    uploaded = []
    dialog.uploaded.connect(uploaded.append)
    dialog.upload(confirm=False)
    assert wait_for(lambda: uploaded, 60)
    report = uploaded[0]
    assert len(report.uploaded) == 8 and not report.failed
    fresh = {n: server_node(env, n) for n in {nodes[0]["id"], nodes[1]["id"]}}
    moved_pid = dict(report.uploaded)["IMG_0000.JPG"]
    assert moved_pid in fresh[nodes[1]["id"]]["photos"]
    assert moved_pid not in (fresh[nodes[0]["id"]].get("photos") or {})
    dialog.close()


def test_viewer_unassociate_associate_existing_and_move_from_dock(env):
    from plugin.gui.photo_viewer import PhotoViewer

    sandbox, dock = env["sandbox"], env["dock"]
    nodes = isolated_nodes(env["client"].list_nodes(sandbox.job_id), min_gap_m=25)
    node = next(n for n in nodes if len(n.get("photos") or {}) >= 2)
    other = next(n for n in nodes if n["id"] != node["id"])
    select_node(env["layers"]["node"], node["id"])
    pid = dock.list.item(dock.list.count() - 1).data(ROLE_PHOTO_ID)
    # double-click: a larger view, fetched off the GUI thread
    dock.open_viewer(dock.list.item(dock.list.count() - 1))
    viewer = dock._viewer
    assert isinstance(viewer, PhotoViewer) and wait_for(lambda: viewer.image is not None)
    assert env["backend"].cache.get(pid, "large") and viewer.label.pixmap() is not None
    viewer.close()
    done = []
    dock.finished.connect(done.append)
    # unassociate: gone from the item, still in the job, first in the picker
    dock.select_photo(pid)
    dock.unassociate_selected()
    assert wait_for(lambda: done)
    assert pid not in (server_node(env, node["id"]).get("photos") or {})
    assert dock._find(pid) is None
    from plugin.photos.store import PhotoStore

    picker = PhotoStore(env["gpkg"]).picker(("node", node["id"], None))
    assert picker[0][0]["id"] == pid and picker[0][1] is False
    # associate it again (as main) through the dock
    done.clear()
    dock.associate_existing(pid, main=True)
    assert wait_for(lambda: done)
    fresh = server_node(env, node["id"])
    assert fresh["photos"][pid]["association"] == "main" and main_count(fresh) == 1
    # move it to another node: it keeps being a main photo there, and leaves this one
    done.clear()
    dock.select_photo(pid)
    from plugin.photos.actions import ItemRef

    dock.move_selected(ItemRef("node", other["id"]))
    assert wait_for(lambda: done)
    assert pid not in (server_node(env, node["id"]).get("photos") or {})
    moved = server_node(env, other["id"])
    assert moved["photos"][pid]["association"] == "main" and main_count(moved) == 1


def test_section_selection_drop_event_and_large_batch_confirmation(env, monkeypatch):
    from qgis.PyQt.QtCore import QMimeData, QPoint, Qt, QUrl
    from qgis.PyQt.QtGui import QDropEvent
    from qgis.PyQt.QtWidgets import QMessageBox

    sandbox, dock, tmp = env["sandbox"], env["dock"], env["tmp"]
    conn = next(
        c
        for c in env["client"].list_connections(sandbox.job_id)
        if (c.get("sections") or {}).get("midpoint_section", {}).get("photos")
    )
    section = conn["sections"]["midpoint_section"]
    layer = env["layers"]["section"]
    ids = [
        f.id()
        for f in layer.getFeatures()
        if f["kp_id"] == "midpoint_section" and f["connection_id"] == conn["id"]
    ]
    layer.selectByIds(ids)
    assert dock.context.item.kind == "section" and dock.context.item.connection_id == conn["id"]
    assert dock.list.count() == len(section["photos"])
    # twelve files dropped on the dock: a large batch asks first, showing tokens and time
    folder = tmp / "many"
    folder.mkdir()
    node = env["client"].list_nodes(sandbox.job_id)[0]
    files = sorted(write_photos_near(folder, [node], 12, seed=41))
    asked = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in files])
    dock.drop_mode.setCurrentIndex(dock.drop_mode.findData(DROP_TRUE))
    done = []
    dock.finished.connect(done.append)
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    dock.dropEvent(event)
    assert wait_for(lambda: done, 90)
    assert (
        len(asked) == 1
        and "12 photo(s) to upload, 120 tokens" in asked[0]
        and "time needed" in asked[0]
    )
    fresh = env["client"].get_section(sandbox.job_id, conn["id"], "midpoint_section")
    assert len(fresh["photos"]) == len(section["photos"]) + 12
    assert dock.list.count() == len(fresh["photos"])
