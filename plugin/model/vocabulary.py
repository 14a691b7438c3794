"""Katapult's default vocabulary (the default model), shared by forms, styles, QA and tools.

A job's own model may carry other pick-lists (``layers/picklists.py`` loads them on
request); these are the fall-backs from Katapult's default model (real-data.md).
"""
from __future__ import annotations

#: The default ``node_type`` pick-list.
DEFAULT_NODE_TYPES: tuple[str, ...] = (
    "pole", "building attachment", "bridge attachment", "crossover", "reference",
    "pushbrace", "doublewood pole", "midspan takeoff", "existing anchor", "new anchor",
    "house", "slack loop", "splice", "map note", "break point", "handhole", "manhole",
    "obstacle",
)
#: ``node_type`` values that are poles (QA's pole rules apply to them).
POLE_TYPES: tuple[str, ...] = ("pole", "doublewood pole")
#: Common ``connection_type`` values for new spans.
DEFAULT_CONNECTION_TYPES: tuple[str, ...] = ("aerial cable", "reference", "underground cable")
