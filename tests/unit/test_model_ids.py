"""model/ids.py: client-chosen ids (the API room's generator, or the local fallback)."""

from __future__ import annotations

from plugin.model import ids


def test_push_ids_valid_unique_and_time_ordered():
    made = [ids.new_push_id() for _ in range(2000)]
    assert all(len(i) == 20 and ids.is_valid_id(i) for i in made)
    assert len(set(made)) == len(made)
    assert made == sorted(made)


def test_local_fallback_generator():
    made = [ids._local_push_id() for _ in range(2000)]
    assert all(ids._local_is_valid_id(i) and len(i) == 20 for i in made)
    assert made == sorted(made) and len(set(made)) == len(made)
    assert not ids.is_valid_id("midpoint_section") and not ids.is_valid_id("a/b" * 10)
