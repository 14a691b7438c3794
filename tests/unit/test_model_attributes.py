"""model/attributes.py: display values, field kinds and write-back planning."""

from __future__ import annotations

import itertools

import pytest

from plugin.model.attributes import (
    AttributeEditError,
    apply_attribute_trio,
    coerce_like,
    display_value,
    infer_field_kind,
    merge_body_parts,
    plan_attribute_change,
    same_field_value,
    to_field_value,
)

from .model_samples import NODE_POLE

A = NODE_POLE["attributes"]


def ids():
    counter = itertools.count(1)
    return lambda: f"-Znew{next(counter):016d}"


def test_single_instance_keeps_json_type():
    assert display_value({"one": "45"}) == "45"
    assert display_value({"one": 45}) == 45
    assert display_value({"value": True}) is True
    assert display_value({"x": 37.9}) == 37.9
    assert display_value({"x": None}) is None
    assert display_value({}) is None and display_value(None) is None


def test_multi_instance_joined_in_key_order():
    assert display_value(A["note"]) == "This is a note | This is another note"
    assert display_value({"b": 2, "a": True, "c": None}) == "true | 2 | "


def test_objects_readable():
    assert display_value(A["pole_tag"]) == "20184 28261"
    assert display_value(A["time_bucket"]) == "2020-03-16T13:51:49.987Z/2020-03-16T13:52:52.084Z"
    assert display_value(A["vantage_point"]) == '{"latitude":40.1069,"longitude":-77.0279}'
    assert display_value({"i": [1, "ü"]}) == '[1,"ü"]'


def test_infer_field_kind():
    assert infer_field_kind([True, None, False]) == "bool"
    assert infer_field_kind([1, 2]) == "int"
    assert infer_field_kind([1, 2.5]) == "real"
    assert infer_field_kind(["45", 45]) == "text"
    assert infer_field_kind([True, 1]) == "text"
    assert infer_field_kind([2**70]) == "text"
    assert infer_field_kind([float("nan")]) == "text"
    assert infer_field_kind([]) == "text" and infer_field_kind([None]) == "text"


def test_to_field_value():
    assert to_field_value(45, "text") == "45"
    assert to_field_value(True, "text") == "true"
    assert to_field_value(45.0, "text") == "45.0"
    assert to_field_value(45, "real") == 45.0
    assert to_field_value(1, "bool") is True
    assert to_field_value("50", "int") == 50
    assert to_field_value(None, "int") is None
    with pytest.raises(ValueError):
        to_field_value("abc", "int")
    assert same_field_value(45, 45.0, "real")
    assert not same_field_value("45", 45, None)
    assert same_field_value(True, 1, "bool")


def test_coerce_like():
    assert coerce_like("45", 50) == "50"
    assert coerce_like(45, "50") == 50
    assert coerce_like(45, "50.5") == 50.5
    assert coerce_like(45, "5O") == "5O"
    assert coerce_like(45.5, "50") == 50.0 and isinstance(coerce_like(45.5, "50"), float)
    assert coerce_like(True, "false") is False
    assert coerce_like(True, "maybe") == "maybe"
    assert coerce_like("x", True) == "true"


def test_unchanged_plans_nothing():
    for name, inst in A.items():
        assert plan_attribute_change(name, inst, display_value(inst)) is None, name
    assert plan_attribute_change("h", {"one": 45}, 45.0, kind="real") is None
    assert plan_attribute_change("h", None, None) is None
    assert plan_attribute_change("h", None, "") is None


def test_single_instance_update_keeps_instance_and_type():
    assert plan_attribute_change("pole_height", {"one": "45"}, "50", kind="text") == {
        "attributes": {"pole_height": {"one": "50"}}
    }
    assert plan_attribute_change("pole_height", {"one": "45"}, 50, kind="int") == {
        "attributes": {"pole_height": {"one": "50"}}
    }
    assert plan_attribute_change("h", {"one": 45}, "50", kind="text") == {
        "attributes": {"h": {"one": 50}}
    }
    assert plan_attribute_change("done", {"v": True}, False, kind="bool") == {
        "attributes": {"done": {"v": False}}
    }


def test_clear_removes_attribute_in_one_body():
    assert plan_attribute_change("scid", {"auto_button": "004"}, None) == {
        "attributes": {"scid": None}
    }
    assert plan_attribute_change("note", A["note"], "") == {"attributes": {"note": None}}


def test_new_attribute_under_client_instance_id():
    part = plan_attribute_change("owner", None, "Power Co", new_id=ids())
    assert part == {"attributes": {"owner": {"-Znew0000000000000001": "Power Co"}}}
    assert "add_attributes" not in part


def test_multi_instance_pairwise_edit():
    part = plan_attribute_change("note", A["note"], "This is a note | Changed", new_id=ids())
    assert part == {"attributes": {"note": {"-OPWRVYCKdxh34WoQXAv": "Changed"}}}


def test_multi_instance_count_change_keeps_matching_instances():
    part = plan_attribute_change("note", A["note"], "This is a note", new_id=ids())
    assert part == {"attributes": {"note": {"-OPWRVYCKdxh34WoQXAv": None}}}
    # a new note typed after the others: new id sorts after "-OPW..." ("-Z" > "-O")
    part = plan_attribute_change(
        "note", A["note"], "This is a note | This is another note | third", new_id=ids()
    )
    assert part == {"attributes": {"note": {"-Znew0000000000000001": "third"}}}


def test_multi_instance_same_count_is_pairwise():
    part = plan_attribute_change("note", A["note"], "first | This is a note", new_id=ids())
    assert part == {
        "attributes": {
            "note": {"-OPWRVKh0JHKTnZrY8O5": "first", "-OPWRVYCKdxh34WoQXAv": "This is a note"}
        }
    }


def test_multi_instance_reorder_with_count_change_replaces_all():
    part = plan_attribute_change("note", A["note"], "x | y | This is a note", new_id=ids())
    after = apply_attribute_trio({"note": A["note"]}, part)
    assert display_value(after["note"]) == "x | y | This is a note"
    assert part["attributes"]["note"]["-OPWRVKh0JHKTnZrY8O5"] is None
    assert len(after["note"]) == 3 and not set(after["note"]) & set(A["note"])


def test_pole_tag_text_edit_updates_tagtext_in_place():
    part = plan_attribute_change("pole_tag", A["pole_tag"], "999 1")
    assert part == {
        "attributes": {
            "pole_tag": {"multi_added": {"company": "Power Co", "owner": False, "tagtext": "999 1"}}
        }
    }
    part = plan_attribute_change("pole_tag", A["pole_tag"], '{"tagtext": "7", "owner": true}')
    assert part == {"attributes": {"pole_tag": {"multi_added": {"tagtext": "7", "owner": True}}}}


def test_time_bucket_and_other_objects():
    part = plan_attribute_change(
        "time_bucket", A["time_bucket"], "2020-03-16T13:51:49.987Z/2020-03-16T13:55:00Z"
    )
    new = part["attributes"]["time_bucket"]["-4IYb_xfJQs3RibCe2j"]
    assert new == {"start": 1584366709987, "stop": 1584366900000, "uid": "u1"}
    part = plan_attribute_change(
        "vantage_point", A["vantage_point"], '{"latitude": 1, "longitude": 2}'
    )
    assert part == {
        "attributes": {"vantage_point": {"auto_button": {"latitude": 1, "longitude": 2}}}
    }
    with pytest.raises(AttributeEditError, match="vantage_point.*enter it as JSON"):
        plan_attribute_change("vantage_point", A["vantage_point"], "north of the barn")
    with pytest.raises(AttributeEditError, match="time interval"):
        plan_attribute_change("time_bucket", A["time_bucket"], "yesterday")


def test_apply_trio_order_and_nulls():
    attrs = {"a": {"1": "x"}, "b": {"1": "y", "2": "z"}, "c": {"1": 1}}
    body = {
        "remove_attributes": ["c"],
        "attributes": {"a": None, "b": {"2": None, "3": "w"}, "c": {"9": 9}},
        "add_attributes": {"d": "new"},
    }
    out = apply_attribute_trio(attrs, body, new_id=lambda: "gen")
    assert out == {"b": {"1": "y", "3": "w"}, "c": {"9": 9}, "d": {"gen": "new"}}
    assert attrs["a"] == {"1": "x"}  # input untouched


def test_merge_body_parts():
    body = merge_body_parts(
        [{"attributes": {"a": None}}, None, {"attributes": {"b": {"i": 1}}}, {"latitude": 1}]
    )
    assert body == {"attributes": {"a": None, "b": {"i": 1}}, "latitude": 1}


def test_text_fields_hold_what_a_geopackage_keeps():
    from plugin.model.attributes import storable_text

    assert to_field_value("a\x00b", "text") == "ab"  # OGR would cut at NUL
    assert to_field_value("x\ud800", "text") == "x\ufffd"
    assert storable_text("poteau ✓") == "poteau ✓"
    # a value the layer cannot hold exactly is not "changed" by loading it
    assert plan_attribute_change("n", {"one": "a\x00b"}, "ab", kind="text") is None
    assert plan_attribute_change("n", {"one": "a\x00b"}, "abc", kind="text") == {
        "attributes": {"n": {"one": "abc"}}
    }


def test_typed_field_values_written_with_the_field_type():
    gen = ids()
    assert plan_attribute_change("done", None, 1, kind="bool", new_id=gen) == {
        "attributes": {"done": {"-Znew0000000000000001": True}}
    }
    assert plan_attribute_change("h", {"one": None}, 2.0, kind="real") == {
        "attributes": {"h": {"one": 2.0}}
    }
    assert plan_attribute_change("h", {"one": 45}, 50.0, kind="real") == {
        "attributes": {"h": {"one": 50}}
    }
