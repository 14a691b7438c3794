"""Entities -> flat layer fields and pure geometry.

Field order: system fields first (``kp_id``; ``node_id_1``/``node_id_2`` for
connections; ``connection_id`` for sections; ``kp_photos`` for nodes and
sections; ``kp_sync``), then one field per attribute name, sorted. An attribute
whose name clashes (case-insensitively, as GeoPackage column names do) with a
system field, ``fid``, ``geom``/``geometry``, or an earlier field gets the
``attr_`` prefix, then a ``_2``, ``_3``... suffix if it still clashes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

from .attributes import display_value, infer_field_kind, storable_text, to_field_value
from .entities import photo_count

KINDS = ("node", "connection", "section")
ATTR_PREFIX = "attr_"
RESERVED_NAMES = ("fid", "geom", "geometry")

Coord = Tuple[float, float]


@dataclass(frozen=True)
class FieldSpec:
    """A layer field: ``name``, ``attribute`` name (None = system field), ``kind``."""

    name: str
    attribute: str | None
    kind: str  # bool | int | real | text

    @property
    def is_system(self) -> bool:
        """True for the plugin's own fields (kp_id, kp_sync, ...)."""
        return self.attribute is None


SYSTEM_FIELDS: Dict[str, Tuple[FieldSpec, ...]] = {
    "node": (
        FieldSpec("kp_id", None, "text"),
        FieldSpec("kp_photos", None, "int"),
        FieldSpec("kp_sync", None, "text"),
    ),
    "connection": (
        FieldSpec("kp_id", None, "text"),
        FieldSpec("node_id_1", None, "text"),
        FieldSpec("node_id_2", None, "text"),
        FieldSpec("kp_sync", None, "text"),
    ),
    "section": (
        FieldSpec("kp_id", None, "text"),
        FieldSpec("connection_id", None, "text"),
        FieldSpec("kp_photos", None, "int"),
        FieldSpec("kp_sync", None, "text"),
    ),
}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {', '.join(KINDS)}")


def _clean_name(attribute: str) -> str:
    """Control characters and lone surrogates (which GeoPackage/OGR cannot keep) -> ``_``."""
    return "".join("_" if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in attribute)


def field_name_for(attribute: str, taken: Iterable[str]) -> str:
    """The layer field name for ``attribute`` given the (case-insensitive) names already taken."""
    used = {t.lower() for t in taken} | set(RESERVED_NAMES)
    clean = _clean_name(attribute)
    name = clean if clean.strip() else ATTR_PREFIX
    if name.lower() in used:
        name = ATTR_PREFIX + clean
    base, n = name, 2
    while name.lower() in used:
        name = f"{base}_{n}"
        n += 1
    return name


def schema_for(kind: str, entities: Iterable[Mapping[str, Any]]) -> List[FieldSpec]:
    """Fields for a layer of ``kind`` holding ``entities`` (normalised dicts)."""
    _check_kind(kind)
    values: Dict[str, list] = {}
    for entity in entities:
        for name, instances in (entity.get("attributes") or {}).items():
            values.setdefault(name, []).append(display_value(instances))
    specs = list(SYSTEM_FIELDS[kind])
    taken = [s.name for s in specs]
    for attribute in sorted(values):
        name = field_name_for(attribute, taken)
        taken.append(name)
        specs.append(FieldSpec(name, attribute, infer_field_kind(values[attribute])))
    return specs


def extend_schema(
    schema: Sequence[FieldSpec], kind: str, entities: Iterable[Mapping[str, Any]]
) -> Tuple[List[FieldSpec], List[FieldSpec]]:
    """``(schema + new fields, new fields)`` for attributes in ``entities`` not yet in ``schema``.

    Existing fields keep their name and kind (a refresh never renames a column);
    use :func:`fits_kind` to find values an existing field cannot hold.
    """
    _check_kind(kind)
    known = {s.attribute for s in schema if s.attribute is not None}
    values: Dict[str, list] = {}
    for entity in entities:
        for name, instances in (entity.get("attributes") or {}).items():
            if name not in known:
                values.setdefault(name, []).append(display_value(instances))
    taken = [s.name for s in schema]
    added = []
    for attribute in sorted(values):
        name = field_name_for(attribute, taken)
        taken.append(name)
        added.append(FieldSpec(name, attribute, infer_field_kind(values[attribute])))
    return list(schema) + added, added


def fits_kind(value: Any, kind: str) -> bool:
    """True when a display value can be stored in a ``kind`` field without loss."""
    if value is None or kind == "text":
        return True
    value_kind = infer_field_kind([value])
    return value_kind == kind or (kind == "real" and value_kind == "int")


def flatten(
    kind: str, entity: Mapping[str, Any], schema: Sequence[FieldSpec], sync_state: str = ""
) -> Dict[str, Any]:
    """Field name -> value for one entity (attribute values converted to each field's kind).

    Raises ``ValueError`` (naming entity, attribute and field kind) when a value
    does not fit its field; rebuild the schema from all entities to avoid it.
    """
    _check_kind(kind)
    attrs = entity.get("attributes") or {}
    row: Dict[str, Any] = {}
    for spec in schema:
        if spec.attribute is None:
            if spec.name == "kp_id":
                row[spec.name] = entity.get("id")
            elif spec.name == "kp_photos":
                row[spec.name] = photo_count(entity)
            elif spec.name == "kp_sync":
                row[spec.name] = sync_state
            else:
                row[spec.name] = entity.get(spec.name)
            continue
        value = display_value(attrs.get(spec.attribute))
        try:
            row[spec.name] = to_field_value(value, spec.kind)
        except ValueError as exc:
            raise ValueError(
                f"{kind} {entity.get('id')}: attribute {spec.attribute!r} value {value!r} does not "
                f"fit the {spec.kind} field {spec.name!r} ({exc}); rebuild the layer schema"
            ) from None
    return row


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def _system_values(kind: str, sync_states: Mapping[Any, str] | None):
    """``fn(entity) -> [system field values]`` in :data:`SYSTEM_FIELDS` order."""

    def state(entity: Mapping[str, Any]) -> str:
        return sync_states.get(entity.get("id"), "") if sync_states else ""

    if kind == "node":
        return lambda e: [e.get("id"), photo_count(e), state(e)]
    if kind == "connection":
        return lambda e: [e.get("id"), e.get("node_id_1"), e.get("node_id_2"), state(e)]
    return lambda e: [e.get("id"), e.get("connection_id"), photo_count(e), state(e)]


def _text_value(value: Any) -> Any:
    """``to_field_value(value, "text")`` with a fast path for plain strings."""
    if type(value) is str:
        return value if value.isascii() and "\x00" not in value else storable_text(value)
    return None if value is None else to_field_value(value, "text")


def schema_and_rows(
    kind: str,
    entities: Iterable[Mapping[str, Any]],
    sync_states: Mapping[Any, str] | None = None,
) -> Tuple[List[FieldSpec], List[List[Any]]]:
    """``schema_for(kind, entities)`` and each entity's ``flatten`` values in field order, in
    one pass (each attribute's display value is computed once).

    ``sync_states`` maps an entity id to its ``kp_sync`` text (default ``""``). The result is
    the same as ``[[flatten(kind, e, schema, state)[f.name] for f in schema] for e in
    entities]`` with ``schema = schema_for(kind, entities)``.
    """
    _check_kind(kind)
    entities = entities if type(entities) is list else list(entities)
    show = display_value
    values: Dict[str, list] = {}
    shown: List[Dict[str, Any]] = []
    scalars = _SCALAR_TYPES
    for entity in entities:
        row_values = {}
        for name, instances in (entity.get("attributes") or {}).items():
            if type(instances) is dict and len(instances) == 1:
                for value in instances.values():  # one instance: the value itself if scalar
                    if type(value) not in scalars:
                        value = show(instances)
            else:
                value = show(instances)
            row_values[name] = value
            column = values.get(name)
            if column is None:
                values[name] = [value]
            else:
                column.append(value)
        shown.append(row_values)
    specs = list(SYSTEM_FIELDS[kind])
    taken = [s.name for s in specs]
    for attribute in sorted(values):
        name = field_name_for(attribute, taken)
        taken.append(name)
        specs.append(FieldSpec(name, attribute, infer_field_kind(values[attribute])))
    del values
    system = _system_values(kind, sync_states)
    attr_specs = specs[len(SYSTEM_FIELDS[kind]) :]
    if all(spec.kind == "text" for spec in attr_specs):
        names = [spec.attribute for spec in attr_specs]
        text = _text_value
        rows = [
            system(entity) + [text(row_values.get(n)) for n in names]
            for entity, row_values in zip(entities, shown)
        ]
        return specs, rows
    rows = []
    for entity, row_values in zip(entities, shown):
        row = system(entity)
        for spec in attr_specs:
            value = row_values.get(spec.attribute)
            if value is None:
                row.append(None)
            elif spec.kind == "text":
                row.append(_text_value(value))
            else:
                row.append(_checked_value(kind, entity, spec, value))
        rows.append(row)
    return specs, rows


def _checked_value(kind: str, entity: Mapping[str, Any], spec: FieldSpec, value: Any) -> Any:
    try:
        return to_field_value(value, spec.kind)
    except ValueError as exc:
        raise ValueError(
            f"{kind} {entity.get('id')}: attribute {spec.attribute!r} value {value!r} does not "
            f"fit the {spec.kind} field {spec.name!r} ({exc}); rebuild the layer schema"
        ) from None


def _point(entity: Mapping[str, Any]) -> Coord | None:
    lat, lon = entity.get("latitude"), entity.get("longitude")
    if lat is None or lon is None:
        return None
    return (float(lon), float(lat))


def geometry(
    kind: str, entity: Mapping[str, Any], nodes_by_id: Mapping[str, Mapping] | None = None
):
    """Pure geometry: node/section ``(lon, lat)``; connection ``[(lon, lat), ...]`` from node 1
    through the breakpoints (stored ``[lat, lon]``) to node 2. ``None`` when a coordinate or an
    end node is missing (the caller lists such entities)."""
    _check_kind(kind)
    if kind in ("node", "section"):
        return _point(entity)
    nodes_by_id = nodes_by_id or {}
    n1, n2 = nodes_by_id.get(entity.get("node_id_1")), nodes_by_id.get(entity.get("node_id_2"))
    if n1 is None or n2 is None:
        return None
    p1, p2 = _point(n1), _point(n2)
    if p1 is None or p2 is None:
        return None
    coords = [p1]
    for pair in entity.get("breakpoints") or []:
        coords.append((float(pair[1]), float(pair[0])))
    coords.append(p2)
    return coords
