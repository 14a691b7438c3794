"""Normalise Katapult server JSON (nodes, connections with sections, photos) into plain dicts.

Rules (see docs/contracts.md and the API folder's real-data.md):

* Unknown fields are kept as they are (deep-copied); nothing is dropped.
* ``attributes`` is always a dict ``{name: {instance_id: value}}``; missing or
  ``null`` becomes ``{}``. Sections embedded in a connection carry
  ``multi_attributes``: it is moved into ``attributes`` (a section read on its own
  route may use either; when both exist they are merged, ``attributes`` winning
  per instance).
* An attribute whose value is not an instance map (a bare value in old data) is
  read as the single instance ``"value"`` and reported as an issue.
* ``latitude``/``longitude`` given as strings are converted to float; unusable
  coordinates become ``None`` and are reported.
* ``breakpoints`` ``None``/missing -> ``[]``; each pair becomes ``[lat, lon]``
  floats; unusable pairs are reported and skipped in the normalised copy (the
  raw value stays available under ``_raw_breakpoints``).
* Duplicate ids in a list: the FIRST occurrence is kept (the server lists newest
  first) and each later one is reported.
* Sections are keyed by ``(connection_id, section_id)``: ``midpoint_section``
  occurs on many spans.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Tuple

SectionKey = Tuple[str, str]

#: Instance id given to an attribute that arrived as a bare value instead of an instance map.
BARE_VALUE_INSTANCE = "value"


@dataclass(frozen=True)
class LoadIssue:
    """Something odd in server data that was read anyway (or skipped), for the user to see."""

    kind: str  # node | connection | section | photo
    entity_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id}: {self.message}"


@dataclass
class Snapshot:
    """A job as the server last said it, normalised and indexed.

    ``nodes`` and ``connections`` map id -> entity; ``sections`` maps
    ``(connection_id, section_id)`` -> section (each section dict also carries
    ``connection_id``); ``photos`` maps id -> photo record. The connection dicts
    keep their (normalised) ``sections`` map too.
    """

    nodes: Dict[str, dict] = field(default_factory=dict)
    connections: Dict[str, dict] = field(default_factory=dict)
    sections: Dict[SectionKey, dict] = field(default_factory=dict)
    photos: Dict[str, dict] = field(default_factory=dict)
    issues: List[LoadIssue] = field(default_factory=list)

    def entities(self, kind: str) -> Dict[Any, dict]:
        """The id-keyed map for ``kind`` (node | connection | section)."""
        return {"node": self.nodes, "connection": self.connections, "section": self.sections}[kind]

    def orphan_connections(self) -> List[str]:
        """Ids of connections whose node 1 or node 2 is not in the snapshot (sorted)."""
        return sorted(
            cid
            for cid, c in self.connections.items()
            if c.get("node_id_1") not in self.nodes or c.get("node_id_2") not in self.nodes
        )


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars); much faster than deepcopy."""
    t = type(value)
    if t in _SCALAR_TYPES:
        return value
    if t is dict:
        return {k: v if type(v) in _SCALAR_TYPES else json_copy(v) for k, v in value.items()}
    if t is list:
        return [v if type(v) in _SCALAR_TYPES else json_copy(v) for v in value]
    if isinstance(value, Mapping):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [json_copy(v) for v in value]
    return copy.deepcopy(value)


def _shallow_json_copy(raw: Mapping, skip: Tuple[str, ...], copy: bool = True) -> dict:
    if not copy:
        return {k: v for k, v in raw.items() if k not in skip}
    return {k: json_copy(v) for k, v in raw.items() if k not in skip}


def _str_keyed(instances: dict) -> bool:
    for key in instances:
        if type(key) is not str:
            return False
    return True


def _to_float(value: Any) -> float | None:
    """A finite float from a number or numeric string, else None (bools are not numbers)."""
    if type(value) is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        f = float(value)
    elif isinstance(value, str):
        try:
            f = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return f if math.isfinite(f) else None


def normalize_attributes(
    raw: Any,
    kind: str = "",
    entity_id: str = "",
    issues: List[LoadIssue] | None = None,
    copy: bool = True,
) -> Dict[str, Dict[str, Any]]:
    """A deep copy of an entity attribute list in the ``{name: {instance: value}}`` shape.

    With ``copy=False`` instance maps already in that shape (a dict with string keys)
    and values are shared with ``raw``, not copied (for callers that mutate neither).
    """
    if raw is None:
        return {}
    if type(raw) is not dict and not isinstance(raw, Mapping):
        if issues is not None:
            issues.append(
                LoadIssue(
                    kind, entity_id, f"attributes is a {type(raw).__name__}, not a map; ignored"
                )
            )
        return {}
    out: Dict[str, Dict[str, Any]] = {}
    for name, instances in raw.items():
        if type(name) is not str:
            name = str(name)
        if instances is None:
            continue  # a null attribute is an absent attribute
        if not copy and type(instances) is dict and _str_keyed(instances):
            out[name] = instances
        elif type(instances) is dict or isinstance(instances, Mapping):
            out[name] = {
                k if type(k) is str else str(k): json_copy(v) for k, v in instances.items()
            }
        else:
            out[name] = {BARE_VALUE_INSTANCE: json_copy(instances)}
            if issues is not None:
                issues.append(
                    LoadIssue(
                        kind,
                        entity_id,
                        f"attribute {name!r} had a bare value; read as instance "
                        f"{BARE_VALUE_INSTANCE!r}",
                    )
                )
    return out


def _normalize_point(entity: dict, kind: str, issues: List[LoadIssue]) -> None:
    for key in ("latitude", "longitude"):
        if key not in entity or entity[key] is None:
            issues.append(LoadIssue(kind, entity["id"], f"has no {key}; it cannot be drawn"))
            entity[key] = None
            continue
        value = entity[key]
        f = _to_float(value)
        if f is None:
            issues.append(LoadIssue(kind, entity["id"], f"{key} {value!r} is not a number"))
        entity[key] = f
    lat, lon = entity.get("latitude"), entity.get("longitude")
    if lat is not None and not -90.0 <= lat <= 90.0:
        issues.append(LoadIssue(kind, entity["id"], f"latitude {lat} is outside -90..90"))
    if lon is not None and not -180.0 <= lon <= 180.0:
        issues.append(LoadIssue(kind, entity["id"], f"longitude {lon} is outside -180..180"))


def normalize_breakpoints(raw: Any, entity_id: str = "", issues: List[LoadIssue] | None = None):
    """Breakpoints as a list of ``[lat, lon]`` float pairs (``None`` -> ``[]``)."""
    if raw is None:
        return []
    items: Iterable[Any]
    if type(raw) is list:
        items = raw
    elif isinstance(raw, Mapping):  # Firebase arrays sometimes arrive as {"0": ..., "1": ...}
        try:
            items = [raw[k] for k in sorted(raw, key=lambda k: int(k))]
        except (TypeError, ValueError):
            items = list(raw.values())
    elif isinstance(raw, (list, tuple)):
        items = raw
    else:
        if issues is not None:
            issues.append(LoadIssue("connection", entity_id, f"breakpoints {raw!r} is not a list"))
        return []
    out = []
    for i, pair in enumerate(items):
        lat = lon = None
        if isinstance(pair, (list, tuple)) and len(pair) >= 2:
            lat, lon = _to_float(pair[0]), _to_float(pair[1])
        elif isinstance(pair, Mapping):
            lat, lon = (
                _to_float(pair.get("latitude", pair.get("lat"))),
                _to_float(pair.get("longitude", pair.get("lng", pair.get("lon")))),
            )
        if lat is None or lon is None:
            if issues is not None:
                issues.append(
                    LoadIssue(
                        "connection",
                        entity_id,
                        f"breakpoint {i} {pair!r} is not [lat, lon]; skipped",
                    )
                )
            continue
        out.append([lat, lon])
    return out


def normalize_node(
    raw: Mapping, issues: List[LoadIssue] | None = None, node_id: str = "", copy: bool = True
) -> dict:
    """A normalised deep copy of a node (``node_id`` used when the dict has no ``id``).

    ``copy=False``: a new top-level dict whose nested values are shared with ``raw``.
    """
    issues = issues if issues is not None else []
    node = _shallow_json_copy(raw, ("attributes",), copy)
    node["id"] = str(node.get("id") or node_id)
    node["attributes"] = normalize_attributes(
        raw.get("attributes"), "node", node["id"], issues, copy
    )
    _normalize_point(node, "node", issues)
    return node


def normalize_section(
    raw: Mapping,
    connection_id: str,
    section_id: str = "",
    issues: List[LoadIssue] | None = None,
    copy: bool = True,
) -> dict:
    """A normalised deep copy of a section; ``multi_attributes`` is read as ``attributes``.

    ``copy=False``: a new top-level dict whose nested values are shared with ``raw``.
    """
    issues = issues if issues is not None else []
    section = _shallow_json_copy(raw, ("attributes", "multi_attributes"), copy)
    section["id"] = str(section.get("id") or section_id)
    sid = section["id"]
    multi = normalize_attributes(raw.get("multi_attributes"), "section", sid, issues, copy)
    attrs = normalize_attributes(raw.get("attributes"), "section", sid, issues, copy)
    for name, instances in attrs.items():
        merged = multi.get(name)
        # a new map (never update one shared with the input)
        multi[name] = dict(instances) if merged is None else {**merged, **instances}
    section["attributes"] = multi
    section["connection_id"] = str(connection_id)
    _normalize_point(section, "section", issues)
    return section


def normalize_connection(
    raw: Mapping, issues: List[LoadIssue] | None = None, connection_id: str = "", copy: bool = True
) -> dict:
    """A normalised deep copy of a connection, its embedded sections normalised too.

    ``copy=False``: new top-level dicts whose nested values are shared with ``raw``.
    """
    issues = issues if issues is not None else []
    conn = _shallow_json_copy(raw, ("attributes", "sections"), copy)
    cid = str(conn.get("id") or connection_id)
    conn["id"] = cid
    conn["attributes"] = normalize_attributes(
        raw.get("attributes"), "connection", cid, issues, copy
    )
    raw_bp = conn.get("breakpoints")
    bp = normalize_breakpoints(raw_bp, cid, issues)
    if raw_bp not in (None, []) and bp != raw_bp:
        conn["_raw_breakpoints"] = raw_bp
    conn["breakpoints"] = bp
    for end in ("node_id_1", "node_id_2"):
        value = conn.get(end)
        if value in (None, ""):
            issues.append(LoadIssue("connection", cid, f"has no {end}"))
            conn[end] = None
        else:
            conn[end] = str(value)
    raw_sections = raw.get("sections")
    sections: Dict[str, dict] = {}
    if type(raw_sections) is dict or isinstance(raw_sections, Mapping):
        for sid, sdata in raw_sections.items():
            if type(sdata) is not dict and not isinstance(sdata, Mapping):
                issues.append(
                    LoadIssue("section", str(sid), f"on span {cid} is not an object; skipped")
                )
                continue
            sections[str(sid)] = normalize_section(sdata, cid, str(sid), issues, copy)
    elif isinstance(raw_sections, list):
        for sdata in raw_sections:
            if isinstance(sdata, Mapping) and sdata.get("id"):
                sections[str(sdata["id"])] = normalize_section(sdata, cid, "", issues, copy)
            else:
                issues.append(LoadIssue("section", "?", f"on span {cid} has no id; skipped"))
    elif raw_sections is not None:
        issues.append(LoadIssue("connection", cid, "sections is not a map; ignored"))
    conn["sections"] = sections
    return conn


def normalize_photo(raw: Mapping, photo_id: str = "") -> dict:
    """A deep copy of a photo record with a string ``id``."""
    photo = _shallow_json_copy(raw, ())
    photo["id"] = str(photo.get("id") or photo_id)
    return photo


def _iter_raw(raw: Any, kind: str, issues: List[LoadIssue]) -> Iterable[Tuple[str, Mapping]]:
    """(fallback id, dict) pairs from a server list or an id-keyed map."""
    if raw is None:
        return []
    if isinstance(raw, Mapping):
        pairs = list(raw.items())
    else:
        pairs = [("", item) for item in raw]
    out = []
    for fallback, item in pairs:
        if type(item) is not dict and not isinstance(item, Mapping):
            issues.append(
                LoadIssue(
                    kind,
                    str(fallback) or "?",
                    f"is a {type(item).__name__}, not an object; skipped",
                )
            )
            continue
        if not (item.get("id") or fallback):
            issues.append(LoadIssue(kind, "?", "has no id; skipped"))
            continue
        out.append((str(fallback), item))
    return out


def build_snapshot(
    nodes: Any = None, connections: Any = None, photos: Any = None, *, copy: bool = True
) -> Snapshot:
    """Normalise the three list responses (nodes, connections, photos) into a Snapshot.

    Each argument may be a list of dicts (as the list routes return) or an
    id-keyed map. Duplicate ids keep the first occurrence and are reported.
    With ``copy=False`` the entities are new top-level dicts whose nested values
    (attribute instance maps, unknown fields) are shared with the input: for a
    caller that mutates neither the input nor the snapshot (building layers).
    """
    snap = Snapshot()
    issues = snap.issues
    for fallback, raw in _iter_raw(nodes, "node", issues):
        node = normalize_node(raw, issues, fallback, copy)
        if node["id"] in snap.nodes:
            issues.append(
                LoadIssue("node", node["id"], "duplicate id; the first one listed is kept")
            )
            continue
        snap.nodes[node["id"]] = node
    for fallback, raw in _iter_raw(connections, "connection", issues):
        conn = normalize_connection(raw, issues, fallback, copy)
        if conn["id"] in snap.connections:
            issues.append(
                LoadIssue("connection", conn["id"], "duplicate id; the first one listed is kept")
            )
            continue
        snap.connections[conn["id"]] = conn
        for sid, section in conn["sections"].items():
            snap.sections[(conn["id"], sid)] = section
    for fallback, raw in _iter_raw(photos, "photo", issues):
        photo = normalize_photo(raw, fallback)
        if photo["id"] in snap.photos:
            issues.append(
                LoadIssue("photo", photo["id"], "duplicate id; the first one listed is kept")
            )
            continue
        snap.photos[photo["id"]] = photo
    for cid in snap.orphan_connections():
        conn = snap.connections[cid]
        missing = [conn.get(e) for e in ("node_id_1", "node_id_2") if conn.get(e) not in snap.nodes]
        issues.append(
            LoadIssue(
                "connection", cid, "node(s) " + ", ".join(map(str, missing)) + " missing; not drawn"
            )
        )
    return snap


def nodes_by_id(nodes: Iterable[Mapping]) -> Dict[str, Mapping]:
    """Index nodes by id (first occurrence wins, matching :func:`build_snapshot`)."""
    out: Dict[str, Mapping] = {}
    for node in nodes:
        out.setdefault(str(node.get("id")), node)
    return out


def sections_of(connections: Iterable[Mapping]) -> List[dict]:
    """All sections of the given (normalised) connections, each carrying ``connection_id``."""
    out = []
    for conn in connections:
        for sid, section in (conn.get("sections") or {}).items():
            s = dict(section)
            s.setdefault("id", sid)
            s["connection_id"] = conn.get("id")
            out.append(s)
    return out


def photo_count(entity: Mapping) -> int:
    """Number of photos associated with a node or section (its ``photos`` map)."""
    photos = entity.get("photos")
    if type(photos) is dict or type(photos) is list:
        return len(photos)
    return len(photos) if isinstance(photos, (Mapping, list)) else 0


def entity_key(kind: str, entity: Mapping) -> Any:
    """The snapshot key of an entity: its id, or ``(connection_id, id)`` for a section."""
    if kind == "section":
        return (str(entity.get("connection_id")), str(entity.get("id")))
    return str(entity.get("id"))
