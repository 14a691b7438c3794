"""Upload photos through the journal, exactly once (pure: client + journal, no qgis).

Each upload is a journal operation of kind ``photo`` carrying the JPEG bytes
and their sha256. The life of one upload::

    pending --mark_sent--> sent --(server said id)--> done (result = photo id)
                                 \\--(server refused)--> failed

A photo upload is NOT idempotent (the server picks the id), so an operation
found in ``sent`` after a crash or a lost response is *reconciled* before
anything is resent: the job's photos are listed once and a photo with the same
content fingerprint (size, pixel size, camera, association; bytes hash when
still ambiguous) that no done operation has claimed is adopted. Only when no
such photo exists is the file sent again.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..api import errors as kerr
from ..sync import journal as jr
from .exif import read_exif_bytes
from .jpeg_check import inspect_jpeg_bytes
from .planning import BatchPlan, KnownUpload, UploadTarget
from .texts import tr

KIND = "photo"
CANCELLED_NOTE = "photo upload cancelled; run the upload or folder import again to send it"


@dataclass
class UploadReport:
    """What one run did."""

    uploaded: list[tuple[str, str]] = field(default_factory=list)  # (filename, photo id)
    adopted: list[tuple[str, str]] = field(
        default_factory=list
    )  # found on the server after a lost answer
    failed: list[tuple[str, str]] = field(default_factory=list)  # (filename, message)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # outcome still unknown
    cancelled: bool = False
    stopped_reason: str = ""

    @property
    def photo_ids(self) -> list[str]:
        return [pid for _n, pid in self.uploaded + self.adopted]


def _meta(op: jr.Operation) -> dict:
    """Our bookkeeping for an upload op lives in ``body`` (an upload sends no JSON body)."""
    return op.body if isinstance(op.body, dict) else {}


def _name(op: jr.Operation) -> str:
    return _meta(op).get("filename") or op.op_id


def _target_from_op(op: jr.Operation) -> UploadTarget:
    meta = _meta(op)
    kind = meta.get("target_kind", "job")
    return UploadTarget(
        kind,
        None if kind == "job" else op.entity_id,
        meta.get("connection_id") or (op.parent_ids[-1] if op.parent_ids else None),
        (op.params or {}).get("association_value", "true"),
        meta.get("label", ""),
    )


def _as_int(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _any_epoch_ms(value) -> int | None:
    """Epoch ms from ms, seconds or an ISO-8601 text; None when unknown."""
    number = _as_int(value)
    if number is not None:
        return number if abs(number) >= 1e11 else number * 1000
    if isinstance(value, str):
        return _epoch_ms_of(value)
    return None


def uploaded_after(listing: list, photo_id: str, created_ms: int | None) -> bool:
    """True when ``photo_id`` was uploaded at/after ``created_ms`` (minus slack)."""
    for rec in listing:
        if isinstance(rec, dict) and rec.get("id") == photo_id:
            uploaded = _any_epoch_ms(rec.get("upload_date"))
            return (
                uploaded is not None and created_ms is not None and uploaded >= created_ms - 300_000
            )
    return False


def _facts_agree(rec: dict, width, height, make, model) -> bool:
    """Pixel size and camera agree wherever both sides know them."""
    pairs = ((rec.get("image_width"), width), (rec.get("image_height"), height))
    for remote, local in pairs:
        if remote is not None and local is not None and _as_int(remote) != local:
            return False
    for remote, local in ((rec.get("camera_make"), make), (rec.get("camera_model"), model)):
        if remote and local and str(remote).strip() != str(local).strip():
            return False
    return True


def _epoch_ms_of(text: str) -> int | None:
    try:
        return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) * 1000
    except (TypeError, ValueError):
        return None


class PhotoUploader:
    """Queue and send photo uploads for one job.

    ``client`` is a ``KatapultClient`` (``upload_photo``, ``upload_photo_to_node``,
    ``upload_photo_to_section``, ``list_photos``, ``get_photo_url``);
    ``fetch_bytes(url) -> bytes`` downloads a signed URL (used only to settle
    an ambiguous reconciliation by hash).
    """

    def __init__(
        self,
        client,
        journal: jr.Journal,
        job_id: str,
        *,
        lane: str = "bulk",
        fetch_bytes: Callable[[str], bytes] | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.job_id = job_id
        self.lane = lane
        self.fetch_bytes = fetch_bytes
        self._wanted_targets: dict[str, UploadTarget] = {}

    # -- what the journal knows ------------------------------------------
    def photo_ops(self, states: Iterable[str] | None = None) -> list[jr.Operation]:
        return [op for op in self.journal.operations(states) if op.kind == KIND]

    def known_by_sha(self) -> dict[str, KnownUpload]:
        """``{sha256: KnownUpload}`` for every photo operation (done wins over open)."""
        out: dict[str, KnownUpload] = {}
        for op in self.photo_ops():
            if not op.content_sha256:
                continue
            prev = out.get(op.content_sha256)
            if prev is not None and prev.state == jr.DONE:
                continue
            pid = self._photo_id_of(op)
            out[op.content_sha256] = KnownUpload(
                op.state, pid, op.op_id, _target_from_op(op).describe()
            )
        return out

    def _photo_id_of(self, op: jr.Operation) -> str | None:
        value = self.journal.result(op.op_id)
        if isinstance(value, dict):  # ours: photo_id; the sync executor stores the server's: id
            return value.get("photo_id") or value.get("id")
        return None

    # -- queueing ------------------------------------------------------------
    def enqueue(self, plan: BatchPlan, read: Callable[[str], bytes] | None = None) -> list[str]:
        """Write the plan's new uploads into the journal in one transaction; return op ids.

        Files are read again and re-checked here; a file that changed since it
        was checked is refused (its hash would no longer match).
        """
        read = read or _read_file
        ops = []
        for item in plan.uploads:
            data = read(item.check.path)
            if hashlib.sha256(data).hexdigest() != item.check.sha256 or inspect_jpeg_bytes(data)[0]:
                plan.refused.append(
                    (
                        item.check.path,
                        tr(
                            "{name}: the file changed after it was checked; run the import again"
                        ).format(name=item.check.name),
                    )
                )
                continue
            t = item.target
            # params = the real query string; body = bookkeeping (an upload sends no JSON body)
            params = {"association_value": t.association} if t.kind != "job" else {}
            meta = {
                "target_kind": t.kind,
                "filename": item.check.name,
                "size": len(data),
                "label": t.label,
                "connection_id": t.connection_id,
            }
            ops.append(
                jr.PlannedOp(
                    kind=KIND,
                    entity_id=t.item_id or self.job_id,
                    method="POST",
                    path=t.path(self.job_id),
                    params=params,
                    body=meta,
                    parent_ids=[t.connection_id] if t.connection_id else [],
                    content=data,
                    content_type="image/jpeg",
                    key=f"photo:{item.check.sha256}",
                )
            )
        new_ids = self.journal.append(ops) if ops else []
        known = self.known_by_sha()
        resumed = []
        for item in plan.resumed:
            prior = known.get(item.check.sha256)
            if prior is None or not prior.op_id:
                continue
            resumed.append(prior.op_id)
            # the user may have chosen another item since (e.g. the first was deleted):
            # applied only if the op turns out never to have reached the server
            self._wanted_targets[prior.op_id] = item.target
        return new_ids + resumed

    def _retarget(self, op: jr.Operation, target: UploadTarget) -> jr.Operation:
        """Point a pending (never applied) upload at another item; returns the re-read op."""
        if _target_from_op(op) == target or op.state != jr.PENDING:
            return op
        meta = {
            **_meta(op),
            "target_kind": target.kind,
            "label": target.label,
            "connection_id": target.connection_id,
        }
        params = {"association_value": target.association} if target.kind != "job" else {}
        self.journal.retarget(
            op.op_id,
            entity_id=target.item_id or self.job_id,
            path=target.path(self.job_id),
            params=params,
            body=meta,
            parent_ids=[target.connection_id] if target.connection_id else [],
        )
        return self.journal.get(op.op_id) or op

    # -- sending -------------------------------------------------------------
    def run(
        self,
        *,
        cancel=None,
        on_progress: Callable[[int, int, str], None] | None = None,
        op_ids: Iterable[str] | None = None,
    ) -> UploadReport:
        """Send every open photo upload (or only ``op_ids`` plus older unresolved ones).

        Reconciles ``sent`` operations first, then sends ``pending`` ones in
        journal order. Stops at the first transport failure (the next run
        reconciles it) or when ``cancel`` is set; per-file refusals do not stop
        the batch.
        """
        report = UploadReport()
        wanted = set(op_ids) if op_ids is not None else None
        # failed/held ops the caller asks to retry may have reached the server: check first
        retry = []
        for op in self.photo_ops([jr.FAILED, jr.HELD]):
            if wanted is None or op.op_id not in wanted:
                continue
            if op.attempts == 0:
                self.journal.mark_pending(op.op_id)  # never sent (e.g. held by a cancel)
            else:
                retry.append(op)
        self._reconcile(report, retry)
        queue = [op for op in self.photo_ops([jr.PENDING]) if wanted is None or op.op_id in wanted]
        queue = [
            self._retarget(op, self._wanted_targets[op.op_id])
            if op.op_id in self._wanted_targets
            else op
            for op in queue
        ]
        total = len(queue)
        for index, op in enumerate(queue):
            name = _name(op)
            if cancel is not None and getattr(cancel, "cancelled", False):
                report.cancelled = True
            if report.cancelled:
                self._hold_rest(queue[index:])
                break
            if on_progress:
                on_progress(index, total, name)
            outcome = self._send(op, report, cancel)
            if outcome == "stop":
                if report.cancelled:
                    self._hold_rest(queue[index:])
                break
        else:
            if on_progress:
                on_progress(total, total, "")
        if report.uploaded or report.adopted:
            self._refresh_base_photos()
        return report

    def _hold_rest(self, ops: list) -> None:
        """A cancelled batch: its unsent uploads wait for the user (a push must not send them)."""
        states = self.journal.states_of([op.op_id for op in ops])
        for op in ops:
            if states.get(op.op_id) == jr.PENDING:
                self.journal.hold(op.op_id, CANCELLED_NOTE)

    def _send(self, op: jr.Operation, report: UploadReport, cancel) -> str:
        name = _name(op)
        content = self.journal.content(op.op_id)
        if content is None:
            self.journal.mark_failed(op.op_id, tr("the queued photo has no content"))
            report.failed.append((name, tr("the queued photo has no content")))
            return "next"
        self.journal.mark_sent(op.op_id)  # durable BEFORE the request leaves
        try:
            data = self._call_upload(op, content, cancel)
        except kerr.CancelledError:
            self.journal.mark_pending(op.op_id)  # the governor stopped it before sending
            report.cancelled = True
            return "stop"
        except kerr.UnknownOutcomeError as exc:
            report.unresolved.append((name, str(exc)))
            self.journal.note_error(op.op_id, str(exc))
            report.stopped_reason = str(exc)
            return "stop"  # stays ``sent``: reconciled on the next run
        except kerr.TransportError as exc:
            # the request did not reach the server (refused connection): safe to retry later
            if getattr(exc, "reason", "") == "unreachable":
                self.journal.mark_pending(op.op_id)
            report.unresolved.append((name, str(exc)))
            self.journal.note_error(op.op_id, str(exc))
            report.stopped_reason = str(exc)
            return "stop"
        except (kerr.AuthError, kerr.RateLimitError) as exc:
            self.journal.mark_pending(op.op_id)
            report.stopped_reason = str(exc)
            report.unresolved.append((name, str(exc)))
            return "stop"
        except kerr.KatapultError as exc:
            if isinstance(exc, (kerr.ServerError, kerr.ProtocolError)):
                # the server may have stored it: leave it ``sent`` for reconciliation
                self.journal.note_error(op.op_id, str(exc))
                report.unresolved.append((name, str(exc)))
                report.stopped_reason = str(exc)
                return "stop"
            self.journal.mark_failed(op.op_id, str(exc))
            report.failed.append((name, str(exc)))
            return "next"
        photo_id = (
            data.get("id") if isinstance(data, dict) else (data if isinstance(data, str) else None)
        )
        if not photo_id:
            self.journal.note_error(op.op_id, tr("the server answered without a photo id"))
            report.unresolved.append((name, tr("the server answered without a photo id")))
            return "next"
        self._mark_done(op, photo_id)
        report.uploaded.append((name, photo_id))
        return "next"

    def _call_upload(self, op: jr.Operation, content: bytes, cancel):
        t = _target_from_op(op)
        kw = {"lane": self.lane, "cancel": cancel}
        if t.kind == "node":
            return self.client.upload_photo_to_node(
                self.job_id, t.item_id, content, association_value=t.association, **kw
            )
        if t.kind == "section":
            return self.client.upload_photo_to_section(
                self.job_id,
                t.connection_id,
                t.item_id,
                content,
                association_value=t.association,
                **kw,
            )
        return self.client.upload_photo(self.job_id, content, **kw)

    def _mark_done(self, op: jr.Operation, photo_id: str) -> None:
        """Done + the item's ``photos`` map in base, in one transaction."""
        t = _target_from_op(op)
        updates = []
        if t.kind in ("node", "section"):
            base = self.journal.base(
                t.kind, t.item_id, t.connection_id if t.kind == "section" else None
            )
            if base is not None:
                photos = dict(base.get("photos") or {})
                if t.association == "main":
                    for pid, assoc in list(photos.items()):
                        if isinstance(assoc, dict) and assoc.get("association") == "main":
                            photos[pid] = {**assoc, "association": True}
                photos[photo_id] = {"association": "main" if t.association == "main" else True}
                base = {**base, "photos": photos}
                updates.append((t.kind, t.item_id, t.connection_id, base))
        # done, base and the JPEG bytes freed (the hash stays for de-duplication): one transaction
        self.journal.mark_done(
            op.op_id,
            base_updates=updates,
            result={"photo_id": photo_id, "filename": _meta(op).get("filename")},
            drop_content=True,
        )

    # -- after a crash or a lost answer ------------------------------------
    def _reconcile(self, report: UploadReport, retry: list | None = None) -> None:
        in_doubt = self.photo_ops([jr.SENT]) + list(retry or [])
        if not in_doubt:
            return
        try:
            listing = self.client.list_photos(self.job_id, lane=self.lane) or []
        except kerr.KatapultError as exc:
            for op in in_doubt:
                report.unresolved.append((_name(op), str(exc)))
            return
        claimed = {self._photo_id_of(op) for op in self.photo_ops([jr.DONE])}
        claimed.discard(None)
        for op in in_doubt:
            name = _name(op)
            content = self.journal.content(op.op_id) or b""
            found = self._find_on_server(op, content, listing, claimed)
            if found == "ambiguous":
                report.unresolved.append(
                    (
                        name,
                        tr(
                            "several photos on the server could be this upload; "
                            "check the job's photos before retrying"
                        ),
                    )
                )
                continue
            if found:
                claimed.add(found)
                self._mark_done(op, found)
                report.adopted.append((name, found))
            else:
                self.journal.mark_pending(op.op_id)  # never reached the server: send it again

    def _find_on_server(self, op: jr.Operation, content: bytes, listing: list, claimed: set):
        """The id of the server photo that is this upload, None if absent, or ``"ambiguous"``."""
        target = _target_from_op(op)
        _problem, width, height = inspect_jpeg_bytes(content)
        exif = read_exif_bytes(content)
        created_ms = _epoch_ms_of(op.created)
        strong, weak = [], []
        for rec in listing:
            pid = rec.get("id") if isinstance(rec, dict) else None
            if not pid or pid in claimed:
                continue
            if target.kind != "job":
                locations = rec.get("associated_locations")
                if isinstance(locations, dict) and locations and target.item_id not in locations:
                    continue
            uploaded_ms = _any_epoch_ms(rec.get("upload_date"))
            if (
                uploaded_ms is not None
                and created_ms is not None
                and uploaded_ms < created_ms - 300_000
            ):
                continue  # on the server before this upload was queued
            if not _facts_agree(rec, width, height, exif.camera_make, exif.camera_model):
                continue
            size = _as_int(rec.get("original_size"))
            (strong if size is not None and size == len(content) else weak).append(pid)
        if len(strong) == 1:
            return strong[0]
        pool = strong or weak
        if not pool:
            return None
        if len(pool) == 1 and uploaded_after(listing, pool[0], created_ms):
            return pool[0]
        if self.fetch_bytes is not None:
            for pid in pool:
                try:
                    answer = self.client.get_photo_url(
                        self.job_id, pid, file_size="full", file_type="jpg", lane=self.lane
                    )
                    url = answer.get("url") if isinstance(answer, dict) else answer
                    if (
                        url
                        and hashlib.sha256(self.fetch_bytes(url)).hexdigest() == op.content_sha256
                    ):
                        return pid
                except Exception:  # noqa: BLE001 - a failed check only leaves it ambiguous
                    continue
        return "ambiguous"

    def _refresh_base_photos(self) -> None:
        """One listing (1 token) to store the new photos' records in base."""
        try:
            listing = self.client.list_photos(self.job_id, lane=self.lane) or []
        except kerr.KatapultError:
            return
        self.journal.set_base(
            [("photo", p["id"], None, p) for p in listing if isinstance(p, dict) and p.get("id")]
        )


def _read_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
