"""The QA dock on an open job: run, grouped findings, click to select, export."""
from __future__ import annotations

import csv

from qgis.core import QgsProject, QgsVectorLayer

from plugin.gui.qa_dock import QaDock
from plugin.layers.project import job_layers, open_job_gpkg
from tests.qgis.jobs_support import download_job


class FakePlugin:
    def __init__(self, iface):
        self.iface = iface
        self.cleanups = []

    def add_cleanup(self, fn):
        self.cleanups.append(fn)


def test_qa_dock_runs_groups_selects_and_exports(qgis_iface, qgis_new_project, sandbox, tmp_path):
    path = download_job(sandbox, tmp_path / "job.gpkg")
    open_job_gpkg(path, QgsProject.instance(), qgis_iface.mapCanvas())
    layers = job_layers(sandbox.job_id)
    nodes = layers["node"]
    # A local, unsaved edit counts: blank one pole's node_type in the edit buffer.
    pole = next(f for f in nodes.getFeatures() if f["node_type"] == "pole")
    nodes.startEditing()
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("node_type"), None)

    plugin = FakePlugin(qgis_iface)
    dock = QaDock(plugin)
    assert dock.job_combo.findData(sandbox.job_id) >= 0
    dock.job_combo.setCurrentIndex(dock.job_combo.findData(sandbox.job_id))
    dock.run_qa(wait=True)
    assert dock.issues, dock.status.text()
    missing = [i for i in dock.issues if i.rule == "node_missing_type"]
    assert [i.entity_id for i in missing] == [pole["kp_id"]]
    tops = [dock.tree.topLevelItem(n).text(0) for n in range(dock.tree.topLevelItemCount())]
    assert any(t.startswith("Nodes without node_type (1)") for t in tops)
    assert sum(dock.tree.topLevelItem(n).childCount()
               for n in range(dock.tree.topLevelItemCount())) == len(dock.issues)

    assert dock.select_issue(missing[0])
    assert [f["kp_id"] for f in nodes.selectedFeatures()] == [pole["kp_id"]]

    csv_path = tmp_path / "qa.csv"
    assert dock.export(str(csv_path)) == ""
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert len(rows) == len(dock.issues)
    gpkg_path = tmp_path / "qa.gpkg"
    assert dock.export(str(gpkg_path)) == ""
    exported = QgsVectorLayer(f"{gpkg_path}|layername=qa_issues", "qa", "ogr")
    assert exported.featureCount() == len(dock.issues)

    nodes.rollBack()
    dock.run_qa(wait=True)
    assert not [i for i in dock.issues if i.rule == "node_missing_type"]
    for fn in plugin.cleanups:
        fn()
    dock.deleteLater()
