"""Pull merge (pure): entities changed here AND on the server -> clean merges and conflicts.

The refresh of layers/ already takes every remote change to an entity the
user did not touch.  What it leaves alone ("kept local": changed on both
sides, or deleted on one side and changed on the other) comes here:

* :func:`local_entity` turns the working row back into an entity (base plus
  the user's edits, via the model's diff and apply);
* :func:`merge_kept` runs the model's three-way merge per component;
  non-overlapping changes merge by themselves (the merged entity goes to the
  layer, base moves to the remote state so the next push sends only "mine"),
  true conflicts are returned for the conflict dialog and their entities'
  operations are held until resolved.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..model.apply import apply_change
from ..model.diff import DiffError, diff_entity
from ..model.entities import normalize_connection, normalize_node, normalize_section
from ..model.merge import MINE, THEIRS, MergeResult, merge_entity

__all__ = [
    "MINE",
    "THEIRS",
    "PullMerge",
    "normalise",
    "local_entity",
    "merge_kept",
    "conflict_record",
    "result_from_record",
    "resolve_record",
    "entity_parts",
]


def entity_parts(kind: str, key: Any) -> Tuple[str, Optional[str]]:
    """``(entity_id, parent_id)`` of a snapshot key."""
    if kind == "section":
        return str(key[1]), str(key[0])
    return str(key), None


def normalise(kind: str, raw: Optional[Mapping[str, Any]], key: Any) -> Optional[dict]:
    """Raw server JSON -> the model's normalised entity (sections carry ``connection_id``)."""
    if raw is None:
        return None
    if kind == "node":
        return normalize_node(raw, [], str(key))
    if kind == "connection":
        return normalize_connection(raw, [], str(key))
    cid, sid = key
    return normalize_section(raw, str(cid), str(sid), [])


def local_entity(
    kind: str,
    base: Optional[Mapping[str, Any]],
    row: Optional[Mapping[str, Any]],
    geom: Any,
    schema: Sequence,
) -> Optional[dict]:
    """The working copy of one entity as a normalised entity (None = deleted locally)."""
    if row is None:
        return None
    change = diff_entity(kind, base, row, geom, schema)
    if change is None:
        return copy.deepcopy(dict(base)) if base is not None else None
    out = apply_change(base, change)
    if kind == "section" and base is not None and base.get("connection_id"):
        out["connection_id"] = base["connection_id"]
    return out


@dataclass
class PullMerge:
    """Outcome for the kept-local entities of one pull."""

    #: (kind, key) -> (merged entity or None = delete here, remote raw or None = deleted there)
    clean: Dict[Tuple[str, Any], Tuple[Optional[dict], Optional[dict]]] = field(
        default_factory=dict
    )
    #: (kind, key, MergeResult, remote raw)
    conflicts: List[Tuple[str, Any, MergeResult, Optional[dict]]] = field(default_factory=list)
    #: (kind, key, message) for working rows the model cannot read back
    problems: List[Tuple[str, Any, str]] = field(default_factory=list)


def merge_kept(
    kept: Iterable[Tuple[str, Any]],
    base_raw: Mapping[str, Mapping[Any, dict]],
    remote_raw: Mapping[str, Mapping[Any, dict]],
    local_rows: Mapping[str, Mapping[Any, Optional[tuple]]],
    schemas: Mapping[str, Sequence],
) -> PullMerge:
    """Three-way merge every kept-local entity.

    ``base_raw``/``remote_raw``: kind -> key -> raw server JSON (missing =
    absent); ``local_rows``: kind -> key -> ``(row, geom)`` or missing/None
    when deleted locally.
    """
    out = PullMerge()
    for kind, key in kept:
        base = normalise(kind, base_raw.get(kind, {}).get(key), key)
        remote_json = remote_raw.get(kind, {}).get(key)
        remote = normalise(kind, remote_json, key)
        local_row = local_rows.get(kind, {}).get(key)
        try:
            local = (
                local_entity(kind, base, *(local_row or (None, None)), schemas.get(kind, ()))
                if local_row
                else None
            )
        except DiffError as exc:
            out.problems.append((kind, key, str(exc)))
            continue
        result = merge_entity(kind, base, local, remote)
        if result.has_conflicts:
            out.conflicts.append((kind, key, result, remote_json))
        else:
            out.clean[(kind, key)] = (result.merged, remote_json)
    return out


def conflict_record(kind: str, key: Any, result: MergeResult, remote_raw: Optional[dict]) -> dict:
    """Row for :meth:`Journal.set_conflicts` (enough to rebuild the merge later)."""
    entity_id, parent = entity_parts(kind, key)
    return {
        "kind": kind,
        "entity_id": entity_id,
        "parent_id": parent,
        "base": result.base,
        "local": result.local,
        "remote": {"raw": remote_raw},
        "fields": [
            {"field": c.field, "base": c.base, "local": c.local, "remote": c.remote}
            for c in result.conflicts
        ],
    }


def result_from_record(record: Mapping[str, Any]) -> Tuple[MergeResult, Optional[dict]]:
    """Rebuild the merge of a stored conflict: ``(MergeResult, remote raw)``."""
    kind = record["kind"]
    key = (record["parent_id"], record["entity_id"]) if kind == "section" else record["entity_id"]
    remote_raw = (record.get("remote") or {}).get("raw")
    remote = normalise(kind, remote_raw, key)
    return merge_entity(kind, record.get("base"), record.get("local"), remote), remote_raw


def resolve_record(
    record: Mapping[str, Any],
    choices: Optional[Mapping[str, str]] = None,
    default: Optional[str] = None,
) -> Tuple[Optional[dict], Optional[dict]]:
    """``(entity to put in the layer or None = delete it, new base raw or None = no base)``.

    ``choices``: conflict field -> ``"mine"`` | ``"theirs"``; ``default`` for the rest.
    Base becomes the remote state the user has now seen, so the next push sends
    exactly the "mine" choices.
    """
    result, remote_raw = result_from_record(record)
    return result.resolve(choices, default), remote_raw
