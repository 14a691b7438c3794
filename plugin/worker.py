"""The ONE background worker: owns the Katapult client (and its governor).

The GUI and Processing never call HTTP themselves: they submit work here and
get Qt signals back (queued into the main thread).  Two lanes:

* interactive: short reads (job lists, refreshes, pulls).  They run ahead of
  bulk work, even in the middle of a drain (the drain yields between
  operations);
* bulk: planning a push and draining a job's journal.

While a drain runs, a ``QgsProxyProgressTask`` shows it in QGIS's task
manager; cancelling that task cancels the drain.  Nothing the drain does is
lost on pause, cancel, crash or QGIS exit: the journal in the GeoPackage is
the queue, and the next drain resumes it.
"""

from __future__ import annotations

import functools
import itertools
import queue
import threading
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QCoreApplication, QObject, QThread, QTimer, pyqtSignal

from .sync import executor as ex
from .sync.journal import PLANNED_KINDS, Journal

try:
    from .api.pacing import CancelToken
except ImportError:  # pragma: no cover - api room not yet present
    CancelToken = None  # type: ignore[assignment]


def _safe(method):
    """A main-thread slot that logs instead of raising into Qt (which would abort QGIS)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the task display is advisory
            try:
                from . import qgis_log

                qgis_log.log_exception(f"Katapult worker: {method.__name__}", exc)
            except Exception:  # noqa: BLE001
                pass
            return None

    return wrapper


def tr(text: str) -> str:
    return QCoreApplication.translate("SyncWorker", text)


class _Token:
    """Used only when ``api.pacing.CancelToken`` is unavailable."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


def _new_token():
    return CancelToken() if CancelToken is not None else _Token()


@dataclass
class _Job:
    job_id: int
    lane: str
    fn: Callable[[SyncWorker, Any], Any]
    kind: str = "call"


class _Thread(QThread):
    def __init__(self, owner: SyncWorker) -> None:
        super().__init__()
        self.owner = owner

    def run(self) -> None:  # noqa: D401 - Qt entry point
        self.owner._loop()


class SyncWorker(QObject):
    """Background worker facade (lives in the main thread; work runs in its QThread)."""

    #: job id, result
    callFinished = pyqtSignal(int, object)
    #: job id, error message (sentence, secrets masked)
    callFailed = pyqtSignal(int, str)
    #: summary dict: counts {state: n}, eta_s, job_id, path, running
    progress = pyqtSignal(dict)
    #: op_id, kind, entity_id, event ("done" | "failed" | "held" | ...), message
    opChanged = pyqtSignal(str, str, str, str, str)
    #: status (drained|cancelled|paused|auth|offline|error), message, counts
    drainFinished = pyqtSignal(str, str, dict)
    #: the server refused the key: ask the user for a new one, then resume()
    authRequired = pyqtSignal(str)

    def __init__(
        self,
        client: Any = None,
        *,
        client_factory: Optional[Callable[[], Any]] = None,
        show_task: bool = True,
        progress_interval_s: float = 0.25,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._client_factory = client_factory
        self._show_task = show_task
        self._progress_interval = progress_interval_s
        self._interactive: queue.Queue[_Job] = queue.Queue()
        self._bulk: queue.Queue[_Job] = queue.Queue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._cancel = _new_token()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._draining: Optional[tuple] = None  # (path, job_id) while a drain runs
        self._last_drain: Optional[tuple] = None
        self._task = None
        self._task_timer: Optional[QTimer] = None
        self._connect_task_signals()
        self._thread = _Thread(self)
        self._thread.start()

    # -- client ------------------------------------------------------
    @property
    def client(self) -> Any:
        """The client (built by :meth:`ensure_client` on the submitting thread)."""
        if self._client is None and self._client_factory is not None:
            self._client = self._client_factory()
        return self._client

    def ensure_client(self) -> Any:
        """Build the client now (main thread: settings and auth database) if there is none.

        Raises what the factory raises (e.g. no key configured) so the GUI can say so.
        """
        if self._client is None and self._client_factory is not None:
            self._client = self._client_factory()
        return self._client

    def reset_client(self) -> None:
        """Forget the client: the next submission builds a new one (new key or server)."""
        if self._client_factory is not None:

            def drop(worker: SyncWorker, cancel: Any) -> None:
                worker._client = None

            self.submit(drop, lane="interactive")

    def set_client(self, client: Any) -> None:
        """Replace the client (e.g. after a new key); queued as a job to stay in order."""

        def swap(worker: SyncWorker, cancel: Any) -> None:
            worker._client = client

        self.submit(swap, lane="interactive")

    def eta_seconds(self, cost: int) -> Optional[float]:
        """Seconds the governor needs for ``cost`` tokens (None without a governor)."""
        gov = getattr(self._client, "governor", None)
        if gov is None or not hasattr(gov, "estimate_seconds"):
            return None
        try:
            return float(gov.estimate_seconds(cost, calls=max(0, int(cost) // ex.WRITE_COST)))
        except Exception:  # noqa: BLE001 - an ETA is advisory
            return None

    # -- submission --------------------------------------------------
    def submit(self, fn: Callable[[SyncWorker, Any], Any], lane: str = "interactive") -> int:
        """Run ``fn(worker, cancel_token)`` in the worker thread.

        The result comes back through ``callFinished`` / ``callFailed``.
        """
        job = _Job(next(self._ids), lane, fn)
        (self._interactive if lane == "interactive" else self._bulk).put(job)
        self._wake.set()
        return job.job_id

    def submit_read(self, fn: Callable[[Any, Any], Any]) -> int:
        """Interactive read: ``fn(client, cancel)`` runs ahead of bulk writes."""
        self.ensure_client()
        return self.submit(lambda worker, cancel: fn(worker.client, cancel), lane="interactive")

    def submit_plan(self, path: str, planner: Callable[[Journal], Any]) -> int:
        """Bulk: run a pure planner against the job's journal in the worker thread."""

        def run(worker: SyncWorker, cancel: Any) -> Any:
            j = Journal(path)
            try:
                return planner(j)
            finally:
                j.close()

        return self.submit(run, lane="bulk")

    def submit_drain(self, path: str, job_id: str) -> int:
        """Bulk: drain the journal of ``path`` (job ``job_id``)."""
        self.ensure_client()
        self._last_drain = (path, job_id)
        job = _Job(next(self._ids), "bulk", lambda w, c: w._drain(path, job_id, c), kind="drain")
        self._bulk.put(job)
        self._wake.set()
        return job.job_id

    # -- control -----------------------------------------------------
    def pause(self) -> None:
        """Stop after the operation in flight; the rest stays pending."""
        self._paused.set()

    def resume(self) -> None:
        """Continue the last drain."""
        self._paused.clear()
        if self._last_drain is not None and self._draining is None:
            self.submit_drain(*self._last_drain)

    def clear_pause(self) -> None:
        """Forget a pause without starting anything (the next drain runs)."""
        self._paused.clear()

    def is_paused(self) -> bool:
        return self._paused.is_set()

    def is_draining(self) -> bool:
        return self._draining is not None

    def cancel(self) -> None:
        """Cancel the running work (the call in flight is abandoned; the journal keeps it)."""
        with self._lock:
            self._cancel.cancel()
            # drop queued bulk work too: it is all re-creatable from the journal
            while True:
                try:
                    self._bulk.get_nowait()
                except queue.Empty:
                    break

    def retry_failed(self, path: str, job_id: str) -> int:
        """Failed (and dependency-held) ops back to pending, then drain."""
        j = Journal(path)
        try:
            n = j.retry_failed()
        finally:
            j.close()
        self._paused.clear()
        if self._draining is None:
            self.submit_drain(path, job_id)
        return n

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Stop the thread (QGIS closing): the in-flight op stays ``sent`` and resumes later."""
        self._stop.set()
        self._cancel.cancel()
        self._wake.set()
        self._thread.wait(int(timeout_s * 1000))
        self._finish_task(False)

    # -- worker thread -----------------------------------------------
    def _next_job(self) -> Optional[_Job]:
        for q in (self._interactive, self._bulk):
            try:
                return q.get_nowait()
            except queue.Empty:
                continue
        return None

    def _loop(self) -> None:
        while not self._stop.is_set():
            job = self._next_job()
            if job is None:
                self._wake.wait(0.5)
                self._wake.clear()
                continue
            self._run_job(job)

    def _run_job(self, job: _Job) -> None:
        with self._lock:
            if self._cancel.cancelled:
                self._cancel = _new_token()
            cancel = self._cancel
        try:
            result = job.fn(self, cancel)
        except Exception as exc:  # noqa: BLE001 - reported to the GUI
            msg = str(exc) or exc.__class__.__name__
            if not hasattr(exc, "status"):  # not a Katapult error: keep the trace in the log
                _log(_mask(f"{msg}\n{traceback.format_exc(limit=5)}"), warning=True)
            self.callFailed.emit(job.job_id, _mask(msg))
            return
        if job.kind != "drain":
            self.callFinished.emit(job.job_id, result)

    def _run_interactive_now(self) -> None:
        while not self._stop.is_set():
            try:
                job = self._interactive.get_nowait()
            except queue.Empty:
                return
            self._run_job(job)

    def _drain(self, path: str, job_id: str, cancel: Any) -> None:
        journal = Journal(path)
        self._draining = (path, job_id)
        self._start_task_signal.emit(path)
        last = [0.0]
        import time as _time

        def summary(running: bool) -> dict:
            counts = journal.counts(PLANNED_KINDS)
            cost = (counts["pending"] + counts["sent"]) * ex.WRITE_COST
            return {
                "counts": counts,
                "eta_s": self.eta_seconds(cost),
                "job_id": job_id,
                "path": path,
                "running": running,
                "paused": self._paused.is_set(),
            }

        def on_progress(op: Any, event: str) -> None:
            if event in ("failed", "held"):
                cur = journal.get(op.op_id)
                self.opChanged.emit(
                    op.op_id, op.kind, op.entity_id, event, (cur.error if cur else "") or ""
                )
            elif event == "done":
                self.opChanged.emit(op.op_id, op.kind, op.entity_id, event, "")
            now = _time.monotonic()
            if now - last[0] >= self._progress_interval:
                last[0] = now
                self.progress.emit(summary(True))

        def between() -> bool:
            self._run_interactive_now()
            return self._paused.is_set() or self._stop.is_set()

        status, message = "error", ""
        try:
            self.progress.emit(summary(True))
            client = self.client
            if client is None:
                raise RuntimeError(tr("No Katapult connection is configured."))
            result = ex.Executor(journal, client, job_id).run(
                cancel=cancel, on_progress=on_progress, should_pause=between
            )
            status, message = result.status, result.message
            if status == ex.AUTH:
                self._paused.set()
                if self._client_factory is not None:
                    self._client = None  # rebuilt from the settings when the user resumes
                self.authRequired.emit(message)
        except Exception as exc:  # noqa: BLE001 - surfaced in the dock
            status, message = "error", _mask(str(exc))
        finally:
            final = summary(False)
            self._draining = None
            journal.close()
            self.progress.emit(final)
            _log(
                f"Sync {status}: {final['counts']}" + (f" ({message})" if message else ""),
                warning=status not in ("drained", "paused", "cancelled"),
            )
            self.drainFinished.emit(status, message, final["counts"])
            self._end_task_signal.emit(status == ex.DRAINED)

    # -- task manager (main thread) ------------------------------------
    _start_task_signal = pyqtSignal(str)
    _end_task_signal = pyqtSignal(bool)

    def _connect_task_signals(self) -> None:
        self._start_task_signal.connect(self._start_task)
        self._end_task_signal.connect(self._finish_task)
        self.progress.connect(self._task_progress)

    @_safe
    def _start_task(self, path: str) -> None:
        if not self._show_task or self._task is not None:
            return
        try:
            from qgis.core import QgsApplication, QgsProxyProgressTask
        except ImportError:  # pragma: no cover
            return
        task = QgsProxyProgressTask(tr("Katapult: sending edits"))
        QgsApplication.taskManager().addTask(task)
        self._task = task
        timer = QTimer(self)
        timer.setInterval(300)
        timer.timeout.connect(self._check_task_cancel)
        timer.start()
        self._task_timer = timer

    @_safe
    def _check_task_cancel(self) -> None:
        task = self._task
        if task is not None and task.isCanceled():
            self.cancel()

    @_safe
    def _task_progress(self, summary: dict) -> None:
        if self._task is None:
            return
        counts = summary.get("counts") or {}
        total = sum(counts.values()) or 1
        finished = counts.get("done", 0) + counts.get("failed", 0) + counts.get("held", 0)
        self._task.setProxyProgress(100.0 * finished / total)

    @_safe
    def _finish_task(self, ok: bool) -> None:
        if self._task_timer is not None:
            self._task_timer.stop()
            self._task_timer.deleteLater()
            self._task_timer = None
        if self._task is not None:
            self._task.finalize(bool(ok))
            self._task = None


def _log(text: str, warning: bool = False) -> None:
    """Log under the Katapult tag (masked by qgis_log); never raises."""
    try:
        from . import qgis_log

        (qgis_log.warning if warning else qgis_log.info)(text)
    except Exception:  # noqa: BLE001 - logging must not break a drain
        pass


def _mask(text: str) -> str:
    try:
        from .api.masking import mask_secrets
    except ImportError:  # pragma: no cover
        return text
    return mask_secrets(text)


def shared_worker(plugin: Any) -> SyncWorker:
    """The plugin's single worker (created on first use, shut down at unload)."""
    worker = getattr(plugin, "worker", None)
    if worker is None:
        from .connection import make_client

        worker = SyncWorker(client_factory=make_client)
        plugin.worker = worker
        if hasattr(plugin, "add_cleanup"):
            plugin.add_cleanup(worker.shutdown)
    return worker
