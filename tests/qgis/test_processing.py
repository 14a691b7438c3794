"""The Katapult Processing provider in real QGIS, against the sandbox over HTTP."""
from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from plugin.api.client import KatapultClient
from tests.qgis.jobs_support import download_job
from tests.qgis.processing_support import run

EXPECTED_IDS = {"katapult:listjobs", "katapult:downloadjob", "katapult:qa", "katapult:push",
                "katapult:pull", "katapult:uploadphotos"}








def test_provider_lists_algorithms(provider):
    ids = {a.id() for a in provider.algorithms()}
    assert EXPECTED_IDS <= ids


def test_listjobs_reads_the_server(provider, creds, tmp_path):
    out = str(tmp_path / "jobs.gpkg")
    results, _ = run("katapult:listjobs", {"OUTPUT": out})
    layer = QgsVectorLayer(results["OUTPUT"], "jobs", "ogr")
    ids = {f["job_id"] for f in layer.getFeatures()}
    assert creds.job_id in ids
    assert results["COUNT"] == layer.featureCount() >= 1


def test_listjobs_without_key_says_how_to_fix(provider, monkeypatch, tmp_path):
    monkeypatch.delenv("KATAPULT_API_KEY", raising=False)
    from qgis.core import QgsSettings

    QgsSettings().remove("katapult/auth_config_id")
    alg = QgsApplication.processingRegistry().createAlgorithmById("katapult:listjobs")
    feedback = QgsProcessingFeedback()
    _, ok = alg.run({"OUTPUT": str(tmp_path / "x.gpkg")}, QgsProcessingContext(), feedback)
    assert not ok
    assert "KATAPULT_API_KEY" in feedback.textLog()


def test_qa_finds_issues_in_the_working_copy(provider, sandbox, tmp_path):
    path = download_job(sandbox, tmp_path / "job.gpkg")
    results, _ = run("katapult:qa", {"INPUT": path, "OUTPUT": str(tmp_path / "qa.gpkg")})
    baseline = results["COUNT"]
    # Break the working copy: blank a pole's node_type and make two poles collide.
    nodes = QgsVectorLayer(f"{path}|layername=nodes", "nodes", "ogr")
    poles = [f for f in nodes.getFeatures() if f["node_type"] == "pole"]
    assert len(poles) >= 2
    nodes.startEditing()
    idx = nodes.fields().indexOf("node_type")
    nodes.changeAttributeValue(poles[0].id(), idx, None)
    nodes.changeGeometry(poles[2].id(), poles[1].geometry())
    assert nodes.commitChanges()
    results, _ = run("katapult:qa", {"INPUT": path, "OUTPUT": str(tmp_path / "qa2.gpkg")})
    issues = QgsVectorLayer(results["OUTPUT"], "qa", "ogr")
    found = {(f["rule"], f["entity_id"]) for f in issues.getFeatures()}
    assert ("node_missing_type", poles[0]["kp_id"]) in found
    assert any(r == "poles_too_close" for r, _ in found)
    assert results["COUNT"] > baseline
    assert results["ERRORS"] >= 2


def test_qa_refuses_a_file_that_is_not_a_job(provider, tmp_path):
    bogus = tmp_path / "other.gpkg"
    bogus.write_bytes(b"not a geopackage")
    alg = QgsApplication.processingRegistry().createAlgorithmById("katapult:qa")
    feedback = QgsProcessingFeedback()
    _, ok = alg.run({"INPUT": str(bogus), "OUTPUT": str(tmp_path / "o.gpkg")},
                    QgsProcessingContext(), feedback)
    assert not ok
    assert "Katapult job GeoPackage" in feedback.textLog()


def test_downloadjob_writes_the_job_gpkg(provider, creds, tmp_path):
    sandbox = creds
    out = str(tmp_path / "dl.gpkg")
    results, _ = run("katapult:downloadjob", {"JOB_ID": sandbox.job_id, "OUTPUT": out})
    nodes = QgsVectorLayer(f"{out}|layername=nodes", "nodes", "ogr")
    with KatapultClient(sandbox.base_url, sandbox.api_key) as client:
        server_nodes = client.list_nodes(sandbox.job_id)
    assert results["NODES"] == nodes.featureCount() == len(server_nodes) > 0
    assert results["CONNECTIONS"] > 0


def test_downloadjob_unknown_job_is_a_clear_error(provider, creds, tmp_path):
    alg = QgsApplication.processingRegistry().createAlgorithmById("katapult:downloadjob")
    feedback = QgsProcessingFeedback()
    _, ok = alg.run({"JOB_ID": "-NoSuchJob0000000000", "OUTPUT": str(tmp_path / "x.gpkg")},
                    QgsProcessingContext(), feedback)
    assert not ok
    assert "-NoSuchJob0000000000" in feedback.textLog() or "not found" in feedback.textLog().lower()
