"""How base moves when the server acknowledges a write (pure)."""

from __future__ import annotations

from plugin.sync.executor import merged_base

OLD = {
    "id": "-Nnode000000000000001",
    "latitude": 40.0,
    "longitude": -77.0,
    "attributes": {"a": {"one": "1"}, "b": {"one": "2"}},
    "last_updated": "2026-01-01T00:00:00Z",
}


def test_create_takes_the_servers_entity():
    returned = {
        "id": "X" * 20,
        "latitude": 1.0,
        "longitude": 2.0,
        "attributes": {"a": {"i": 1}},
        "last_updated": "t",
        "sections": {"s": {}},
    }
    new = merged_base(None, {"latitude": 1.0}, returned, "X" * 20)
    assert new == {k: v for k, v in returned.items() if k != "sections"}


def test_update_takes_only_what_it_wrote():
    returned = {
        "id": OLD["id"],
        "latitude": 41.0,
        "longitude": -77.0,
        "attributes": {"a": {"one": "9"}, "b": {"one": "remote"}, "c": {"x": "remote"}},
        "last_updated": "2026-02-01T00:00:00Z",
    }
    body = {"latitude": 41.0, "attributes": {"a": {"one": "9"}}}
    new = merged_base(OLD, body, returned, OLD["id"])
    assert new["latitude"] == 41.0 and new["longitude"] == -77.0
    assert new["attributes"] == {"a": {"one": "9"}, "b": {"one": "2"}}  # b, c: still remote news
    assert new["last_updated"] == "2026-02-01T00:00:00Z"
    assert OLD["attributes"]["a"] == {"one": "1"}  # the old base is not mutated


def test_removed_attribute_and_cleared_breakpoints():
    old = {"id": "c" * 20, "breakpoints": [[1.0, 2.0]], "attributes": {"a": {"one": 1}}}
    returned = {"id": "c" * 20, "breakpoints": [], "attributes": {}}
    new = merged_base(old, {"breakpoints": None, "attributes": {"a": None}}, returned, "c" * 20)
    assert new["breakpoints"] == [] and new["attributes"] == {}


def test_without_an_answer_body_the_write_is_applied_locally():
    new = merged_base(
        OLD, {"attributes": {"a": None, "d": {"n1": "x"}}, "longitude": -78.0}, None, OLD["id"]
    )
    assert new["attributes"] == {"b": {"one": "2"}, "d": {"n1": "x"}}
    assert new["longitude"] == -78.0


def test_section_multi_attributes_are_kept_under_their_key():
    old = {"id": "s" * 20, "latitude": 1.0, "longitude": 2.0, "multi_attributes": {"n": {"i": "a"}}}
    returned = {
        "id": "s" * 20,
        "latitude": 1.0,
        "longitude": 2.0,
        "multi_attributes": {"n": {"i": "b"}, "m": {"j": "r"}},
    }
    new = merged_base(old, {"attributes": {"n": {"i": "b"}}}, returned, "s" * 20)
    assert new["multi_attributes"] == {"n": {"i": "b"}}
