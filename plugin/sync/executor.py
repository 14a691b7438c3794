"""Drain the journal through the client, exactly once (pure Python).

Every journal operation is an idempotent upsert at a client-chosen id, an
idempotent attribute write (client-chosen instance ids, never
``add_attributes``) or a DELETE, so the executor may resend an operation whose
outcome is unknown (dropped connection, timeout, 5xx, crash) without creating
anything twice.  A DELETE answered 404 on a retry counts as done.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..api.errors import (
    AuthError,
    CancelledError,
    KatapultError,
    NotFoundError,
    NotImplementedByServer,
    ProtocolError,
    RateLimitError,
    ServerError,
    TransportError,
    UnknownOutcomeError,
    ValidationError,
)
from ..model.attributes import apply_attribute_trio
from . import journal as jr

DRAINED = "drained"
CANCELLED = "cancelled"
PAUSED = "paused"
AUTH = "auth"
OFFLINE = "offline"

WRITE_COST = 10


@dataclass
class RunResult:
    """How a drain ended and what it did."""

    status: str
    done: int = 0
    failed: int = 0
    held: int = 0
    calls: int = 0
    retries: int = 0
    message: str = ""
    counts: dict = field(default_factory=dict)


def _server_message(exc: BaseException) -> str:
    msg = getattr(exc, "server_message", None) or str(exc)
    typ = getattr(exc, "type", None)
    return f"{msg} ({typ})" if typ and typ not in str(msg) else str(msg)


_GEOM_KEYS = ("latitude", "longitude", "node_id_1", "node_id_2", "breakpoints")


def _attrs_of(entity: dict) -> dict:
    if isinstance(entity.get("attributes"), dict):
        return entity["attributes"]
    if isinstance(entity.get("multi_attributes"), dict):
        return entity["multi_attributes"]
    return {}


def merged_base(old: Optional[dict], body: Optional[dict], returned: Any, entity_id: str) -> dict:
    """New base after an acknowledged upsert.

    A create (no old base) takes the server's returned entity whole.  An
    update takes, from the server's returned entity, exactly the fields and
    attribute names this operation wrote; everything else stays as it was in
    base, so a concurrent remote change to another field is still seen as a
    remote change by the next pull (instead of being silently reverted by the
    next push).
    """
    ret = dict(returned) if isinstance(returned, dict) else {}
    ret.pop("sections", None)
    if old is None:
        new = ret or dict(body or {})
        new.setdefault("id", entity_id)
        if "attributes" not in new and "multi_attributes" not in new:
            new["attributes"] = apply_attribute_trio({}, body or {})
        return new
    new = copy.deepcopy(old)
    body = body or {}
    for key in _GEOM_KEYS:
        if key in body:
            if key in ret:
                new[key] = ret[key]
            elif body[key] is None:
                new.pop(key, None)
            else:
                new[key] = body[key]
    touched = set(body.get("remove_attributes") or []) | set((body.get("attributes") or {}).keys())
    if touched:
        attr_key = (
            "multi_attributes"
            if "multi_attributes" in new and "attributes" not in new
            else "attributes"
        )
        attrs = dict(_attrs_of(new))
        if ret and ("attributes" in ret or "multi_attributes" in ret):
            ret_attrs = _attrs_of(ret)
            for name in touched:
                if name in ret_attrs:
                    attrs[name] = ret_attrs[name]
                else:
                    attrs.pop(name, None)
        else:
            attrs = apply_attribute_trio(attrs, body)
        new[attr_key] = attrs
    if "last_updated" in ret:
        new["last_updated"] = ret["last_updated"]
    return new


class Executor:
    """Sends node/connection/section operations in order at the governor's pace (lane ``bulk``).

    Photo uploads (kind ``photo``, not idempotent) are left to
    :mod:`plugin.photos.uploader`, which reconciles them by content.
    """

    def __init__(
        self,
        journal: jr.Journal,
        client: Any,
        job_id: str,
        *,
        max_transient: int = 12,
        backoff_s: float = 0.2,
        max_backoff_s: float = 10.0,
        sleep: Optional[Callable] = None,
    ) -> None:
        self.journal = journal
        self.client = client
        self.job_id = job_id
        self.max_transient = max_transient
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._sleep = sleep

    def _wait(self, seconds: float, cancel: Any) -> bool:
        """Sleep; True when cancelled meanwhile."""
        if cancel is not None and hasattr(cancel, "wait"):
            return bool(cancel.wait(seconds))
        (self._sleep or time.sleep)(seconds)
        return False

    def run(
        self,
        cancel: Any = None,
        on_progress: Optional[Callable] = None,
        should_pause: Optional[Callable[[], bool]] = None,
    ) -> RunResult:
        """Drain until empty, cancelled, paused, auth failure or persistent outage."""
        res = RunResult(status=DRAINED)
        while True:
            if cancel is not None and getattr(cancel, "cancelled", False):
                res.status = CANCELLED
                break
            if should_pause is not None and should_pause():
                res.status = PAUSED
                break
            op = self.journal.next_runnable()
            if op is None:
                break
            blocker = self.journal.blocking_dependency(op)
            if blocker is not None:
                self.journal.hold(
                    op.op_id, f"waiting for a failed operation: {blocker.error or blocker.state}"
                )
                res.held += 1
                self._progress(on_progress, op, "held")
                continue
            outcome = self._send(op, cancel, res)
            self._progress(on_progress, op, outcome)
            if outcome in (AUTH, CANCELLED, OFFLINE):
                res.status = outcome
                break
        res.counts = self.journal.counts(jr.PLANNED_KINDS)
        return res

    def _progress(self, on_progress: Optional[Callable], op: jr.Operation, event: str) -> None:
        if on_progress is not None:
            on_progress(op, event)

    def _send(self, op: jr.Operation, cancel: Any, res: RunResult) -> str:
        """Send one operation until it is done/failed, or the drain must stop."""
        transient = 0
        while True:
            self.journal.mark_sent(op.op_id)
            res.calls += 1
            try:
                data = self.client.request(
                    op.method,
                    op.path,
                    params=op.params or None,
                    json=op.body,
                    cost=WRITE_COST,
                    idempotent=True,
                    lane="bulk",
                    cancel=cancel,
                )
            except Exception as exc:  # noqa: BLE001 - classified below, never swallowed
                decision = self._classify(op, exc)
                if decision == "done":
                    self._ack(op, None)
                    res.done += 1
                    return "done"
                if decision == "failed":
                    self.journal.mark_failed(op.op_id, _server_message(exc))
                    res.failed += 1
                    return "failed"
                if decision == AUTH:
                    self.journal.mark_pending(op.op_id)
                    res.message = _server_message(exc)
                    return AUTH
                if decision == CANCELLED:
                    # Stays "sent" if it may have gone out: the resend is idempotent.
                    if not getattr(exc, "sent", True):
                        self.journal.mark_pending(op.op_id)
                    return CANCELLED
                if decision == "ratelimit":
                    res.retries += 1
                    self.journal.note_error(op.op_id, _server_message(exc))
                    if self._wait(0.05, cancel):
                        return CANCELLED
                    continue
                # transient: unknown outcome, 5xx, timeout, unreachable, protocol garbage
                transient += 1
                res.retries += 1
                self.journal.note_error(op.op_id, _server_message(exc))
                if transient >= self.max_transient:
                    res.message = _server_message(exc)
                    return OFFLINE
                delay = min(self.max_backoff_s, self.backoff_s * (2 ** min(transient - 1, 8)))
                if self._wait(delay, cancel):
                    return CANCELLED
                continue
            self._ack(op, data)
            res.done += 1
            return "done"

    def _classify(self, op: jr.Operation, exc: BaseException) -> str:
        if isinstance(exc, CancelledError):
            return CANCELLED
        if isinstance(exc, AuthError):
            return AUTH
        if isinstance(exc, RateLimitError):
            return "ratelimit"
        if isinstance(exc, NotFoundError):
            return "done" if op.method == "DELETE" else "failed"
        if isinstance(exc, (ValidationError, NotImplementedByServer)):
            return "failed"
        if isinstance(exc, (UnknownOutcomeError, TransportError, ServerError, ProtocolError)):
            return "transient"
        status = getattr(exc, "status", None)
        if isinstance(status, int) and 400 <= status < 500:
            return "failed"
        if isinstance(exc, KatapultError):
            return "transient"
        return "failed"  # a bug or an unexpected answer: visible on the op, never dropped

    def _ack(self, op: jr.Operation, data: Any) -> None:
        """Mark done and move base to the acknowledged state in one transaction."""
        kind, parent, entity_id = op.entity_key()
        if op.method == "DELETE":
            self.journal.mark_done(op.op_id, base_deletes=[(kind, entity_id, parent)], result=data)
            return
        if kind in ("node", "connection", "section"):
            old = self.journal.base(kind, entity_id, parent)
            new = merged_base(old, op.body, data, entity_id)
            self.journal.mark_done(
                op.op_id, base_updates=[(kind, entity_id, parent, new)], result=data
            )
            return
        self.journal.mark_done(op.op_id, result=data)
