"""Push and Pull for the job layers in the project (QGIS glue around the pure sync/ code).

Push (main thread, quick): refuse unsaved edit buffers; give every new feature
a client-chosen ``kp_id`` and write it into the feature first; read the
working copy; diff it against base (``sync.push``); then hand the plan to the
worker, which commits it to the journal in one transaction (between two
operations of a running drain) and drains.

Pull: the worker runs the refresh GETs (``layers.refresh.fetch_refresh``); on
the main thread ``layers.refresh.apply_refresh`` takes every remote change to
a feature the user did not change; the features changed on both sides go
through the three-way merge (``sync.pull``): clean merges are written to the
layer and base; true conflicts are stored (``kp_conflict``), their operations
held, and :attr:`SyncController.conflictsFound` asks for the conflict dialog.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from qgis.core import QgsFeature, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal

from ..model.flatten import extend_schema, flatten, geometry
from ..model.ids import is_valid_id, new_push_id
from ..sync import pull as pull_merge
from ..sync import push as push_plan
from ..sync.journal import PLANNED_KINDS, Journal
from .sync_dock import ID_FIELD, JOB_PROPERTY, SYNC_FIELD, gpkg_path, job_layers

KINDS = ("node", "connection", "section")


def _tr(text: str) -> str:
    return QCoreApplication.translate("KatapultSync", text)


class SyncError(Exception):
    """A push/pull that cannot start; ``str()`` says why and what to do."""


def current_job(project=None) -> Optional[Tuple[str, str]]:
    """``(gpkg path, job id)`` of the first Katapult job among the project's layers."""
    for layer in job_layers(project=project).values():
        job_id = layer.customProperty(JOB_PROPERTY)
        if job_id:
            return gpkg_path(layer), str(job_id)
    return None


def _check_saved(layers: Mapping[str, QgsVectorLayer]) -> None:
    for layer in layers.values():
        if layer.isEditable() and layer.isModified():
            raise SyncError(
                _tr("Layer {0} has unsaved edits; save them (or roll them back) first.").format(
                    layer.name()
                )
            )


def _job_layers_of(job_id: str) -> Dict[str, QgsVectorLayer]:
    layers = job_layers(job_id)
    missing = [k for k in KINDS if k not in layers]
    if missing:
        raise SyncError(
            _tr("The job's {0} layer is not in the project; open the job again.").format(
                ", ".join(missing)
            )
        )
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


def read_working(layers: Mapping[str, QgsVectorLayer], snapshot) -> Tuple[dict, dict, dict]:
    """``(working, new_items, fids)`` of all three layers (see ``layers.working.layer_rows``)."""
    from ..layers.working import layer_rows

    working, new_items, fids = {}, {}, {}
    for kind in KINDS:
        working[kind], new_items[kind], fids[kind] = layer_rows(
            layers[kind], kind, snapshot.entities(kind).keys()
        )
    return working, new_items, fids


def read_rows(layers: Mapping[str, QgsVectorLayer]) -> Dict[str, List[tuple]]:
    """``{kind: [(row, geom)]}`` of every feature (split later by ``sync.push.split_rows``)."""
    from ..layers.working import layer_rows

    out: Dict[str, List[tuple]] = {}
    for kind in KINDS:
        _working, rows, _fids = layer_rows(layers[kind], kind, ())
        out[kind] = rows
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
    from ..layers.geopackage import (
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


class SyncController(QObject):
    """Push / Pull through the plugin's single worker; the dock and actions call this."""

    #: path of the job GeoPackage that now has unresolved conflicts
    conflictsFound = pyqtSignal(str)
    #: text, level (0 info, 1 warning, 2 critical)
    message = pyqtSignal(str, int)
    #: a pull finished: path, summary dict
    pullFinished = pyqtSignal(str, dict)
    #: a push was planned: {"ops", "replaced", "problems"}
    planned = pyqtSignal(dict)

    def __init__(self, worker: Any, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._pulls: Dict[int, Tuple[str, str]] = {}
        self._plans: Dict[int, Tuple[str, str]] = {}
        worker.callFinished.connect(self._on_call_finished)
        worker.callFailed.connect(self._on_call_failed)

    # -- push ----------------------------------------------------------
    def push(self, job: Optional[Tuple[str, str]] = None) -> int:
        """Read the working copy (main thread), then plan and send it in the worker.

        Only what needs the layers runs here: the check for unsaved edits, new
        ids written into new features, and reading the rows. Building the base
        snapshot, the diff and the journal transaction run in the worker (they
        take about a second for a few thousand poles). Returns the plan's job id;
        the outcome comes as :attr:`message` (problems) and the worker's signals.
        """
        job = job or current_job()
        if job is None:
            raise SyncError(_tr("No Katapult job is open; open one first."))
        path, job_id = job
        layers = _job_layers_of(job_id)
        _check_saved(layers)
        from ..layers.geopackage import stored_schema

        journal = Journal(path)
        try:
            keys = {k: journal.base_keys(k) for k in KINDS}
        finally:
            journal.close()
        assign_missing_ids(layers, keys)
        rows = read_rows(layers)
        schemas = {k: stored_schema(path, k) for k in KINDS}

        def plan_and_commit(worker: Any, cancel: Any) -> dict:
            j = Journal(path)
            try:
                working, new_items = push_plan.split_rows(push_plan.base_snapshot(j), rows)
                plan = push_plan.diff_working(j, working, schemas, new_items)
                if plan.assigned:  # ids were written first; a feature without one is a bug
                    raise SyncError(_tr("Some new features could not get an id; push again."))
                result = push_plan.commit_plan(j, job_id, plan)
                return {
                    "ops": len(result.op_ids),
                    "replaced": result.replaced,
                    "problems": [p.message for p in plan.problems],
                }
            finally:
                j.close()

        rid = self.worker.submit(plan_and_commit, lane="interactive")
        self._plans[rid] = job
        self.worker.clear_pause()
        if not self.worker.is_draining():
            self.worker.submit_drain(path, job_id)
        return rid

    def resume_pending(self, path: str, job_id: str) -> int:
        """On job open: drain what a previous session left (QGIS closed mid-sync)."""
        journal = Journal(path)
        try:
            counts = journal.counts(PLANNED_KINDS)
        finally:
            journal.close()
        left = counts["pending"] + counts["sent"]
        if left and not self.worker.is_draining():
            self.worker.submit_drain(path, job_id)
        return left

    # -- pull ----------------------------------------------------------
    def pull(self, job: Optional[Tuple[str, str]] = None) -> int:
        """Start a pull; the merge runs when the GETs are back (``pullFinished``)."""
        job = job or current_job()
        if job is None:
            raise SyncError(_tr("No Katapult job is open; open one first."))
        path, job_id = job
        _check_saved(_job_layers_of(job_id))
        journal = Journal(path)
        try:
            counts = journal.counts(PLANNED_KINDS)
        finally:
            journal.close()
        if counts["pending"] + counts["sent"]:
            raise SyncError(
                _tr(
                    "{0} edits are still being sent; pull when the queue is empty (or cancel it)."
                ).format(counts["pending"] + counts["sent"])
            )
        from ..layers.refresh import fetch_refresh

        # The whole node list, not only what changed since the last pull: a GET costs one
        # token either way, and only the full list shows nodes deleted on the server (a
        # remote delete of a node edited here must become a conflict, not a 404 at push).
        rid = self.worker.submit_read(
            lambda client, cancel: fetch_refresh(
                client, job_id, None, cancel=cancel, lane="interactive"
            )
        )
        self._pulls[rid] = job
        return rid

    def apply_pull(self, path: str, job_id: str, data: Any) -> dict:
        """Main thread: refresh unchanged features, merge the rest, store conflicts."""
        from ..layers.geopackage import read_base, stored_schema
        from ..layers.refresh import apply_refresh
        from ..layers.refresh_plan import keyed, remote_sections

        layers = _job_layers_of(job_id)
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
        summary = {
            "updated": dict(report.updated),
            "added": dict(report.added),
            "deleted": dict(report.deleted),
            "merged": len(merged.clean),
            "conflicts": len(merged.conflicts),
            "problems": [m for _k, _key, m in merged.problems] + list(report.problems),
        }
        if merged.conflicts:
            self.conflictsFound.emit(path)
        return summary

    # -- conflicts -----------------------------------------------------
    def resolve(
        self,
        path: str,
        job_id: str,
        record: Mapping[str, Any],
        choices: Optional[Mapping[str, str]] = None,
        default: Optional[str] = None,
    ) -> None:
        """Apply the user's choice for one conflict to layer and base; release its operations."""
        entity, new_base = pull_merge.resolve_record(record, choices, default)
        kind = record["kind"]
        key = (
            (record["parent_id"], record["entity_id"]) if kind == "section" else record["entity_id"]
        )
        layers = _job_layers_of(job_id)
        journal = Journal(path)
        try:
            snap = push_plan.base_snapshot(journal)
            working, _new, fids = read_working(layers, snap)
            fid = fids[kind].get(key)
            if fid is None:  # a feature deleted here, or a new one: find it by id
                from .sync_dock import find_feature_id

                fid = find_feature_id(layers[kind], record["entity_id"])
            write_entity(path, layers[kind], kind, key, entity, fid, node_positions(layers["node"]))
            journal.resolve_conflict(
                kind,
                record["entity_id"],
                new_base=None
                if new_base is None
                else {k: v for k, v in new_base.items() if k != "sections"},
                parent_id=record["parent_id"],
                base_deleted=new_base is None,
            )
        finally:
            journal.close()
        layers[kind].triggerRepaint()

    # -- worker answers --------------------------------------------------
    def _on_call_finished(self, rid: int, result: Any) -> None:
        if rid in self._pulls:
            path, job_id = self._pulls.pop(rid)
            try:
                summary = self.apply_pull(path, job_id, result)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self.message.emit(_tr("Pull failed: {0}").format(exc), 2)
                return
            self.pullFinished.emit(path, summary)
        elif rid in self._plans:
            _path, job_id = self._plans.pop(rid)
            problems = (result or {}).get("problems") or []
            for problem in problems:
                self.message.emit(_tr("Not sent: {0}").format(problem), 1)
            try:
                from .. import qgis_log

                qgis_log.info(
                    f"Push planned {result.get('ops')} operation(s) for job {job_id}; "
                    f"{len(problems)} feature(s) could not be planned"
                )
            except Exception:  # noqa: BLE001 - logging is advisory
                pass
            self.planned.emit(dict(result or {}))

    def _on_call_failed(self, rid: int, message: str) -> None:
        if rid in self._pulls:
            self._pulls.pop(rid)
            self.message.emit(_tr("Pull failed: {0}").format(message), 2)
        elif rid in self._plans:
            self._plans.pop(rid)
            self.message.emit(_tr("Planning the push failed: {0}").format(message), 2)


def conflicts_of(path: str) -> List[dict]:
    """Open conflicts of a job GeoPackage."""
    journal = Journal(path)
    try:
        return journal.conflicts()
    finally:
        journal.close()
