"""Apply a planned write to an entity the way the server does (for tests, merge and previews)."""

from __future__ import annotations

import copy
from typing import Any, Callable, Mapping

from .attributes import apply_attribute_trio
from .ids import new_push_id

_TRIO = ("attributes", "add_attributes", "remove_attributes")


def apply_body(
    entity: Mapping[str, Any] | None,
    body: Mapping[str, Any],
    entity_id: str | None = None,
    *,
    new_id: Callable[[], str] = new_push_id,
) -> dict:
    """The entity after an upsert ``body`` (creating it from ``{}`` when ``entity`` is None).

    Plain fields (latitude, longitude, node ids) are set; ``breakpoints`` null
    or ``[]`` clears; the attribute trio applies in the server's order.
    """
    out = copy.deepcopy(dict(entity or {}))
    if entity is None:
        out["attributes"] = {}
        if entity_id is not None:
            out["id"] = entity_id
    for key, value in body.items():
        if key in _TRIO:
            continue
        if key == "breakpoints":
            out[key] = [list(p) for p in value] if value else []
        else:
            out[key] = copy.deepcopy(value)
    out["attributes"] = apply_attribute_trio(out.get("attributes") or {}, body, new_id=new_id)
    return out


def apply_change(entity: Mapping[str, Any] | None, change: Any, **kw: Any) -> dict | None:
    """The entity after an :class:`~plugin.model.diff.EntityChange` (None after a delete)."""
    if change.method == "DELETE":
        return None
    out = apply_body(entity, change.body or {}, change.entity_id, **kw)
    if change.kind == "section" and change.connection_id:
        out["connection_id"] = change.connection_id
    if entity is None and change.kind == "connection":
        out.setdefault("breakpoints", [])
        out.setdefault("sections", {})
    return out
