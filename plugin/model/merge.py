"""Three-way merge of one entity: base (last pulled), local (working copy), remote (server now).

Merged per component: the point position (``geometry`` = latitude+longitude
together, node and section), ``breakpoints``, ``node_id_1``, ``node_id_2``
(connection), and each attribute name. A component changed on one side only
takes that side; changed identically on both sides is no conflict; changed
differently on both sides is a :class:`Conflict`, except that within one
attribute changed on both sides the instances are merged one by one (two
people adding different notes merge cleanly; the same instance changed
differently, or the whole attribute removed on one side and changed on the
other, is a conflict on that attribute). An entity deleted on one side and
changed on the other is a conflict on ``entity``. Fields the plugin never edits
(``last_updated``, ``photos``, ``sections``, ``button``...) take the remote
value.

The merged entity resolves every conflict provisionally as "mine" (local);
:meth:`MergeResult.resolve` applies the user's choice (keep mine / take theirs,
for all or per field).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .attributes import same_json as _identical

MINE = "mine"
THEIRS = "theirs"
ENTITY = "entity"
GEOMETRY = "geometry"
ATTR_PREFIX = "attributes."
TOLERANCE_DEG = 1e-9

_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    """One component changed differently on both sides.

    ``field`` is ``entity`` (delete vs edit), ``geometry`` (``(lon, lat)``),
    ``breakpoints``, ``node_id_1``, ``node_id_2`` or ``attributes.<name>``
    (values are instance maps, ``None`` when absent).
    """

    kind: str
    entity_id: str
    field: str
    base: Any
    local: Any
    remote: Any
    connection_id: Optional[str] = None

    @property
    def attribute(self) -> Optional[str]:
        """The attribute name for ``attributes.<name>`` conflicts, else None."""
        return self.field[len(ATTR_PREFIX) :] if self.field.startswith(ATTR_PREFIX) else None


@dataclass
class MergeResult:
    """Result for one entity: ``merged`` (conflicts taken as mine) and the ``conflicts``."""

    kind: str
    entity_id: str
    base: Optional[dict]
    local: Optional[dict]
    remote: Optional[dict]
    merged: Optional[dict]
    conflicts: List[Conflict] = field(default_factory=list)

    @property
    def has_conflicts(self) -> bool:
        """True when the user must choose."""
        return bool(self.conflicts)

    def resolve(
        self, choices: Optional[Mapping[str, str]] = None, default: Optional[str] = None
    ) -> Optional[dict]:
        """The entity with each conflict resolved: ``choices[field]`` or ``default``
        (``"mine"`` | ``"theirs"``). Raises ValueError for a conflict left without a choice."""
        choices = dict(choices or {})
        picks = {}
        for c in self.conflicts:
            choice = choices.get(c.field, default)
            if choice not in (MINE, THEIRS):
                raise ValueError(
                    f"{self.kind} {self.entity_id}: choose 'mine' or 'theirs' for {c.field}"
                )
            picks[c.field] = choice
        if ENTITY in picks:
            chosen = self.local if picks[ENTITY] == MINE else self.remote
            return copy.deepcopy(chosen)
        out = copy.deepcopy(self.merged)
        for name, choice in picks.items():
            if choice == THEIRS:
                _set_component(self.kind, out, name, _component(self.kind, self.remote, name))
        return out


# ---------------------------------------------------------------- components


def _point(entity: Optional[Mapping]) -> Optional[Tuple[float, float]]:
    if entity is None or entity.get("latitude") is None or entity.get("longitude") is None:
        return None
    return (float(entity["longitude"]), float(entity["latitude"]))


def _component(kind: str, entity: Optional[Mapping], name: str) -> Any:
    if entity is None:
        return None
    if name == GEOMETRY:
        return _point(entity)
    if name == "breakpoints":
        return [list(p) for p in entity.get("breakpoints") or []]
    if name.startswith(ATTR_PREFIX):
        value = (entity.get("attributes") or {}).get(name[len(ATTR_PREFIX) :])
        return copy.deepcopy(value) if value else None
    return entity.get(name)


def _set_component(kind: str, entity: dict, name: str, value: Any) -> None:
    if name == GEOMETRY:
        if value is None:
            entity["latitude"] = entity["longitude"] = None
        else:
            entity["longitude"], entity["latitude"] = value[0], value[1]
    elif name.startswith(ATTR_PREFIX):
        attrs = entity.setdefault("attributes", {})
        if value:
            attrs[name[len(ATTR_PREFIX) :]] = copy.deepcopy(value)
        else:
            attrs.pop(name[len(ATTR_PREFIX) :], None)
    else:
        entity[name] = copy.deepcopy(value)


def _geometry_components(kind: str) -> Tuple[str, ...]:
    if kind == "connection":
        return ("node_id_1", "node_id_2", "breakpoints")
    return (GEOMETRY,)


def _equal(name: str, a: Any, b: Any, tol: float) -> bool:
    if name == GEOMETRY or name == "breakpoints":
        if a is None or b is None:
            return a is None and b is None
        pa = [a] if name == GEOMETRY else a
        pb = [b] if name == GEOMETRY else b
        if len(pa) != len(pb):
            return False
        return all(
            abs(float(x) - float(y)) <= tol for p, q in zip(pa, pb) for x, y in zip(p, q)
        ) and all(len(p) == len(q) for p, q in zip(pa, pb))
    return _identical(a, b)


def _names(kind: str, *entities: Optional[Mapping]) -> List[str]:
    names = list(_geometry_components(kind))
    attrs = set()
    for e in entities:
        if e is not None:
            attrs.update((e.get("attributes") or {}).keys())
    names.extend(ATTR_PREFIX + a for a in sorted(attrs))
    return names


def changed(
    kind: str, base: Optional[Mapping], other: Optional[Mapping], tol: float = TOLERANCE_DEG
) -> bool:
    """True when ``other`` differs from ``base`` in any component the plugin merges."""
    if (base is None) != (other is None):
        return True
    if base is None:
        return False
    return any(
        not _equal(n, _component(kind, base, n), _component(kind, other, n), tol)
        for n in _names(kind, base, other)
    )


def _merge_instances(b: Optional[Mapping], loc: Mapping, rem: Mapping) -> Optional[dict]:
    """Instance-wise merge of one attribute changed on both sides; None on a conflict."""
    b = b or {}
    out = {}
    for iid in sorted(set(b) | set(loc) | set(rem)):
        bv, lv, rv = b.get(iid, _MISSING), loc.get(iid, _MISSING), rem.get(iid, _MISSING)
        if _same(lv, rv):
            v = lv
        elif _same(lv, bv):
            v = rv
        elif _same(rv, bv):
            v = lv
        else:
            return None
        if v is not _MISSING:
            out[iid] = copy.deepcopy(v)
    return out


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return _identical(a, b)


def merge_entity(
    kind: str,
    base: Optional[Mapping[str, Any]],
    local: Optional[Mapping[str, Any]],
    remote: Optional[Mapping[str, Any]],
    *,
    tolerance: float = TOLERANCE_DEG,
) -> MergeResult:
    """Three-way merge of one (normalised) entity; ``None`` = absent/deleted on that side."""
    ref = base or local or remote or {}
    eid = str(ref.get("id"))
    cid = ref.get("connection_id") if kind == "section" else None

    def result(merged, conflicts=()):
        return MergeResult(
            kind, eid, _copy(base), _copy(local), _copy(remote), _copy(merged), list(conflicts)
        )

    if local is None and remote is None:
        return result(None)
    if base is not None and (local is None or remote is None):
        survivor = local if remote is None else remote
        if not changed(kind, base, survivor, tolerance):
            return result(None)  # deleted on one side, untouched on the other
        conflict = Conflict(kind, eid, ENTITY, _copy(base), _copy(local), _copy(remote), cid)
        return result(local, [conflict])
    if local is None or remote is None:  # created on one side only
        return result(local if remote is None else remote)

    start = base if base is not None else {"attributes": {}}
    merged = copy.deepcopy(dict(remote))
    merged["attributes"] = copy.deepcopy(dict(remote.get("attributes") or {}))
    conflicts: List[Conflict] = []
    for name in _names(kind, start, local, remote):
        b, lo, re_ = (_component(kind, e, name) for e in (start, local, remote))
        if _equal(name, lo, b, tolerance):
            value = re_  # unchanged here (within tolerance): the server's value
        elif _equal(name, re_, b, tolerance):
            value = lo
        elif _equal(name, lo, re_, tolerance):
            value = re_
        else:
            value = None
            if name.startswith(ATTR_PREFIX) and lo and re_:
                value = _merge_instances(b, lo, re_)
            if value is None:
                conflicts.append(Conflict(kind, eid, name, b, lo, re_, cid))
                value = lo
        _set_component(kind, merged, name, value)
    return result(merged, conflicts)


def _copy(value: Any) -> Any:
    return copy.deepcopy(dict(value)) if value is not None else None


def merge_entities(
    kind: str,
    base: Mapping[Any, Mapping],
    local: Mapping[Any, Mapping],
    remote: Mapping[Any, Mapping],
    *,
    tolerance: float = TOLERANCE_DEG,
) -> Dict[Any, MergeResult]:
    """Merge every key present on any side where local or remote differs from base.

    Returns key -> :class:`MergeResult` only for keys that changed somewhere.
    """
    out: Dict[Any, MergeResult] = {}
    keys: Iterable[Any] = sorted(set(base) | set(local) | set(remote), key=str)
    for key in keys:
        b, lo, re_ = base.get(key), local.get(key), remote.get(key)
        if not changed(kind, b, lo, tolerance) and not changed(kind, b, re_, tolerance):
            continue
        out[key] = merge_entity(kind, b, lo, re_, tolerance=tolerance)
    return out
