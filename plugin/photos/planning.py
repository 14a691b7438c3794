"""Plan a batch of photo uploads before any call is made (pure).

Input: checked files (``JpegCheck``), the target the user chose for each, and
what the journal already knows by content hash. Output: what will be sent,
what is skipped and why, what is refused, the token cost (10 per upload)
and, given a governor, the time it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .jpeg_check import JpegCheck
from .texts import tr

UPLOAD_COST = 10
#: Batches at or above this many uploads ask for confirmation first.
LARGE_BATCH = 10

ASSOCIATIONS = ("true", "main")


@dataclass(frozen=True)
class UploadTarget:
    """Where an uploaded photo goes: a node, a section, or the job only."""

    kind: str  # node | section | job
    item_id: str | None = None
    connection_id: str | None = None  # sections only
    association: str = "true"  # true | main (ignored for the job)
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("node", "section", "job"):
            raise ValueError(f"unknown target kind {self.kind!r}")
        if self.kind != "job" and not self.item_id:
            raise ValueError("a node or section target needs its id")
        if self.kind == "section" and not self.connection_id:
            raise ValueError("a section target needs its connection id")
        if self.association not in ASSOCIATIONS:
            raise ValueError("association must be 'true' or 'main'")

    @classmethod
    def job(cls) -> UploadTarget:
        return cls("job")

    def path(self, job_id: str) -> str:
        """The API path the upload goes to (relative to the base URL)."""
        if self.kind == "node":
            return f"/jobs/{job_id}/nodes/{self.item_id}/photos"
        if self.kind == "section":
            return f"/jobs/{job_id}/connections/{self.connection_id}/sections/{self.item_id}/photos"
        return f"/jobs/{job_id}/photos"

    def describe(self) -> str:
        if self.kind == "job":
            return tr("job only (not associated)")
        name = self.label or self.item_id
        return f"{name} ({tr('main') if self.association == 'main' else tr('associated')})"


@dataclass
class PlannedUpload:
    check: JpegCheck
    target: UploadTarget


@dataclass
class KnownUpload:
    """What the journal remembers about a content hash."""

    state: str  # pending | sent | done | failed | held
    photo_id: str | None = None
    op_id: str | None = None
    target_text: str = ""


@dataclass
class BatchPlan:
    """The decision for every file of a batch, made before any network call."""

    uploads: list[PlannedUpload] = field(default_factory=list)
    resumed: list[PlannedUpload] = field(default_factory=list)  # already queued, will be (re)tried
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    warnings: list[str] = field(default_factory=list)
    seconds: float | None = None

    @property
    def call_count(self) -> int:
        return len(self.uploads) + len(self.resumed)

    @property
    def token_cost(self) -> int:
        return UPLOAD_COST * self.call_count

    @property
    def is_large(self) -> bool:
        return self.call_count >= LARGE_BATCH

    def summary(self) -> str:
        """One paragraph the confirmation dialog shows."""
        parts = [
            tr("{n} photo(s) to upload, {t} tokens").format(n=self.call_count, t=self.token_cost)
        ]
        if self.seconds is not None:
            parts.append(
                tr("time needed at the current rate limits: {d}").format(
                    d=format_duration(self.seconds)
                )
            )
        if self.skipped:
            parts.append(tr("{n} skipped").format(n=len(self.skipped)))
        if self.refused:
            parts.append(tr("{n} refused").format(n=len(self.refused)))
        return "; ".join(parts) + "."


def format_duration(seconds: float) -> str:
    """``75`` → ``"1 min 15 s"``."""
    if seconds < 1:
        return tr("under 1 s")
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {sec} s" if sec else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def plan_batch(
    checks: list[JpegCheck],
    targets: dict[str, UploadTarget | None],
    known: dict[str, KnownUpload] | None = None,
    estimate_seconds: Callable[[int], float] | None = None,
) -> BatchPlan:
    """Decide what happens to every checked file.

    ``targets`` maps a file path to its target (None = the user left it
    unassigned: listed as skipped, never guessed). ``known`` maps content
    sha256 to what the journal already did with that content.
    """
    known = known or {}
    plan = BatchPlan()
    seen: dict[str, str] = {}
    for check in checks:
        if not check.ok:
            plan.refused.append((check.path, check.error))
            continue
        plan.warnings.extend(check.warnings)
        target = targets.get(check.path)
        if target is None:
            plan.skipped.append(
                (check.path, tr("{name}: no item chosen; not uploaded").format(name=check.name))
            )
            continue
        if check.sha256 in seen:
            plan.skipped.append(
                (
                    check.path,
                    tr("{name}: same content as {other} in this batch; uploaded once").format(
                        name=check.name, other=seen[check.sha256]
                    ),
                )
            )
            continue
        seen[check.sha256] = check.name
        prior = known.get(check.sha256)
        if prior is not None and prior.state == "done":
            plan.skipped.append(
                (
                    check.path,
                    tr(
                        "{name}: already uploaded (photo {pid}); use Move in the photo "
                        "dock to change its item"
                    ).format(name=check.name, pid=prior.photo_id or "?"),
                )
            )
            continue
        if prior is not None and prior.state in ("pending", "sent", "failed", "held"):
            plan.resumed.append(PlannedUpload(check, target))
            continue
        plan.uploads.append(PlannedUpload(check, target))
    if estimate_seconds is not None and plan.call_count:
        try:
            plan.seconds = float(estimate_seconds(plan.token_cost))
        except Exception:  # noqa: BLE001 - an estimate must never stop a batch
            plan.seconds = None
    return plan
