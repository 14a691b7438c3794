"""Refresh a downloaded job: pull what changed and update the features the user did not change.

Two halves so a background worker can run the first: :func:`fetch_refresh`
(HTTP only: nodes changed since the last pull, all connections with their
sections, all photos) and :func:`apply_refresh` (main thread: layers, kp_base,
kp_meta). Local edits are detected with :func:`plugin.model.diff.diff_entity`
and never overwritten; they are listed in the :class:`RefreshReport`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from qgis.core import QgsFeature, QgsField, QgsVectorLayer

from ..model.diff import DiffError, diff_entity
from ..model.entities import (
    normalize_connection,
    normalize_node,
    normalize_photo,
    normalize_section,
)
from ..model.flatten import FieldSpec, extend_schema, flatten, geometry
from .geopackage import (
    LAYER_NAMES,
    QT_TYPES,
    GpkgError,
    bulk_build,
    connect,
    make_geometry,
    max_last_updated,
    now_iso,
    photo_row,
    photo_schema,
    read_base,
    read_meta,
    schema_from_json,
    schema_to_json,
    stored_schema,
    tr,
    write_meta,
)
from .refresh_plan import RefreshPlan, keyed, plan_refresh, remote_sections, touched_nodes
from .working import base_snapshot, layer_rows

KINDS = ("node", "connection", "section")
INSERT_BASE = "INSERT OR REPLACE INTO kp_base (kind, entity_id, parent_id, data) VALUES (?,?,?,?)"
DELETE_BASE = "DELETE FROM kp_base WHERE kind=? AND entity_id=? AND ifnull(parent_id,'')=?"


@dataclass
class RefreshData:
    """What the refresh GETs returned."""

    job_id: str
    nodes: List[dict]
    connections: List[dict]
    photos: List[dict]
    pulled_at: str
    nodes_full: bool  # True when ``nodes`` is the whole list (no last_updated filter)


@dataclass
class RefreshReport:
    """What a refresh changed and what it left alone."""

    updated: Dict[str, int] = field(default_factory=dict)
    added: Dict[str, int] = field(default_factory=dict)
    deleted: Dict[str, int] = field(default_factory=dict)
    kept_local: List[Tuple[str, Any, str]] = field(default_factory=list)  # (kind, key, reason)
    problems: List[str] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph for the message bar / log."""
        text = tr("updated {u}, added {a}, deleted {d}").format(
            u=sum(self.updated.values()), a=sum(self.added.values()), d=sum(self.deleted.values())
        )
        if self.kept_local:
            text += "; " + tr("{n} feature(s) changed here were not overwritten: {items}").format(
                n=len(self.kept_local),
                items=", ".join(f"{kind} {key}" for kind, key, _ in self.kept_local[:10]),
            )
        if self.problems:
            text += "; " + tr("{n} problem(s), see the Katapult log").format(n=len(self.problems))
        return text


CURSOR_MARGIN_S = 2.0


def refresh_since(meta: Mapping[str, str], margin_s: float = CURSOR_MARGIN_S) -> Optional[str]:
    """The ``last_updated`` to ask nodes for: the newest one seen, minus a small margin.

    The cursor is a server timestamp (no local clock involved); the margin re-reads
    nodes written in the same instant, which the plan then finds unchanged.
    None (all nodes) when the file has no cursor.
    """
    cursor = (meta or {}).get("nodes_cursor") or ""
    if not cursor:
        return None
    try:
        moment = datetime.fromisoformat(cursor.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    earlier = (moment - timedelta(seconds=margin_s)).astimezone(timezone.utc)
    return earlier.strftime("%Y-%m-%dT%H:%M:%S.") + f"{earlier.microsecond // 1000:03d}Z"


def fetch_refresh(
    client, job_id: str, since: Optional[str], *, cancel=None, lane: str = "bulk"
) -> RefreshData:
    """The refresh GETs (off the GUI thread): nodes since ``since``, all connections and photos."""
    pulled_at = now_iso()
    nodes = client.list_nodes(job_id, last_updated=since or None, lane=lane, cancel=cancel) or []
    connections = client.list_connections(job_id, lane=lane, cancel=cancel) or []
    photos = client.list_photos(job_id, lane=lane, cancel=cancel) or []
    return RefreshData(
        job_id, list(nodes), list(connections), list(photos), pulled_at, nodes_full=not since
    )


def _normalise(kind: str, raw: Mapping[str, Any], key: Any) -> dict:
    if kind == "node":
        return normalize_node(raw, [])
    if kind == "connection":
        return normalize_connection(raw, [])
    return normalize_section(raw, key[0], key[1], [])


def _check_saved(layers: Mapping[str, QgsVectorLayer]) -> None:
    for layer in layers.values():
        if layer.isEditable() and layer.isModified():
            raise GpkgError(
                tr(
                    "Layer {name} has unsaved edits; save or discard them, then refresh again."
                ).format(name=layer.name())
            )


def _add_fields(layer: QgsVectorLayer, added: List[FieldSpec]) -> None:
    if not added:
        return
    if not layer.dataProvider().addAttributes([QgsField(s.name, QT_TYPES[s.kind]) for s in added]):
        raise GpkgError(tr("Cannot add fields to {name}.").format(name=layer.name()))
    layer.updateFields()


def _field_values(
    layer: QgsVectorLayer, row: Mapping[str, Any], skip: Tuple[str, ...] = ("kp_sync",)
) -> Dict[int, Any]:
    fields = layer.fields()
    return {
        fields.indexOf(name): value
        for name, value in row.items()
        if name not in skip and fields.indexOf(name) >= 0
    }


def _apply_kind(
    kind: str,
    layer: QgsVectorLayer,
    plan: RefreshPlan,
    schema: List[FieldSpec],
    fids: Mapping[Any, int],
    nodes_by_id: Mapping[str, Mapping],
    report: RefreshReport,
) -> Tuple[List[FieldSpec], Dict[Any, dict]]:
    """Write one kind's plan to its layer; returns (schema, {key: normalised entity written})."""
    entities = {key: _normalise(kind, raw, key) for key, raw in {**plan.update, **plan.add}.items()}
    schema, added = extend_schema(schema, kind, entities.values())
    _add_fields(layer, added)
    provider = layer.dataProvider()
    attr_changes: Dict[int, Dict[int, Any]] = {}
    geom_changes: Dict[int, Any] = {}
    new_features: List[QgsFeature] = []
    written: Dict[Any, dict] = {}
    for key, entity in entities.items():
        try:
            row = flatten(kind, entity, schema)
        except ValueError as exc:
            report.problems.append(str(exc))
            report.kept_local.append((kind, key, tr("server value does not fit the field")))
            continue
        geom = make_geometry(kind, geometry(kind, entity, nodes_by_id))
        if key in plan.update and key in fids:
            attr_changes[fids[key]] = _field_values(layer, row)
            if geom is not None:
                geom_changes[fids[key]] = geom
        else:
            feature = QgsFeature(layer.fields())
            feature.setAttributes([row.get(f.name()) for f in layer.fields()])
            if geom is not None:
                feature.setGeometry(geom)
            new_features.append(feature)
        written[key] = entity
    if attr_changes and not provider.changeAttributeValues(attr_changes):
        raise GpkgError(tr("Cannot update features of {name}.").format(name=layer.name()))
    if geom_changes and not provider.changeGeometryValues(geom_changes):
        raise GpkgError(tr("Cannot update geometries of {name}.").format(name=layer.name()))
    if new_features and not provider.addFeatures(new_features)[0]:
        raise GpkgError(tr("Cannot add features to {name}.").format(name=layer.name()))
    delete_fids = [fids[key] for key in plan.delete if key in fids]
    if delete_fids and not provider.deleteFeatures(delete_fids):
        raise GpkgError(tr("Cannot delete features of {name}.").format(name=layer.name()))
    report.updated[kind] = sum(1 for k in written if k in plan.update)
    report.added[kind] = sum(1 for k in written if k not in plan.update)
    report.deleted[kind] = len(delete_fids)
    return schema, written


def _locally_changed(
    kind: str, working: Mapping[Any, Tuple[dict, Any]], snap, schema: List[FieldSpec]
) -> set:
    """Base keys whose working copy differs from base (missing = deleted here)."""
    changed = set()
    for key, entity in snap.entities(kind).items():
        if key not in working:
            changed.add(key)
            continue
        row, geom = working[key]
        try:
            if diff_entity(kind, entity, row, geom, schema) is not None:
                changed.add(key)
        except DiffError:
            changed.add(key)
    return changed


def file_stamp(path: str) -> Tuple[Any, ...]:
    """Changes whenever the GeoPackage (or its write-ahead log) is written."""
    out = []
    for name in (path, path + "-wal"):
        try:
            st = os.stat(name)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


@dataclass
class PreparedRefresh:
    """Everything :func:`apply_refresh` decides before writing (computable off the GUI thread)."""

    data: RefreshData
    stamp: Tuple[Any, ...]
    snap: Any
    schemas: Dict[str, List[FieldSpec]]
    changed: Dict[str, set]
    fids: Dict[str, Dict[Any, int]]
    positions: Dict[str, dict]
    base_photos: Dict[str, dict]
    plans: Dict[str, RefreshPlan]


def prepare_refresh(
    path: str, data: RefreshData, layers: Optional[Mapping[str, QgsVectorLayer]] = None
) -> PreparedRefresh:
    """Compare working copy, base and server; decide per entity. No writes.

    Without ``layers`` it opens its own layer objects on the file, so it can run in a
    background thread (the project's layers must be saved: :func:`apply_refresh` checks
    that, and redoes this step when the file changed in between).
    """
    with bulk_build():
        return _prepare(path, data, layers)


def _prepare(
    path: str, data: RefreshData, layers: Optional[Mapping[str, QgsVectorLayer]]
) -> PreparedRefresh:
    stamp = file_stamp(path)
    snap = base_snapshot(path)
    schemas = {kind: stored_schema(path, kind) for kind in KINDS}
    changed: Dict[str, set] = {}
    fids: Dict[str, Dict[Any, int]] = {}
    positions: Dict[str, dict] = {}
    for kind in KINDS:
        layer = layers.get(kind) if layers else None
        if layer is None:
            table = LAYER_NAMES[kind]
            layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
            if not layer.isValid():
                raise GpkgError(
                    tr("Layer {table} in {path} cannot be opened.").format(table=table, path=path)
                )
        working, new_items, fids[kind] = layer_rows(layer, kind, snap.entities(kind).keys())
        changed[kind] = _locally_changed(kind, working, snap, schemas[kind])
        if kind == "node":
            for row, geom in list(working.values()) + list(new_items):
                if geom is not None and row.get("kp_id"):
                    positions[str(row["kp_id"])] = {"latitude": geom[1], "longitude": geom[0]}
    base_raw = {kind: read_base(path, kind) for kind in KINDS + ("photo",)}
    conns = keyed(data.connections)
    remote = {
        "node": keyed(data.nodes),
        "connection": conns,
        "section": remote_sections(conns.values()),
    }
    plans = {
        kind: plan_refresh(
            kind,
            base_raw[kind],
            remote[kind],
            changed[kind],
            full=(kind != "node" or data.nodes_full),
        )
        for kind in KINDS
    }
    kept_spans = set(plans["connection"].kept_local)
    plans["section"].delete = [k for k in plans["section"].delete if k[0] not in kept_spans]
    return PreparedRefresh(
        data, stamp, snap, schemas, changed, fids, positions, base_raw["photo"], plans
    )


def apply_refresh(
    path: str,
    layers: Mapping[str, QgsVectorLayer],
    data: Union[RefreshData, PreparedRefresh],
) -> RefreshReport:
    """Update layers, kp_base and kp_meta; locally changed features stay as they are.

    ``data`` is what :func:`fetch_refresh` returned, or a :class:`PreparedRefresh`
    computed in the background (then only the writes happen here, on the main thread).
    """
    _check_saved({k: v for k, v in layers.items() if k in KINDS})
    if isinstance(data, PreparedRefresh) and data.stamp == file_stamp(path):
        prepared = data
    else:
        raw = data.data if isinstance(data, PreparedRefresh) else data
        prepared = prepare_refresh(path, raw, layers)
    data = prepared.data
    report = RefreshReport()
    snap, schemas, changed, fids, plans = (
        prepared.snap,
        prepared.schemas,
        prepared.changed,
        prepared.fids,
        prepared.plans,
    )
    for kind, plan in plans.items():
        report.kept_local.extend((kind, key, reason) for key, reason in plan.kept_local.items())

    written: Dict[str, Dict[Any, dict]] = {}
    schemas["node"], written["node"] = _apply_kind(
        "node", layers["node"], plans["node"], schemas["node"], fids["node"], {}, report
    )
    nodes_by_id = dict(prepared.positions)
    for key, entity in written["node"].items():
        if entity.get("latitude") is not None and entity.get("longitude") is not None:
            nodes_by_id[key] = entity
    for key in plans["node"].delete:
        nodes_by_id.pop(key, None)
    # Spans not changed anywhere but whose end node moved get new end points.
    moved = touched_nodes(plans)
    conn_plan = plans["connection"]
    for cid, conn in snap.connections.items():
        if cid in conn_plan.update or cid in conn_plan.add or cid in changed["connection"]:
            continue
        if conn.get("node_id_1") in moved or conn.get("node_id_2") in moved:
            geom = make_geometry("connection", geometry("connection", conn, nodes_by_id))
            if geom is not None and cid in fids["connection"]:
                layers["connection"].dataProvider().changeGeometryValues(
                    {fids["connection"][cid]: geom}
                )
    for kind in ("connection", "section"):
        schemas[kind], written[kind] = _apply_kind(
            kind, layers[kind], plans[kind], schemas[kind], fids[kind], nodes_by_id, report
        )
    photo_plan = _refresh_photos(
        path, layers.get("photo"), prepared.base_photos, keyed(data.photos), report
    )

    con = connect(path)
    try:
        with con:
            for kind in KINDS:
                plan = plans[kind]
                for key in written[kind]:
                    raw = {**plan.update, **plan.add}[key]
                    data_json = json.dumps(
                        {k: v for k, v in raw.items() if k != "sections"},
                        ensure_ascii=False,
                        separators=(",", ":"),
                    )
                    entity_id, parent = (key[1], key[0]) if kind == "section" else (key, None)
                    con.execute(
                        INSERT_BASE,
                        (kind, entity_id, parent, data_json),
                    )
                for key in plan.delete:
                    entity_id, parent = (key[1], key[0]) if kind == "section" else (key, None)
                    con.execute(
                        DELETE_BASE,
                        (kind, entity_id, parent or ""),
                    )
            for key, raw in {**photo_plan.update, **photo_plan.add}.items():
                con.execute(
                    INSERT_BASE,
                    (
                        "photo",
                        key,
                        None,
                        json.dumps(raw, ensure_ascii=False, separators=(",", ":")),
                    ),
                )
            for key in photo_plan.delete:
                con.execute("DELETE FROM kp_base WHERE kind='photo' AND entity_id=?", (key,))
            meta = read_meta(path)
            cursor = max(meta.get("nodes_cursor") or "", max_last_updated(data.nodes))
            updates = {"last_pull": data.pulled_at, "nodes_cursor": cursor}
            for kind in KINDS:
                updates[f"schema_{kind}"] = schema_to_json(schemas[kind])
            write_meta(con, updates)
    finally:
        con.close()
    for layer in layers.values():
        layer.triggerRepaint()
    return report


def _refresh_photos(
    path: str,
    layer: Optional[QgsVectorLayer],
    base: Mapping[str, dict],
    remote: Mapping[str, dict],
    report: RefreshReport,
) -> RefreshPlan:
    """Photos are read-only here: take the server's list as it is."""
    plan = plan_refresh("photo", base, remote, set(), full=True)
    if layer is None or not plan.changed:
        return plan
    meta = read_meta(path)
    schema = (
        schema_from_json(meta["schema_photo"]) if meta.get("schema_photo") else photo_schema([])
    )
    known = {s.attribute for s in schema}
    extra = [
        p
        for p in photo_schema([normalize_photo(p) for p in {**plan.update, **plan.add}.values()])
        if p.attribute is not None and p.attribute not in known
    ]
    if extra:
        _add_fields(layer, extra)
        schema = schema + extra
    index = layer.fields().indexOf("kp_id")
    fids = {f.attributes()[index]: f.id() for f in layer.getFeatures()}
    provider = layer.dataProvider()
    names = [s.name for s in schema]
    changes, new = {}, []
    for key, raw in {**plan.update, **plan.add}.items():
        values = photo_row(normalize_photo(raw), schema)
        if key in fids:
            changes[fids[key]] = {layer.fields().indexOf(n): v for n, v in zip(names, values)}
        else:
            feature = QgsFeature(layer.fields())
            for n, v in zip(names, values):
                feature.setAttribute(n, v)
            new.append(feature)
    if changes:
        provider.changeAttributeValues(changes)
    if new:
        provider.addFeatures(new)
    gone = [fids[k] for k in plan.delete if k in fids]
    if gone:
        provider.deleteFeatures(gone)
    con = connect(path)
    try:
        with con:
            write_meta(con, {"schema_photo": schema_to_json(schema)})
    finally:
        con.close()
    report.updated["photo"] = len(changes)
    report.added["photo"] = len(new)
    report.deleted["photo"] = len(gone)
    return plan
