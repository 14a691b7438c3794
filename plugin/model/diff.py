"""Diff the working copy (layer rows + geometry) against the base snapshot -> minimal writes.

One :class:`EntityChange` per changed entity (several edits -> one body):

* moved node / section -> ``latitude`` and ``longitude`` (a difference under
  ``tolerance`` degrees, 1e-9 by default, is float noise, not a move);
* span vertices edited -> ``breakpoints`` (interior vertices, swapped back to
  ``[lat, lon]``); the end vertices of a span line are not sent (the nodes'
  positions are authoritative), re-attaching an end is a change of the
  ``node_id_1``/``node_id_2`` fields;
* attribute fields -> the ``attributes`` map built by
  :func:`plan_attribute_change` with base's instance ids;
* new entity (``base is None``) -> ``POST`` upsert at a client-chosen id (the
  row's ``kp_id`` when it is a valid id, else a new one: ``assigned_id`` is
  then True and the caller writes it back to the feature);
* deleted entity (``row is None``) -> ``DELETE``.

Updates of existing entities carry ``params={"onlyIfExists": "true"}`` so an
entity deleted on the server is reported (404) instead of being re-created
half-empty. Paths are relative to the job: ``nodes/{id}``,
``connections/{id}``, ``connections/{cid}/sections/{sid}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .attributes import AttributeEditError, merge_body_parts, plan_attribute_change
from .entities import Snapshot
from .flatten import FieldSpec
from .ids import is_valid_id, new_push_id

TOLERANCE_DEG = 1e-9
UPDATE_PARAMS = {"onlyIfExists": "true"}


class DiffError(ValueError):
    """A working-copy feature that cannot be turned into a write (message names it and the fix)."""

    def __init__(self, kind: str, entity_id: Any, message: str) -> None:
        super().__init__(f"{kind} {entity_id}: {message}")
        self.kind = kind
        self.entity_id = entity_id
        self.message = message


@dataclass
class EntityChange:
    """One planned write for one entity.

    ``verb`` is ``create`` | ``update`` | ``delete``; ``method`` the HTTP
    method; ``path`` relative to the job; ``parent_ids`` the entity ids the
    write refers to (nodes of a span, the span of a section); ``depends_on``
    the :attr:`key` of other changes in the same plan that must be done first
    (filled by :func:`diff_job`).
    """

    kind: str
    entity_id: str
    verb: str
    method: str
    path: str
    body: dict | None = None
    params: dict = field(default_factory=dict)
    parent_ids: List[str] = field(default_factory=list)
    connection_id: str | None = None
    assigned_id: bool = False
    depends_on: List[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Unique key in a plan: ``kind:id`` (``section:cid/sid`` for sections)."""
        if self.kind == "section":
            return f"section:{self.connection_id}/{self.entity_id}"
        return f"{self.kind}:{self.entity_id}"


def entity_path(kind: str, entity_id: str, connection_id: str | None = None) -> str:
    """Job-relative API path of an entity."""
    if kind == "node":
        return f"nodes/{entity_id}"
    if kind == "connection":
        return f"connections/{entity_id}"
    if kind == "section":
        return f"connections/{connection_id}/sections/{entity_id}"
    raise ValueError(f"unknown entity kind {kind!r}")


def _moved(a: float | None, b: float | None, tol: float) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(float(a) - float(b)) > tol


def _point_body(
    base: Mapping | None, geom: Any, tol: float, kind: str, entity_id: Any
) -> Dict[str, Any]:
    if geom is None:
        return {}
    try:
        lon, lat = float(geom[0]), float(geom[1])
    except (TypeError, ValueError, IndexError):
        raise DiffError(kind, entity_id, f"geometry {geom!r} is not a point") from None
    if (
        base is None
        or _moved(base.get("longitude"), lon, tol)
        or _moved(base.get("latitude"), lat, tol)
    ):
        return {"latitude": lat, "longitude": lon}
    return {}


def _breakpoints_from_line(geom: Sequence, kind: str, entity_id: Any) -> List[List[float]]:
    try:
        pts = [(float(p[0]), float(p[1])) for p in geom]
    except (TypeError, ValueError, IndexError):
        raise DiffError(kind, entity_id, f"geometry {geom!r} is not a line") from None
    if len(pts) < 2:
        raise DiffError(kind, entity_id, "the span line has fewer than 2 vertices; redraw it")
    return [[lat, lon] for lon, lat in pts[1:-1]]


def _same_breakpoints(a: Sequence, b: Sequence, tol: float) -> bool:
    if len(a) != len(b):
        return False
    return all(not _moved(p[0], q[0], tol) and not _moved(p[1], q[1], tol) for p, q in zip(a, b))


def _row_text(row: Mapping, name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _attributes_body(
    kind: str,
    entity_id: Any,
    base_attrs: Mapping[str, Mapping],
    row: Mapping[str, Any],
    schema: Sequence[FieldSpec],
    instance_id: Callable[[], str],
) -> Dict[str, Any]:
    parts = []
    for spec in schema:
        if spec.attribute is None or spec.name not in row:
            continue
        try:
            parts.append(
                plan_attribute_change(
                    spec.attribute,
                    base_attrs.get(spec.attribute),
                    row[spec.name],
                    kind=spec.kind,
                    new_id=instance_id,
                )
            )
        except AttributeEditError as exc:
            raise DiffError(kind, entity_id, f"field {spec.name!r}: {exc}") from None
    return merge_body_parts(parts)


def diff_entity(
    kind: str,
    base: Mapping[str, Any] | None,
    row: Mapping[str, Any] | None,
    geom: Any,
    schema: Sequence[FieldSpec],
    *,
    new_id: Callable[[], str] = new_push_id,
    instance_id: Callable[[], str] = new_push_id,
    tolerance: float = TOLERANCE_DEG,
) -> EntityChange | None:
    """The write that turns ``base`` into the working ``row``/``geom``, or None if nothing changed.

    ``row`` maps field names (see :func:`plugin.model.flatten.schema_for`) to
    values as read from the layer (NULL -> None); fields missing from ``row``
    are left alone. ``geom`` is ``(lon, lat)`` or a list of ``(lon, lat)``.
    Raises :class:`DiffError` for a feature that cannot be written.
    """
    if kind not in ("node", "connection", "section"):
        raise ValueError(f"unknown entity kind {kind!r}")
    if row is None:
        if base is None:
            return None
        eid = str(base["id"])
        cid = str(base.get("connection_id")) if kind == "section" else None
        return EntityChange(
            kind,
            eid,
            "delete",
            "DELETE",
            entity_path(kind, eid, cid),
            parent_ids=[cid] if cid else [],
            connection_id=cid,
        )
    if base is None:
        return _create(kind, row, geom, schema, new_id, instance_id)

    eid = str(base["id"])
    body: Dict[str, Any] = {}
    parents: List[str] = []
    cid = None
    if kind in ("node", "section"):
        if geom is None and base.get("latitude") is not None and base.get("longitude") is not None:
            raise DiffError(
                kind, eid, "the feature lost its geometry; undo that edit or draw the point again"
            )
        body.update(_point_body(base, geom, tolerance, kind, eid))
    if kind == "section":
        cid = str(base.get("connection_id"))
        row_cid = _row_text(row, "connection_id")
        if "connection_id" in row and row_cid != cid:
            raise DiffError(
                kind,
                eid,
                f"connection_id changed from {cid} to {row_cid}; a section cannot move to "
                "another span: delete it and add a new one on the other span",
            )
        parents = [cid]
    if kind == "connection":
        for end in ("node_id_1", "node_id_2"):
            if end in row:
                value = _row_text(row, end)
                if value is None:
                    raise DiffError(kind, eid, f"{end} is empty; attach the span end to a node")
                if value != base.get(end):
                    body[end] = value
        if geom is not None:
            bps = _breakpoints_from_line(geom, kind, eid)
            if not _same_breakpoints(bps, base.get("breakpoints") or [], tolerance):
                body["breakpoints"] = bps
        parents = [
            p
            for p in (
                body.get("node_id_1", base.get("node_id_1")),
                body.get("node_id_2", base.get("node_id_2")),
            )
            if p
        ]
    body.update(_attributes_body(kind, eid, base.get("attributes") or {}, row, schema, instance_id))
    if not body:
        return None
    return EntityChange(
        kind,
        eid,
        "update",
        "POST",
        entity_path(kind, eid, cid),
        body,
        dict(UPDATE_PARAMS),
        parent_ids=parents,
        connection_id=cid,
    )


def _create(kind, row, geom, schema, new_id, instance_id) -> EntityChange:
    row_id = _row_text(row, "kp_id")
    assigned = not is_valid_id(row_id)
    eid = new_id() if assigned else row_id
    body: Dict[str, Any] = {}
    parents: List[str] = []
    cid = None
    if kind in ("node", "section"):
        if geom is None:
            raise DiffError(
                kind, row_id or "(new)", "the new feature has no geometry; draw it on the map"
            )
        body.update(_point_body(None, geom, 0.0, kind, eid))
    if kind == "section":
        cid = _row_text(row, "connection_id")
        if cid is None:
            raise DiffError(
                kind, eid, "the new section has no connection_id; set the span it belongs to"
            )
        parents = [cid]
    if kind == "connection":
        for end in ("node_id_1", "node_id_2"):
            value = _row_text(row, end)
            if value is None:
                raise DiffError(kind, eid, f"the new span has no {end}; snap its ends to nodes")
            body[end] = value
            parents.append(value)
        if geom is not None:
            bps = _breakpoints_from_line(geom, kind, eid)
            if bps:
                body["breakpoints"] = bps
    body.update(_attributes_body(kind, eid, {}, row, schema, instance_id))
    return EntityChange(
        kind,
        eid,
        "create",
        "POST",
        entity_path(kind, eid, cid),
        body,
        parent_ids=parents,
        connection_id=cid,
        assigned_id=assigned,
    )


# ---------------------------------------------------------------- whole job

WorkingRows = Mapping[Any, Tuple[Optional[Mapping[str, Any]], Any]]


@dataclass(frozen=True)
class DiffProblem:
    """A feature that could not be planned (shown beside the feature; nothing else stops)."""

    kind: str
    key: Any
    message: str


def _check_references(
    base: Snapshot,
    changes: List[EntityChange],
    problems: List[DiffProblem] | None,
) -> List[EntityChange]:
    """Drop (and report) changes that would break references between entities.

    A node deleted while a remaining span still ends at it; a span (new or
    re-attached) ending at a node that is neither on the server nor created in
    this push; a section written on a span that is deleted or unknown. Dropping
    a change can make another one invalid (a refused re-attach keeps the span on
    its old node), so the check repeats until nothing more is dropped.
    """
    while True:
        bad = _reference_problems(base, changes)
        if not bad:
            return changes
        by_key = {c.key: c for c in changes}
        if problems is None:
            key = sorted(bad)[0]
            raise DiffError(by_key[key].kind, by_key[key].entity_id, bad[key])
        for key in sorted(bad):
            change = by_key[key]
            message = str(DiffError(change.kind, change.entity_id, bad[key]))
            problems.append(DiffProblem(change.kind, _problem_key(change), message))
        changes = [c for c in changes if c.key not in bad]


def _reference_problems(base: Snapshot, changes: List[EntityChange]) -> Dict[str, str]:
    """``{change key: message}`` for changes that break a reference (see _check_references)."""
    node_verbs = {c.entity_id: c.verb for c in changes if c.kind == "node"}
    span_changes = {c.entity_id: c for c in changes if c.kind == "connection"}
    deleted_nodes = {n for n, v in node_verbs.items() if v == "delete"}
    created_nodes = {n for n, v in node_verbs.items() if v == "create"}
    deleted_spans = {s for s, c in span_changes.items() if c.verb == "delete"}
    created_spans = {s for s, c in span_changes.items() if c.verb == "create"}

    users: Dict[str, List[str]] = {}  # node id -> spans ending at it after this push
    for cid in set(base.connections) | created_spans:
        if cid in deleted_spans:
            continue
        old = base.connections.get(cid, {})
        body = span_changes[cid].body if cid in span_changes else {}
        for end in ("node_id_1", "node_id_2"):
            nid = (body or {}).get(end) or old.get(end)
            if nid:
                users.setdefault(nid, []).append(cid)

    bad: Dict[str, str] = {}
    for nid in sorted(deleted_nodes):
        if users.get(nid):
            bad[f"node:{nid}"] = (
                f"deleted but span(s) {', '.join(sorted(users[nid]))} still end at it; delete "
                "those spans or re-attach them to another node first"
            )
    known_nodes = (set(base.nodes) | created_nodes) - deleted_nodes
    for c in changes:
        if c.kind == "connection" and c.verb != "delete":
            for end in ("node_id_1", "node_id_2"):
                nid = (c.body or {}).get(end)
                if nid and nid not in known_nodes:
                    bad[c.key] = (
                        f"{end} {nid} is not a node of this job; snap the span end to an "
                        "existing node"
                    )
        if c.kind == "section" and c.verb != "delete":
            if c.connection_id in deleted_spans:
                bad[c.key] = (
                    f"its span {c.connection_id} is deleted, which removes the section too; "
                    "delete the section or keep the span"
                )
            elif c.connection_id not in base.connections and c.connection_id not in created_spans:
                bad[c.key] = (
                    f"span {c.connection_id} does not exist; set the connection_id of an "
                    "existing span"
                )
    return bad


def _problem_key(change: EntityChange) -> Any:
    if change.kind == "section":
        return (change.connection_id, change.entity_id)
    return change.entity_id


def _group(change: EntityChange) -> int:
    if change.verb == "delete":
        return {"section": 2, "connection": 3, "node": 4}[change.kind]
    return {"node": 0, "connection": 1, "section": 2}[change.kind]


def diff_job(
    base: Snapshot,
    working: Mapping[str, WorkingRows],
    schemas: Mapping[str, Sequence[FieldSpec]],
    *,
    new_items: Mapping[str, Iterable[Tuple[Mapping[str, Any], Any]]] | None = None,
    problems: List[DiffProblem] | None = None,
    new_id: Callable[[], str] = new_push_id,
    instance_id: Callable[[], str] = new_push_id,
    tolerance: float = TOLERANCE_DEG,
) -> List[EntityChange]:
    """Ordered changes turning ``base`` into the working copy.

    ``working[kind]`` maps each base key (node/connection id, ``(cid, sid)`` for
    sections) still present locally to ``(row, geom)``; base keys absent from it
    are deletions. ``new_items[kind]`` lists ``(row, geom)`` of features without
    a base entity. Order: node creates/updates, span creates/updates, section
    writes and deletes (sections of a deleted span are not deleted separately:
    the server removes them with the span), span deletes, node deletes.
    ``depends_on`` links each change to the changes of entities it refers to
    (a node delete waits for the changes of the spans that ended at it).
    Changes that would break a reference are refused (see
    :func:`_check_references`). With ``problems`` given, unplannable features are appended there and
    skipped; otherwise the first :class:`DiffError` is raised.
    """
    changes: List[EntityChange] = []

    def attempt(kind, key, fn):
        try:
            change = fn()
        except DiffError as exc:
            if problems is None:
                raise
            problems.append(DiffProblem(kind, key, str(exc)))
            return
        if change is not None:
            changes.append(change)

    deleted_spans = set()
    for kind in ("node", "connection", "section"):
        rows = working.get(kind, {})
        schema = schemas.get(kind, ())
        for key in sorted(base.entities(kind), key=str):
            entity = base.entities(kind)[key]
            row, geom = rows.get(key, (None, None))
            if kind == "section" and row is None and key[0] in deleted_spans:
                continue
            if kind == "connection" and row is None:
                deleted_spans.add(key)
            attempt(
                kind,
                key,
                lambda k=kind, e=entity, r=row, g=geom, s=schema: diff_entity(
                    k, e, r, g, s, new_id=new_id, instance_id=instance_id, tolerance=tolerance
                ),
            )
        for row, geom in (new_items or {}).get(kind, ()):
            rid = _row_text(row, "kp_id")
            base_key = (_row_text(row, "connection_id"), rid) if kind == "section" else rid
            if rid is not None and base_key in base.entities(kind):
                # A copied feature carries another entity's id: it gets its own new id.
                row = {**row, "kp_id": None}
            attempt(
                kind,
                (_row_text(row, "connection_id"), _row_text(row, "kp_id"))
                if kind == "section"
                else _row_text(row, "kp_id"),
                lambda k=kind, r=row, g=geom, s=schema: diff_entity(
                    k, None, r, g, s, new_id=new_id, instance_id=instance_id, tolerance=tolerance
                ),
            )
    changes = _check_references(base, changes, problems)
    changes.sort(key=lambda c: (_group(c), c.key))

    upserted = {c.key for c in changes if c.verb != "delete"}
    span_changes: Dict[str, List[str]] = {}  # node id -> keys of changes to spans it ended
    for c in changes:
        if c.kind == "connection":
            old = base.connections.get(c.entity_id, {})
            for end in ("node_id_1", "node_id_2"):
                if old.get(end):
                    span_changes.setdefault(old[end], []).append(c.key)
    for c in changes:
        if c.verb != "delete":
            parent_kind = "connection" if c.kind == "section" else "node"
            c.depends_on = [
                f"{parent_kind}:{p}" for p in c.parent_ids if f"{parent_kind}:{p}" in upserted
            ]
        elif c.kind == "node":
            c.depends_on = sorted(set(span_changes.get(c.entity_id, [])))
    return changes
