"""Pure geodesic helpers on the WGS84 ellipsoid (pyproj only, no qgis).

Coordinates are ``(lon, lat)`` tuples in degrees, as everywhere in pure code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from pyproj import Geod

LonLat = Tuple[float, float]

WGS84 = Geod(ellps="WGS84")
FOOT_M = 0.3048
UNITS = ("ft", "m")
#: Two clicks closer than this (metres) are "the same spot".
SAME_SPOT_M = 0.01


def geodesic_distance_m(a: LonLat, b: LonLat) -> float:
    """Geodesic distance in metres between two ``(lon, lat)`` points on WGS84."""
    _, _, dist = WGS84.inv(a[0], a[1], b[0], b[1])
    return float(dist)


def geodesic_length_m(coords: Sequence[LonLat]) -> float:
    """Geodesic length in metres of a polyline of ``(lon, lat)`` points (0 for < 2 points)."""
    if len(coords) < 2:
        return 0.0
    lons = [float(c[0]) for c in coords]
    lats = [float(c[1]) for c in coords]
    return float(WGS84.line_length(lons, lats))


def normalise_units(units: Optional[str]) -> str:
    """``"ft"`` or ``"m"``; anything else (None, "", "feet"...) is mapped sensibly, default ft."""
    text = (units or "").strip().lower()
    if text in ("m", "metre", "metres", "meter", "meters"):
        return "m"
    return "ft"


def metres_to_units(metres: float, units: str) -> float:
    """Convert metres to ``units`` (``"ft"`` or ``"m"``)."""
    return metres / FOOT_M if normalise_units(units) == "ft" else metres


def units_to_metres(value: float, units: str) -> float:
    """Convert a length in ``units`` (``"ft"`` or ``"m"``) to metres."""
    return value * FOOT_M if normalise_units(units) == "ft" else value


def format_length(metres: float, units: str) -> str:
    """A short label such as ``"152 ft"`` or ``"46.3 m"``."""
    units = normalise_units(units)
    value = metres_to_units(metres, units)
    if units == "ft":
        return f"{value:.0f} ft"
    return f"{value:.1f} m"


def interpolate(a: LonLat, b: LonLat, distance_m: float) -> LonLat:
    """The point ``distance_m`` metres from ``a`` along the geodesic towards ``b``."""
    azimuth, _, _ = WGS84.inv(a[0], a[1], b[0], b[1])
    lon, lat, _ = WGS84.fwd(a[0], a[1], azimuth, distance_m)
    return (float(lon), float(lat))


def segment_position(coords: Sequence[LonLat], point: LonLat) -> Tuple[int, float]:
    """``(segment index, t in 0..1)`` of the point of a polyline nearest to ``point``.

    Planar projection in degrees scaled by cos(lat): fine at span scale.
    """
    if len(coords) < 2:
        return (0, 0.0)
    best = (math.inf, 0, 0.0)
    for i, (a, b) in enumerate(zip(coords[:-1], coords[1:])):
        kx = math.cos(math.radians((a[1] + b[1]) / 2.0))
        ax, ay, bx, by = a[0] * kx, a[1], b[0] * kx, b[1]
        px, py = point[0] * kx, point[1]
        dx, dy = bx - ax, by - ay
        denom = dx * dx + dy * dy
        t = 0.0 if denom == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / denom))
        d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
        if d2 < best[0]:
            best = (d2, i, t)
    return (best[1], best[2])


def point_on_segment(coords: Sequence[LonLat], index: int, t: float) -> LonLat:
    """The point at ``t`` (0..1, geodesic) along segment ``index`` of a polyline."""
    if len(coords) < 2:
        return (float(coords[0][0]), float(coords[0][1]))
    index = max(0, min(len(coords) - 2, index))
    a, b = coords[index], coords[index + 1]
    return interpolate(a, b, geodesic_distance_m(a, b) * max(0.0, min(1.0, t)))


def fraction_along(coords: Sequence[LonLat], point: LonLat) -> float:
    """Where ``point`` lies along a polyline, as a fraction 0..1 of its geodesic length.

    The point is projected onto the nearest segment (planar projection in degrees
    scaled by cos(lat), fine at span scale); the length up to it is geodesic.
    """
    if len(coords) < 2:
        return 0.0
    total = geodesic_length_m(coords)
    if total <= 0:
        return 0.0
    best = (math.inf, 0.0)
    walked = 0.0
    for a, b in zip(coords[:-1], coords[1:]):
        seg = geodesic_distance_m(a, b)
        kx = math.cos(math.radians((a[1] + b[1]) / 2.0))
        ax, ay, bx, by = a[0] * kx, a[1], b[0] * kx, b[1]
        px, py = point[0] * kx, point[1]
        dx, dy = bx - ax, by - ay
        denom = dx * dx + dy * dy
        t = 0.0 if denom == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / denom))
        qx, qy = ax + t * dx, ay + t * dy
        d2 = (px - qx) ** 2 + (py - qy) ** 2
        if d2 < best[0]:
            best = (d2, walked + t * seg)
        walked += seg
    return max(0.0, min(1.0, best[1] / total))


def point_at_fraction(coords: Sequence[LonLat], fraction: float) -> LonLat:
    """The point at ``fraction`` (0..1) of a polyline's geodesic length."""
    if not coords:
        raise ValueError("point_at_fraction needs at least one coordinate")
    if len(coords) == 1:
        return (float(coords[0][0]), float(coords[0][1]))
    target = max(0.0, min(1.0, fraction)) * geodesic_length_m(coords)
    walked = 0.0
    for a, b in zip(coords[:-1], coords[1:]):
        seg = geodesic_distance_m(a, b)
        if walked + seg >= target and seg > 0:
            return interpolate(a, b, target - walked)
        walked += seg
    return (float(coords[-1][0]), float(coords[-1][1]))


@dataclass
class SpacingPlan:
    """Poles proposed along a route and the spans between them."""

    poles: List[LonLat]
    #: index into ``route`` for poles that sit on a route vertex, else None
    route_index: List[Optional[int]]
    #: geodesic length in metres of each span (``len(poles) - 1`` entries)
    span_lengths_m: List[float]
    #: indices of spans longer than the maximum span
    too_long: List[int] = field(default_factory=list)

    @property
    def longest_m(self) -> float:
        """Longest span in metres (0 when there is none)."""
        return max(self.span_lengths_m, default=0.0)


def plan_spacing(
    route: Sequence[LonLat],
    spacing_m: float,
    max_span_m: Optional[float] = None,
    mode: str = "even",
) -> SpacingPlan:
    """Propose poles along ``route`` about every ``spacing_m`` metres.

    ``mode="even"``: a pole on every route vertex (corners need a pole) and each
    leg split into the fewest equal spans no longer than ``spacing_m``.
    ``mode="fixed"``: a pole exactly every ``spacing_m`` along the route from its
    start, plus one at its end (the last span takes the remainder); route corners
    between two poles are cut (spans are straight).
    Spans longer than ``max_span_m`` are listed in ``too_long``.
    Consecutive route vertices on the same spot are merged (no zero-length span).
    """
    if spacing_m is None or not spacing_m > 0:
        raise ValueError(f"pole spacing must be a positive length, got {spacing_m!r}")
    if mode not in ("even", "fixed"):
        raise ValueError(f"spacing mode must be 'even' or 'fixed', got {mode!r}")
    clean: List[LonLat] = []
    clean_index: List[int] = []
    for i, p in enumerate(route):
        p = (float(p[0]), float(p[1]))
        if clean and geodesic_distance_m(clean[-1], p) < SAME_SPOT_M:
            continue
        clean.append(p)
        clean_index.append(i)
    if not clean:
        return SpacingPlan([], [], [])
    poles: List[LonLat] = [clean[0]]
    where: List[Optional[int]] = [clean_index[0]]
    if mode == "even":
        for k, (a, b) in enumerate(zip(clean[:-1], clean[1:])):
            leg = geodesic_distance_m(a, b)
            count = max(1, math.ceil(leg / spacing_m - 1e-9))
            for j in range(1, count):
                poles.append(interpolate(a, b, leg * j / count))
                where.append(None)
            poles.append(b)
            where.append(clean_index[k + 1])
    else:
        total = geodesic_length_m(clean)
        steps = int(math.floor(total / spacing_m + 1e-9))
        for j in range(1, steps + 1):
            d = j * spacing_m
            if total - d < SAME_SPOT_M:
                break
            poles.append(point_at_fraction(clean, d / total))
            where.append(None)
        poles.append(clean[-1])
        where.append(clean_index[-1])
    lengths = [geodesic_distance_m(a, b) for a, b in zip(poles[:-1], poles[1:])]
    too_long = []
    if max_span_m is not None and max_span_m > 0:
        too_long = [i for i, length in enumerate(lengths) if length > max_span_m + 1e-6]
    return SpacingPlan(poles, where, lengths, too_long)
