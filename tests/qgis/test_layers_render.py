"""The styled job renders: the sample job with Katapult-like symbols (picture saved to look at)."""

from __future__ import annotations

from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from plugin.api.pacing import CancelToken
from plugin.layers.load_task import download_job
from plugin.layers.project import open_job_gpkg
from tests.conftest import ARTIFACTS
from tests.qgis.test_layers_gpkg import make_client


def colour_count(image, predicate, step: int = 2) -> int:
    hits = 0
    for x in range(0, image.width(), step):
        for y in range(0, image.height(), step):
            if predicate(QColor(image.pixel(x, y))):
                hits += 1
    return hits


def test_sample_job_renders_with_katapult_symbols(sandbox_factory, tmp_path, qgis_new_project):
    server = sandbox_factory(sample_nodes=60, seed=2, time_scale=60)
    path = str(tmp_path / "job.gpkg")
    download_job(make_client(server), CancelToken(), None, server.job_id, path=path)
    layers = open_job_gpkg(path, QgsProject.instance())
    types = {f["node_type"] for f in layers["node"].getFeatures()}
    settings = QgsMapSettings()
    settings.setLayers([layers["node"], layers["section"], layers["connection"]])
    settings.setDestinationCrs(layers["node"].crs())
    settings.setOutputSize(QSize(900, 900))
    extent = layers["node"].extent()
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(str(ARTIFACTS / "layers_sample_job.png"))
    black = colour_count(image, lambda c: c.red() < 40 and c.green() < 40 and c.blue() < 40)
    assert black > 50, "poles (black) and aerial spans should be drawn"
    if "reference" in types:
        magenta = colour_count(image, lambda c: c.red() > 200 and c.green() < 60 and c.blue() > 200)
        assert magenta > 0, "reference nodes/spans are magenta"
    if types & {"existing anchor", "new anchor"}:
        pink = colour_count(
            image, lambda c: c.red() > 230 and 80 < c.green() < 130 and 150 < c.blue() < 210
        )
        assert pink > 0, "anchors are pink"
    QgsProject.instance().clear()
