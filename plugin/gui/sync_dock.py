"""Sync dock: queue counts, ETA, pause/resume/cancel/retry, failed operations.

The dock only talks to the :class:`~..worker.SyncWorker` (signals in, method
calls out) and reads the journal's small tables for display; it never calls
HTTP.  Clicking a failed operation selects and zooms to its feature.  After
each drain (and every few seconds while one runs) the read-only ``kp_sync``
field of the job's layers is refreshed with each feature's state.
"""

from __future__ import annotations

import functools
import time
from typing import Any, Callable, Optional

from qgis.core import QgsFeatureRequest, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..layers.project import (
    PROP_JOB,
    PROP_KIND,
    first_job,
    hold_update_mode,
    is_job_layer,
    layer_gpkg,
)
from ..layers.project import job_layers as project_job_layers
from ..layers.sync_io import find_feature_id
from ..sync.journal import PLANNED_KINDS, Journal

SYNC_KINDS = ("node", "connection", "section")
SYNC_FIELD = "kp_sync"
AUTO_PUSH_KEY = "katapult/sync/auto_push"
ID_FIELD = "kp_id"


def _safe(method):
    """A slot that logs its exception instead of letting it reach Qt (which would abort QGIS)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - logged and shown, never fatal
            try:
                from .. import qgis_log

                qgis_log.log_exception(f"Katapult sync dock: {method.__name__}", exc)
            except Exception:  # noqa: BLE001
                pass
            try:
                self.status_label.setText(str(exc))
            except Exception:  # noqa: BLE001
                pass
            return None

    return wrapper


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncDock", text)


def format_eta(seconds: Optional[float]) -> str:
    """``"—"``, ``"< 1 s"``, ``"42 s"``, ``"3 min 5 s"``, ``"1 h 2 min"``."""
    if seconds is None:
        return "—"
    s = int(round(seconds))
    if s < 1:
        return _tr("< 1 s")
    if s < 60:
        return _tr("{0} s").format(s)
    if s < 3600:
        return _tr("{0} min {1} s").format(s // 60, s % 60)
    return _tr("{0} h {1} min").format(s // 3600, (s % 3600) // 60)


def job_layers(job_id: Optional[str], project: Optional[QgsProject] = None) -> dict:
    """``{kind: layer}`` of the job's node, connection and section layers in the project."""
    if not job_id:
        return {}
    layers = project_job_layers(str(job_id), project)
    return {kind: layer for kind, layer in layers.items() if kind in SYNC_KINDS}


def refresh_sync_field(layers: dict, states: dict, previous: Optional[dict] = None) -> dict:
    """Write ``kp_sync`` where a feature's shown state differs from the journal's.

    ``states``: ``{(kind, parent_id, entity_id): text}`` from
    :meth:`Journal.entity_states`; entities absent from it are in sync
    (``""``).  Nothing is read when ``states`` equals ``previous``.  Writes go
    straight to the provider (no edit session, no undo entry): ``kp_sync`` is
    display only and the planner ignores it.  Returns ``states``.
    """
    if previous is not None and previous == states:
        return dict(states)
    for kind, layer in layers.items():
        fields = layer.fields()
        idx, id_idx, cid_idx = (
            fields.indexOf(SYNC_FIELD),
            fields.indexOf(ID_FIELD),
            fields.indexOf("connection_id"),
        )
        if idx < 0 or id_idx < 0:
            continue
        wanted = {(parent, eid): text for (k, parent, eid), text in states.items() if k == kind}
        subset = [i for i in (idx, id_idx, cid_idx) if i >= 0]
        req = (
            QgsFeatureRequest()
            .setFlags(QgsFeatureRequest.Flag.NoGeometry)
            .setSubsetOfAttributes(subset)
        )
        changes: dict = {}
        for f in layer.getFeatures(req):
            parent = str(f[cid_idx]) if kind == "section" and cid_idx >= 0 else None
            text = wanted.get((parent, str(f[id_idx])), "")[:250]
            current = f[idx]
            current = (
                ""
                if current is None or (hasattr(current, "isNull") and current.isNull())
                else current
            )
            if current != text:
                changes[f.id()] = {idx: text}
        if changes:
            layer.dataProvider().changeAttributeValues(changes)
            layer.triggerRepaint()
    return dict(states)


class SyncDock(QDockWidget):
    """The dock; ``worker`` is the plugin's single :class:`SyncWorker`."""

    def __init__(
        self,
        iface: Any,
        worker: Any,
        parent: Optional[QWidget] = None,
        push: Optional[Callable[[], None]] = None,
        pull: Optional[Callable[[], None]] = None,
    ) -> None:
        super().__init__(_tr("Katapult sync"), parent)
        self.setObjectName("KatapultSyncDock")
        self.iface = iface
        self.worker = worker
        self._push_cb = push
        self._pull_cb = pull
        self._job: Optional[tuple] = None  # (path, job_id)
        self._sync_states: Optional[dict] = None
        self._last_field_refresh = 0.0
        self._build()
        worker.progress.connect(self._on_progress)
        worker.drainFinished.connect(self._on_drain_finished)
        worker.authRequired.connect(self._on_auth)
        self._timer = QTimer(self)
        self._timer.setInterval(3000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    # -- widgets -----------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        lay = QVBoxLayout(body)
        self.status_label = QLabel(_tr("No Katapult job open."), body)
        self.status_label.setWordWrap(True)
        self.counts_label = QLabel("", body)
        self.counts_label.setObjectName("counts")
        self.eta_label = QLabel("", body)
        lay.addWidget(self.status_label)
        lay.addWidget(self.counts_label)
        lay.addWidget(self.eta_label)
        row = QHBoxLayout()
        self.push_button = QPushButton(_tr("Push"), body)
        self.pull_button = QPushButton(_tr("Pull"), body)
        self.pause_button = QPushButton(_tr("Pause"), body)
        self.resume_button = QPushButton(_tr("Resume"), body)
        self.cancel_button = QPushButton(_tr("Cancel"), body)
        self.retry_button = QPushButton(_tr("Retry failed"), body)
        for b in (
            self.push_button,
            self.pull_button,
            self.pause_button,
            self.resume_button,
            self.cancel_button,
            self.retry_button,
        ):
            row.addWidget(b)
        lay.addLayout(row)
        self.auto_push = QCheckBox(
            _tr("Send edits automatically when the job's layers are saved"), body
        )
        self.auto_push.setChecked(QgsSettings().value(AUTO_PUSH_KEY, False, type=bool))
        self.auto_push.toggled.connect(lambda on: QgsSettings().setValue(AUTO_PUSH_KEY, bool(on)))
        lay.addWidget(self.auto_push)
        self.failed_table = QTableWidget(0, 3, body)
        self.failed_table.setHorizontalHeaderLabels([_tr("Item"), _tr("Id"), _tr("Server message")])
        self.failed_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.failed_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.failed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.failed_table.cellClicked.connect(self._on_failed_clicked)
        lay.addWidget(QLabel(_tr("Operations the server refused (click to show the item):"), body))
        lay.addWidget(self.failed_table)
        self.setWidget(body)
        self.push_button.clicked.connect(self._push)
        self.pull_button.clicked.connect(self._pull)
        self.pause_button.clicked.connect(self.worker.pause)
        self.resume_button.clicked.connect(self._resume)
        self.cancel_button.clicked.connect(self.worker.cancel)
        self.retry_button.clicked.connect(self._retry)

    # -- job binding ---------------------------------------------------
    def set_job(self, path: Optional[str], job_id: Optional[str]) -> None:
        """Show the journal of this job GeoPackage (None: none open)."""
        self._job = (path, job_id) if path and job_id else None
        self._sync_states = None
        self.refresh()

    def current_job(self) -> Optional[tuple]:
        """The bound job, or the first Katapult job found among the project's layers."""
        if self._job is not None:
            return self._job
        return first_job()

    # -- actions -----------------------------------------------------
    def _push(self) -> None:
        self._run_action(self._push_cb)

    def _pull(self) -> None:
        self._run_action(self._pull_cb)

    def _run_action(self, fn: Optional[Callable[[], None]]) -> None:
        if fn is None:
            return
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - the user reads why and what to do
            self.status_label.setText(str(exc))
            self._bar(str(exc), 1)
        self.refresh()

    def _bar(self, text: str, level: int) -> None:
        if self.iface is None or not hasattr(self.iface, "messageBar"):
            return
        try:
            from qgis.core import Qgis

            levels = {
                0: Qgis.MessageLevel.Info,
                1: Qgis.MessageLevel.Warning,
                2: Qgis.MessageLevel.Critical,
            }
            self.iface.messageBar().pushMessage(
                _tr("Katapult"), text, levels.get(level, Qgis.MessageLevel.Info)
            )
        except Exception:  # noqa: BLE001 - the dock text says it already
            pass

    @_safe
    def _resume(self) -> None:
        job = self.current_job()
        if job is None:
            return
        if self.worker.is_draining():
            self.worker.resume()
        else:
            self.worker.clear_pause()
            try:
                self.worker.submit_drain(*job)
            except Exception as exc:  # noqa: BLE001 - e.g. no key configured
                self.status_label.setText(str(exc))

    @_safe
    def _retry(self) -> None:
        job = self.current_job()
        if job is not None:
            self.worker.retry_failed(*job)
            self.refresh()

    @_safe
    def _on_auth(self, message: str) -> None:
        self.status_label.setText(
            _tr(
                "Katapult refused the API key; sending is paused. "
                "Enter a valid key in Katapult settings, then press Resume."
            )
            + ("\n" + message if message else "")
        )
        if self.iface is not None and hasattr(self.iface, "messageBar"):
            try:
                from qgis.core import Qgis

                self.iface.messageBar().pushMessage(
                    _tr("Katapult"),
                    _tr("The API key was refused; sending is paused until a valid key is entered."),
                    Qgis.MessageLevel.Warning,
                )
            except Exception:  # noqa: BLE001 - the dock text already says it
                pass

    # -- display -----------------------------------------------------
    @_safe
    def _on_progress(self, summary: dict) -> None:
        self._show_counts(
            summary.get("counts") or {}, summary.get("eta_s"), bool(summary.get("running"))
        )
        if time.monotonic() - self._last_field_refresh > 5.0:
            self._refresh_fields()

    @_safe
    def _on_drain_finished(self, status: str, message: str, counts: dict) -> None:
        texts = {
            "drained": _tr("All edits are processed."),
            "cancelled": _tr("Sending was cancelled; what is left stays queued."),
            "paused": _tr("Sending is paused; press Resume to continue."),
            "auth": _tr("Katapult refused the API key; sending is paused."),
            "offline": _tr(
                "Katapult cannot be reached right now; the edits stay queued. "
                "Press Resume to retry."
            ),
        }
        text = texts.get(status, _tr("Sending stopped because of an error."))
        if message and status != "drained":
            text += "\n" + message
        self.status_label.setText(text)
        self.refresh()

    def _show_counts(self, counts: dict, eta: Optional[float], running: bool) -> None:
        self.counts_label.setText(
            _tr("Pending: {0}   Sent: {1}   Failed: {2}   Held: {3}   Done: {4}").format(
                counts.get("pending", 0),
                counts.get("sent", 0),
                counts.get("failed", 0),
                counts.get("held", 0),
                counts.get("done", 0),
            )
        )
        left = counts.get("pending", 0) + counts.get("sent", 0)
        self.eta_label.setText(_tr("Time left: {0}").format(format_eta(eta if left else 0.0)))
        if running:
            self.status_label.setText(_tr("Sending edits to Katapult…"))

    @_safe
    def refresh(self) -> None:
        """Re-read counts and failed operations from the journal."""
        job = self.current_job()
        if job is None:
            return
        path, _job_id = job
        try:
            journal = self._journal_for(path)
        except Exception as exc:  # noqa: BLE001 - show, never crash the dock
            self.status_label.setText(_tr("Cannot read the sync journal: {0}").format(exc))
            return
        counts = journal.counts(PLANNED_KINDS)
        left = counts["pending"] + counts["sent"]
        if not self.worker.is_draining():
            self._show_counts(counts, self.worker.eta_seconds(left * 10), False)
        failed = [op for op in journal.operations(["failed", "held"]) if op.kind in PLANNED_KINDS]
        self.failed_table.setRowCount(len(failed))
        for row, op in enumerate(failed):
            items = [
                QTableWidgetItem(op.kind),
                QTableWidgetItem(op.entity_id),
                QTableWidgetItem(
                    ("" if op.state == "failed" else _tr("held: ")) + (op.error or "")
                ),
            ]
            for col, item in enumerate(items):
                item.setData(Qt.ItemDataRole.UserRole, (op.kind, op.entity_id, op.op_id))
                item.setToolTip(op.error or "")
                self.failed_table.setItem(row, col, item)
        self._refresh_fields(journal)

    def _journal_for(self, path: str) -> Journal:
        """The dock's own (main-thread) connection to a job's journal, kept open."""
        cached = getattr(self, "_journal", None)
        if cached is None or cached.path != path:
            if cached is not None:
                cached.close()
            self._journal = Journal(path)
        return self._journal

    def _refresh_fields(self, journal: Optional[Journal] = None) -> None:
        job = self.current_job()
        if job is None:
            return
        journal = journal or self._journal_for(job[0])
        states = journal.entity_states()
        layers = job_layers(job[1])
        if layers:
            self._sync_states = refresh_sync_field(layers, states, self._sync_states)
        self._last_field_refresh = time.monotonic()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        cached = getattr(self, "_journal", None)
        if cached is not None:
            cached.close()
            self._journal = None
        super().closeEvent(event)

    @_safe
    def _on_failed_clicked(self, row: int, _col: int) -> None:
        item = self.failed_table.item(row, 0)
        if item is None:
            return
        kind, entity_id, _op_id = item.data(Qt.ItemDataRole.UserRole)
        self.show_feature(kind, entity_id)

    def watch_project(self, project: Optional[QgsProject] = None) -> None:
        """Resume what a previous session left when a job's layers are added; auto-push on save."""
        project = project or QgsProject.instance()
        project.layersAdded.connect(self._on_layers_added)
        self._on_layers_added(list(project.mapLayers().values()))

    @_safe
    def _on_layers_added(self, layers: list) -> None:
        jobs = set()
        job_layers_added = [layer for layer in layers if is_job_layer(layer)]
        # e.g. restored with a project: keep locking connections while the worker writes
        hold_update_mode(job_layers_added)
        for layer in job_layers_added:
            if layer.customProperty(PROP_KIND) not in SYNC_KINDS:
                continue
            layer.afterCommitChanges.connect(self._on_layer_saved)
            path = layer_gpkg(layer)  # only an existing GeoPackage has a journal
            if path:
                jobs.add((path, str(layer.customProperty(PROP_JOB))))
        controller = getattr(self, "controller", None)
        for path, job_id in sorted(jobs):
            if controller is not None:
                left = controller.resume_pending(path, job_id)
                if left:
                    self.status_label.setText(
                        _tr("Resuming {0} edits not yet sent from the last session.").format(left)
                    )
        if jobs:
            self.refresh()

    @_safe
    def _on_layer_saved(self) -> None:
        if self.auto_push.isChecked() and self._push_cb is not None:
            self._push()

    @_safe
    def show_pull_summary(self, summary: dict) -> None:
        """Say what a pull changed."""
        changed = (
            sum(summary.get("updated", {}).values())
            + sum(summary.get("added", {}).values())
            + sum(summary.get("deleted", {}).values())
        )
        text = _tr(
            "Pulled: {0} items updated from the server, {1} merged with your edits, {2} conflicts."
        ).format(changed, summary.get("merged", 0), summary.get("conflicts", 0))
        problems = summary.get("problems") or []
        if problems:
            text += "\n" + "\n".join(str(p) for p in problems[:10])
        self.status_label.setText(text)
        self.refresh()

    @_safe
    def open_conflicts(self, path: str) -> Optional[Any]:
        """Show the conflict dialog for the job's open conflicts (non-modal)."""
        from .conflict_dialog import ConflictDialog
        from .sync_flows import conflicts_of

        job = self.current_job()
        controller = getattr(self, "controller", None)
        if job is None or controller is None:
            return None
        records = conflicts_of(path)
        if not records:
            return None
        dialog = ConflictDialog(
            records,
            lambda rec, choice: controller.resolve(path, job[1], rec, choice),
            self,
            show_item=self.show_feature,
        )
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.show()
        self._conflict_dialog = dialog
        return dialog

    def show_feature(self, kind: str, entity_id: str) -> bool:
        """Select and zoom to the feature of one entity; False if it is not in the layers."""
        job = self.current_job()
        layers = job_layers(job[1] if job else None)
        layer = layers.get(kind)
        if layer is None:
            return False
        fid = find_feature_id(layer, entity_id)
        if fid is None:
            return False
        layer.selectByIds([fid])
        if self.iface is not None:
            self.iface.setActiveLayer(layer)
            canvas = self.iface.mapCanvas()
            if canvas is not None:
                canvas.zoomToSelected(layer)
                canvas.refresh()
        return True


def create_sync_dock(plugin: Any) -> SyncDock:
    """DockSpec factory: the dock, the plugin's worker and the push/pull controller."""
    from ..worker import shared_worker
    from .sync_flows import SyncController

    worker = shared_worker(plugin)
    controller = SyncController(worker)
    dock = SyncDock(
        plugin.iface,
        worker,
        plugin.iface.mainWindow() if plugin.iface else None,
        push=lambda: controller.push(),
        pull=lambda: controller.pull(),
    )
    dock.controller = controller
    controller.message.connect(
        lambda text, level: (dock.status_label.setText(text), dock._bar(text, level))
    )
    controller.pullFinished.connect(lambda path, summary: dock.show_pull_summary(summary))
    controller.conflictsFound.connect(dock.open_conflicts)
    dock.watch_project()
    return dock
