"""katapult:push, katapult:pull and katapult:uploadphotos in real QGIS (alg.run), against the
sandbox over HTTP; assertions on the server's state."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsVectorLayer,
)

from plugin.api.client import KatapultClient
from plugin.layers.working import plain
from plugin.model.attributes import display_value
from plugin.sandbox import make_jpeg
from plugin.sync.journal import Journal
from tests.qgis.jobs_support import download_job
from tests.qgis.processing_support import run


def layer(path: str, name: str) -> QgsVectorLayer:
    lyr = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert lyr.isValid()
    return lyr


def poles(nodes: QgsVectorLayer) -> list:
    return sorted((f for f in nodes.getFeatures() if f["node_type"] == "pole"),
                  key=lambda f: f.geometry().asPoint().x())


def client_for(sandbox) -> KatapultClient:
    return KatapultClient(sandbox.base_url, sandbox.api_key)


def test_provider_has_the_sync_algorithms(provider):
    ids = {a.id() for a in provider.algorithms()}
    assert {"katapult:push", "katapult:pull", "katapult:uploadphotos"} <= ids


def test_push_sends_edits_once(provider, creds, tmp_path):
    sandbox = creds
    path = download_job(sandbox, tmp_path / "job.gpkg")
    nodes = layer(path, "nodes")
    pole = poles(nodes)[1]
    pid = pole["kp_id"]
    old = pole.geometry().asPoint()
    nodes.startEditing()
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("pole_height"), 65)
    nodes.changeGeometry(pole.id(), QgsGeometry.fromPointXY(QgsPointXY(old.x(), old.y() + 4e-5)))
    new = QgsFeature(nodes.fields())
    new.setAttribute("node_type", "pole")
    new.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(old.x(), old.y() + 4e-4)))
    nodes.addFeature(new)
    assert nodes.commitChanges()

    results, log = run("katapult:push", {"INPUT": path})
    assert results["PLANNED"] == results["DONE"] == 2
    assert results["FAILED"] == results["HELD"] == results["PENDING"] == 0
    assert "2 operation(s) planned" in log
    with client_for(sandbox) as client:
        server = {n["id"]: n for n in client.list_nodes(sandbox.job_id)}
    assert len(server) == 11
    assert display_value(server[pid]["attributes"]["pole_height"]) in (65, "65")
    assert server[pid]["latitude"] == pytest.approx(old.y() + 4e-5, abs=1e-9)
    new_id = next(f["kp_id"] for f in layer(path, "nodes").getFeatures()
                  if f["kp_id"] not in {pid} and f["kp_id"] in server
                  and server[f["kp_id"]]["latitude"] == pytest.approx(old.y() + 4e-4))
    assert display_value(server[new_id]["attributes"]["node_type"]) == "pole"

    again, _ = run("katapult:push", {"INPUT": path})
    assert again["PLANNED"] == again["SENT"] == again["DONE"] == 0
    with client_for(sandbox) as client:
        assert len(client.list_nodes(sandbox.job_id)) == 11


def test_push_reports_a_server_refusal_with_its_message(provider, creds, tmp_path):
    sandbox = creds
    path = download_job(sandbox, tmp_path / "job.gpkg")
    nodes = layer(path, "nodes")
    pole = poles(nodes)[0]
    # deleted on the server meanwhile: the update (onlyIfExists) is refused, not recreated
    with client_for(sandbox) as client:
        for conn in client.list_connections(sandbox.job_id):
            if pole["kp_id"] in (conn["node_id_1"], conn["node_id_2"]):
                client.delete_connection(sandbox.job_id, conn["id"])
        client.delete_node(sandbox.job_id, pole["kp_id"])
    nodes.startEditing()
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("pole_height"), 70)
    assert nodes.commitChanges()
    results, log = run("katapult:push", {"INPUT": path})
    assert results["FAILED"] == 1 and results["DONE"] == 0
    assert pole["kp_id"] in results["FAILURES"]
    assert "Failed: node " + pole["kp_id"] in log
    with client_for(sandbox) as client:
        assert pole["kp_id"] not in {n["id"] for n in client.list_nodes(sandbox.job_id)}


def test_push_names_a_file_that_is_not_a_job(provider, creds, tmp_path):
    bogus = tmp_path / "notajob.gpkg"
    bogus.write_bytes(b"nothing")
    _results, log = run("katapult:push", {"INPUT": str(bogus)}, ok=False)
    assert "notajob.gpkg is not a Katapult job GeoPackage" in log


def test_pull_takes_remote_changes_and_stores_conflicts(provider, creds, tmp_path):
    sandbox = creds
    path = download_job(sandbox, tmp_path / "job.gpkg")
    nodes = layer(path, "nodes")
    first, second = poles(nodes)[:2]
    with client_for(sandbox) as client:
        for node_id, height in ((first["kp_id"], 80), (second["kp_id"], 85)):
            node = client.get_node(sandbox.job_id, node_id)
            instance = next(iter(node["attributes"]["pole_height"]))
            client.update_node(sandbox.job_id, node_id,
                               {"attributes": {"pole_height": {instance: height}}})
    # the second pole's height was also changed here, differently: a true conflict
    nodes.startEditing()
    nodes.changeAttributeValue(second.id(), nodes.fields().indexOf("pole_height"), 20)
    assert nodes.commitChanges()

    results, log = run("katapult:pull", {"INPUT": path})
    assert results["UPDATED"] >= 1
    assert results["CONFLICTS"] == results["OPEN_CONFLICTS"] == 1
    assert "conflict dialog" in log
    heights = {f["kp_id"]: f["pole_height"] for f in layer(path, "nodes").getFeatures()}
    assert str(heights[first["kp_id"]]) == "80"
    assert str(heights[second["kp_id"]]) == "20"  # mine kept until the user decides
    journal = Journal(path)
    try:
        (record,) = journal.conflicts()
    finally:
        journal.close()
    assert record["entity_id"] == second["kp_id"]
    # the conflicted node is held, not pushed over the server's value
    pushed, _ = run("katapult:push", {"INPUT": path})
    assert pushed["DONE"] == 0 and pushed["HELD"] == 1
    with client_for(sandbox) as client:
        node = client.get_node(sandbox.job_id, second["kp_id"])
    assert display_value(node["attributes"]["pole_height"]) in (85, "85")


def test_pull_waits_for_unsent_edits(provider, creds, tmp_path):
    sandbox = creds
    path = download_job(sandbox, tmp_path / "job.gpkg")
    nodes = layer(path, "nodes")
    pole = poles(nodes)[0]
    nodes.startEditing()
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("pole_height"), 66)
    assert nodes.commitChanges()
    sandbox.stop()  # unreachable: the push leaves its operation pending
    _r, log = run("katapult:push", {"INPUT": path}, ok=False)
    assert "could not be reached" in log and "1 edit(s) wait" in log
    _r, log = run("katapult:pull", {"INPUT": path}, ok=False)
    assert "1 edits are still being sent" in log


def write_photos(folder, sandbox, nodes: QgsVectorLayer) -> dict:
    """Two JPEGs on two poles, one far from everything, one file that is not a JPEG."""
    folder.mkdir()
    targets = {}
    for name, pole in (("a.jpg", poles(nodes)[2]), ("b.jpg", poles(nodes)[4])):
        p = pole.geometry().asPoint()
        (folder / name).write_bytes(make_jpeg(64, 48, (200, 10 * len(targets), 40),
                                              lat=p.y() + 2e-5, lon=p.x()))
        targets[name] = pole["kp_id"]
    (folder / "far.jpg").write_bytes(make_jpeg(64, 48, (1, 2, 3), lat=41.0, lon=-78.0))
    (folder / "notes.jpg").write_bytes(b"this is not a photo")
    return targets


def photo_rows(results) -> dict:
    table = QgsVectorLayer(results["OUTPUT"], "photos", "ogr")
    names = table.fields().names()
    return {f["photo"]: {n: plain(f[n]) for n in names} for f in table.getFeatures()}


def test_uploadphotos_matches_uploads_once(provider, creds, tmp_path):
    sandbox = creds
    path = download_job(sandbox, tmp_path / "job.gpkg")
    targets = write_photos(tmp_path / "photos", sandbox, layer(path, "nodes"))
    with client_for(sandbox) as client:
        before = {p["id"] for p in client.list_photos(sandbox.job_id)}
    params = {"INPUT": path, "FOLDER": str(tmp_path / "photos"), "MAX_DISTANCE": 10,
              "USE_TIME": False, "ASSOCIATION": 1}

    dry, _ = run("katapult:uploadphotos", dict(params, DRY_RUN=True,
                                               OUTPUT=str(tmp_path / "dry.gpkg")))
    rows = photo_rows(dry)
    assert {rows[n]["status"] for n in targets} == {"would upload"}
    assert rows["far.jpg"]["status"] == "unmatched" and rows["far.jpg"]["target"] is None
    assert rows["notes.jpg"]["status"] == "refused" and "notes.jpg" in rows["notes.jpg"]["message"]
    assert (dry["MATCHED"], dry["UNMATCHED"], dry["REFUSED"], dry["UPLOADED"]) == (2, 1, 1, 0)
    with client_for(sandbox) as client:
        assert {p["id"] for p in client.list_photos(sandbox.job_id)} == before

    done, log = run("katapult:uploadphotos", dict(params, OUTPUT=str(tmp_path / "up.gpkg")))
    rows = photo_rows(done)
    assert done["UPLOADED"] == 2
    assert "Unmatched: far.jpg" in log and "Refused:" in log
    with client_for(sandbox) as client:
        photos = {p["id"]: p for p in client.list_photos(sandbox.job_id)}
        for name, node_id in targets.items():
            assert rows[name]["target"] == node_id and rows[name]["status"] == "uploaded"
            assert "m from" in rows[name]["evidence"]
            photo_id = rows[name]["photo_id"]
            assert photos[photo_id]["associated_locations"] == {node_id: "node"}
            node = client.get_node(sandbox.job_id, node_id)
            assert node["photos"][photo_id] == {"association": "main"}
    assert len(photos) == len(before) + 2

    again, _ = run("katapult:uploadphotos", dict(params, OUTPUT=str(tmp_path / "again.gpkg")))
    rows = photo_rows(again)
    assert again["UPLOADED"] == 0 and again["SKIPPED"] == 2
    assert {rows[n]["status"] for n in targets} == {"already uploaded"}
    with client_for(sandbox) as client:
        assert len(client.list_photos(sandbox.job_id)) == len(before) + 2


def test_uploadphotos_refuses_a_missing_folder(provider, creds, tmp_path):
    path = download_job(creds, tmp_path / "job.gpkg")
    _r, log = run("katapult:uploadphotos", {"INPUT": path, "FOLDER": str(tmp_path / "nope"),
                                            "OUTPUT": str(tmp_path / "o.gpkg")}, ok=False)
    assert "nope does not exist" in log


def test_algorithm_texts_are_translated_under_their_class(provider):
    """``self.tr`` strings are filed under the algorithm's class by ``make translations``;
    with the Spanish .qm loaded the algorithms speak Spanish (base-class strings too)."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from tests.conftest import ROOT

    translator = QTranslator()
    assert translator.load(str(ROOT / "i18n" / "katapult_es.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        alg = QgsApplication.processingRegistry().createAlgorithmById("katapult:uploadphotos")
        assert alg.tr("Folder of photos") == "Carpeta de fotos"
        assert alg.tr("Unmatched: {0}: {1}") == "Sin emparejar: {0}: {1}"
        push = QgsApplication.processingRegistry().createAlgorithmById("katapult:push")
        assert push.tr("Failed: {0}") != "Failed: {0}"
        assert push.tr("no such text") == "no such text"
        base_text = "Katapult API key (authentication configuration)"
        assert push.tr(base_text) != base_text
    finally:
        QCoreApplication.removeTranslator(translator)
