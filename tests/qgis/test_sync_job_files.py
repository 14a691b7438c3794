"""The sync code opens a journal only inside an existing job GeoPackage.

Before: the sync dock took ``layer.source().split("|")[0]`` of every Katapult
tagged layer as the journal path, so a tagged memory layer made ``Journal()``
create an sqlite file named after the layer URI (``Point?crs=EPSG:4326&...``)
in the current directory.
"""

from __future__ import annotations

import os

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

from plugin.gui.sync_dock import SyncDock
from plugin.layers import geopackage as gpkg_mod
from plugin.layers import project as layers_project
from plugin.sync.journal import Journal, JournalError
from plugin.worker import SyncWorker

JOB = "-SyncJobFiles00000001"
NODES = [{"id": "-SJFnode000000000001", "latitude": 40.1, "longitude": -77.0, "attributes": {}}]


class RecordingController:
    def __init__(self) -> None:
        self.resumed: list = []

    def resume_pending(self, path: str, job_id: str) -> int:
        self.resumed.append((path, job_id))
        return 0


@pytest.fixture()
def dock(qgis_app, qgis_new_project, qgis_iface):
    worker = SyncWorker(show_task=False)  # no client: nothing here may reach a server
    dock = SyncDock(qgis_iface, worker)
    dock.controller = RecordingController()
    dock.watch_project(qgis_new_project)
    yield dock
    qgis_new_project.layersAdded.disconnect(dock._on_layers_added)
    qgis_new_project.clear()
    worker.shutdown()
    dock.deleteLater()


def test_journal_refuses_a_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere.gpkg"
    with pytest.raises(JournalError, match="does not exist"):
        Journal(str(missing))
    assert not missing.exists()
    journal = Journal(str(missing), create=True)  # explicitly asked: tests, tools
    try:
        assert journal.operations() == []
    finally:
        journal.close()
    assert missing.exists()


def test_a_tagged_memory_layer_leaves_no_file_behind(dock, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=kp_id:string", "nodes", "memory")
    layer.setCustomProperty(layers_project.PROP_KIND, "node")
    layer.setCustomProperty(layers_project.PROP_JOB, JOB)
    QgsProject.instance().addMapLayer(layer)
    dock.refresh()
    assert os.listdir(tmp_path) == []
    assert dock.controller.resumed == []
    assert dock.current_job() is None


def test_a_job_geopackage_is_found_by_its_property(dock, tmp_path):
    path = str(tmp_path / "job.gpkg")
    gpkg_mod.write_job_gpkg(gpkg_mod.JobData(JOB, "Files", NODES, [], []), path)
    layers_project.add_job_layers(path, zoom=False)
    assert set(dock.controller.resumed) == {(path, JOB)}  # once per layer added
    assert dock.current_job() == (path, JOB)
    # a tag pointing at a file that is not there (moved away) is ignored, never created
    gone = str(tmp_path / "moved.gpkg")
    for layer in layers_project.job_layers(JOB).values():
        layer.setCustomProperty(layers_project.PROP_GPKG, gone)
    assert dock.current_job() is None
    assert not os.path.exists(gone)


def test_the_photo_dock_ignores_a_tagged_layer_without_a_geopackage(
    qgis_iface, qgis_new_project, tmp_path, monkeypatch
):
    from plugin.gui.photo_dock import PhotoDock
    from plugin.photos.backend import PhotoBackend
    from plugin.photos.thumbs import ThumbCache

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=kp_id:string", "nodes", "memory")
    layer.setCustomProperty(layers_project.PROP_KIND, "node")
    layer.setCustomProperty(layers_project.PROP_JOB, JOB)
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["-SJFnode000000000001"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(-77.0, 40.1)))
    layer.dataProvider().addFeatures([feature])
    qgis_new_project.addMapLayer(layer)
    worker = SyncWorker(show_task=False)  # no client: nothing here may reach a server
    dock = PhotoDock(qgis_iface, PhotoBackend(worker, ThumbCache(str(tmp_path / "thumbs"))))
    try:
        layer.selectAll()
        dock.follow_selection(layer)
        assert dock.context is None
        assert "not part of a downloaded job" in dock.title.text()
        assert os.listdir(cwd) == []
    finally:
        worker.shutdown()
        dock.deleteLater()
