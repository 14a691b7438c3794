"""Ids: push ids are valid, time-ordered and unique; path ids are checked."""
from __future__ import annotations

from plugin.api.ids import is_valid_id, new_client_id, new_push_id, path_id_problem


def test_push_ids_valid_sorted_unique():
    ids = [new_push_id() for _ in range(2000)]
    assert all(len(i) == 20 and is_valid_id(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_push_ids_order_by_time():
    early, late = new_push_id(now_ms=1_500_000_000_000), new_push_id(now_ms=1_600_000_000_000)
    assert early < late
    assert early[:8] != late[:8]


def test_client_id_valid():
    assert is_valid_id(new_client_id())


def test_is_valid_id_rules():
    assert is_valid_id("-MWjCEDgYy9qzw2zZ2dc")
    assert is_valid_id("a" * 256) and not is_valid_id("a" * 257)
    assert not is_valid_id("short")
    assert not is_valid_id("has space in the middle!!")
    assert not is_valid_id(None) and not is_valid_id(12345678901234567890)


def test_path_id_problem():
    assert path_id_problem("midpoint_section") is None
    assert path_id_problem("03e35fde-c41d-4597-bc7b-b1f10273104f") is None
    assert "'/'" in path_id_problem("a/b")
    assert path_id_problem("a?b") and path_id_problem("a#b") and path_id_problem("a.b")
    assert "U+0020" in path_id_problem("a b")
    assert path_id_problem("") == "is empty"
    assert "text" in path_id_problem(5)
