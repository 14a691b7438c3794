"""Client-chosen ids for new entities and attribute instances (owned by ``api/ids.py``)."""

from __future__ import annotations

from ..api.ids import is_valid_id, new_push_id

__all__ = ["is_valid_id", "new_push_id"]
