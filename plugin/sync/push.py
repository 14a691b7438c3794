"""Push planning (pure): working copy vs base -> ordered operations in the journal.

Steps (the QGIS glue reads the layers and calls these in order):

1. :func:`base_snapshot` rebuilds the model's :class:`Snapshot` from ``kp_base``.
2. :func:`diff_working` runs :func:`plugin.model.diff.diff_job`; new features
   without a valid ``kp_id`` get a client-chosen id (``assigned_id``).
3. The caller writes those assigned ids into the features' ``kp_id`` BEFORE
   step 4, so a crash in between re-plans the same id (an upsert), never a
   second entity.
4. :func:`commit_plan` writes every operation in ONE journal transaction
   (replacing unsent operations of an older plan). Entities with an open
   conflict get their operations ``held``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ..model.diff import DiffProblem, EntityChange, diff_job
from ..model.entities import Snapshot, build_snapshot
from .journal import Journal, PlannedOp, PlanResult

CONFLICT_HOLD = "conflict with a change made on the server: resolve it in the conflict dialog"


def job_path(job_id: str, relative: str) -> str:
    """API path of a job-relative entity path (``nodes/X`` -> ``/jobs/J/nodes/X``)."""
    return f"/jobs/{job_id}/{relative.lstrip('/')}"


def base_snapshot(journal: Journal) -> Snapshot:
    """The base snapshot (last acknowledged server state) as the model's Snapshot."""
    nodes = list(journal.base_all("node").values())
    connections = {cid: dict(c, sections={}) for cid, c in journal.base_all("connection").items()}
    for (cid, sid), section in journal.base_all("section").items():
        conn = connections.get(cid)
        if conn is not None:
            conn["sections"][sid] = section
    photos = list(journal.base_all("photo").values())
    return build_snapshot(nodes, list(connections.values()), photos)


def row_key(kind: str, row: Mapping[str, Any]) -> Any:
    """Snapshot key a layer row refers to: ``kp_id`` (sections: ``(connection_id, kp_id)``)."""
    rid = row.get("kp_id")
    rid = str(rid).strip() if rid not in (None, "") else None
    if kind == "section":
        cid = row.get("connection_id")
        return (str(cid).strip() if cid not in (None, "") else None, rid)
    return rid


def split_rows(snapshot: Snapshot, rows: Mapping[str, Sequence]) -> tuple:
    """``(working, new_items)`` for :func:`diff_working` from every feature of each layer.

    ``rows[kind]`` lists ``(row, geom)`` of all features. A row whose key is in
    base is the working copy of that entity (the first one; a second feature
    with the same id, e.g. a copy, is new); any other row is a new entity.
    """
    working: Dict[str, Dict[Any, tuple]] = {}
    new_items: Dict[str, List[tuple]] = {}
    for kind in ("node", "connection", "section"):
        base = snapshot.entities(kind)
        w: Dict[Any, tuple] = {}
        n: List[tuple] = []
        for row, geom in rows.get(kind, ()):
            key = row_key(kind, row)
            if key in base and key not in w:
                w[key] = (row, geom)
            else:
                n.append((row, geom))
        working[kind] = w
        new_items[kind] = n
    return working, new_items


@dataclass
class PushPlan:
    """Result of :func:`diff_working` (+ :func:`commit_plan`)."""

    changes: List[EntityChange]
    problems: List[DiffProblem] = field(default_factory=list)
    result: Optional[PlanResult] = None

    @property
    def assigned(self) -> List[EntityChange]:
        """New entities whose id the plugin chose (write ``entity_id`` back to ``kp_id``)."""
        return [c for c in self.changes if c.assigned_id]


def diff_working(
    journal: Journal,
    working: Mapping[str, Mapping],
    schemas: Mapping[str, Sequence],
    new_items: Optional[Mapping[str, Sequence]] = None,
    **kw: Any,
) -> PushPlan:
    """Changes between base and the working copy; unplannable features go to ``problems``."""
    problems: List[DiffProblem] = []
    changes = diff_job(
        base_snapshot(journal), working, schemas, new_items=new_items or {}, problems=problems, **kw
    )
    return PushPlan(changes, problems)


def to_planned(change: EntityChange, job_id: str, held: Optional[str] = None) -> PlannedOp:
    """One model change -> one journal operation."""
    parents = (
        [change.connection_id]
        if change.kind == "section" and change.connection_id
        else list(change.parent_ids)
    )
    return PlannedOp(
        kind=change.kind,
        entity_id=change.entity_id,
        method=change.method,
        path=job_path(job_id, change.path),
        body=change.body,
        params=dict(change.params or {}),
        parent_ids=parents,
        depends_on=list(change.depends_on),
        key=change.key,
        held_reason=held,
    )


def commit_plan(journal: Journal, job_id: str, plan: PushPlan) -> PlanResult:
    """Write the plan to the journal in one transaction; conflicted entities are held."""
    conflicts = journal.conflict_keys()
    ops = []
    for change in plan.changes:
        op = to_planned(change, job_id)
        if op.entity_key() in conflicts:
            op.held_reason = CONFLICT_HOLD
        ops.append(op)
    plan.result = journal.plan(ops)
    return plan.result


def plan_push(
    journal: Journal,
    job_id: str,
    working: Mapping[str, Mapping],
    schemas: Mapping[str, Sequence],
    new_items: Optional[Mapping[str, Sequence]] = None,
    **kw: Any,
) -> PushPlan:
    """Diff and commit in one go (for callers whose new features already carry valid ``kp_id``s)."""
    plan = diff_working(journal, working, schemas, new_items, **kw)
    commit_plan(journal, job_id, plan)
    return plan


def count_calls(plan: PushPlan) -> Dict[str, int]:
    """Planned API calls by verb (the minimum: one call per changed entity)."""
    out: Dict[str, int] = {}
    for change in plan.changes:
        out[change.verb] = out.get(change.verb, 0) + 1
    return out
