"""Job browser dock: list, search, create, rename, edit metadata, archive/restore and open jobs.

Every network call runs on the plugin's single background worker
(:class:`~plugin.layers.load_task.WorkerCall`; downloads also show a cancellable
proxy task in QGIS's task manager) or, when the dock is built with a client
factory (scripts, tests), in a :class:`~plugin.layers.load_task.ClientTask`. The
GUI thread only builds widgets and adds layers.
The public methods (``refresh_jobs``, ``create_job``, ``rename_job``,
``update_metadata``, ``set_archived``, ``open_job``, ``refresh_open_job``,
``load_pick_lists``) return the started task, so scripts and tests can wait on it.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import qgis_log
from ..layers import geopackage
from ..layers.load_task import (
    ClientTask,
    SharedClient,
    WorkerCall,
    WorkerCallError,
    download_job,
    start_task,
)
from ..layers.picklists import MODEL_PATH, MODEL_PATH_COST, pick_lists_from_model
from ..layers.project import add_job_layers, job_layers, open_job_gpkg, remove_job_layers
from ..layers.refresh import apply_refresh, fetch_refresh, prepare_refresh, refresh_since
from .job_dialogs import MetadataDialog, NewJobDialog

COLUMNS = ("name", "status", "last_updated", "metadata")


def tr(text: str) -> str:
    """Translate in the ``KatapultJobBrowser`` context."""
    return QCoreApplication.translate("KatapultJobBrowser", text)


def metadata_text(metadata: Any) -> str:
    """Readable one-line metadata: ``key: value; ...`` sorted by key."""
    if not isinstance(metadata, dict):
        return ""
    return "; ".join(f"{k}: {v}" for k, v in sorted(metadata.items()))


def short_time(value: Any) -> str:
    """``2026-03-04T13:45:16.510Z`` -> ``2026-03-04 13:45`` (UTC; the full value is the tooltip)."""
    text = str(value or "")
    if len(text) >= 16 and text[10] == "T":
        return text[:10] + " " + text[11:16]
    return text


def matches(job: Dict[str, Any], text: str) -> bool:
    """Case-insensitive text search over name, id, status and metadata."""
    needle = text.strip().lower()
    if not needle:
        return True
    hay = " ".join(
        [
            str(job.get("name") or ""),
            str(job.get("id") or ""),
            str(job.get("status") or ""),
            metadata_text(job.get("metadata")),
        ]
    ).lower()
    return all(word in hay for word in needle.split())


def default_client_factory():
    """The configured client (settings / auth database / environment)."""
    from ..connection import make_client

    return make_client()


class JobBrowserDock(QgsDockWidget):
    """The "Katapult jobs" dock."""

    jobsChanged = pyqtSignal(list)
    jobOpened = pyqtSignal(object)  # LoadReport
    failed = pyqtSignal(str)

    def __init__(
        self,
        plugin: Any = None,
        *,
        iface: Any = None,
        client_factory: Optional[Callable[[], Any]] = None,
        parent: Optional[QWidget] = None,
        confirm: Optional[Callable[[str, str], bool]] = None,
        worker: Any = None,
    ) -> None:
        iface = iface if iface is not None else getattr(plugin, "iface", None)
        super().__init__(
            tr("Katapult jobs"),
            parent if parent is not None else (iface.mainWindow() if iface is not None else None),
        )
        self.setObjectName("KatapultJobBrowserDock")
        self.iface = iface
        # Network work: on the given worker; else on the plugin's single worker (created on
        # first use); else (scripts, tests with a client factory) in QgsTasks sharing one client.
        self._worker = worker
        self._plugin = plugin if client_factory is None else None
        self.client = SharedClient(client_factory or default_client_factory)
        self.confirm = confirm or self._confirm_dialog
        self.jobs: List[Dict[str, Any]] = []
        self.tasks: List[ClientTask] = []
        if plugin is not None and hasattr(plugin, "add_cleanup"):
            plugin.add_cleanup(self.cancel_all)
        self._build()

    # ------------------------------------------------------------------ widgets
    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        row = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("Search name, id, metadata"))
        self.search_edit.textChanged.connect(self._fill)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(lambda: self.refresh_jobs())
        row.addWidget(self.search_edit)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.archived_check = QCheckBox(tr("Include archived"))
        self.archived_check.toggled.connect(lambda _on: self.refresh_jobs())
        self.metadata_edit = QLineEdit()
        self.metadata_edit.setPlaceholderText(tr("Metadata filter, e.g. city:Buffalo,status:done"))
        self.metadata_edit.returnPressed.connect(lambda: self.refresh_jobs())
        row.addWidget(self.archived_check)
        row.addWidget(self.metadata_edit)
        layout.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([tr("Name"), tr("Status"), tr("Last updated"), tr("Metadata")])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.setSortingEnabled(True)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self._on_open())
        layout.addWidget(self.tree)
        row = QHBoxLayout()
        self.open_button = self._button(row, tr("Open"), self._on_open)
        self.open_as_button = self._button(row, tr("Open as…"), self._on_open_as)
        self.update_button = self._button(row, tr("Refresh layers"), self._on_refresh_layers)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.new_button = self._button(row, tr("New…"), self._on_new)
        self.rename_button = self._button(row, tr("Rename…"), self._on_rename)
        self.metadata_button = self._button(row, tr("Metadata…"), self._on_metadata)
        self.archive_button = self._button(row, tr("Archive"), self._on_archive)
        layout.addLayout(row)
        row = QHBoxLayout()
        self._button(row, tr("Open downloaded…"), self._on_open_file)
        self.picklist_button = self._button(row, tr("Pick-lists from model…"), self._on_pick_lists)
        layout.addLayout(row)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.setWidget(body)
        self._update_buttons()
        self.visibilityChanged.connect(self._on_visible)

    def _on_visible(self, visible: bool) -> None:
        """List the jobs the first time the dock is shown."""
        if visible and not self.jobs and not self.tasks:
            try:
                self.refresh_jobs()
            except Exception as exc:  # noqa: BLE001 - shown (e.g. no API key yet)
                self._status(str(exc), Qgis.Warning)

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        row.addWidget(button)
        return button

    def _fill(self) -> None:
        selected = self.selected_job_id()
        self.tree.setSortingEnabled(False)
        self.tree.clear()
        for job in self.jobs:
            if not matches(job, self.search_edit.text()):
                continue
            item = QTreeWidgetItem(
                [
                    str(job.get("name") or job.get("id")),
                    str(job.get("status") or ""),
                    short_time(job.get("last_updated")),
                    metadata_text(job.get("metadata")),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, job.get("id"))
            item.setToolTip(0, str(job.get("id")))
            item.setToolTip(2, str(job.get("last_updated") or ""))
            item.setToolTip(3, metadata_text(job.get("metadata")).replace("; ", "\n"))
            self.tree.addTopLevelItem(item)
            if job.get("id") == selected:
                item.setSelected(True)
        self.tree.setSortingEnabled(True)
        for column in (0, 1, 2):
            self.tree.resizeColumnToContents(column)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 320))
        self._update_buttons()

    def visible_job_ids(self) -> List[str]:
        """Ids of the jobs the list shows (after the text search)."""
        return [
            self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
            for i in range(self.tree.topLevelItemCount())
        ]

    def selected_job_id(self) -> Optional[str]:
        """Id of the selected job, if any."""
        items = self.tree.selectedItems() if hasattr(self, "tree") else []
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def select_job(self, job_id: str) -> None:
        """Select a job in the list."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) == job_id)

    def job(self, job_id: Optional[str]) -> Optional[Dict[str, Any]]:
        """The listed job with that id."""
        return next((j for j in self.jobs if j.get("id") == job_id), None)

    def _update_buttons(self) -> None:
        job = self.job(self.selected_job_id())
        for button in (
            self.open_button,
            self.open_as_button,
            self.rename_button,
            self.metadata_button,
            self.archive_button,
            self.picklist_button,
        ):
            button.setEnabled(job is not None)
        self.update_button.setEnabled(job is not None and bool(job_layers(job.get("id"))))
        archived = job is not None and job.get("status") == "archived"
        self.archive_button.setText(tr("Restore") if archived else tr("Archive"))

    def _status(self, text: str, level=Qgis.Info) -> None:
        self.status_label.setText(text)
        qgis_log.log(text, level)

    # ------------------------------------------------------------------ tasks
    def worker(self) -> Any:
        """The background worker used for network calls (None: QgsTasks are used)."""
        if self._worker is None and self._plugin is not None:
            from ..worker import shared_worker

            self._worker = shared_worker(self._plugin)
        return self._worker

    def _run(
        self, description: str, fn, on_done: Callable[[Any], Any], show_progress: bool = False
    ):
        worker = self.worker()
        if worker is not None:
            task = WorkerCall(worker, description, fn, show_progress)
        else:
            task = start_task(ClientTask(description, fn, self.client))
        task.succeeded.connect(lambda result: self._done(task, on_done, result))
        task.failed.connect(lambda exc: self._failed(task, exc))
        self.tasks.append(task)
        self._status(tr("{what}…").format(what=description))
        return task

    def _done(self, task, on_done, result) -> None:
        if sip.isdeleted(self):
            return
        if task in self.tasks:
            self.tasks.remove(task)
        try:
            on_done(result)
        except Exception as exc:  # noqa: BLE001 - shown, logged
            self._failed(task, exc)

    def _failed(self, task, exc: BaseException) -> None:
        if sip.isdeleted(self):
            return
        if task in self.tasks:
            self.tasks.remove(task)
        from .error_text import describe_error

        sentence = str(exc) if isinstance(exc, WorkerCallError) else describe_error(exc)
        text = tr("{what} failed: {why}").format(what=task.description(), why=sentence)
        self._status(text, Qgis.Warning)
        if self.iface is not None:
            qgis_log.push_message(self.iface.messageBar(), tr("Katapult"), text, Qgis.Warning)
        self.failed.emit(text)

    # ------------------------------------------------------------------ operations
    def refresh_jobs(self) -> ClientTask:
        """Reload the job list (include-archived and metadata filter go to the server)."""
        include = self.archived_check.isChecked()
        metadata_filter = self.metadata_edit.text().strip() or None

        def fetch(client, cancel, task):
            jobs = (
                client.list_jobs(
                    include_archived=include or None, metadata_filter=metadata_filter, cancel=cancel
                )
                or []
            )
            if any(isinstance(j, dict) and not j.get("name") for j in jobs):
                # Permission entries may lack names; the light list (1 token) has them.
                light = client.list_jobs(
                    include_archived=include or None, as_list=True, cancel=cancel
                )
                names = {j.get("id"): j.get("name") for j in light or [] if isinstance(j, dict)}
                for job in jobs:
                    if isinstance(job, dict) and not job.get("name") and names.get(job.get("id")):
                        job["name"] = names[job.get("id")]
            return jobs

        def done(jobs):
            self.jobs = [j for j in jobs if isinstance(j, dict)]
            self._fill()
            self._status(tr("{n} job(s)").format(n=len(self.jobs)))
            self.jobsChanged.emit(self.jobs)

        return self._run(tr("Listing jobs"), fetch, done)

    def create_job(
        self, name: str, model: str, metadata: Optional[Dict[str, Any]] = None
    ) -> ClientTask:
        """Create a job, then reload the list and select it."""
        body: Dict[str, Any] = {"name": name, "model": model}
        if metadata:
            body["metadata"] = dict(metadata)

        def call(client, cancel, task):
            return client.create_job(body, cancel=cancel)

        def done(job):
            self._after_change(tr("Job {name} created").format(name=name), (job or {}).get("id"))

        return self._run(tr("Creating job {name}").format(name=name), call, done)

    def rename_job(self, job_id: str, name: str) -> ClientTask:
        """Rename a job."""

        def call(client, cancel, task):
            return client.update_job(job_id, {"name": name}, cancel=cancel)

        return self._run(
            tr("Renaming job"),
            call,
            lambda _r: self._after_change(tr("Job renamed to {name}").format(name=name), job_id),
        )

    def update_metadata(self, job_id: str, changes: Dict[str, Any]) -> ClientTask:
        """Send metadata changes (``None`` removes a key)."""

        def call(client, cancel, task):
            return client.update_job(job_id, {"metadata": dict(changes)}, cancel=cancel)

        return self._run(
            tr("Updating job metadata"),
            call,
            lambda _r: self._after_change(tr("Metadata saved"), job_id),
        )

    def set_archived(self, job_id: str, archived: bool) -> ClientTask:
        """Archive or restore a job."""
        status = "archived" if archived else "active"

        def call(client, cancel, task):
            return client.update_job_status(job_id, status, cancel=cancel)

        text = tr("Job archived") if archived else tr("Job restored")
        return self._run(
            tr("Archiving job") if archived else tr("Restoring job"),
            call,
            lambda _r: self._after_change(text, job_id),
        )

    def _after_change(self, text: str, job_id: Optional[str]) -> None:
        self._status(text)
        task = self.refresh_jobs()
        if job_id:
            task.succeeded.connect(lambda _jobs: self.select_job(job_id))

    def open_job(
        self, job_id: str, name: Optional[str] = None, path: Optional[str] = None
    ) -> ClientTask:
        """Download the job into its GeoPackage and add the layers (replacing older ones)."""
        for layer in job_layers(job_id).values():
            if layer.isEditable() and layer.isModified():
                raise geopackage.GpkgError(
                    tr(
                        "Layer {name} of this job has unsaved edits; save or discard them first."
                    ).format(name=layer.name())
                )
        job = self.job(job_id) or {}
        name = name or job.get("name")
        metadata = job.get("metadata")

        def call(client, cancel, task):
            return download_job(client, cancel, task, job_id, name, path, metadata, finalize=False)

        def done(report):
            canvas = (
                self.iface.mapCanvas()
                if self.iface is not None and hasattr(self.iface, "mapCanvas")
                else None
            )
            # The old layers hold the old file (and its write-ahead log): drop them first,
            # unless they were edited while the download ran.
            for layer in job_layers(job_id).values():
                if layer.isEditable() and layer.isModified():
                    os.remove(report.part_path)
                    raise geopackage.GpkgError(
                        tr("{name} was edited during the download; save, then open again.").format(
                            name=layer.name()
                        )
                    )
            remove_job_layers(job_id, QgsProject.instance())
            geopackage.finalize_job_gpkg(report)
            add_job_layers(report.path, QgsProject.instance(), canvas)
            self._status(
                tr("Opened {name}: {summary}").format(name=report.name, summary=report.summary()),
                Qgis.Warning if report.issues else Qgis.Info,
            )
            self._update_buttons()
            self.jobOpened.emit(report)

        return self._run(
            tr("Downloading job {name}").format(name=name or job_id), call, done, show_progress=True
        )

    def refresh_open_job(self, job_id: str) -> ClientTask:
        """Pull what changed for an open job; features changed here are listed, not overwritten."""
        layers = job_layers(job_id)
        if not layers:
            raise geopackage.GpkgError(tr("The job is not open in this project; open it first."))
        path = layers["node"].customProperty("katapult/gpkg")
        since = refresh_since(geopackage.read_meta(path))

        def call(client, cancel, task):
            # HTTP and the comparison with the working copy both run off the GUI thread.
            return prepare_refresh(path, fetch_refresh(client, job_id, since, cancel=cancel))

        def done(data):
            report = apply_refresh(path, job_layers(job_id), data)
            for kind, key, reason in report.kept_local:
                qgis_log.warning(f"{kind} {key}: {reason}")
            for problem in report.problems:
                qgis_log.warning(problem)
            self._status(
                tr("Refreshed: {summary}").format(summary=report.summary()),
                Qgis.Warning if report.kept_local or report.problems else Qgis.Info,
            )
            self.last_refresh = report

        return self._run(tr("Refreshing job layers"), call, done)

    def load_pick_lists(self, job_id: str) -> Optional[ClientTask]:
        """Read the job's model pick-lists (asks first: it costs tokens); cache them in kp_meta."""
        layers = job_layers(job_id)
        if not layers:
            raise geopackage.GpkgError(
                tr("Open the job first; pick-lists are stored with its layers.")
            )
        question = tr(
            "Reading the job's model pick-lists costs {cost} API tokens (1 more for the job's "
            "model name). Continue?"
        ).format(cost=MODEL_PATH_COST)
        if not self.confirm(tr("Pick-lists from the model"), question):
            return None
        path = layers["node"].customProperty("katapult/gpkg")

        def call(client, cancel, task):
            info = client.get_job(job_id, ["job_creator"], cancel=cancel) or {}
            model = info.get("job_creator")
            if not model:
                raise geopackage.GpkgError(tr("The job does not say which model it uses."))
            return pick_lists_from_model(client.get_model(model, MODEL_PATH, cancel=cancel))

        def done(lists):
            con = geopackage.connect(path)
            try:
                with con:
                    geopackage.write_meta(con, {"pick_lists": lists})
            finally:
                con.close()
            from ..layers.forms import apply_forms

            for layer in job_layers(job_id).values():
                apply_forms(layer, lists)
            self._status(tr("Pick-lists loaded for {n} attribute(s)").format(n=len(lists)))

        return self._run(tr("Reading model pick-lists"), call, done)

    # ------------------------------------------------------------------ GUI handlers
    def _confirm_dialog(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def _on_new(self) -> None:
        dialog = NewJobDialog(self)
        if dialog.exec():
            name, model, metadata = dialog.values()
            self.create_job(name, model, metadata)

    def _on_rename(self) -> None:
        job = self.job(self.selected_job_id())
        if job is None:
            return
        name, ok = QInputDialog.getText(
            self, tr("Rename job"), tr("New name"), text=str(job.get("name") or "")
        )
        if ok and name.strip():
            self.rename_job(job["id"], name.strip())

    def _on_metadata(self) -> None:
        job = self.job(self.selected_job_id())
        if job is None:
            return
        dialog = MetadataDialog(
            job.get("metadata"), self, tr("Metadata of {name}").format(name=job.get("name"))
        )
        if dialog.exec():
            changes = dialog.changes()
            if changes:
                self.update_metadata(job["id"], changes)

    def _on_archive(self) -> None:
        job = self.job(self.selected_job_id())
        if job is not None:
            self.set_archived(job["id"], job.get("status") != "archived")

    def _on_open(self) -> None:
        job_id = self.selected_job_id()
        if job_id:
            try:
                self.open_job(job_id)
            except Exception as exc:  # noqa: BLE001 - shown
                self._status(str(exc), Qgis.Warning)

    def _on_open_as(self) -> None:
        job = self.job(self.selected_job_id())
        if job is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Save the job as"),
            geopackage.default_gpkg_path(job["id"]),
            tr("GeoPackage (*.gpkg)"),
        )
        if path:
            try:
                self.open_job(job["id"], path=path if path.endswith(".gpkg") else path + ".gpkg")
            except Exception as exc:  # noqa: BLE001 - shown
                self._status(str(exc), Qgis.Warning)

    def _on_open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Open a downloaded job"),
            str(geopackage.jobs_folder()),
            tr("GeoPackage (*.gpkg)"),
        )
        if path:
            try:
                canvas = self.iface.mapCanvas() if self.iface is not None else None
                open_job_gpkg(path, QgsProject.instance(), canvas)
                self._status(tr("Opened {path}").format(path=path))
            except Exception as exc:  # noqa: BLE001 - shown
                self._status(str(exc), Qgis.Warning)

    def _on_refresh_layers(self) -> None:
        job_id = self.selected_job_id()
        if job_id:
            try:
                self.refresh_open_job(job_id)
            except Exception as exc:  # noqa: BLE001 - shown
                self._status(str(exc), Qgis.Warning)

    def _on_pick_lists(self) -> None:
        job_id = self.selected_job_id()
        if job_id:
            try:
                self.load_pick_lists(job_id)
            except Exception as exc:  # noqa: BLE001 - shown
                self._status(str(exc), Qgis.Warning)

    def cancel_all(self) -> None:
        """Cancel every call still running (plugin unload)."""
        for task in list(self.tasks):
            task.cancel()
        self.tasks.clear()
