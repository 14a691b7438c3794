"""Put a job's GeoPackage layers into the QGIS project: group, properties, styles, forms, zoom.

Layers are found again by their custom properties (``katapult/kind``,
``katapult/job_id``), never by name. Everything here reads the GeoPackage only,
so a downloaded job reopens with no network (:func:`open_job_gpkg`).
"""

from __future__ import annotations

import json
import os
from typing import Dict, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt import sip

from ..paths import STYLES
from .forms import apply_forms
from .geopackage import KINDS, LAYER_NAMES, PHOTOS_TABLE, GpkgError, read_meta, tr

PROP_KIND = "katapult/kind"
PROP_JOB = "katapult/job_id"
PROP_GPKG = "katapult/gpkg"
#: layer id -> address of the provider that hold_update_mode put in update mode
_HELD: Dict[str, int] = {}
STYLE_FILES = {"node": "nodes.qml", "connection": "connections.qml", "section": "sections.qml"}
ALL_KINDS = KINDS + ("photo",)
TABLE_NAMES = dict(LAYER_NAMES, photo=PHOTOS_TABLE)


def job_layers(job_id: str, project: Optional[QgsProject] = None) -> Dict[str, QgsVectorLayer]:
    """``{kind: layer}`` of the job's layers in the project (node/connection/section/photo)."""
    project = project or QgsProject.instance()
    out: Dict[str, QgsVectorLayer] = {}
    for layer in project.mapLayers().values():
        if (
            layer.customProperty(PROP_JOB) == job_id
            and layer.customProperty(PROP_KIND) in ALL_KINDS
        ):
            out[layer.customProperty(PROP_KIND)] = layer
    return out


def is_job_layer(layer) -> bool:
    """True for a layer of a Katapult job (node/connection/section/photo, with a job id)."""
    return (
        isinstance(layer, QgsVectorLayer)
        and bool(layer.customProperty(PROP_JOB))
        and layer.customProperty(PROP_KIND) in ALL_KINDS
    )


def layer_gpkg(layer) -> Optional[str]:
    """The job GeoPackage behind a job layer (``katapult/gpkg``), only if that file exists."""
    path = layer.customProperty(PROP_GPKG) if is_job_layer(layer) else None
    if not path or not os.path.isfile(str(path)):
        return None
    try:
        with open(str(path), "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return None
    except OSError:
        return None
    return str(path)


def first_job(project: Optional[QgsProject] = None) -> Optional[Tuple[str, str]]:
    """``(gpkg path, job id)`` of the first job layer in the project whose GeoPackage exists."""
    project = project or QgsProject.instance()
    for layer in project.mapLayers().values():
        path = layer_gpkg(layer)
        if path:
            return path, str(layer.customProperty(PROP_JOB))
    return None


def hold_update_mode(layers) -> int:
    """Keep the job layers' OGR connections in update mode while they are in the project.

    Read-only, QGIS opens a GeoPackage with GDAL's ``NOLOCK`` option (unless the file is
    in WAL mode): such a reader takes no locks, so it reads torn pages while the sync
    worker commits to the journal tables of the same file, and it cannot read the file at
    all once it is in WAL mode. In update mode QGIS runs the file in WAL with locking
    connections (as while editing), so readers and the worker's writes never disturb each
    other. Returns how many layers are now held; layers already held are left alone.
    """
    held = 0
    for layer in layers:
        if not is_job_layer(layer) or layer.providerType() != "ogr":
            continue
        provider = layer.dataProvider()
        if provider is None:
            continue
        address = sip.unwrapinstance(provider)
        if _HELD.get(layer.id()) == address:
            held += 1
            continue
        if provider.enterUpdateMode():
            _HELD[layer.id()] = address
            held += 1
    return held


def job_group(job_id: str, project: Optional[QgsProject] = None) -> Optional[QgsLayerTreeGroup]:
    """The layer-tree group holding the job's layers, if any."""
    project = project or QgsProject.instance()
    for group in project.layerTreeRoot().findGroups(True):
        if group.customProperty(PROP_JOB) == job_id:
            return group
    return None


def remove_job_layers(job_id: str, project: Optional[QgsProject] = None) -> int:
    """Remove the job's layers and group from the project; returns how many layers went."""
    project = project or QgsProject.instance()
    layers = job_layers(job_id, project)
    if layers:
        project.removeMapLayers([layer.id() for layer in layers.values()])
    group = job_group(job_id, project)
    if group is not None and group.parent() is not None:
        group.parent().removeChildNode(group)
    return len(layers)


def apply_style(layer: QgsVectorLayer, kind: str, pick_lists: Optional[dict] = None) -> None:
    """Load the kind's .qml (renderer, labels, forms), then widgets for this layer's fields."""
    style = STYLE_FILES.get(kind)
    if style:
        message, ok = layer.loadNamedStyle(str(STYLES / style))
        if not ok:
            raise GpkgError(
                tr("Cannot apply style {style}: {message}").format(style=style, message=message)
            )
    apply_forms(layer, pick_lists)


def layer_extent_4326(layers: Dict[str, QgsVectorLayer]) -> QgsRectangle:
    """Union of the nodes' and connections' extents (EPSG:4326)."""
    extent = QgsRectangle()
    extent.setMinimal()
    for kind in ("node", "connection", "section"):
        layer = layers.get(kind)
        if layer is not None and layer.featureCount() > 0:
            layer_extent = layer.extent()
            if not layer_extent.isNull():
                extent.combineExtentWith(layer_extent)
    return extent


def zoom_to_job(
    canvas, layers: Dict[str, QgsVectorLayer], project: Optional[QgsProject] = None
) -> bool:
    """Zoom ``canvas`` to the job (with a margin); False when the job has nothing drawn."""
    if canvas is None:
        return False
    extent = layer_extent_4326(layers)
    if extent.isNull() or extent.xMinimum() > extent.xMaximum():
        return False
    project = project or QgsProject.instance()
    dest = canvas.mapSettings().destinationCrs()
    if dest.isValid() and dest.authid() != "EPSG:4326":
        transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), dest, project)
        extent = transform.transformBoundingBox(extent)
    if extent.width() == 0 and extent.height() == 0:
        pad = 0.001 if not dest.isValid() or dest.isGeographic() else 100.0
        extent.grow(pad)
    else:
        extent.scale(1.1)
    canvas.setExtent(extent)
    canvas.refresh()
    return True


def add_job_layers(
    path: str, project: Optional[QgsProject] = None, canvas=None, zoom: bool = True
) -> Dict[str, QgsVectorLayer]:
    """Add the GeoPackage's layers to the project in a group named after the job.

    Replaces the job's layers already in the project (same job id). Returns
    ``{kind: layer}`` for node, connection, section and photo.
    """
    project = project or QgsProject.instance()
    if not os.path.exists(path):
        raise GpkgError(tr("{path} does not exist; download the job first.").format(path=path))
    meta = read_meta(path)
    job_id = meta.get("job_id")
    if not job_id:
        raise GpkgError(
            tr("{path} is not a Katapult job GeoPackage (no kp_meta job id).").format(path=path)
        )
    name = meta.get("job_name") or job_id
    pick_lists = json.loads(meta["pick_lists"]) if meta.get("pick_lists") else None
    layers: Dict[str, QgsVectorLayer] = {}
    for kind in ALL_KINDS:
        table = TABLE_NAMES[kind]
        layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        if not layer.isValid():
            raise GpkgError(
                tr("Layer {table} in {path} cannot be opened; download the job again.").format(
                    table=table, path=path
                )
            )
        if kind == "photo":
            apply_forms(layer)
        else:
            apply_style(layer, kind, pick_lists)  # before the properties: a .qml replaces them
        layer.setCustomProperty(PROP_KIND, kind)
        layer.setCustomProperty(PROP_JOB, job_id)
        layer.setCustomProperty(PROP_GPKG, path)
        layers[kind] = layer
    remove_job_layers(job_id, project)
    root = project.layerTreeRoot()
    group = root.insertGroup(0, name)
    group.setCustomProperty(PROP_JOB, job_id)
    for kind in ("node", "section", "connection", "photo"):  # drawing order: nodes on top
        project.addMapLayer(layers[kind], False)
        group.addLayer(layers[kind])
    hold_update_mode(layers.values())  # before anyone reads them: see hold_update_mode
    if zoom:
        zoom_to_job(canvas, layers, project)
    return layers


def open_job_gpkg(
    path: str, project: Optional[QgsProject] = None, canvas=None
) -> Dict[str, QgsVectorLayer]:
    """Reopen a downloaded job from its GeoPackage alone (no network needed)."""
    return add_job_layers(path, project, canvas, zoom=True)
