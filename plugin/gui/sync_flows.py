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

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal

from ..layers import sync_io
from ..layers.project import first_job
from ..layers.sync_io import (  # noqa: F401 - re-exported: the layer-level glue lives there
    KINDS,
    SyncError,
    assign_missing_ids,
    node_positions,
    read_rows,
    read_working,
    write_entity,
)
from ..sync import pull as pull_merge
from ..sync import push as push_plan
from ..sync.journal import Journal
from .sync_dock import job_layers


def _tr(text: str) -> str:
    return QCoreApplication.translate("KatapultSync", text)


def current_job(project=None) -> Optional[Tuple[str, str]]:
    """``(gpkg path, job id)`` of the first Katapult job among the project's layers."""
    return first_job(project)


def _check_saved(layers: Mapping[str, QgsVectorLayer]) -> None:
    sync_io.check_saved(layers)


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
        rows, schemas = sync_io.prepare_push(path, layers)

        def plan_and_commit(worker: Any, cancel: Any) -> dict:
            return sync_io.commit_push(path, job_id, rows, schemas)

        rid = self.worker.submit(plan_and_commit, lane="interactive")
        self._plans[rid] = job
        self.worker.clear_pause()
        if not self.worker.is_draining():
            self.worker.submit_drain(path, job_id)
        return rid

    def resume_pending(self, path: str, job_id: str) -> int:
        """On job open: drain what a previous session left (QGIS closed mid-sync)."""
        left = sync_io.open_count(path)
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
        sync_io.refuse_pull_with_open_ops(path)
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
        summary = sync_io.apply_pull(path, _job_layers_of(job_id), data)
        if summary["conflicts"]:
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
                fid = sync_io.find_feature_id(layers[kind], record["entity_id"])
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
