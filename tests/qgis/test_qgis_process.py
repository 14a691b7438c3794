"""Every Katapult algorithm through the real /usr/bin/qgis_process.bin, against the sandbox."""
from __future__ import annotations

import os

import pytest
from qgis.core import QgsVectorLayer

from tests.support.qgis_process import QGIS_PROCESS, QgisProcessError, make_profile, run_algorithm

pytestmark = pytest.mark.skipif(
    not os.path.exists(QGIS_PROCESS), reason="qgis_process not installed"
)


@pytest.fixture(scope="module")
def qgis_config(tmp_path_factory):
    return make_profile(tmp_path_factory.mktemp("qgis-config"))


def test_listjobs_download_and_qa_headless(qgis_config, sandbox, tmp_path):
    creds = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
    jobs = run_algorithm(qgis_config, "katapult:listjobs",
                         {"OUTPUT": tmp_path / "jobs.gpkg"}, **creds)
    assert jobs["COUNT"] >= 1
    listed = QgsVectorLayer(str(jobs["OUTPUT"]), "jobs", "ogr")
    assert sandbox.job_id in {f["job_id"] for f in listed.getFeatures()}

    gpkg = tmp_path / "job.gpkg"
    dl = run_algorithm(qgis_config, "katapult:downloadjob",
                       {"JOB_ID": sandbox.job_id, "OUTPUT": gpkg}, **creds)
    assert dl["NODES"] > 0 and os.path.exists(gpkg)

    qa = run_algorithm(qgis_config, "katapult:qa",
                       {"INPUT": gpkg, "OUTPUT": tmp_path / "qa.gpkg", "MAX_SPAN_M": 1.0})
    # every span of the sample job is longer than 1 m: each one is reported
    issues = QgsVectorLayer(str(qa["OUTPUT"]), "qa", "ogr")
    assert qa["COUNT"] == issues.featureCount()
    assert sum(1 for f in issues.getFeatures() if f["rule"] == "span_too_long") == dl["CONNECTIONS"]


def test_headless_without_key_fails_with_the_fix(qgis_config, tmp_path):
    with pytest.raises(QgisProcessError) as err:
        run_algorithm(qgis_config, "katapult:listjobs", {"OUTPUT": tmp_path / "j.gpkg"},
                      extra_env={"KATAPULT_API_KEY": ""})
    assert "KATAPULT_API_KEY" in str(err.value)


def test_push_pull_and_uploadphotos_headless(qgis_config, sandbox, tmp_path):
    """Edit the downloaded GeoPackage, push (twice: nothing is sent twice), change the server,
    pull, then upload a folder of generated JPEGs (twice: the rerun uploads nothing)."""
    from qgis.core import QgsGeometry, QgsPointXY

    from plugin.api.client import KatapultClient
    from plugin.model.attributes import display_value
    from plugin.sandbox import make_jpeg

    creds = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
    gpkg = tmp_path / "job.gpkg"
    run_algorithm(qgis_config, "katapult:downloadjob", {"JOB_ID": sandbox.job_id, "OUTPUT": gpkg},
                  **creds)
    nodes = QgsVectorLayer(f"{gpkg}|layername=nodes", "nodes", "ogr")
    poles = sorted((f for f in nodes.getFeatures() if f["node_type"] == "pole"),
                   key=lambda f: f.geometry().asPoint().x())
    moved, other = poles[1], poles[3]
    at = moved.geometry().asPoint()
    nodes.startEditing()
    nodes.changeAttributeValue(moved.id(), nodes.fields().indexOf("note"), "checked headless")
    nodes.changeGeometry(moved.id(), QgsGeometry.fromPointXY(QgsPointXY(at.x() + 5e-5, at.y())))
    assert nodes.commitChanges()
    del nodes

    pushed = run_algorithm(qgis_config, "katapult:push", {"INPUT": gpkg}, **creds)
    assert pushed["PLANNED"] == pushed["DONE"] == 1 and pushed["FAILED"] == 0
    client = KatapultClient(sandbox.base_url, sandbox.api_key)
    try:
        node = client.get_node(sandbox.job_id, moved["kp_id"])
        assert display_value(node["attributes"]["note"]) == "checked headless"
        assert node["longitude"] == pytest.approx(at.x() + 5e-5, abs=1e-9)
        count = len(client.list_nodes(sandbox.job_id))
        again = run_algorithm(qgis_config, "katapult:push", {"INPUT": gpkg}, **creds)
        assert again["PLANNED"] == again["SENT"] == 0
        assert len(client.list_nodes(sandbox.job_id)) == count

        server = client.get_node(sandbox.job_id, other["kp_id"])
        instance = next(iter(server["attributes"]["pole_height"]))
        client.update_node(sandbox.job_id, other["kp_id"],
                           {"attributes": {"pole_height": {instance: "90"}}})
        pulled = run_algorithm(qgis_config, "katapult:pull", {"INPUT": gpkg}, **creds)
        assert pulled["UPDATED"] >= 1 and pulled["CONFLICTS"] == 0
        nodes = QgsVectorLayer(f"{gpkg}|layername=nodes", "nodes", "ogr")
        heights = {f["kp_id"]: str(f["pole_height"]) for f in nodes.getFeatures()}
        assert heights[other["kp_id"]] == "90"

        folder = tmp_path / "photos"
        folder.mkdir()
        for name, pole in (("p1.jpg", poles[0]), ("p2.jpg", poles[2])):
            p = pole.geometry().asPoint()
            jpeg = make_jpeg(48, 32, (30, 90, len(name)), lat=p.y(), lon=p.x())
            (folder / name).write_bytes(jpeg)
        before = len(client.list_photos(sandbox.job_id))
        params = {"INPUT": gpkg, "FOLDER": folder, "MAX_DISTANCE": 5, "USE_TIME": "false",
                  "OUTPUT": tmp_path / "up.gpkg"}
        up = run_algorithm(qgis_config, "katapult:uploadphotos", params, **creds)
        assert up["UPLOADED"] == 2 and up["UNMATCHED"] == 0
        photos = client.list_photos(sandbox.job_id)
        assert len(photos) == before + 2
        located = {loc for p in photos for loc in (p.get("associated_locations") or {})}
        assert {poles[0]["kp_id"], poles[2]["kp_id"]} <= located
        rerun = run_algorithm(qgis_config, "katapult:uploadphotos",
                              dict(params, OUTPUT=tmp_path / "up2.gpkg"), **creds)
        assert rerun["UPLOADED"] == 0 and rerun["SKIPPED"] == 2
        assert len(client.list_photos(sandbox.job_id)) == before + 2
    finally:
        client.close()
