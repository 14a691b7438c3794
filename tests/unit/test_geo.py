"""plugin.geo: geodesic lengths, unit conversion and pole spacing along a route."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from plugin import geo

G = Geod(ellps="WGS84")
A = (-77.0280, 40.1070)
B = (-77.0200, 40.1070)  # about 680 m east
C = (-77.0200, 40.1130)  # about 666 m north of B


def _inv(a, b):
    return G.inv(a[0], a[1], b[0], b[1])[2]


def test_distance_matches_pyproj_and_is_not_planar():
    d = geo.geodesic_distance_m(A, B)
    assert d == pytest.approx(_inv(A, B), abs=1e-6)
    # a naive degrees->metres guess at the equator would be ~890 m: we are at 40 N
    assert 670 < d < 690


def test_length_of_polyline_is_sum_of_legs():
    assert geo.geodesic_length_m([A, B, C]) == pytest.approx(_inv(A, B) + _inv(B, C), rel=1e-9)
    assert geo.geodesic_length_m([A]) == 0.0
    assert geo.geodesic_length_m([]) == 0.0


def test_units_and_labels():
    assert geo.normalise_units(None) == "ft"
    assert geo.normalise_units("Metres") == "m"
    assert geo.normalise_units("bogus") == "ft"
    assert geo.metres_to_units(30.48, "ft") == pytest.approx(100.0)
    assert geo.units_to_metres(100, "ft") == pytest.approx(30.48)
    assert geo.units_to_metres(100, "m") == 100
    assert geo.format_length(30.48, "ft") == "100 ft"
    assert geo.format_length(46.26, "m") == "46.3 m"


def test_interpolate_and_fraction_round_trip():
    p = geo.interpolate(A, B, 200.0)
    assert _inv(A, p) == pytest.approx(200.0, abs=1e-3)
    line = [A, B, C]
    for f in (0.0, 0.25, 0.5, 0.8, 1.0):
        q = geo.point_at_fraction(line, f)
        assert geo.fraction_along(line, q) == pytest.approx(f, abs=1e-4)
    with pytest.raises(ValueError):
        geo.point_at_fraction([], 0.5)


def test_even_spacing_puts_poles_on_corners_and_keeps_spans_short():
    plan = geo.plan_spacing([A, B, C], spacing_m=100.0, max_span_m=120.0)
    assert plan.poles[0] == A and plan.poles[-1] == C
    assert B in plan.poles  # the corner is a pole
    assert plan.route_index[0] == 0 and plan.route_index[-1] == 2
    assert plan.route_index[plan.poles.index(B)] == 1
    assert all(length <= 100.0 + 1e-6 for length in plan.span_lengths_m)
    # 680 m -> 7 spans, 666 m -> 7 spans
    assert len(plan.span_lengths_m) == math.ceil(_inv(A, B) / 100) + math.ceil(_inv(B, C) / 100)
    assert plan.too_long == []
    for (a, b), length in zip(zip(plan.poles, plan.poles[1:]), plan.span_lengths_m):
        assert length == pytest.approx(_inv(a, b), abs=1e-6)


def test_fixed_spacing_and_max_span_warning():
    plan = geo.plan_spacing([A, B], spacing_m=100.0, mode="fixed")
    lengths = plan.span_lengths_m
    assert all(x == pytest.approx(100.0, abs=0.01) for x in lengths[:-1])
    assert 0 < lengths[-1] <= 100.0 + 1e-6
    assert sum(lengths) == pytest.approx(_inv(A, B), abs=0.01)
    warn = geo.plan_spacing([A, B], spacing_m=300.0, max_span_m=200.0)
    assert warn.too_long == list(range(len(warn.span_lengths_m)))
    assert warn.longest_m > 200.0


def test_spacing_bad_input_and_duplicate_clicks():
    with pytest.raises(ValueError, match="spacing"):
        geo.plan_spacing([A, B], 0)
    with pytest.raises(ValueError, match="mode"):
        geo.plan_spacing([A, B], 10, mode="random")
    plan = geo.plan_spacing([A, A, B, B], 1000.0)
    assert plan.poles == [A, B]  # same-spot clicks merged: no zero-length span
    assert plan.route_index == [0, 2]
    single = geo.plan_spacing([A, A], 50.0)
    assert single.poles == [A] and single.span_lengths_m == []


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(-179, 179), lat=st.floats(-80, 80),
    az=st.floats(0, 359), dist=st.floats(5, 5000), spacing=st.floats(3, 800),
)
def test_even_spacing_properties(lon, lat, az, dist, spacing):
    start = (lon, lat)
    end_lon, end_lat, _ = G.fwd(lon, lat, az, dist)
    plan = geo.plan_spacing([start, (end_lon, end_lat)], spacing)
    assert max(plan.span_lengths_m) <= spacing * (1 + 1e-6) + 1e-6
    assert sum(plan.span_lengths_m) == pytest.approx(dist, rel=1e-6, abs=1e-3)
    assert len(plan.poles) == len(plan.span_lengths_m) + 1


def test_segment_position_round_trip():
    line = [A, B, C]
    p = geo.point_on_segment(line, 1, 0.25)
    index, t = geo.segment_position(line, p)
    assert index == 1 and t == pytest.approx(0.25, abs=1e-3)
    assert geo.point_on_segment(line, 0, 0.0) == pytest.approx(A)
    assert geo.point_on_segment(line, 5, 1.0) == pytest.approx(C)  # index clamped
    assert geo.segment_position([A], A) == (0, 0.0)
