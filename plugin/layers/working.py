"""Read the working copy back: layer features -> model rows and pure geometry; kp_base -> Snapshot.

What :func:`plugin.model.diff.diff_job` needs: ``working[kind] = {base_key:
(row, geom)}`` for features that carry a known Katapult id and ``new_items[kind]
= [(row, geom)]`` for the others.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer, QgsWkbTypes

from ..model.entities import Snapshot, build_snapshot
from .geopackage import connect

Row = Dict[str, Any]
Coords = Any


def plain(value: Any) -> Any:
    """A QGIS attribute value as plain Python (NULL -> None)."""
    if value is None:
        return None
    try:
        if value.isNull():  # QVariant NULL (qgis.core.NULL)
            return None
    except AttributeError:
        pass
    return value


def feature_row(feature: QgsFeature, names: Iterable[str]) -> Row:
    """``{field: value}`` of a feature (``fid`` left out, NULL -> None)."""
    attrs = feature.attributes()
    return {name: plain(attrs[i]) for i, name in names}


def geometry_coords(geom: Optional[QgsGeometry], kind: str) -> Coords:
    """``(lon, lat)`` for points, ``[(lon, lat), ...]`` for lines, None when empty."""
    if geom is None or geom.isNull() or geom.isEmpty():
        return None
    if kind == "connection":
        if QgsWkbTypes.isMultiType(geom.wkbType()):
            parts = geom.asMultiPolyline()
            line = parts[0] if parts else []
        else:
            line = geom.asPolyline()
        return [(p.x(), p.y()) for p in line] or None
    if QgsWkbTypes.isMultiType(geom.wkbType()):
        points = geom.asMultiPoint()
        if not points:
            return None
        point = points[0]
    else:
        point = geom.asPoint()
    return (point.x(), point.y())


def feature_key(kind: str, row: Mapping[str, Any]) -> Any:
    """The snapshot key a feature claims: its ``kp_id`` (sections: ``(connection_id, kp_id)``)."""
    kp_id = row.get("kp_id")
    if kind == "section":
        return (row.get("connection_id"), kp_id)
    return kp_id


def layer_rows(
    layer: QgsVectorLayer, kind: str, base_keys: Iterable[Any]
) -> Tuple[Dict[Any, Tuple[Row, Coords]], List[Tuple[Row, Coords]], Dict[Any, int]]:
    """``(working, new_items, fids)`` read from ``layer`` (edit buffer included).

    ``working`` maps base keys to ``(row, geom)``; features without a base key
    (new, or a copy carrying a key already seen) go to ``new_items``; ``fids``
    maps base keys to feature ids.
    """
    known = set(base_keys)
    names = [(i, f.name()) for i, f in enumerate(layer.fields()) if f.name() != "fid"]
    working: Dict[Any, Tuple[Row, Coords]] = {}
    new_items: List[Tuple[Row, Coords]] = []
    fids: Dict[Any, int] = {}
    for feature in layer.getFeatures():
        row = feature_row(feature, names)
        geom = geometry_coords(feature.geometry(), kind)
        key = feature_key(kind, row)
        if key in known and key not in working:
            working[key] = (row, geom)
            fids[key] = feature.id()
        else:
            new_items.append((row, geom))
    return working, new_items, fids


def base_entities(path: str) -> Dict[str, List[dict]]:
    """kp_base as server-shaped lists: nodes, connections (sections re-embedded), photos."""
    con = connect(path)
    try:
        rows = con.execute("SELECT kind, entity_id, parent_id, data FROM kp_base").fetchall()
    finally:
        con.close()
    nodes: List[dict] = []
    connections: Dict[str, dict] = {}
    sections: List[Tuple[str, str, dict]] = []
    photos: List[dict] = []
    for kind, entity_id, parent_id, data in rows:
        entity = json.loads(data)
        if kind == "node":
            nodes.append(entity)
        elif kind == "connection":
            entity.setdefault("id", entity_id)
            connections[entity_id] = entity
        elif kind == "section":
            sections.append((parent_id, entity_id, entity))
        elif kind == "photo":
            photos.append(entity)
    for parent_id, entity_id, entity in sections:
        conn = connections.get(parent_id)
        if conn is not None:
            conn.setdefault("sections", {})[entity_id] = entity
    return {"nodes": nodes, "connections": list(connections.values()), "photos": photos}


def base_snapshot(path: str) -> Snapshot:
    """The base snapshot stored in the GeoPackage, normalised by the model."""
    lists = base_entities(path)
    return build_snapshot(lists["nodes"], lists["connections"], lists["photos"])


def local_changes(path: str) -> List[Any]:
    """Changes the saved working copy in ``path`` holds against its base (model diff).

    Opens its own layer objects (safe in a background thread). Features that cannot be
    planned count as changes too. An empty list means re-downloading loses nothing.
    """
    from ..model.diff import DiffProblem, diff_job
    from .geopackage import LAYER_NAMES, stored_schema

    snap = base_snapshot(path)
    working: Dict[str, Any] = {}
    new_items: Dict[str, Any] = {}
    schemas: Dict[str, Any] = {}
    for kind, table in LAYER_NAMES.items():
        layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        if not layer.isValid():
            continue
        working[kind], new_items[kind], _ = layer_rows(layer, kind, snap.entities(kind).keys())
        schemas[kind] = stored_schema(path, kind)
    problems: List[DiffProblem] = []
    changes = diff_job(snap, working, schemas, new_items=new_items, problems=problems)
    return list(changes) + list(problems)
