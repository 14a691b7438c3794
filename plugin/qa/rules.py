"""Field-data QA rules for a Katapult job (pure Python, no qgis).

Rules read a neutral view of a job (:class:`QaJob`): nodes, spans and sections
with their display values (as a layer field shows them) and photo maps. The
same rules therefore run on the server snapshot (:func:`job_from_snapshot`) and
on the QGIS working copy (``qa/from_layers.py``).

Every finding is a :class:`QaIssue` with a rule id, a severity and a message
that names the feature and says what to fix.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..geo import geodesic_distance_m, geodesic_length_m
from ..model.attributes import display_value
from ..model.vocabulary import DEFAULT_NODE_TYPES, POLE_TYPES

LonLat = Tuple[float, float]

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

REQUIRED_POLE_FIELDS = ("scid", "pole_height", "pole_class")
_TRUE_TEXT = {"true", "yes", "1", "y", "t"}


@dataclass(frozen=True)
class QaConfig:
    """Thresholds and pick-lists; every field can be changed by the user."""

    max_span_m: float = 91.44  # 300 ft
    min_span_m: float = 3.0
    max_section_offset_m: float = 5.0
    min_pole_separation_m: float = 1.0
    node_types: Tuple[str, ...] = DEFAULT_NODE_TYPES
    pole_types: Tuple[str, ...] = POLE_TYPES
    required_pole_fields: Tuple[str, ...] = REQUIRED_POLE_FIELDS
    disabled_rules: Tuple[str, ...] = ()


@dataclass
class QaNode:
    id: str
    lon: Optional[float]
    lat: Optional[float]
    values: Mapping[str, Any] = field(default_factory=dict)
    photos: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class QaSpan:
    id: str
    node_id_1: Optional[str]
    node_id_2: Optional[str]
    #: Full polyline (node 1, breakpoints, node 2) as (lon, lat), or None if not drawable.
    coords: Optional[List[LonLat]] = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class QaSection:
    id: str
    connection_id: str
    lon: Optional[float]
    lat: Optional[float]
    values: Mapping[str, Any] = field(default_factory=dict)
    photos: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class QaJob:
    nodes: List[QaNode] = field(default_factory=list)
    spans: List[QaSpan] = field(default_factory=list)
    sections: List[QaSection] = field(default_factory=list)


@dataclass(frozen=True)
class QaIssue:
    """One finding: which rule, how bad, which feature, and what to do."""

    rule: str
    severity: str
    kind: str  # node | connection | section
    entity_id: str
    message: str
    lon: Optional[float] = None
    lat: Optional[float] = None
    #: For sections, the connection the section is on.
    parent_id: Optional[str] = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: Callable[[QaJob, QaConfig], Iterable[QaIssue]]


# ----------------------------------------------------------------- helpers


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _blank(value: Any) -> bool:
    return _text(value) == ""


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return _text(value).lower() in _TRUE_TEXT


def _label(node: QaNode) -> str:
    scid = _text(node.values.get("scid"))
    kind = _text(node.values.get("node_type")) or "node"
    return f"{kind} {node.id}" + (f" (SCID {scid})" if scid else "")


def _is_pole(node: QaNode, config: QaConfig) -> bool:
    return _text(node.values.get("node_type")).lower() in {t.lower() for t in config.pole_types}


def _has_point(node: Any) -> bool:
    return node.lon is not None and node.lat is not None


def _node_issue(rule: Rule, node: QaNode, message: str) -> QaIssue:
    return QaIssue(rule.id, rule.severity, "node", node.id, message, node.lon, node.lat)


def _fmt_m(metres: float) -> str:
    return f"{metres:.1f} m ({metres / 0.3048:.0f} ft)"


def point_to_polyline_m(point: LonLat, coords: Sequence[LonLat]) -> float:
    """Shortest distance in metres from a point to a polyline (local tangent plane).

    Good to centimetres over span lengths; the line is projected on an
    equirectangular plane centred on the point.
    """
    lon0, lat0 = point
    kx = 111_320.0 * math.cos(math.radians(lat0))
    ky = 110_540.0

    def xy(c: LonLat) -> Tuple[float, float]:
        return ((c[0] - lon0) * kx, (c[1] - lat0) * ky)

    best = math.inf
    pts = [xy(c) for c in coords]
    if len(pts) == 1:
        return math.hypot(*pts[0])
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        t = 0.0 if seg2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg2))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


# ------------------------------------------------------------------- rules


def _missing_node_type(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["node_missing_type"]
    for node in job.nodes:
        if _blank(node.values.get("node_type")):
            yield _node_issue(rule, node, f"Node {node.id} has no node_type: set one.")


def _pole_missing_fields(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["pole_missing_fields"]
    for node in job.nodes:
        if not _is_pole(node, config):
            continue
        missing = [f for f in config.required_pole_fields if _blank(node.values.get(f))]
        if missing:
            yield _node_issue(
                rule, node, f"{_label(node)} is missing {', '.join(missing)}: fill them in."
            )


def _duplicate_scid(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["duplicate_scid"]
    by_scid: Dict[str, List[QaNode]] = defaultdict(list)
    for node in job.nodes:
        scid = _text(node.values.get("scid"))
        if scid and _is_pole(node, config):
            by_scid[scid].append(node)
    for scid, nodes in sorted(by_scid.items()):
        if len(nodes) < 2:
            continue
        ids = ", ".join(n.id for n in nodes)
        for node in nodes:
            yield _node_issue(
                rule, node, f"SCID {scid} is used by {len(nodes)} poles ({ids}): renumber."
            )


def _span_lengths(job: QaJob) -> Iterable[Tuple[QaSpan, float, LonLat]]:
    for span in job.spans:
        if span.coords and len(span.coords) >= 2:
            yield span, geodesic_length_m(span.coords), span.coords[len(span.coords) // 2]


def _span_too_long(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["span_too_long"]
    for span, length, mid in _span_lengths(job):
        if length > config.max_span_m:
            yield QaIssue(
                rule.id, rule.severity, "connection", span.id,
                f"Span {span.id} is {_fmt_m(length)} long, over the {_fmt_m(config.max_span_m)}"
                " limit: add a pole or check its ends.", mid[0], mid[1],
            )


def _span_too_short(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["span_too_short"]
    for span, length, mid in _span_lengths(job):
        if length < config.min_span_m:
            yield QaIssue(
                rule.id, rule.severity, "connection", span.id,
                f"Span {span.id} is only {_fmt_m(length)} long, under the "
                f"{_fmt_m(config.min_span_m)} minimum: check for a doubled pole.", mid[0], mid[1],
            )


def _span_missing_node(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["span_missing_node"]
    ids = {n.id for n in job.nodes}
    for span in job.spans:
        missing = [n for n in (span.node_id_1, span.node_id_2) if not n or n not in ids]
        if missing:
            names = ", ".join(str(m or "(empty)") for m in missing)
            yield QaIssue(
                rule.id, rule.severity, "connection", span.id,
                f"Span {span.id} points at missing node(s) {names}: re-attach or delete it.",
            )


def _pole_without_span(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["pole_without_span"]
    used = set()
    for span in job.spans:
        used.update((span.node_id_1, span.node_id_2))
    for node in job.nodes:
        if _is_pole(node, config) and node.id not in used:
            yield _node_issue(rule, node, f"{_label(node)} has no span: connect it or delete it.")


def _section_far(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["section_far_from_span"]
    spans = {s.id: s for s in job.spans}
    for sec in job.sections:
        span = spans.get(sec.connection_id)
        if span is None or not span.coords or not _has_point(sec):
            continue
        offset = point_to_polyline_m((sec.lon, sec.lat), span.coords)
        if offset > config.max_section_offset_m:
            yield QaIssue(
                rule.id, rule.severity, "section", sec.id,
                f"Midspan {sec.id} on span {sec.connection_id} is {_fmt_m(offset)} off its span"
                f" (limit {_fmt_m(config.max_section_offset_m)}): move it onto the span.",
                sec.lon, sec.lat, sec.connection_id,
            )


def _flagged(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["flagged_for_review"]
    for node in job.nodes:
        if _truthy(node.values.get("flag_for_review")):
            yield _node_issue(rule, node, f"{_label(node)} is flagged for review: review it.")
    for sec in job.sections:
        if _truthy(sec.values.get("flag_for_review")):
            yield QaIssue(
                rule.id, rule.severity, "section", sec.id,
                f"Midspan {sec.id} on span {sec.connection_id} is flagged for review: review it.",
                sec.lon, sec.lat, sec.connection_id,
            )


def _is_main(assoc: Any) -> bool:
    return (assoc.get("association") if isinstance(assoc, Mapping) else assoc) == "main"


def _pole_without_photos(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["pole_without_photos"]
    for node in job.nodes:
        if _is_pole(node, config) and not node.photos:
            yield _node_issue(rule, node, f"{_label(node)} has no photos: upload some.")


def _pole_without_main(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["pole_without_main"]
    for node in job.nodes:
        photos = node.photos or {}
        if _is_pole(node, config) and photos and not any(_is_main(a) for a in photos.values()):
            yield _node_issue(
                rule, node, f"{_label(node)} has {len(photos)} photo(s) but no main one: set it."
            )


def _poles_too_close(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["poles_too_close"]
    limit = config.min_pole_separation_m
    cell_deg = max(limit / 111_000.0, 1e-7) * 2
    grid: Dict[Tuple[int, int], List[QaNode]] = defaultdict(list)
    poles = [n for n in job.nodes if _is_pole(n, config) and _has_point(n)]

    def cell(node: QaNode) -> Tuple[int, int]:
        return int(math.floor(node.lon / cell_deg)), int(math.floor(node.lat / cell_deg))

    for node in poles:
        grid[cell(node)].append(node)
    for node in poles:
        cx, cy = cell(node)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((cx + dx, cy + dy), ()):
                    if other.id <= node.id:
                        continue
                    dist = geodesic_distance_m((node.lon, node.lat), (other.lon, other.lat))
                    if dist < limit:
                        yield _node_issue(
                            rule, node,
                            f"{_label(node)} is {dist:.2f} m from {_label(other)}"
                            f" (limit {limit} m): merge or move one of them.",
                        )


def _outside_picklist(job: QaJob, config: QaConfig) -> Iterable[QaIssue]:
    rule = RULES_BY_ID["value_not_in_picklist"]
    allowed = {t.lower() for t in config.node_types}
    for node in job.nodes:
        value = _text(node.values.get("node_type"))
        if value and value.lower() not in allowed:
            yield _node_issue(
                rule, node,
                f"Node {node.id} has node_type '{value}', which is not in the pick-list:"
                " choose a listed type.",
            )


RULES: Tuple[Rule, ...] = (
    Rule("node_missing_type", ERROR, "Nodes without node_type", _missing_node_type),
    Rule(
        "pole_missing_fields", WARNING, "Poles without SCID, height or class", _pole_missing_fields
    ),
    Rule("duplicate_scid", ERROR, "Duplicate SCIDs", _duplicate_scid),
    Rule("span_too_long", WARNING, "Spans longer than the maximum", _span_too_long),
    Rule("span_too_short", WARNING, "Spans shorter than the minimum", _span_too_short),
    Rule("span_missing_node", ERROR, "Spans referencing missing nodes", _span_missing_node),
    Rule("pole_without_span", WARNING, "Poles with no span", _pole_without_span),
    Rule("section_far_from_span", WARNING, "Midspans far from their span", _section_far),
    Rule("flagged_for_review", INFO, "Items flagged for review", _flagged),
    Rule("pole_without_photos", WARNING, "Poles without photos", _pole_without_photos),
    Rule("pole_without_main", INFO, "Poles without a main photo", _pole_without_main),
    Rule("poles_too_close", ERROR, "Poles closer than the minimum separation", _poles_too_close),
    Rule("value_not_in_picklist", WARNING, "Values outside the pick-list", _outside_picklist),
)
RULES_BY_ID: Dict[str, Rule] = {r.id: r for r in RULES}


def run_qa(job: QaJob, config: QaConfig = QaConfig()) -> List[QaIssue]:
    """Run every enabled rule; findings in rule order, then by feature."""
    found: List[QaIssue] = []
    for rule in RULES:
        if rule.id not in config.disabled_rules:
            issues = rule.check(job, config)
            found.extend(sorted(issues, key=lambda i: (i.kind, i.entity_id, i.message)))
    return found


# --------------------------------------------------------------- adapters


def _values(entity: Mapping[str, Any]) -> Dict[str, Any]:
    attrs = entity.get("attributes") or {}
    return {
        name: display_value(inst if isinstance(inst, Mapping) else {"value": inst})
        for name, inst in attrs.items()
    }


def _coord(entity: Mapping[str, Any]) -> Tuple[Optional[float], Optional[float]]:
    try:
        return float(entity["longitude"]), float(entity["latitude"])
    except (KeyError, TypeError, ValueError):
        return None, None


def job_from_snapshot(snapshot: Any) -> QaJob:
    """A :class:`QaJob` from a ``model.entities.Snapshot`` (the server's view)."""
    job = QaJob()
    for nid, node in snapshot.nodes.items():
        lon, lat = _coord(node)
        job.nodes.append(QaNode(str(nid), lon, lat, _values(node), node.get("photos") or {}))
    for cid, conn in snapshot.connections.items():
        n1 = snapshot.nodes.get(conn.get("node_id_1"))
        n2 = snapshot.nodes.get(conn.get("node_id_2"))
        coords = None
        if n1 is not None and n2 is not None and None not in _coord(n1) + _coord(n2):
            mids = [(float(p[1]), float(p[0])) for p in conn.get("breakpoints") or []]
            coords = [_coord(n1), *mids, _coord(n2)]
        job.spans.append(
            QaSpan(str(cid), conn.get("node_id_1"), conn.get("node_id_2"), coords, _values(conn))
        )
    for (cid, sid), sec in snapshot.sections.items():
        lon, lat = _coord(sec)
        job.sections.append(
            QaSection(str(sid), str(cid), lon, lat, _values(sec), sec.get("photos") or {})
        )
    return job
