"""The network side of the photo dock, run on the plugin's single background worker.

The GUI calls these methods and gets Qt signals/callbacks back in the main
thread; every HTTP request (signed-URL look-ups, downloads, uploads,
associations) and every file read of a batch happens in the worker thread.
``worker`` is a :class:`plugin.worker.SyncWorker` (or anything with its
``submit(fn, lane)`` / ``callFinished`` / ``callFailed`` interface).
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QImage

from ..api.pacing import CancelToken
from .batch import download
from .jpeg_check import check_jpeg_bytes
from .thumbs import ThumbCache

#: Longest side of a thumbnail in the dock, pixels.
THUMB_PIXELS = 160


def fetch_image(
    client: Any,
    cache: ThumbCache,
    job_id: str,
    photo_id: str,
    size: str,
    cancel=None,
    max_pixels: int | None = THUMB_PIXELS,
) -> QImage:
    """Cached file or signed URL → file in the cache → decoded (and scaled) ``QImage``.

    Runs in the worker thread (QImage, unlike QPixmap, may be used there).
    """
    path = cache.get(photo_id, size)
    if path is None:
        answer = client.get_photo_url(
            job_id, photo_id, file_size=size, file_type="jpg", lane="interactive", cancel=cancel
        )
        url = answer.get("url") if isinstance(answer, dict) else answer
        if not url:
            raise RuntimeError("the server gave no download link for this photo")
        data = download(client, url, cancel)
        check = check_jpeg_bytes(data, f"{photo_id}.jpg")
        if not check.ok:
            raise RuntimeError(check.error)
        path = cache.put(photo_id, size, data)
    image = QImage(path)
    if image.isNull():
        cache.forget(photo_id)
        raise RuntimeError("the downloaded photo could not be decoded")
    if max_pixels and max(image.width(), image.height()) > max_pixels:
        image = image.scaled(max_pixels, max_pixels, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    return image


class PhotoBackend(QObject):
    """Submits photo work to the worker and routes results back to callbacks."""

    #: done, total, current file name (emitted from the worker thread, delivered queued)
    uploadProgress = pyqtSignal(int, int, str)

    def __init__(
        self, worker: Any, cache: ThumbCache | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.cache = cache or ThumbCache()
        self._callbacks: dict[int, tuple[Callable, Callable | None]] = {}
        self._inflight: dict[tuple[str, str], list[tuple[Callable, Callable | None]]] = {}
        self._lock = threading.Lock()
        self.batch_cancel: CancelToken | None = None
        worker.callFinished.connect(self._finished)
        worker.callFailed.connect(self._failed)
        cache = self.cache
        # keep the thumbnail cache within its size limit (off the GUI thread, after other work)
        worker.submit(lambda _worker, _cancel: cache.prune(), lane="bulk")

    # -- generic ---------------------------------------------------------
    def call(
        self,
        fn: Callable[[Any, Any], Any],
        on_ok: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        lane: str = "interactive",
    ) -> int:
        """Run ``fn(client, cancel)`` in the worker; ``on_ok``/``on_error`` run in the GUI."""
        job = self.worker.submit(lambda worker, cancel: fn(worker.client, cancel), lane=lane)
        self._callbacks[job] = (on_ok, on_error)
        return job

    def _finished(self, job: int, result: Any) -> None:
        callbacks = self._callbacks.pop(job, None)
        if callbacks is not None:
            callbacks[0](result)

    def _failed(self, job: int, message: str) -> None:
        callbacks = self._callbacks.pop(job, None)
        if callbacks is not None and callbacks[1] is not None:
            callbacks[1](message.split("\n", 1)[0])

    # -- thumbnails ------------------------------------------------------
    def thumbnail(
        self,
        job_id: str,
        photo_id: str,
        size: str,
        on_ok: Callable[[str, QImage], None],
        on_error: Callable[[str, str], None] | None = None,
        max_pixels: int | None = THUMB_PIXELS,
    ) -> None:
        """Fetch one image off the GUI thread; concurrent requests for the same one share a call."""
        key = (photo_id, f"{size}:{max_pixels}")
        waiting = self._inflight.setdefault(key, [])
        waiting.append((on_ok, on_error))
        if len(waiting) > 1:
            return
        cache = self.cache

        def done(image: QImage) -> None:
            for ok, _err in self._inflight.pop(key, []):
                ok(photo_id, image)

        def failed(message: str) -> None:
            for _ok, err in self._inflight.pop(key, []):
                if err is not None:
                    err(photo_id, message)

        self.call(
            lambda client, cancel: fetch_image(
                client, cache, job_id, photo_id, size, cancel, max_pixels
            ),
            done,
            failed,
        )

    # -- batches ---------------------------------------------------------
    def new_batch_token(self) -> CancelToken:
        """A fresh cancel token for an upload batch (the dock's Cancel button cancels it)."""
        self.batch_cancel = CancelToken()
        return self.batch_cancel

    def cancel_batch(self) -> None:
        if self.batch_cancel is not None:
            self.batch_cancel.cancel()
