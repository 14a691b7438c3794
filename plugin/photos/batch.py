"""Batch steps that run in the worker thread: scan, check, match, plan, upload (pure).

The GUI calls these through :class:`plugin.photos.backend.PhotoBackend`; the
Processing algorithm and tests call them directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .exif import ExifInfo, read_exif_bytes
from .jpeg_check import DEFAULT_WARN_BYTES, JpegCheck, check_jpeg_file
from .matching import Candidate, Match, Matcher, PhotoClues
from .planning import BatchPlan, UploadTarget, plan_batch
from .store import shared_journal
from .uploader import PhotoUploader, UploadReport

DOWNLOAD_TIMEOUT = (5.0, 60.0)
MAX_DOWNLOAD_BYTES = 60 * 1024 * 1024


class DownloadError(RuntimeError):
    """A photo file could not be downloaded; the message never contains the signed URL."""


def download(client: Any, url: str, cancel=None) -> bytes:
    """GET a signed photo URL with the client's session (the URL carries no API key).

    The signed URL is a credential for 7 days: errors name the problem, not the URL.
    """
    import requests  # noqa: PLC0415

    session = getattr(client, "session", None) or requests
    try:
        with session.get(url, timeout=DOWNLOAD_TIMEOUT, stream=True) as response:
            if response.status_code != 200:
                raise DownloadError(f"the photo server answered HTTP {response.status_code}")
            chunks, total = [], 0
            for chunk in response.iter_content(64 * 1024):
                if cancel is not None and getattr(cancel, "cancelled", False):
                    raise DownloadError("the download was cancelled")
                total += len(chunk)
                if total > MAX_DOWNLOAD_BYTES:
                    raise DownloadError("the photo is larger than 60 MB")
                chunks.append(chunk)
    except requests.Timeout:
        raise DownloadError("the photo server did not answer in time") from None
    except requests.RequestException as exc:
        raise DownloadError(
            f"the photo could not be downloaded ({exc.__class__.__name__})"
        ) from None
    return b"".join(chunks)


def list_folder(folder: str, recursive: bool = False) -> list[str]:
    """Every regular, non-hidden file of ``folder`` (sorted). Extensions are not trusted:
    each file is checked by content later and non-JPEGs are refused with a line each."""
    out = []
    if recursive:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            out.extend(os.path.join(root, f) for f in files if not f.startswith("."))
    else:
        with os.scandir(folder) as entries:
            out = [e.path for e in entries if not e.name.startswith(".") and e.is_file()]
    return sorted(out)


@dataclass
class ScanRow:
    """One file of a folder import: its check, EXIF clues and the proposal."""

    check: JpegCheck
    exif: ExifInfo = field(default_factory=ExifInfo)
    taken_ms: int | None = None
    match: Match | None = None


def scan_for_import(
    paths: Iterable[str],
    candidates: list[Candidate],
    *,
    max_distance_m: float = 30.0,
    time_slack_s: float = 60.0,
    use_gps: bool = True,
    use_time: bool = True,
    clock_offset_minutes: int = 0,
    warn_bytes: int = DEFAULT_WARN_BYTES,
    read_exif: Callable[[str], ExifInfo] | None = None,
    cancel=None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ScanRow]:
    """Check every file by content, read EXIF of the good ones, propose an item for each.

    ``read_exif`` defaults to the pure reader on the bytes already read; QGIS
    code passes ``qgis_exif.read_exif_qgis``.
    """
    paths = list(paths)
    matcher = Matcher(
        candidates,
        max_distance_m=max_distance_m,
        time_slack_s=time_slack_s,
        use_gps=use_gps,
        use_time=use_time,
    )
    rows = []
    for index, path in enumerate(paths):
        if cancel is not None and getattr(cancel, "cancelled", False):
            break
        if on_progress:
            on_progress(index, len(paths))
        check, data = check_jpeg_file(path, warn_bytes=warn_bytes, keep_data=True)
        row = ScanRow(check)
        if check.ok:
            row.exif = read_exif(path) if read_exif is not None else read_exif_bytes(data or b"")
            row.taken_ms = row.exif.taken_epoch_ms(clock_offset_minutes)
            row.match = matcher.match(
                PhotoClues(path, row.exif.longitude, row.exif.latitude, row.taken_ms)
            )
        rows.append(row)
    return rows


def prepare_batch(
    checks: list[JpegCheck],
    targets: dict[str, UploadTarget | None],
    gpkg_path: str,
    job_id: str,
    estimate_seconds: Callable[[int], float] | None = None,
) -> BatchPlan:
    """Plan against what the journal already knows (content hashes)."""
    known = PhotoUploader(None, shared_journal(gpkg_path), job_id).known_by_sha()
    return plan_batch(checks, targets, known, estimate_seconds)


def check_files(paths: Iterable[str], warn_bytes: int = DEFAULT_WARN_BYTES) -> list[JpegCheck]:
    return [check_jpeg_file(p, warn_bytes=warn_bytes) for p in paths]


def execute_batch(
    client: Any,
    gpkg_path: str,
    job_id: str,
    plan: BatchPlan,
    *,
    cancel=None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> UploadReport:
    """Journal the plan's uploads, then send them (exactly once) and return the report."""
    journal = shared_journal(gpkg_path)
    uploader = PhotoUploader(client, journal, job_id, fetch_bytes=lambda url: download(client, url))
    op_ids = uploader.enqueue(plan)
    return uploader.run(cancel=cancel, on_progress=on_progress, op_ids=op_ids)
