"""Network work off the GUI thread: tasks around ``fn(client, cancel, task)``; the job download.

The HTTP part (:func:`fetch_job`) and the layer-building part
(:func:`plugin.layers.geopackage.write_job_gpkg`) are separate functions so the
single background worker (``plugin/worker.py``) can run them too. Tasks show in
QGIS's task manager and can be cancelled there (the cancel token stops waits
and retries of the client; building the file checks it between steps).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Optional

from qgis.core import QgsApplication, QgsProxyProgressTask, QgsTask
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from .. import qgis_log
from ..api.pacing import CancelToken
from .geopackage import (
    GpkgError,
    JobData,
    LoadCancelled,
    LoadReport,
    default_gpkg_path,
    now_iso,
    refuse_foreign_file,
    tr,
    write_job_gpkg,
)
from .working import local_changes

ClientFactory = Callable[[], Any]
TaskFn = Callable[[Any, CancelToken, "ClientTask"], Any]


class SharedClient:
    """Builds the client once (lazily, from any thread) and hands the same one to every task,
    so every call goes through one governor."""

    def __init__(self, factory: ClientFactory) -> None:
        self._factory = factory
        self._client = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        """The client (created on first use)."""
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def reset(self) -> None:
        """Forget the client (e.g. after the key or server changed)."""
        with self._lock:
            self._client = None


class ClientTask(QgsTask):
    """Run ``fn(client, cancel_token, task)`` in QGIS's task manager; signals on the main thread."""

    succeeded = pyqtSignal(object)
    failed = pyqtSignal(object)  # the exception

    def __init__(
        self, description: str, fn: TaskFn, client: SharedClient, flags=QgsTask.Flag.CanCancel
    ) -> None:
        super().__init__(description, flags)
        self._fn = fn
        self._client = client
        self.token = CancelToken()
        self.result: Any = None
        self.error: Optional[BaseException] = None

    def run(self) -> bool:  # worker thread
        try:
            self.result = self._fn(self._client.get(), self.token, self)
            return not self.isCanceled()
        except BaseException as exc:  # noqa: BLE001 - reported on the main thread
            self.error = exc
            return False

    def cancel(self) -> None:
        self.token.cancel()
        super().cancel()

    def finished(self, ok: bool) -> None:  # main thread
        if ok:
            self.succeeded.emit(self.result)
            return
        if self.error is None:
            from ..api.errors import CancelledError

            self.error = CancelledError(f"{self.description()} was cancelled")
        qgis_log.warning(f"{self.description()}: {self.error}")
        self.failed.emit(self.error)


class WorkerCall(QObject):
    """Run ``fn(client, cancel_token, call)`` on the plugin's single worker (``plugin/worker.py``).

    Same interface as :class:`ClientTask` (``succeeded``/``failed`` signals,
    ``description()``, ``cancel()``, ``setProgress()``, ``isCanceled()``). With
    ``show_progress`` a proxy task shows in QGIS's task manager; cancelling it
    cancels this call only (the worker's own cancel cancels it too).
    """

    succeeded = pyqtSignal(object)
    failed = pyqtSignal(object)

    def __init__(
        self, worker: Any, description: str, fn: TaskFn, show_progress: bool = False
    ) -> None:
        super().__init__()
        self._worker = worker
        self._description = description
        self.token = CancelToken()
        self.proxy = None
        self._timer = None
        if show_progress:
            self.proxy = QgsProxyProgressTask(description)
            QgsApplication.taskManager().addTask(self.proxy)
            self._timer = QTimer(self)
            self._timer.setInterval(200)
            self._timer.timeout.connect(self._poll_cancel)
            self._timer.start()
        worker.callFinished.connect(self._on_finished)
        worker.callFailed.connect(self._on_failed)

        def job(w: Any, cancel: Any) -> Any:
            cancel.add_callback(self.token.cancel)
            try:
                return fn(w.client, self.token, self)
            finally:
                cancel.remove_callback(self.token.cancel)

        self.job_id = worker.submit(job, lane="interactive")

    def description(self) -> str:
        return self._description

    def setProgress(self, value: float) -> None:  # noqa: N802 - QgsTask-like
        if self.proxy is not None:
            self.proxy.setProxyProgress(value)

    def isCanceled(self) -> bool:  # noqa: N802 - QgsTask-like
        return self.token.cancelled

    def cancel(self) -> None:
        self.token.cancel()

    def _poll_cancel(self) -> None:
        if self.proxy is not None and self.proxy.isCanceled():
            self.token.cancel()

    def _finish(self, ok: bool) -> None:
        try:
            self._worker.callFinished.disconnect(self._on_finished)
            self._worker.callFailed.disconnect(self._on_failed)
        except TypeError:
            pass
        if self._timer is not None:
            self._timer.stop()
        if self.proxy is not None:
            self.proxy.finalize(ok)
            self.proxy = None

    def _on_finished(self, job_id: int, result: Any) -> None:
        if job_id != self.job_id:
            return
        self._finish(True)
        self.succeeded.emit(result)

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id != self.job_id:
            return
        self._finish(False)
        qgis_log.warning(f"{self._description}: {message}")
        self.failed.emit(WorkerCallError(message.split("\n", 1)[0]))


class WorkerCallError(Exception):
    """A call on the worker failed; ``str()`` is the worker's (masked) sentence."""


def start_task(task: QgsTask) -> QgsTask:
    """Hand ``task`` to QGIS's task manager."""
    QgsApplication.taskManager().addTask(task)
    return task


def fetch_job(
    client: Any,
    job_id: str,
    name: Optional[str] = None,
    *,
    cancel: Optional[CancelToken] = None,
    lane: str = "bulk",
    progress: Optional[Callable[[float, str], None]] = None,
) -> JobData:
    """The three GETs of a job (nodes, connections with sections, photos) plus its name/metadata.

    The lists are fetched with ``raw=True``: ``JobData.raw_texts`` keeps each item's JSON
    text as the server sent it, which kp_base stores as is.
    """
    pulled_at = now_iso()
    metadata = None
    if name is None:
        info = client.get_job(job_id, ["name", "metadata"], lane=lane, cancel=cancel) or {}
        name = info.get("name") or job_id
        metadata = info.get("metadata")
    steps = (
        ("nodes", "node", client.list_nodes),
        ("connections", "connection", client.list_connections),
        ("photos", "photo", client.list_photos),
    )
    out = {}
    texts = {}
    for i, (what, kind, method) in enumerate(steps):
        if progress is not None:
            progress(i / 3.0, what)
        # raw=True: also each item's JSON text as sent, stored as is in kp_base
        items = method(job_id, lane=lane, cancel=cancel, raw=True)
        item_texts = getattr(items, "texts", None)
        if item_texts is not None:
            texts[kind] = item_texts
        out[what] = items or []
    return JobData(
        job_id=job_id,
        name=name,
        nodes=out["nodes"],
        connections=out["connections"],
        photos=out["photos"],
        server_url=getattr(client, "base_url", ""),
        metadata=metadata,
        pulled_at=pulled_at,
        raw_texts=texts or None,
    )


def download_job(
    client: Any,
    cancel: CancelToken,
    task: Optional[QgsTask],
    job_id: str,
    name: Optional[str] = None,
    path: Optional[str] = None,
    metadata: Optional[dict] = None,
    finalize: bool = True,
) -> LoadReport:
    """Fetch the job and build its GeoPackage (runs in a task or in the worker)."""

    def http_progress(fraction: float, what: str) -> None:
        if task is not None:
            task.setProgress(5 + 45 * fraction)

    def build_progress(fraction: float, what: str) -> None:
        if task is not None:
            task.setProgress(50 + 50 * fraction)

    def cancelled() -> bool:
        return cancel.cancelled or (task is not None and task.isCanceled())

    if cancelled():
        raise LoadCancelled(tr("Loading the job was cancelled."))
    target = path or default_gpkg_path(job_id)
    if os.path.exists(target):
        refuse_foreign_file(target, job_id)
        changed = local_changes(target)
        if changed:
            raise GpkgError(
                tr(
                    "{path} holds {n} saved change(s) not sent to Katapult; push them, or use "
                    "Refresh layers, instead of downloading the job again."
                ).format(path=target, n=len(changed))
            )
    data = fetch_job(client, job_id, name, cancel=cancel, progress=http_progress)
    if metadata is not None and data.metadata is None:
        data.metadata = metadata
    return write_job_gpkg(
        data, path, progress=build_progress, is_cancelled=cancelled, finalize=finalize
    )
