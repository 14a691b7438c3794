"""One job GeoPackage, two users: the QGIS layers (OGR) and the sync journal (sqlite3).

What went wrong: QGIS (with GDAL >= 3.4.2) opens a GeoPackage layer that is not
being edited read-only with GDAL's ``NOLOCK`` option when the file is not in WAL
mode. The journal switched the file to WAL; from then on such a layer read 0
features ("unable to open database file") until it was reloaded, and the push
planner saw every feature of that layer as deleted. A NOLOCK reader also reads
torn pages while the worker commits in rollback mode ("database disk image is
malformed"). These tests pin the conditions down and check the fix: the journal
never changes the file's journal mode, the job's layers keep locking (update
mode) connections while they are in the project, and a push refuses a layer
that reads nothing although the job has entities of its kind.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from qgis.core import QgsVectorLayer

from plugin.layers import geopackage as gpkg_mod
from plugin.layers import project as layers_project
from plugin.layers import sync_io
from plugin.sync import push
from plugin.sync.journal import Journal

JOB = "-GpkgConcurrency00001"
NODE_IDS = [f"-CCnode{i:013d}" for i in range(10)]
NODES = [
    {
        "id": nid,
        "latitude": 40.10 + i * 0.001,
        "longitude": -77.03,
        "attributes": {"node_type": {"-a": "pole"}, "pole_height": {"one": str(30 + i)}},
    }
    for i, nid in enumerate(NODE_IDS)
]
CONNS = [
    {
        "id": f"-CCspan{i:013d}",
        "node_id_1": NODE_IDS[i],
        "node_id_2": NODE_IDS[i + 1],
        "attributes": {"connection_type": {"button_added": "aerial cable"}},
        "sections": {"midpoint_section": {"latitude": 40.1005 + i * 0.001, "longitude": -77.03}},
    }
    for i in range(9)
]
COUNTS = {"node": 10, "connection": 9, "section": 9, "photo": 0}


@pytest.fixture()
def gpkg(qgis_app, tmp_path):
    path = str(tmp_path / "job.gpkg")
    gpkg_mod.write_job_gpkg(
        gpkg_mod.JobData(JOB, "Concurrency", NODES, CONNS, [], server_url="http://127.0.0.1:1"),
        path,
    )
    return path


def count(layer: QgsVectorLayer) -> int:
    return sum(1 for _ in layer.getFeatures())


def journal_mode(path: str) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    finally:
        con.close()


def journal_writes(path: str, rows: int = 1, tag: str = "x") -> None:
    """What the worker does: open the journal, one transaction, close."""
    journal = Journal(path)
    try:
        journal.set_base([("photo", f"-{tag}{i:019d}", None, {"id": i}) for i in range(rows)])
    finally:
        journal.close()


def plan_changes(path, layers):
    journal = Journal(path)
    try:
        snap = push.base_snapshot(journal)
        working, new_items, _fids = sync_io.read_working(layers, snap)
        schemas = {k: gpkg_mod.stored_schema(path, k) for k in ("node", "connection", "section")}
        return push.diff_working(journal, working, schemas, new_items).changes
    finally:
        journal.close()


def test_the_journal_never_changes_the_files_journal_mode(gpkg):
    assert journal_mode(gpkg) == "delete"
    journal_writes(gpkg)
    assert journal_mode(gpkg) == "delete"


def test_a_read_only_layer_still_reads_after_the_journal_wrote(gpkg):
    """The reported recipe: a layer QGIS opened read-only (NOLOCK) before the journal wrote."""
    layer = QgsVectorLayer(f"{gpkg}|layername=nodes", "nodes", "ogr")
    assert layer.isValid()
    assert count(layer) == 10  # iterating opens the read-only connection
    journal_writes(gpkg)
    assert count(layer) == 10
    journal_writes(gpkg, tag="y")  # the journal tables exist now: a second writer, same result
    assert count(layer) == 10


def test_job_layers_in_the_project_read_everything_after_the_journal_wrote(gpkg, qgis_new_project):
    layers = layers_project.add_job_layers(gpkg, zoom=False)
    assert {k: count(layer) for k, layer in layers.items()} == COUNTS
    journal_writes(gpkg)
    assert {k: count(layer) for k, layer in layers.items()} == COUNTS
    # the push planner sees what is there: nothing changed, nothing planned
    assert plan_changes(gpkg, layers) == []
    # QGIS editing one layer (it reopens the file for update) changes nothing either
    assert layers["section"].startEditing()
    journal_writes(gpkg, tag="z")
    assert layers["section"].rollBack()
    assert {k: count(layer) for k, layer in layers.items()} == COUNTS


def test_job_layers_keep_locking_connections_while_in_the_project(gpkg, qgis_new_project):
    layers = layers_project.add_job_layers(gpkg, zoom=False)
    # update mode: QGIS runs the file in WAL with locking connections (never NOLOCK)
    assert journal_mode(gpkg) == "wal"
    assert layers_project.hold_update_mode(layers.values()) == 4  # idempotent
    qgis_new_project.removeMapLayers([layer.id() for layer in layers.values()])
    # once the job's layers are gone QGIS puts the file back in rollback mode
    assert journal_mode(gpkg) == "delete"


def test_layers_read_whole_while_the_worker_commits(gpkg, qgis_new_project):
    """Reads on the main thread while the worker commits big journal transactions."""
    layers = layers_project.add_job_layers(gpkg, zoom=False)
    nodes = layers["node"]
    assert count(nodes) == 10
    writes = [0]
    stop = threading.Event()
    errors: list = []

    def worker() -> None:
        try:
            journal = Journal(gpkg)
            try:
                while not stop.is_set():
                    journal.set_base(
                        [("photo", f"-w{i:019d}", None, {"pad": "x" * 2000}) for i in range(300)]
                    )
                    writes[0] += 1
            finally:
                journal.close()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    short = []
    reads = 0
    try:
        while (reads < 50 or writes[0] < 8) and not errors and reads < 20000:
            n = count(nodes)
            reads += 1
            if n != 10:
                short.append(n)
    finally:
        stop.set()
        thread.join(60)
    assert not errors
    assert writes[0] >= 8
    assert short == [], f"{len(short)} of {reads} reads were short during {writes[0]} commits"


def test_push_refuses_a_layer_that_reads_nothing(gpkg, qgis_new_project):
    layers = layers_project.add_job_layers(gpkg, zoom=False)
    layers["node"].setSubsetString("fid < 0")  # stands for a broken data source: reads nothing
    with pytest.raises(sync_io.SyncError) as err:
        sync_io.prepare_push(gpkg, layers)
    assert "reads no features although the job has 10" in str(err.value)
    assert "reload the job and push again" in str(err.value)
    with pytest.raises(sync_io.SyncError, match="reads no features although the job has 10"):
        plan_changes(gpkg, layers)
    journal = Journal(gpkg)
    try:
        assert journal.operations() == []  # nothing planned, certainly no mass delete
    finally:
        journal.close()


def test_a_layer_emptied_on_purpose_is_still_pushed(gpkg, qgis_new_project):
    layers = layers_project.add_job_layers(gpkg, zoom=False)
    sections = layers["section"]
    assert sections.startEditing()
    assert sections.deleteFeatures([f.id() for f in sections.getFeatures()])
    assert sections.commitChanges(), sections.commitErrors()
    rows, schemas = sync_io.prepare_push(gpkg, layers)
    result = sync_io.commit_push(gpkg, JOB, rows, schemas)
    assert result["ops"] == 9
    journal = Journal(gpkg)
    try:
        ops = journal.operations()
    finally:
        journal.close()
    assert {(op.kind, op.method) for op in ops} == {("section", "DELETE")}
