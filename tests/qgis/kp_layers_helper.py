"""Test helper: Katapult-shaped layers (fields and custom properties from docs/contracts.md),
and mouse events on a canvas at map coordinates. Used until plugin/layers builds them."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt, QVariant

from plugin.maptools.job_layers import JobLayers

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
JOB = "-JOBtestJOBtestJOB01"
SCHEMA = {
    "node": ("Point", [("kp_id", QVariant.String), ("node_type", QVariant.String),
                       ("pole_height", QVariant.Int), ("proposed", QVariant.Bool),
                       ("kp_sync", QVariant.String)]),
    "connection": ("LineString", [("kp_id", QVariant.String), ("node_id_1", QVariant.String),
                                  ("node_id_2", QVariant.String),
                                  ("connection_type", QVariant.String)]),
    "section": ("Point", [("kp_id", QVariant.String), ("connection_id", QVariant.String),
                          ("note", QVariant.String)]),
}
NAMES = {"node": "nodes", "connection": "connections", "section": "sections"}


def _fields(spec) -> QgsFields:
    fields = QgsFields()
    for name, typ in spec:
        fields.append(QgsField(name, typ))
    return fields


def make_layers(gpkg: Optional[Path] = None, job_id: str = JOB) -> JobLayers:
    """Three empty Katapult layers (memory, or one GeoPackage when ``gpkg`` is given)."""
    layers = {}
    for kind, (geom, spec) in SCHEMA.items():
        if gpkg is None:
            names = {QVariant.String: "string", QVariant.Int: "integer", QVariant.Bool: "boolean"}
            uri = f"{geom}?crs=EPSG:4326&" + "&".join(f"field={n}:{names[t]}" for n, t in spec)
            layer = QgsVectorLayer(uri, NAMES[kind], "memory")
        else:
            opts = QgsVectorFileWriter.SaveVectorOptions()
            opts.driverName = "GPKG"
            opts.layerName = NAMES[kind]
            opts.actionOnExistingFile = (
                QgsVectorFileWriter.CreateOrOverwriteLayer if gpkg.exists()
                else QgsVectorFileWriter.CreateOrOverwriteFile)
            writer = QgsVectorFileWriter.create(str(gpkg), _fields(spec),
                                                QgsWkbTypes.parseType(geom), WGS84,
                                                QgsProject.instance().transformContext(), opts)
            assert writer.hasError() == QgsVectorFileWriter.NoError, writer.errorMessage()
            del writer
            layer = QgsVectorLayer(f"{gpkg}|layername={NAMES[kind]}", NAMES[kind], "ogr")
        assert layer.isValid(), kind
        layer.setCustomProperty("katapult/kind", kind)
        layer.setCustomProperty("katapult/job_id", job_id)
        layers[kind] = layer
    return JobLayers(job_id, layers["node"], layers["connection"], layers["section"])


def add_node(layers: JobLayers, kp_id: str, lonlat: Tuple[float, float],
             node_type: str = "pole") -> int:
    """Add a committed node; returns its fid."""
    f = QgsFeature(layers.nodes.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*lonlat)))
    f["kp_id"], f["node_type"] = kp_id, node_type
    ok, out = layers.nodes.dataProvider().addFeatures([f])
    assert ok
    layers.nodes.updateExtents()
    return out[0].id()


def add_span(layers: JobLayers, kp_id: str, a: str, b: str,
             coords: Sequence[Tuple[float, float]]) -> int:
    f = QgsFeature(layers.connections.fields())
    f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(*c) for c in coords]))
    f["kp_id"], f["node_id_1"], f["node_id_2"] = kp_id, a, b
    f["connection_type"] = "aerial cable"
    ok, out = layers.connections.dataProvider().addFeatures([f])
    assert ok
    return out[0].id()


def add_section(layers: JobLayers, kp_id: str, span_id: str, lonlat) -> int:
    f = QgsFeature(layers.sections.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*lonlat)))
    f["kp_id"], f["connection_id"] = kp_id, span_id
    ok, out = layers.sections.dataProvider().addFeatures([f])
    assert ok
    return out[0].id()


def by_kp(layer: QgsVectorLayer):
    return {f["kp_id"]: f for f in layer.getFeatures()}


def pixel_of(canvas: QgsMapCanvas, lonlat) -> QPoint:
    """Canvas pixel of a WGS84 position, whatever the canvas CRS."""
    xform = QgsCoordinateTransform(WGS84, canvas.mapSettings().destinationCrs(),
                                   QgsProject.instance())
    p = canvas.getCoordinateTransform().transform(xform.transform(QgsPointXY(*lonlat)))
    return QPoint(round(p.x()), round(p.y()))


def lonlat_of_pixel(canvas: QgsMapCanvas, pixel: QPoint):
    xform = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), WGS84,
                                   QgsProject.instance())
    p = xform.transform(canvas.getCoordinateTransform().toMapCoordinates(pixel.x(), pixel.y()))
    return (p.x(), p.y())


def mouse(canvas, tool, pixel: QPoint, button=Qt.LeftButton, move_first: bool = True) -> None:
    """Move to ``pixel`` then press/release ``button`` there, as the canvas would."""
    if move_first:
        tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.MouseMove, pixel, Qt.NoButton,
                                              Qt.NoButton, Qt.NoModifier))
    tool.canvasPressEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonPress, pixel, button,
                                           button, Qt.NoModifier))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, pixel, button,
                                             button, Qt.NoModifier))


def key(tool, qt_key) -> None:
    from qgis.PyQt.QtGui import QKeyEvent

    tool.keyPressEvent(QKeyEvent(QEvent.KeyPress, qt_key, Qt.NoModifier))
