"""model/flatten.py: schemas, flat rows and geometry."""

from __future__ import annotations

import pytest

from plugin.model.entities import build_snapshot
from plugin.model.flatten import (
    FieldSpec,
    extend_schema,
    field_name_for,
    fits_kind,
    flatten,
    geometry,
    schema_for,
)

from .model_samples import CONNECTION, NODE_2, NODE_POLE, job


@pytest.fixture()
def snap():
    return build_snapshot(*job())


def test_node_schema_system_fields_first_then_sorted(snap):
    schema = schema_for("node", snap.nodes.values())
    names = [s.name for s in schema]
    assert names[:3] == ["kp_id", "kp_photos", "kp_sync"]
    attrs = names[3:]
    assert attrs == sorted(attrs)
    kinds = {s.name: s.kind for s in schema}
    assert kinds["pole_height"] == "text"  # "45" (string) and 40 (int) -> text
    assert kinds["done"] == "bool" and kinds["field_completed"] == "bool"
    assert kinds["note"] == "text" and kinds["kp_photos"] == "int"


def test_connection_and_section_schema(snap):
    c = [s.name for s in schema_for("connection", snap.connections.values())]
    assert c == ["kp_id", "node_id_1", "node_id_2", "kp_sync", "connection_type"]
    s = [x.name for x in schema_for("section", snap.sections.values())]
    assert s == ["kp_id", "connection_id", "kp_photos", "kp_sync", "note"]


def test_clashing_names_get_prefix():
    ents = [
        {
            "attributes": {
                "kp_id": {"i": "x"},
                "fid": {"i": 1},
                "GEOM": {"i": 1},
                "Note": {"i": "a"},
                "note": {"i": "b"},
                "": {"i": "e"},
            }
        }
    ]
    schema = schema_for("node", ents)
    mapping = {s.attribute: s.name for s in schema if s.attribute is not None}
    assert mapping["kp_id"] == "attr_kp_id"
    assert mapping["fid"] == "attr_fid"
    assert mapping["GEOM"] == "attr_GEOM"
    assert mapping["Note"] == "Note" and mapping["note"] == "attr_note"
    assert mapping[""] == "attr_"
    assert len({n.lower() for n in mapping.values()}) == len(mapping)
    assert field_name_for("x", ["x", "attr_x"]) == "attr_x_2"


def test_flatten_node(snap):
    schema = schema_for("node", snap.nodes.values())
    row = flatten("node", snap.nodes[NODE_POLE["id"]], schema, sync_state="pending")
    assert row["kp_id"] == NODE_POLE["id"] and row["kp_photos"] == 2 and row["kp_sync"] == "pending"
    assert row["pole_height"] == "45" and row["done"] is True
    assert row["note"] == "This is a note | This is another note"
    assert row["pole_tag"] == "20184 28261"
    row2 = flatten("node", snap.nodes[NODE_2["id"]], schema)
    assert row2["pole_height"] == "40" and row2["done"] is None


def test_flatten_rejects_value_not_fitting_field(snap):
    schema = [FieldSpec("kp_id", None, "text"), FieldSpec("h", "h", "int")]
    with pytest.raises(ValueError, match="rebuild the layer schema"):
        flatten("node", {"id": "n", "attributes": {"h": {"one": "x"}}}, schema)


def test_extend_schema_and_fits_kind(snap):
    schema = schema_for("connection", snap.connections.values())
    new_schema, added = extend_schema(
        schema, "connection", [{"attributes": {"height": {"i": 1.5}, "connection_type": {"i": 3}}}]
    )
    assert added == [FieldSpec("height", "height", "real")]
    assert new_schema[:-1] == schema
    assert fits_kind(3, "real") and not fits_kind("x", "int") and fits_kind(None, "bool")


def test_geometry(snap):
    node = snap.nodes[NODE_POLE["id"]]
    assert geometry("node", node) == (NODE_POLE["longitude"], NODE_POLE["latitude"])
    line = geometry("connection", snap.connections[CONNECTION["id"]], snap.nodes)
    assert line == [
        (-77.028, 40.107),
        (-77.0281, 40.1071),
        (-77.0285, 40.1074),
        (-77.0287, 40.1076),
    ]
    assert geometry("connection", snap.connections["-MJ93SdtSMBWcCWdRBFX"], snap.nodes) is None
    sec = snap.sections[(CONNECTION["id"], "midpoint_section")]
    assert geometry("section", sec) == (-77.0283, 40.1072)
    assert geometry("node", {"latitude": None, "longitude": 1}) is None
    with pytest.raises(ValueError):
        geometry("pole", node)


def test_field_names_without_control_characters():
    schema = schema_for(
        "node", [{"attributes": {"a\x00b": {"i": 1}, "a_b": {"i": 2}, "\ud800": {"i": 3}}}]
    )
    names = [s.name for s in schema if s.attribute is not None]
    assert sorted(names) == ["_", "a_b", "attr_a_b"]
    assert all("\x00" not in n for n in names)
