"""model/entities.py: normalisation of server JSON and real-data oddities."""

from __future__ import annotations

import copy

from plugin.model.entities import (
    build_snapshot,
    entity_key,
    nodes_by_id,
    normalize_attributes,
    normalize_breakpoints,
    normalize_connection,
    normalize_node,
    normalize_section,
    photo_count,
    sections_of,
)

from .model_samples import CONNECTION, NODE_2, NODE_3, NODE_POLE, job


def test_node_keeps_unknown_fields_and_does_not_mutate_input():
    raw = copy.deepcopy(NODE_POLE)
    node = normalize_node(raw)
    assert raw == NODE_POLE
    assert node["button"] == "aerial"
    assert node["_created"] == NODE_POLE["_created"]
    assert node["attributes"]["pole_height"] == {"one": "45"}
    node["attributes"]["pole_height"]["one"] = "99"
    assert raw["attributes"]["pole_height"]["one"] == "45"


def test_string_coordinates_become_floats_and_missing_attributes_empty():
    node = normalize_node(NODE_2)
    assert node["latitude"] == 40.107 and node["longitude"] == -77.028
    assert normalize_node(NODE_3)["attributes"] == {}
    assert (
        normalize_node({"id": "x" * 20, "latitude": 1, "longitude": 2, "attributes": None})[
            "attributes"
        ]
        == {}
    )


def test_bad_coordinates_reported():
    issues = []
    node = normalize_node({"id": "-A0000000000000000000", "latitude": "abc"}, issues)
    assert node["latitude"] is None and node["longitude"] is None
    text = " ".join(map(str, issues))
    assert "latitude 'abc' is not a number" in text and "has no longitude" in text


def test_embedded_section_multi_attributes_become_attributes():
    conn = normalize_connection(CONNECTION)
    section = conn["sections"]["midpoint_section"]
    assert section["attributes"] == {"note": {"-Nx0000000000000000a": "tree contact"}}
    assert "multi_attributes" not in section
    assert section["id"] == "midpoint_section"
    assert section["connection_id"] == CONNECTION["id"]
    assert photo_count(section) == 1


def test_section_reads_both_attribute_names():
    s = normalize_section(
        {
            "id": "s" * 20,
            "latitude": 1,
            "longitude": 2,
            "multi_attributes": {"a": {"i1": 1}, "b": {"i": "x"}},
            "attributes": {"a": {"i2": 2}},
        },
        "c" * 20,
    )
    assert s["attributes"] == {"a": {"i1": 1, "i2": 2}, "b": {"i": "x"}}


def test_breakpoints_none_and_strings():
    assert normalize_breakpoints(None) == []
    assert normalize_breakpoints([["40.1", "-77.2"], [40, -77]]) == [[40.1, -77.2], [40.0, -77.0]]
    issues = []
    assert normalize_breakpoints([[1, 2], ["x", 3], [5]], "cid", issues) == [[1.0, 2.0]]
    assert len(issues) == 2
    assert normalize_breakpoints({"1": [3, 4], "0": [1, 2]}) == [[1.0, 2.0], [3.0, 4.0]]
    conn = normalize_connection(
        {"id": "c" * 20, "node_id_1": "a", "node_id_2": "b", "breakpoints": [["x", 1]]}
    )
    assert conn["breakpoints"] == [] and conn["_raw_breakpoints"] == [["x", 1]]


def test_bare_attribute_value_read_as_instance():
    issues = []
    attrs = normalize_attributes(
        {"node_type": "pole", "gone": None, "h": {"one": "45"}}, "node", "n", issues
    )
    assert attrs == {"node_type": {"value": "pole"}, "h": {"one": "45"}}
    assert "bare value" in str(issues[0])


def test_snapshot_indexes_orphans_duplicates_and_unicode():
    nodes, conns, photos = job()
    dup = copy.deepcopy(nodes[0])
    dup["latitude"] = 0.0
    nodes.append(dup)  # later duplicate: dropped, reported
    nodes[2]["attributes"] = {"remarque": {"one": "poteau déjà vu ✓ 電柱"}}
    snap = build_snapshot(nodes, conns, photos)
    assert set(snap.nodes) == {NODE_POLE["id"], NODE_2["id"], NODE_3["id"]}
    assert snap.nodes[NODE_POLE["id"]]["latitude"] == NODE_POLE["latitude"]  # first kept
    assert snap.nodes[NODE_3["id"]]["attributes"]["remarque"]["one"] == "poteau déjà vu ✓ 電柱"
    messages = [str(i) for i in snap.issues]
    assert any("duplicate id; the first one listed is kept" in m for m in messages)
    assert snap.orphan_connections() == ["-MJ93SdtSMBWcCWdRBFX"]
    assert any("-Missing000000000000 missing" in m for m in messages)
    # midpoint_section appears on two spans: keyed by (connection, section)
    assert set(snap.sections) == {
        (CONNECTION["id"], "midpoint_section"),
        ("-MJ93SdtSMBWcCWdRBFX", "midpoint_section"),
    }
    assert snap.connections["-MJ93SdtSMBWcCWdRBFX"]["breakpoints"] == []
    assert snap.photos[photos[0]["id"]]["filename"] == "IMG_1.jpg"
    assert snap.entities("section") is snap.sections


def test_snapshot_accepts_id_keyed_maps_and_skips_garbage():
    snap = build_snapshot(
        {"-A0000000000000000000": {"latitude": 1, "longitude": 2}, "bad": 5}, [None], None
    )
    assert list(snap.nodes) == ["-A0000000000000000000"]
    assert len(snap.issues) == 2


def test_index_helpers():
    nodes, conns, _ = job()
    idx = nodes_by_id(nodes)
    assert idx[NODE_2["id"]] is nodes[1]
    secs = sections_of([normalize_connection(c) for c in conns])
    assert [(s["connection_id"], s["id"]) for s in secs] == [
        (CONNECTION["id"], "midpoint_section"),
        ("-MJ93SdtSMBWcCWdRBFX", "midpoint_section"),
    ]
    assert entity_key("section", secs[0]) == (CONNECTION["id"], "midpoint_section")
    assert entity_key("node", nodes[0]) == NODE_POLE["id"]
