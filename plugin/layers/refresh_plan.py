"""Pure refresh planning: which remote changes may overwrite the working copy (no qgis).

A refresh brings the working copy up to date with the server without a merge:
an entity the user changed locally (working copy differs from base) is never
overwritten; it is listed instead and left to the sync's three-way merge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple


@dataclass
class RefreshPlan:
    """What to do for one entity kind.

    ``update``/``add``: key -> remote raw entity (write it to layer and base);
    ``delete``: keys removed on the server (drop from layer and base);
    ``kept_local``: key -> reason, changed here so left alone;
    ``unchanged``: how many remote entities equal base.
    """

    kind: str
    update: Dict[Any, dict] = field(default_factory=dict)
    add: Dict[Any, dict] = field(default_factory=dict)
    delete: List[Any] = field(default_factory=list)
    kept_local: Dict[Any, str] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """True when the layer or base must be written."""
        return bool(self.update or self.add or self.delete)


def canonical(entity: Optional[Mapping[str, Any]], drop: Iterable[str] = ("sections",)) -> str:
    """Order-independent JSON text of an entity (``sections`` left out: they are separate rows)."""
    if entity is None:
        return "null"
    skip = set(drop)
    return json.dumps(
        {k: v for k, v in entity.items() if k not in skip},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def plan_refresh(
    kind: str,
    base: Mapping[Any, Mapping[str, Any]],
    remote: Mapping[Any, Mapping[str, Any]],
    locally_changed: Set[Any],
    *,
    full: bool,
) -> RefreshPlan:
    """Decide per entity: take the server's version, add, delete, or keep the local edit.

    ``base``: key -> raw entity as last pulled; ``remote``: key -> raw entity as the
    server says now (all of them when ``full``, else only those changed since the
    last pull, so nothing can be inferred deleted); ``locally_changed``: keys whose
    working copy differs from base, including local deletions.
    """
    plan = RefreshPlan(kind)
    for key, entity in remote.items():
        old = base.get(key)
        if old is not None and canonical(old) == canonical(entity):
            plan.unchanged += 1
            continue
        if key in locally_changed:
            plan.kept_local[key] = (
                "changed here and on the server"
                if old is not None
                else "added on the server but used here"
            )
            continue
        if old is None:
            plan.add[key] = dict(entity)
        else:
            plan.update[key] = dict(entity)
    if full:
        for key in base:
            if key in remote:
                continue
            if key in locally_changed:
                plan.kept_local[key] = "deleted on the server, changed here"
            else:
                plan.delete.append(key)
    return plan


def remote_sections(connections: Iterable[Mapping[str, Any]]) -> Dict[Tuple[str, str], dict]:
    """``{(connection_id, section_id): raw section with id}`` from a connections list response."""
    out: Dict[Tuple[str, str], dict] = {}
    for conn in connections:
        cid = str(conn.get("id"))
        sections = conn.get("sections")
        if isinstance(sections, Mapping):
            items = sections.items()
        elif isinstance(sections, list):
            items = ((s.get("id"), s) for s in sections if isinstance(s, Mapping))
        else:
            continue
        for sid, section in items:
            if isinstance(section, Mapping) and sid:
                data = dict(section)
                data.setdefault("id", str(sid))
                out[(cid, str(sid))] = data
    return out


def keyed(entities: Iterable[Mapping[str, Any]]) -> Dict[str, dict]:
    """``{id: entity}`` keeping the first occurrence (lists are newest first)."""
    out: Dict[str, dict] = {}
    for entity in entities or ():
        if isinstance(entity, Mapping) and entity.get("id"):
            out.setdefault(str(entity["id"]), dict(entity))
    return out


def touched_nodes(plans: Mapping[str, RefreshPlan]) -> Set[str]:
    """Ids of nodes whose position may have changed (their spans need new end points)."""
    node_plan = plans.get("node")
    if node_plan is None:
        return set()
    return set(node_plan.update) | set(node_plan.add) | set(node_plan.delete)
