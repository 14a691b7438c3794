"""Push and pull on a given set of job layers (QGIS, no GUI, no project needed).

The layer-level glue around the pure ``sync/`` code, shared by the sync dock
(``gui.sync_flows.SyncController``, which runs the HTTP and journal parts in
the worker) and by the headless Processing algorithms (:func:`push_gpkg`,
:func:`pull_gpkg`, which run everything synchronously in the calling thread).

Push: refuse unsaved edit buffers; give every new feature a client-chosen
``kp_id`` written into the file first; read the rows; diff them against base
and write the plan to the journal in one transaction; drain the journal
(exactly once: client-chosen ids, idempotent upserts).

Pull: the refresh GETs; every remote change to a feature not changed here is
taken (``layers.refresh.apply_refresh``); features changed on both sides go
through the three-way merge (``sync.pull``): clean merges are written to the
layer and base, true conflicts are stored (``kp_conflict``) and their
operations held until the conflict dialog resolves them.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from qgis.core import QgsFeature, QgsFeatureRequest, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from ..model.flatten import extend_schema, flatten, geometry
from ..model.ids import is_valid_id, new_push_id
from ..sync import pull as pull_merge
from ..sync import push as push_plan
from ..sync.journal import PLANNED_KINDS, Journal
from .project import PROP_GPKG, PROP_JOB, PROP_KIND

KINDS = ("node", "connection", "section")
ID_FIELD = "kp_id"
SYNC_FIELD = "kp_sync"


def _tr(text: str) -> str:
    return QCoreApplication.translate("KatapultSync", text)


class SyncError(Exception):
    """A push/pull that cannot start or finish; ``str()`` says why and what to do."""


# -- layers -------------------------------------------------------------------
def check_saved(layers: Mapping[str, QgsVectorLayer]) -> None:
    """Raise :class:`SyncError` when a layer has unsaved edits."""
    for layer in layers.values():
        if layer.isEditable() and layer.isModified():
            raise SyncError(
                _tr("Layer {0} has unsaved edits; save them (or roll them back) first.").format(
                    layer.name()
                )
            )


def job_id_of(path: str) -> str:
    """The job id stored in a job GeoPackage (raises :class:`SyncError` when it is not one)."""
    from .geopackage import read_meta

    if not os.path.exists(path):
        raise SyncError(
            _tr("{0} does not exist; download the job first (katapult:downloadjob).").format(path)
        )
    try:
        job_id = read_meta(path).get("job_id")
    except Exception:  # noqa: BLE001 - not a sqlite file
        job_id = None
    if not job_id:
        raise SyncError(
            _tr("{0} is not a Katapult job GeoPackage; download the job first.").format(path)
        )
    return str(job_id)


def open_gpkg_layers(path: str, *, styled: bool = False) -> Dict[str, QgsVectorLayer]:
    """``{kind: layer}`` of a job GeoPackage, outside any project (optionally with styles)."""
    import json

    from .geopackage import LAYER_NAMES, read_meta

    job_id = job_id_of(path)
    pick_lists = None
    if styled:
        meta = read_meta(path)
        pick_lists = json.loads(meta["pick_lists"]) if meta.get("pick_lists") else None
    layers: Dict[str, QgsVectorLayer] = {}
    for kind in KINDS:
        table = LAYER_NAMES[kind]
        layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        if not layer.isValid():
            raise SyncError(
                _tr("Layer {0} in {1} cannot be opened; download the job again.").format(
                    table, path
                )
            )
        if styled:
            from .project import apply_style

            apply_style(layer, kind, pick_lists)
        layer.setCustomProperty(PROP_KIND, kind)
        layer.setCustomProperty(PROP_JOB, job_id)
        layer.setCustomProperty(PROP_GPKG, path)
        layers[kind] = layer
    return layers


def assign_missing_ids(layers: Mapping[str, QgsVectorLayer], base_keys: Mapping[str, set]) -> int:
    """Give new features (no valid ``kp_id``, or a copy of another feature's id) a new id.

    Written straight to the file BEFORE anything is planned, so a crash after
    planning re-plans the same id (an idempotent upsert), never a second entity.
    """
    total = 0
    for kind in KINDS:
        layer = layers[kind]
        idx = layer.fields().indexOf(ID_FIELD)
        cidx = layer.fields().indexOf("connection_id")
        if idx < 0:
            continue
        seen: set = set()
        changes: Dict[int, Dict[int, Any]] = {}
        for f in layer.getFeatures():
            kp = f[idx]
            kp = None if kp is None or (hasattr(kp, "isNull") and kp.isNull()) else str(kp)
            key = (str(f[cidx]) if cidx >= 0 else None, kp) if kind == "section" else kp
            known = key in base_keys.get(kind, ())  # e.g. ``midpoint_section``: short but real
            if kp is None or (not known and not is_valid_id(kp)) or key in seen:
                new_id = new_push_id()
                changes[f.id()] = {idx: new_id}
                key = (key[0], new_id) if kind == "section" else new_id
            seen.add(key)
        if changes:
            if not layer.dataProvider().changeAttributeValues(changes):
                raise SyncError(_tr("Cannot write new ids into layer {0}.").format(layer.name()))
            layer.reload()
            total += len(changes)
    return total


def stored_row_count(layer: QgsVectorLayer) -> Optional[int]:
    """Rows of the layer's table in its GeoPackage file (None when that cannot be told)."""
    from qgis.core import QgsProviderRegistry

    from .geopackage import connect

    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, table = parts.get("path"), parts.get("layerName")
    if not path or not table or not os.path.isfile(path):
        return None
    try:
        con = connect(path)
        try:
            quoted = str(table).replace('"', '""')
            return int(con.execute(f'SELECT count(*) FROM "{quoted}"').fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return None


def refuse_unread_layers(
    layers: Mapping[str, QgsVectorLayer], base_counts: Mapping[str, int], read: Mapping[str, int]
) -> None:
    """Raise :class:`SyncError` when a layer read no feature although base has entities.

    A layer whose data source fails (e.g. a GeoPackage connection QGIS opened before
    the file changed underneath) iterates as empty; planned as is, every entity of
    that kind would be deleted on the server. A layer that is really empty (the
    user deleted everything and saved) passes: its provider and file agree.
    """
    for kind in KINDS:
        expected = int(base_counts.get(kind, 0) or 0)
        if not expected or read.get(kind, 0):
            continue
        layer = layers[kind]
        stored = None if layer.isModified() else stored_row_count(layer)
        if layer.featureCount() > 0 or (stored or 0) > 0:
            raise SyncError(
                _tr(
                    "Layer {0} reads no features although the job has {1}; reload the job "
                    "and push again."
                ).format(layer.name(), expected)
            )


def read_working(layers: Mapping[str, QgsVectorLayer], snapshot) -> Tuple[dict, dict, dict]:
    """``(working, new_items, fids)`` of all three layers (see ``layers.working.layer_rows``).

    Raises :class:`SyncError` when a layer reads nothing although the job has
    entities of its kind (:func:`refuse_unread_layers`).
    """
    from .working import layer_rows

    working, new_items, fids = {}, {}, {}
    for kind in KINDS:
        working[kind], new_items[kind], fids[kind] = layer_rows(
            layers[kind], kind, snapshot.entities(kind).keys()
        )
    refuse_unread_layers(
        layers,
        {k: len(snapshot.entities(k)) for k in KINDS},
        {k: len(working[k]) + len(new_items[k]) for k in KINDS},
    )
    return working, new_items, fids


def read_rows(
    layers: Mapping[str, QgsVectorLayer], base_counts: Optional[Mapping[str, int]] = None
) -> Dict[str, List[tuple]]:
    """``{kind: [(row, geom)]}`` of every feature (split later by ``sync.push.split_rows``).

    With ``base_counts`` (``{kind: entities in base}``) a layer that reads nothing
    although base has entities is refused (:func:`refuse_unread_layers`).
    """
    from .working import layer_rows

    out: Dict[str, List[tuple]] = {}
    for kind in KINDS:
        _working, rows, _fids = layer_rows(layers[kind], kind, ())
        out[kind] = rows
    if base_counts is not None:
        refuse_unread_layers(layers, base_counts, {k: len(v) for k, v in out.items()})
    return out


def node_positions(layer: QgsVectorLayer) -> Dict[str, dict]:
    """``{node id: {"latitude", "longitude"}}`` from the nodes layer (for span end points)."""
    out: Dict[str, dict] = {}
    idx = layer.fields().indexOf(ID_FIELD)
    for f in layer.getFeatures():
        g = f.geometry()
        if g is None or g.isNull() or g.isEmpty():
            continue
        p = g.asPoint()
        out[str(f[idx])] = {"latitude": p.y(), "longitude": p.x()}
    return out


def find_feature_id(layer: QgsVectorLayer, entity_id: str) -> Optional[int]:
    """Feature id whose ``kp_id`` is ``entity_id`` (None if absent)."""
    if layer.fields().indexOf(ID_FIELD) < 0:
        return None
    quoted = entity_id.replace("'", "''")
    request = QgsFeatureRequest().setFilterExpression(f"\"{ID_FIELD}\" = '{quoted}'")
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes([])
    for feature in layer.getFeatures(request):
        return feature.id()
    return None


def write_entity(
    path: str,
    layer: QgsVectorLayer,
    kind: str,
    key: Any,
    entity: Optional[dict],
    fid: Optional[int],
    nodes: Mapping[str, Mapping],
) -> None:
    """Put an entity into its layer: update the feature, add it, or delete it (``entity`` None)."""
    from .geopackage import (
        QT_TYPES,
        connect,
        make_geometry,
        schema_to_json,
        stored_schema,
        write_meta,
    )

    provider = layer.dataProvider()
    if entity is None:
        if fid is not None and not provider.deleteFeatures([fid]):
            raise SyncError(_tr("Cannot delete a feature of {0}.").format(layer.name()))
        return
    schema = stored_schema(path, kind)
    schema, added = extend_schema(schema, kind, [entity])
    if added:
        provider.addAttributes([QgsField(s.name, QT_TYPES[s.kind]) for s in added])
        layer.updateFields()
        con = connect(path)
        try:
            with con:
                write_meta(con, {f"schema_{kind}": schema_to_json(schema)})
        finally:
            con.close()
    row = flatten(kind, entity, schema)
    fields = layer.fields()
    geom = make_geometry(kind, geometry(kind, entity, nodes))
    if fid is None:
        feature = QgsFeature(fields)
        feature.setAttributes([row.get(f.name()) if f.name() != "fid" else None for f in fields])
        if geom is not None:
            feature.setGeometry(geom)
        if not provider.addFeatures([feature])[0]:
            raise SyncError(_tr("Cannot add a feature to {0}.").format(layer.name()))
        return
    values = {
        fields.indexOf(n): v for n, v in row.items() if n != SYNC_FIELD and fields.indexOf(n) >= 0
    }
    if not provider.changeAttributeValues({fid: values}):
        raise SyncError(_tr("Cannot update a feature of {0}.").format(layer.name()))
    if geom is not None:
        provider.changeGeometryValues({fid: geom})


def write_sync_states(layers: Mapping[str, QgsVectorLayer], states: Mapping) -> int:
    """Write ``kp_sync`` (display only) from :meth:`Journal.entity_states`; returns changes."""
    total = 0
    for kind, layer in layers.items():
        fields = layer.fields()
        idx, id_idx = fields.indexOf(SYNC_FIELD), fields.indexOf(ID_FIELD)
        cid_idx = fields.indexOf("connection_id")
        if idx < 0 or id_idx < 0:
            continue
        wanted = {(parent, eid): text for (k, parent, eid), text in states.items() if k == kind}
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        changes: Dict[int, Dict[int, str]] = {}
        for f in layer.getFeatures(request):
            parent = str(f[cid_idx]) if kind == "section" and cid_idx >= 0 else None
            text = wanted.get((parent, str(f[id_idx])), "")[:250]
            current = f[idx]
            if current is None or (hasattr(current, "isNull") and current.isNull()):
                current = ""
            if current != text:
                changes[f.id()] = {idx: text}
        if changes:
            layer.dataProvider().changeAttributeValues(changes)
            total += len(changes)
    return total


# -- push -----------------------------------------------------------------------
def open_count(path: str) -> int:
    """Node/connection/section operations not sent or not acknowledged yet."""
    journal = Journal(path)
    try:
        counts = journal.counts(PLANNED_KINDS)
    finally:
        journal.close()
    return counts["pending"] + counts["sent"]


def prepare_push(path: str, layers: Mapping[str, QgsVectorLayer]) -> Tuple[dict, dict]:
    """Main-thread part of a push: ``(rows, schemas)`` after new ids are written to the file."""
    from .geopackage import stored_schema

    check_saved(layers)
    journal = Journal(path)
    try:
        keys = {k: journal.base_keys(k) for k in KINDS}
    finally:
        journal.close()
    assign_missing_ids(layers, keys)
    rows = read_rows(layers, {k: len(v) for k, v in keys.items()})
    schemas = {k: stored_schema(path, k) for k in KINDS}
    return rows, schemas


def commit_push(path: str, job_id: str, rows: Mapping, schemas: Mapping) -> dict:
    """Snapshot, diff and the journal transaction (no QGIS objects: may run in a worker).

    Returns ``{"ops": planned operations, "replaced": unsent ones replaced,
    "problems": [messages of features that cannot be sent]}``.
    """
    journal = Journal(path)
    try:
        working, new_items = push_plan.split_rows(push_plan.base_snapshot(journal), rows)
        plan = push_plan.diff_working(journal, working, schemas, new_items)
        if plan.assigned:  # ids were written first; a feature without one is a bug
            raise SyncError(_tr("Some new features could not get an id; push again."))
        result = push_plan.commit_plan(journal, job_id, plan)
        return {
            "ops": len(result.op_ids),
            "replaced": result.replaced,
            "problems": [p.message for p in plan.problems],
        }
    finally:
        journal.close()


@dataclass
class PushCounts:
    """What a headless push did."""

    planned: int = 0  # operations written to the journal by this push
    sent: int = 0  # requests made
    done: int = 0  # operations acknowledged by the server
    failed: int = 0
    held: int = 0
    status: str = ""  # executor status: drained | cancelled | auth | offline
    message: str = ""
    failures: List[str] = field(default_factory=list)  # "<kind> <id>: <server message>"
    problems: List[str] = field(default_factory=list)  # features that could not be planned
    open: Dict[str, int] = field(default_factory=dict)  # journal counts after the run


def push_gpkg(
    path: str,
    client: Any,
    cancel: Any = None,
    progress: Optional[Callable[[int, int], None]] = None,
    *,
    layers: Optional[Mapping[str, QgsVectorLayer]] = None,
) -> PushCounts:
    """Plan the GeoPackage's edits and send them now (synchronous, exactly once).

    ``progress(done_so_far, total)`` is called after every operation.
    Operations left from an earlier run (pending, or sent without an answer)
    are sent too: their ids were chosen here, so a resend cannot duplicate.
    """
    from ..sync.executor import Executor

    job_id = job_id_of(path)
    layers = dict(layers) if layers is not None else open_gpkg_layers(path)
    rows, schemas = prepare_push(path, layers)
    planned = commit_push(path, job_id, rows, schemas)
    counts = PushCounts(planned=planned["ops"], problems=list(planned["problems"]))
    journal = Journal(path)
    try:
        before = journal.counts(PLANNED_KINDS)
        total = before["pending"] + before["sent"]
        seen = [0]

        def on_progress(op: Any, event: str) -> None:
            if event == "failed":
                failed = journal.get(op.op_id)
                message = (failed.error if failed is not None else "") or event
                counts.failures.append(f"{op.kind} {op.entity_id}: {message}")
            seen[0] += 1
            if progress is not None:
                progress(seen[0], max(total, seen[0]))

        result = Executor(journal, client, job_id).run(cancel=cancel, on_progress=on_progress)
        counts.sent, counts.done = result.calls, result.done
        counts.failed, counts.held = result.failed, result.held
        counts.status, counts.message = result.status, result.message
        counts.open = dict(result.counts)
        write_sync_states(layers, journal.entity_states())
    finally:
        journal.close()
    return counts


# -- pull -------------------------------------------------------------------------
def apply_pull(path: str, layers: Mapping[str, QgsVectorLayer], data: Any) -> dict:
    """Refresh unchanged features, merge the rest, store conflicts; returns a summary.

    Summary keys: ``updated``, ``added``, ``deleted`` (``{kind: n}``), ``merged``,
    ``conflicts`` (counts), ``problems`` (messages).
    """
    from .geopackage import read_base, stored_schema
    from .refresh import apply_refresh
    from .refresh_plan import keyed, remote_sections

    report = apply_refresh(path, layers, data)
    kept = [(kind, key) for kind, key, _reason in report.kept_local if kind in KINDS]
    base_raw = {k: read_base(path, k) for k in KINDS}
    conns = keyed(data.connections)
    remote_raw = {
        "node": keyed(data.nodes),
        "connection": conns,
        "section": remote_sections(conns.values()),
    }
    journal = Journal(path)
    try:
        snap = push_plan.base_snapshot(journal)
        working, _new, fids = read_working(layers, snap)
        schemas = {k: stored_schema(path, k) for k in KINDS}
        merged = pull_merge.merge_kept(kept, base_raw, remote_raw, working, schemas)
        nodes = node_positions(layers["node"])
        base_updates, base_deletes = [], []
        for (kind, key), (entity, remote_json) in merged.clean.items():
            write_entity(path, layers[kind], kind, key, entity, fids[kind].get(key), nodes)
            entity_id, parent = pull_merge.entity_parts(kind, key)
            if remote_json is None:
                base_deletes.append((kind, entity_id, parent))
            else:
                base_updates.append(
                    (
                        kind,
                        entity_id,
                        parent,
                        {k: v for k, v in remote_json.items() if k != "sections"},
                    )
                )
        journal.set_base(base_updates)
        journal.delete_base(base_deletes)
        records = [
            pull_merge.conflict_record(kind, key, result, raw)
            for kind, key, result, raw in merged.conflicts
        ]
        journal.set_conflicts(records)
        for rec in records:
            journal.hold_entity(
                rec["kind"], rec["entity_id"], rec["parent_id"], push_plan.CONFLICT_HOLD
            )
    finally:
        journal.close()
    for layer in layers.values():
        layer.triggerRepaint()
    return {
        "updated": dict(report.updated),
        "added": dict(report.added),
        "deleted": dict(report.deleted),
        "merged": len(merged.clean),
        "conflicts": len(merged.conflicts),
        "problems": [m for _k, _key, m in merged.problems] + list(report.problems),
    }


def refuse_pull_with_open_ops(path: str) -> None:
    """A pull waits for the outbox to be empty (raises :class:`SyncError` otherwise)."""
    left = open_count(path)
    if left:
        raise SyncError(
            _tr(
                "{0} edits are still being sent; pull when the queue is empty (or cancel it)."
            ).format(left)
        )


def pull_gpkg(
    path: str,
    client: Any,
    cancel: Any = None,
    *,
    layers: Optional[Mapping[str, QgsVectorLayer]] = None,
) -> dict:
    """Refresh the GeoPackage from the server now (synchronous); returns :func:`apply_pull`'s
    summary plus ``open_conflicts`` (all conflicts stored in the file, old ones included)."""
    from .refresh import fetch_refresh

    job_id = job_id_of(path)
    layers = dict(layers) if layers is not None else open_gpkg_layers(path)
    check_saved(layers)
    refuse_pull_with_open_ops(path)
    # The whole node list: only the full list shows nodes deleted on the server.
    data = fetch_refresh(client, job_id, None, cancel=cancel, lane="interactive")
    summary = apply_pull(path, layers, data)
    journal = Journal(path)
    try:
        summary["open_conflicts"] = len(journal.conflicts())
    finally:
        journal.close()
    return summary
