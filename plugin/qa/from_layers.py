"""QGIS adapter: the working copy (job layers) as a :class:`QaJob` for the pure rules."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Dict, Optional

from qgis.core import QgsVectorLayer

from ..layers.working import geometry_coords, plain
from ..model.flatten import SYSTEM_FIELDS
from .rules import QaJob, QaNode, QaSection, QaSpan

_SYSTEM = {spec.name for specs in SYSTEM_FIELDS.values() for spec in specs}


def _values(feature) -> Dict[str, Any]:
    """Attribute fields (system fields left out) as plain Python values."""
    return {
        field.name(): plain(feature[field.name()])
        for field in feature.fields()
        if field.name() not in _SYSTEM and field.name() != "fid"
    }


def base_photo_maps(gpkg_path: str) -> Dict[tuple, dict]:
    """``{(kind, parent_id, id): photos map}`` from the job's base snapshot (``kp_base``)."""
    out: Dict[tuple, dict] = {}
    try:
        con = sqlite3.connect(f"file:{gpkg_path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return out
    try:
        rows = con.execute(
            "SELECT kind, ifnull(parent_id, ''), entity_id, data FROM kp_base"
            " WHERE kind IN ('node', 'section')"
        ).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        con.close()
    for kind, parent, eid, data in rows:
        try:
            photos = json.loads(data).get("photos") or {}
        except (ValueError, AttributeError):
            photos = {}
        out[(kind, parent, eid)] = photos if isinstance(photos, dict) else {}
    return out


def job_from_layers(
    nodes: QgsVectorLayer,
    connections: Optional[QgsVectorLayer] = None,
    sections: Optional[QgsVectorLayer] = None,
    photo_maps: Optional[Dict[tuple, dict]] = None,
) -> QaJob:
    """Read the three job layers (EPSG:4326, edit buffers included) into a :class:`QaJob`."""
    photo_maps = photo_maps or {}
    job = QaJob()
    for f in nodes.getFeatures():
        lon, lat = geometry_coords(f.geometry(), "node") or (None, None)
        kid = str(plain(f["kp_id"]) or "")
        job.nodes.append(QaNode(kid, lon, lat, _values(f), photo_maps.get(("node", "", kid), {})))
    for f in connections.getFeatures() if connections is not None else ():
        coords = geometry_coords(f.geometry(), "connection")
        job.spans.append(QaSpan(
            str(plain(f["kp_id"]) or ""), plain(f["node_id_1"]), plain(f["node_id_2"]),
            coords if coords and len(coords) >= 2 else None, _values(f),
        ))
    for f in sections.getFeatures() if sections is not None else ():
        lon, lat = geometry_coords(f.geometry(), "section") or (None, None)
        sid, cid = str(plain(f["kp_id"]) or ""), str(plain(f["connection_id"]) or "")
        job.sections.append(QaSection(
            sid, cid, lon, lat, _values(f), photo_maps.get(("section", cid, sid), {})
        ))
    return job


def job_from_gpkg(path: str) -> QaJob:
    """A :class:`QaJob` from a job GeoPackage on disk (layers nodes/connections/sections)."""
    layers = {
        name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        for name in ("nodes", "connections", "sections")
    }
    if not layers["nodes"].isValid():
        raise ValueError(f"{path} has no 'nodes' layer: is it a Katapult job GeoPackage?")
    return job_from_layers(
        layers["nodes"],
        layers["connections"] if layers["connections"].isValid() else None,
        layers["sections"] if layers["sections"].isValid() else None,
        base_photo_maps(path),
    )
