"""Propose an item for each photo: nearest node by GPS and/or node time buckets (pure).

Every proposal carries its evidence (distance in metres, or the time window
that contains the capture time) and a confidence. A photo that nothing
matches, or whose clues disagree, gets no proposal: it is listed for the user,
never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from ..geo import geodesic_distance_m
from .texts import tr

_M_PER_DEG_LAT = 111_320.0

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass
class Candidate:
    """An item a photo may belong to: a node (or a section) with its time windows."""

    item_id: str
    lon: float
    lat: float
    kind: str = "node"  # node | section
    label: str = ""
    connection_id: str | None = None  # sections only
    buckets: list[tuple[int, int]] = field(default_factory=list)  # (start_ms, stop_ms)


@dataclass
class PhotoClues:
    """What a photo file says about where and when it was taken."""

    key: str  # usually the file path
    lon: float | None = None
    lat: float | None = None
    taken_ms: int | None = None


@dataclass
class Match:
    """The proposal for one photo. ``item_id`` None = unmatched (see ``evidence``)."""

    key: str
    item_id: str | None
    kind: str | None
    confidence: float
    evidence: str
    distance_m: float | None = None
    method: str = ""  # gps | time | gps+time | ""
    alternatives: list[str] = field(default_factory=list)  # other plausible item ids, best first

    @property
    def level(self) -> str:
        return confidence_level(self.confidence)


def confidence_level(value: float) -> str:
    """0.85+ high, 0.6+ medium, else low."""
    if value >= 0.85:
        return HIGH
    if value >= 0.6:
        return MEDIUM
    return LOW


class _Grid:
    """Bucket candidates by coarse cells so each photo looks only nearby."""

    def __init__(self, candidates: list[Candidate], cell_m: float) -> None:
        self.cell_deg = max(cell_m / _M_PER_DEG_LAT, 1e-6)
        self.cells: dict[tuple[int, int], list[Candidate]] = {}
        for cand in candidates:
            self.cells.setdefault(self._key(cand.lon, cand.lat), []).append(cand)

    def _key(self, lon: float, lat: float) -> tuple[int, int]:
        return (int(math.floor(lon / self.cell_deg)), int(math.floor(lat / self.cell_deg)))

    def near(self, lon: float, lat: float, radius_m: float) -> Iterable[Candidate]:
        coslat = max(math.cos(math.radians(lat)), 0.01)
        span_lat = int(math.ceil(radius_m / _M_PER_DEG_LAT / self.cell_deg)) + 1
        span_lon = int(math.ceil(radius_m / (_M_PER_DEG_LAT * coslat) / self.cell_deg)) + 1
        cx, cy = self._key(lon, lat)
        for dx in range(-span_lon, span_lon + 1):
            for dy in range(-span_lat, span_lat + 1):
                yield from self.cells.get((cx + dx, cy + dy), ())


def _fmt_ms(ms: int) -> str:
    import datetime as _dt  # noqa: PLC0415

    return _dt.datetime.fromtimestamp(ms / 1000, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class Matcher:
    """Match photos to candidates.

    ``max_distance_m``: GPS farther than this from every node is no match.
    ``time_slack_s``: a capture time this close outside a bucket still counts
    (weaker). ``use_gps`` / ``use_time`` switch the clues.
    """

    def __init__(
        self,
        candidates: list[Candidate],
        *,
        max_distance_m: float = 30.0,
        time_slack_s: float = 60.0,
        use_gps: bool = True,
        use_time: bool = True,
    ) -> None:
        self.candidates = [c for c in candidates if c.lon is not None and c.lat is not None]
        self.by_id = {c.item_id: c for c in candidates}
        self.max_distance_m = float(max_distance_m)
        self.time_slack_ms = int(time_slack_s * 1000)
        self.use_gps = use_gps
        self.use_time = use_time
        self._grid = _Grid(self.candidates, max(self.max_distance_m, 1.0))
        self._windows = sorted(
            (start, stop, c)
            for c in candidates
            for (start, stop) in c.buckets
            if start is not None and stop is not None
        )

    # -- single clues -------------------------------------------------------
    def by_gps(self, lon: float, lat: float) -> list[tuple[float, Candidate]]:
        """Candidates within ``max_distance_m``, nearest first."""
        hits = []
        for cand in self._grid.near(lon, lat, self.max_distance_m):
            dist = geodesic_distance_m((lon, lat), (cand.lon, cand.lat))
            if dist <= self.max_distance_m:
                hits.append((dist, cand))
        hits.sort(key=lambda pair: (pair[0], pair[1].item_id))
        return hits

    def by_time(self, taken_ms: int) -> list[tuple[int, Candidate, int, int]]:
        """``(gap_ms, candidate, start, stop)``: 0 gap = inside the window; nearest first."""
        best: dict[str, tuple[int, Candidate, int, int]] = {}
        for start, stop, cand in self._windows:
            if start - self.time_slack_ms > taken_ms:
                break
            lo, hi = min(start, stop), max(start, stop)
            gap = 0 if lo <= taken_ms <= hi else min(abs(taken_ms - lo), abs(taken_ms - hi))
            if gap <= self.time_slack_ms:
                prev = best.get(cand.item_id)
                if prev is None or gap < prev[0]:
                    best[cand.item_id] = (gap, cand, lo, hi)
        return sorted(best.values(), key=lambda t: (t[0], t[1].item_id))

    # -- combined -------------------------------------------------------------
    def match(self, photo: PhotoClues) -> Match:
        """Propose one item for ``photo`` (or none, with the reason)."""
        gps_hits = (
            self.by_gps(photo.lon, photo.lat)
            if self.use_gps and photo.lon is not None and photo.lat is not None
            else []
        )
        time_hits = (
            self.by_time(photo.taken_ms) if self.use_time and photo.taken_ms is not None else []
        )
        gps = self._judge_gps(gps_hits)
        tim = self._judge_time(time_hits)
        alternatives = []
        for _d, cand in gps_hits[:3]:
            alternatives.append(cand.item_id)
        for hit in time_hits[:3]:
            if hit[1].item_id not in alternatives:
                alternatives.append(hit[1].item_id)
        if gps and tim:
            if gps[0].item_id == tim[0].item_id:
                cand = gps[0]
                conf = min(0.99, 1 - (1 - gps[1]) * (1 - tim[1]))
                return Match(
                    photo.key,
                    cand.item_id,
                    cand.kind,
                    conf,
                    gps[2] + "; " + tim[2],
                    gps[3],
                    "gps+time",
                    [a for a in alternatives if a != cand.item_id],
                )
            return Match(
                photo.key,
                None,
                None,
                0.0,
                tr(
                    "clues disagree: GPS points to {a} ({ga}), time to {b} ({tb}); choose the item"
                ).format(a=_label(gps[0]), ga=gps[2], b=_label(tim[0]), tb=tim[2]),
                gps[3],
                "",
                alternatives,
            )
        if gps:
            cand = gps[0]
            return Match(
                photo.key,
                cand.item_id,
                cand.kind,
                gps[1],
                gps[2],
                gps[3],
                "gps",
                [a for a in alternatives if a != cand.item_id],
            )
        if tim:
            cand = tim[0]
            return Match(
                photo.key,
                cand.item_id,
                cand.kind,
                tim[1],
                tim[2],
                None,
                "time",
                [a for a in alternatives if a != cand.item_id],
            )
        return Match(
            photo.key,
            None,
            None,
            0.0,
            self._why_unmatched(photo, gps_hits, time_hits),
            None,
            "",
            alternatives,
        )

    def match_all(self, photos: Iterable[PhotoClues]) -> list[Match]:
        return [self.match(p) for p in photos]

    def _judge_gps(self, hits):
        """``(candidate, confidence, evidence, distance)`` or None when ambiguous/empty."""
        if not hits:
            return None
        dist, cand = hits[0]
        ratio = dist / self.max_distance_m if self.max_distance_m > 0 else 1.0
        conf = 0.95 - 0.4 * ratio  # 0.95 on top of the node, 0.55 at the threshold
        evidence = tr("{d:.1f} m from {item}").format(d=dist, item=_label(cand))
        if len(hits) > 1:
            d2, cand2 = hits[1]
            # a second node almost as close makes GPS alone unreliable
            if d2 - dist < max(2.0, 0.25 * d2):
                conf = min(conf, 0.4)
                evidence += tr("; {item2} is almost as close ({d2:.1f} m)").format(
                    item2=_label(cand2), d2=d2
                )
        return cand, conf, evidence, dist

    def _judge_time(self, hits):
        if not hits:
            return None
        inside = [h for h in hits if h[0] == 0]
        if len(inside) > 1:
            # several windows contain the time: no single answer from time alone
            return None
        gap, cand, lo, hi = inside[0] if inside else hits[0]
        if gap == 0:
            conf = 0.8
            evidence = tr("taken inside {item}'s time window {a} – {b}").format(
                item=_label(cand), a=_fmt_ms(lo), b=_fmt_ms(hi)[11:]
            )
        else:
            if len(hits) > 1 and hits[1][0] - gap < self.time_slack_ms / 4:
                return None
            conf = 0.55
            evidence = tr("taken {s:.0f} s outside {item}'s time window").format(
                s=gap / 1000.0, item=_label(cand)
            )
        return cand, conf, evidence

    def _why_unmatched(self, photo: PhotoClues, gps_hits, time_hits) -> str:
        has_gps = photo.lon is not None and photo.lat is not None
        reasons = []
        if not has_gps and photo.taken_ms is None:
            return tr("no GPS position and no capture time in EXIF; choose the item by hand")
        if has_gps and self.use_gps:
            if not gps_hits:
                nearest = self.nearest(photo.lon, photo.lat)
                if nearest:
                    reasons.append(
                        tr("nearest node {item} is {d:.0f} m away (limit {m:.0f} m)").format(
                            item=_label(nearest[1]), d=nearest[0], m=self.max_distance_m
                        )
                    )
                else:
                    reasons.append(tr("no node with a position in this job"))
            else:
                reasons.append(
                    tr("GPS is ambiguous between {a} and {b}").format(
                        a=_label(gps_hits[0][1]), b=_label(gps_hits[1][1])
                    )
                )
        elif not has_gps:
            reasons.append(tr("no GPS position in EXIF"))
        if photo.taken_ms is not None and self.use_time:
            if not time_hits:
                reasons.append(
                    tr("capture time {t} is in no node's time window").format(
                        t=_fmt_ms(photo.taken_ms)
                    )
                )
            else:
                reasons.append(tr("capture time fits several nodes"))
        elif photo.taken_ms is None:
            reasons.append(tr("no capture time in EXIF"))
        return "; ".join(reasons)

    def nearest(self, lon: float, lat: float) -> tuple[float, Candidate] | None:
        """The nearest candidate at any distance (for messages)."""
        best = None
        for cand in self.candidates:
            dist = geodesic_distance_m((lon, lat), (cand.lon, cand.lat))
            if best is None or dist < best[0]:
                best = (dist, cand)
        return best


def _label(cand: Candidate) -> str:
    return cand.label or cand.item_id


def buckets_from_attributes(attributes: dict | None) -> list[tuple[int, int]]:
    """Read ``time_bucket`` instances (``{"start": ms, "stop": ms}``) from a node's attributes.

    Loosely typed data is tolerated: strings of digits, seconds instead of
    milliseconds (values below 1e11 are taken as seconds), missing stop.
    """
    out: list[tuple[int, int]] = []
    instances = (attributes or {}).get("time_bucket")
    if not isinstance(instances, dict):
        return out
    for value in instances.values():
        if not isinstance(value, dict):
            continue
        start, stop = _ms(value.get("start")), _ms(value.get("stop"))
        if start is None and stop is None:
            continue
        start = stop if start is None else start
        stop = start if stop is None else stop
        out.append((min(start, stop), max(start, stop)))
    return out


def _ms(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number:
        return None
    return int(number * 1000) if abs(number) < 1e11 else int(number)
