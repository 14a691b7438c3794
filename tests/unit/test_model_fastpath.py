"""The layer build's fast path gives exactly what the reference functions give.

``build_snapshot(..., copy=False)`` (shares nested values with the input) and
``schema_and_rows`` (schema and row values in one pass) are what
``layers.geopackage`` uses for speed; these properties hold them to
``build_snapshot`` with copies and to ``schema_for`` + ``flatten``.
"""

from __future__ import annotations

import copy
import json

from hypothesis import given

from plugin.model.diff import diff_entity
from plugin.model.entities import build_snapshot
from plugin.model.flatten import flatten, geometry, schema_and_rows, schema_for
from tests.unit.test_model_properties import (
    SETTINGS,
    geom_round_trip,
    jobs,
    sqlite_round_trip,
)

KINDS = ("node", "connection", "section")


def _typed(values):
    return [(type(v).__name__, v) for v in values]


@SETTINGS
@given(jobs())
def test_shared_snapshot_equals_copied_one_and_leaves_input_alone(job):
    nodes, conns = job
    before = copy.deepcopy(job)
    copied = build_snapshot(nodes, conns, [])
    shared = build_snapshot(nodes, conns, [], copy=False)
    assert shared.nodes == copied.nodes
    assert shared.connections == copied.connections
    assert shared.sections == copied.sections
    assert shared.issues == copied.issues
    assert (nodes, conns) == before


def test_shared_section_merge_does_not_touch_input():
    multi = {"note": {"a": "x"}}
    conn = {
        "id": "-C",
        "node_id_1": "-A",
        "node_id_2": "-B",
        "sections": {
            "s": {
                "latitude": 1,
                "longitude": 2,
                "multi_attributes": multi,
                "attributes": {"note": {"b": "y"}},
            }
        },
    }
    snap = build_snapshot([], [conn], [], copy=False)
    assert snap.sections[("-C", "s")]["attributes"] == {"note": {"a": "x", "b": "y"}}
    assert multi == {"note": {"a": "x"}}


@SETTINGS
@given(jobs())
def test_schema_and_rows_equals_schema_for_plus_flatten(job):
    nodes, conns = job
    snap = build_snapshot(nodes, conns, [])
    for kind in KINDS:
        entities = list(snap.entities(kind).values())
        states = {e["id"]: "pending" for e in entities[::2]}
        schema = schema_for(kind, entities)
        expected = [
            [row[s.name] for s in schema]
            for row in (flatten(kind, e, schema, states.get(e["id"], "")) for e in entities)
        ]
        got_schema, rows = schema_and_rows(kind, entities, states)
        assert got_schema == schema
        assert [_typed(r) for r in rows] == [_typed(r) for r in expected]


@SETTINGS
@given(jobs())
def test_fast_path_load_save_diff_plans_zero_operations(job):
    nodes, conns = job
    raw_text = json.dumps([nodes, conns], sort_keys=True)
    snap = build_snapshot(nodes, conns, [], copy=False)
    for kind in KINDS:
        ents = snap.entities(kind)
        keys = list(ents)
        schema, rows = schema_and_rows(kind, [ents[k] for k in keys])
        back = sqlite_round_trip([dict(zip((s.name for s in schema), r)) for r in rows], schema)
        for key, row in zip(keys, back):
            geom = geom_round_trip(geometry(kind, ents[key], snap.nodes))
            assert diff_entity(kind, ents[key], row, geom, schema) is None, (kind, key, row)
    assert json.dumps([nodes, conns], sort_keys=True) == raw_text
