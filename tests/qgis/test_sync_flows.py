"""Push and Pull from real QGIS layers (job GeoPackage opened in the project) against the sandbox.

The journal is written with sqlite3 while QGIS (OGR) holds the same GeoPackage
open; edits are made with ordinary edit sessions; the dock lists failures and
shows them on the map; conflicts are resolved through the controller the
conflict dialog calls.
"""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject

from plugin.api.pacing import CancelToken
from plugin.gui.conflict_dialog import ConflictDialog
from plugin.gui.sync_dock import SyncDock
from plugin.gui.sync_flows import SyncController, SyncError, conflicts_of
from plugin.layers.geopackage import stored_schema
from plugin.layers.load_task import download_job
from plugin.layers.project import open_job_gpkg
from plugin.sync.journal import Journal
from plugin.worker import SyncWorker
from tests.qgis.katapult_support import wait_until
from tests.unit.test_sync_support import make_client, start_sandbox


@pytest.fixture()
def job(qgis_app, qgis_new_project, tmp_path):
    sb = start_sandbox(sample_nodes=12, seed=6)
    client = make_client(sb.base_url)
    path = str(tmp_path / "job.gpkg")
    download_job(client, CancelToken(), None, sb.job_id, path=path)
    layers = open_job_gpkg(path, QgsProject.instance())
    worker = SyncWorker(make_client(sb.base_url))
    controller = SyncController(worker)
    yield sb, client, path, layers, worker, controller
    worker.shutdown()
    QgsProject.instance().clear()
    sb.stop()


def features(layer):
    idx = layer.fields().indexOf("kp_id")
    return {f[idx]: f for f in layer.getFeatures()}


def text_field(path, layer, feature):
    """A text attribute field holding a value on this feature."""
    for spec in stored_schema(path, "node"):
        if (
            spec.attribute
            and spec.kind == "text"
            and feature[spec.name] not in (None, "")
            and " | " not in str(feature[spec.name])
            and not str(feature[spec.name]).startswith(("{", "["))
        ):
            return spec
    raise AssertionError("no text attribute in the sample job")


def drain(worker, controller, path, job_id):
    done = []
    worker.drainFinished.connect(lambda st, msg, counts: done.append((st, counts)))
    controller.push((path, job_id))
    assert wait_until(lambda: done, 60)
    return done[-1]


def server_nodes(sb):
    return {n["id"]: n for n in json.loads(str(sb.store.list_nodes(sb.job_id, None, None)))}


def test_push_edits_made_with_qgis_tools(job):
    sb, client, path, layers, worker, controller = job
    nodes, spans = layers["node"], layers["connection"]
    feats = features(nodes)
    ids = sorted(feats)
    a, b = ids[0], ids[1]
    spec = text_field(path, nodes, feats[a])
    doomed = sorted(features(spans))[0]
    nodes.startEditing()
    nodes.changeAttributeValue(feats[a].id(), nodes.fields().indexOf(spec.name), "edited in QGIS")
    pb = feats[b].geometry().asPoint()
    nodes.changeGeometry(
        feats[b].id(), QgsGeometry.fromPointXY(QgsPointXY(pb.x() + 0.0002, pb.y()))
    )
    new = QgsFeature(nodes.fields())
    new.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(pb.x() + 0.001, pb.y() + 0.001)))
    nodes.addFeature(new)
    with pytest.raises(SyncError):
        controller.push((path, sb.job_id))  # unsaved edits are refused, nothing planned
    assert nodes.commitChanges()
    spans.startEditing()
    spans.deleteFeature(features(spans)[doomed].id())
    assert spans.commitChanges()

    status, counts = drain(worker, controller, path, sb.job_id)
    assert status == "drained" and counts["done"] == 4 and counts["failed"] == 0
    server = server_nodes(sb)
    assert list(server[a]["attributes"][spec.attribute].values()) == ["edited in QGIS"]
    assert server[b]["longitude"] == pytest.approx(pb.x() + 0.0002)
    new_ids = set(features(nodes)) - set(ids)
    assert len(new_ids) == 1  # the new feature got its client-chosen id written back
    (new_id,) = new_ids
    assert new_id in server and server[new_id]["latitude"] == pytest.approx(pb.y() + 0.001)
    assert doomed not in {c["id"] for c in client.list_connections(sb.job_id)}
    # pushing again plans nothing: base follows the server
    status, counts = drain(worker, controller, path, sb.job_id)
    assert counts["done"] == 4 and counts["pending"] == 0


def test_failed_operation_shows_beside_its_feature(job, qgis_iface):
    sb, client, path, layers, worker, controller = job
    nodes = layers["node"]
    feats = features(nodes)
    bad, good = sorted(feats)[:2]
    nodes.startEditing()
    nodes.changeGeometry(
        feats[bad].id(), QgsGeometry.fromPointXY(QgsPointXY(-77.0, 95.0))
    )  # lat > 90
    p = feats[good].geometry().asPoint()
    nodes.changeGeometry(
        feats[good].id(), QgsGeometry.fromPointXY(QgsPointXY(p.x(), p.y() + 0.0001))
    )
    assert nodes.commitChanges()
    dock = SyncDock(qgis_iface, worker)
    dock.set_job(path, sb.job_id)
    status, counts = drain(worker, controller, path, sb.job_id)
    assert status == "drained" and counts["failed"] == 1 and counts["done"] == 1
    dock.refresh()
    assert dock.failed_table.rowCount() == 1
    assert dock.failed_table.item(0, 1).text() == bad
    assert "latitude" in dock.failed_table.item(0, 2).text()
    dock._on_failed_clicked(0, 0)
    assert nodes.selectedFeatureIds() == [feats[bad].id()]
    sync = {f["kp_id"]: f["kp_sync"] for f in nodes.getFeatures()}
    assert str(sync[bad]).startswith("failed: ") and "latitude" in sync[bad]
    assert sync[good] in ("", None)
    assert "Failed: 1" in dock.counts_label.text()
    dock.deleteLater()


def test_pull_merges_and_conflicts_wait_for_the_user(job):
    sb, client, path, layers, worker, controller = job
    nodes = layers["node"]
    feats = features(nodes)
    a, d = sorted(feats)[2:4]
    spec_a = text_field(path, nodes, feats[a])
    spec_d = text_field(path, nodes, feats[d])
    # remote: another attribute on a; the same attribute on d
    client.update_node(
        sb.job_id, a, {"attributes": {"remote_note": {"-Nremote0000000000001": "theirs"}}}
    )
    inst_d = next(iter(json.loads(json.dumps(server_nodes(sb)[d]["attributes"][spec_d.attribute]))))
    client.update_node(sb.job_id, d, {"attributes": {spec_d.attribute: {inst_d: "theirs"}}})
    # local: saved edits on a and d
    nodes.startEditing()
    nodes.changeAttributeValue(feats[a].id(), nodes.fields().indexOf(spec_a.name), "mine")
    nodes.changeAttributeValue(feats[d].id(), nodes.fields().indexOf(spec_d.name), "mine")
    assert nodes.commitChanges()

    found, finished = [], []
    controller.conflictsFound.connect(found.append)
    controller.pullFinished.connect(lambda p, summary: finished.append(summary))
    controller.pull((path, sb.job_id))
    assert wait_until(lambda: finished, 30)
    assert finished[0]["merged"] == 1 and finished[0]["conflicts"] == 1 and found == [path]
    merged = features(nodes)[a]
    assert merged[spec_a.name] == "mine" and merged["remote_note"] == "theirs"
    # the conflict holds only d: pushing now sends a's edit, d waits
    status, counts = drain(worker, controller, path, sb.job_id)
    assert counts["held"] == 1 and counts["done"] == 1
    server = server_nodes(sb)
    assert list(server[a]["attributes"][spec_a.attribute].values()) == ["mine"]
    assert server[a]["attributes"]["remote_note"] == {"-Nremote0000000000001": "theirs"}
    assert server[d]["attributes"][spec_d.attribute] == {inst_d: "theirs"}
    # the dialog: take theirs for d
    records = conflicts_of(path)
    assert [(r["kind"], r["entity_id"]) for r in records] == [("node", d)]
    dialog = ConflictDialog(
        records, lambda rec, choice: controller.resolve(path, sb.job_id, rec, choice)
    )
    assert dialog.table.rowCount() == 1
    dialog.set_all("theirs")
    dialog.apply()
    assert dialog.resolved == 1 and not dialog.errors
    assert features(nodes)[d][spec_d.name] == "theirs"
    assert conflicts_of(path) == []
    status, counts = drain(worker, controller, path, sb.job_id)
    assert counts["held"] == 0 and counts["pending"] == 0
    j = Journal(path)
    assert all(op.entity_id != d for op in j.operations(["pending", "sent", "held"]))
    j.close()


def test_remote_delete_of_a_locally_edited_feature_keep_mine_recreates_it(job):
    sb, client, path, layers, worker, controller = job
    nodes = layers["node"]
    feats = features(nodes)
    victim = sorted(feats)[4]
    spec = text_field(path, nodes, feats[victim])
    for conn in client.list_connections(sb.job_id):  # the spans go with it, as a user would do
        if victim in (conn["node_id_1"], conn["node_id_2"]):
            client.delete_connection(sb.job_id, conn["id"])
    client.delete_node(sb.job_id, victim)
    nodes.startEditing()
    nodes.changeAttributeValue(feats[victim].id(), nodes.fields().indexOf(spec.name), "still here")
    assert nodes.commitChanges()
    finished = []
    controller.pullFinished.connect(lambda p, summary: finished.append(summary))
    controller.pull((path, sb.job_id))
    assert wait_until(lambda: finished, 30)
    records = conflicts_of(path)
    node_conflicts = [r for r in records if r["kind"] == "node"]
    assert [r["entity_id"] for r in node_conflicts] == [victim]
    assert [f["field"] for f in node_conflicts[0]["fields"]] == ["entity"]
    controller.resolve(path, sb.job_id, node_conflicts[0], default="mine")
    assert victim in features(nodes)  # the feature stays
    status, counts = drain(worker, controller, path, sb.job_id)
    assert status == "drained" and counts["failed"] == 0
    again = server_nodes(sb)[victim]  # re-created under the same id, with the local edit
    assert list(again["attributes"][spec.attribute].values()) == ["still here"]
