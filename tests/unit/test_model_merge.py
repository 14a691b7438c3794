"""model/merge.py: three-way merge per component and attribute, conflicts and resolution."""

from __future__ import annotations

import copy

import pytest

from plugin.model.entities import normalize_connection, normalize_node
from plugin.model.merge import Conflict, changed, merge_entities, merge_entity

from .model_samples import CONNECTION, NODE_POLE


def node():
    return normalize_node(NODE_POLE)


def edit(entity, **attrs):
    out = copy.deepcopy(entity)
    for name, inst in attrs.items():
        if inst is None:
            out["attributes"].pop(name, None)
        else:
            out["attributes"][name] = inst
    return out


def test_non_overlapping_changes_merge():
    base = node()
    local = edit(base, pole_height={"one": "50"})
    local["latitude"] += 1e-4
    remote = edit(base, pole_class={"one": "3"}, owner={"-R1": "Power Co"})
    remote["last_updated"] = "2026-06-01T00:00:00Z"
    res = merge_entity("node", base, local, remote)
    assert not res.has_conflicts
    m = res.merged
    assert m["attributes"]["pole_height"] == {"one": "50"}
    assert m["attributes"]["pole_class"] == {"one": "3"}
    assert m["attributes"]["owner"] == {"-R1": "Power Co"}
    assert m["latitude"] == local["latitude"]
    assert m["last_updated"] == "2026-06-01T00:00:00Z"  # non-merged fields from remote


def test_same_change_both_sides_is_not_a_conflict():
    base = node()
    local = edit(base, pole_height={"one": "50"})
    remote = edit(base, pole_height={"one": "50"})
    assert not merge_entity("node", base, local, remote).has_conflicts


def test_same_attribute_changed_differently_conflicts_and_resolves():
    base = node()
    local = edit(base, pole_height={"one": "50"}, scid={"auto_button": "005"})
    remote = edit(base, pole_height={"one": "55"})
    remote["longitude"] += 1e-3
    res = merge_entity("node", base, local, remote)
    assert res.conflicts == [
        Conflict(
            "node",
            base["id"],
            "attributes.pole_height",
            {"one": "45"},
            {"one": "50"},
            {"one": "55"},
        )
    ]
    assert res.conflicts[0].attribute == "pole_height"
    assert res.merged["attributes"]["pole_height"] == {"one": "50"}  # provisional: mine
    assert res.merged["longitude"] == remote["longitude"]
    theirs = res.resolve(default="theirs")
    assert theirs["attributes"]["pole_height"] == {"one": "55"}
    assert theirs["attributes"]["scid"] == {"auto_button": "005"}  # non-conflicting local kept
    mine = res.resolve({"attributes.pole_height": "mine"})
    assert mine["attributes"]["pole_height"] == {"one": "50"}
    with pytest.raises(ValueError, match="choose 'mine' or 'theirs' for attributes.pole_height"):
        res.resolve()


def test_geometry_conflict_and_tolerance():
    base = node()
    local, remote = copy.deepcopy(base), copy.deepcopy(base)
    local["latitude"] += 1e-5
    remote["latitude"] -= 1e-5
    res = merge_entity("node", base, local, remote)
    assert [c.field for c in res.conflicts] == ["geometry"]
    assert res.resolve(default="theirs")["latitude"] == remote["latitude"]
    remote2 = copy.deepcopy(base)
    remote2["latitude"] += 1e-12  # float noise is no change
    assert not merge_entity("node", base, local, remote2).has_conflicts


def test_notes_added_on_both_sides_merge_by_instance():
    base = node()
    local = edit(base, note={**base["attributes"]["note"], "-Local00000000000000": "mine"})
    remote = edit(base, note={**base["attributes"]["note"], "-Remote0000000000000": "theirs"})
    res = merge_entity("node", base, local, remote)
    assert not res.has_conflicts
    assert set(res.merged["attributes"]["note"]) == set(base["attributes"]["note"]) | {
        "-Local00000000000000",
        "-Remote0000000000000",
    }
    # removed locally, changed remotely -> conflict
    local = edit(base, note=None)
    remote = edit(base, note={"-OPWRVKh0JHKTnZrY8O5": "changed"})
    assert [c.field for c in merge_entity("node", base, local, remote).conflicts] == [
        "attributes.note"
    ]


def test_delete_vs_edit_conflicts():
    base = node()
    edited = edit(base, pole_height={"one": "60"})
    res = merge_entity("node", base, edited, None)  # remote deleted, local edited
    assert [c.field for c in res.conflicts] == ["entity"]
    assert res.resolve(default="theirs") is None
    assert res.resolve(default="mine")["attributes"]["pole_height"] == {"one": "60"}
    res = merge_entity("node", base, None, edited)  # local deleted, remote edited
    assert [c.field for c in res.conflicts] == ["entity"]
    assert res.merged is None
    assert res.resolve(default="theirs")["attributes"]["pole_height"] == {"one": "60"}
    # deleted on one side, untouched on the other: deleted, no conflict
    assert merge_entity("node", base, None, copy.deepcopy(base)).merged is None
    assert merge_entity("node", base, copy.deepcopy(base), None).merged is None


def test_connection_components():
    base = normalize_connection(CONNECTION)
    local, remote = copy.deepcopy(base), copy.deepcopy(base)
    local["breakpoints"] = [[40.1, -77.1]]
    remote["node_id_2"] = "-Other00000000000000"
    remote["sections"] = {}
    res = merge_entity("connection", base, local, remote)
    assert not res.has_conflicts
    assert res.merged["breakpoints"] == [[40.1, -77.1]]
    assert res.merged["node_id_2"] == "-Other00000000000000"
    assert res.merged["sections"] == {}
    remote["breakpoints"] = []
    assert [c.field for c in merge_entity("connection", base, local, remote).conflicts] == [
        "breakpoints"
    ]


def test_created_one_side_and_merge_entities():
    n = node()
    assert merge_entity("node", None, n, None).merged == n
    assert merge_entity("node", None, None, n).merged == n
    base = {n["id"]: n}
    local = {n["id"]: edit(n, scid={"auto_button": "9"}), "-NewLocal00000000000": n}
    remote = {n["id"]: n}
    out = merge_entities("node", base, local, remote)
    assert set(out) == {n["id"], "-NewLocal00000000000"}
    assert not changed("node", n, copy.deepcopy(n))
    assert changed("node", n, None)
