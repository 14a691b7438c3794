"""The job's photos and items as last seen from the server (``kp_base`` in the GeoPackage).

Thin layer over :class:`plugin.sync.journal.Journal`: photo records are the
``photo`` rows, items the ``node`` / ``section`` rows (a section is keyed by
its connection too: ``midpoint_section`` repeats). After an association call
succeeds, the item's ``photos`` map and the record's ``associated_locations``
are updated here so the dock shows the new state before the next pull.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from ..sync.journal import Journal
from .index import PhotoEntry, photos_of, picker_rows, with_association
from .matching import Candidate, buckets_from_attributes

_JOURNALS: dict[str, Journal] = {}
_JOURNALS_LOCK = threading.Lock()


def shared_journal(gpkg_path: str) -> Journal:
    """One :class:`Journal` per GeoPackage for the session (per-thread connections kept open,
    so the dock's many small reads do not reopen the file each time)."""
    key = os.path.abspath(gpkg_path)
    with _JOURNALS_LOCK:
        journal = _JOURNALS.get(key)
        if journal is None:
            journal = _JOURNALS[key] = Journal(gpkg_path)
        return journal


def location_key(kind: str, item_id: str, connection_id: str | None = None) -> str:
    """The key of ``associated_locations`` for an item (``conn/section`` for sections)."""
    return f"{connection_id}/{item_id}" if kind == "section" and connection_id else item_id


class PhotoStore:
    """Read and update photo associations of one job GeoPackage."""

    def __init__(self, gpkg_path: str, journal: Journal | None = None) -> None:
        self.path = gpkg_path
        self.journal = journal or shared_journal(gpkg_path)

    # -- reading -----------------------------------------------------------
    def records(self) -> dict[str, dict]:
        """``{photo_id: record}`` of the job."""
        return self.journal.base_all("photo")

    def item(self, kind: str, item_id: str, connection_id: str | None = None) -> dict | None:
        """A node, or a section of ``connection_id``."""
        return self.journal.base(kind, item_id, connection_id if kind == "section" else None)

    def photos_for(
        self, kind: str, item_id: str, connection_id: str | None = None
    ) -> list[PhotoEntry]:
        """The item's photos with their records (main first)."""
        return photos_of(self.item(kind, item_id, connection_id), self.records())

    def items(self) -> list[dict]:
        return list(self.journal.base_all("node").values()) + list(
            self.journal.base_all("section").values()
        )

    def picker(self, exclude: tuple | None = None) -> list[tuple[dict, bool]]:
        """Job photos for the picker, unassociated first; ``exclude``: ``(kind, id, conn)``."""
        skip = [e.photo_id for e in self.photos_for(*exclude)] if exclude else []
        return picker_rows(self.records(), self.items(), skip)

    def node_candidates(self, label_attribute: str = "scid") -> list[Candidate]:
        """Nodes with a position, for matching photos (label = SCID or node type)."""
        out = []
        for node_id, node in self.journal.base_all("node").items():
            try:
                lon, lat = float(node.get("longitude")), float(node.get("latitude"))
            except (TypeError, ValueError):
                continue
            attributes = node.get("attributes") or {}
            out.append(
                Candidate(
                    node_id,
                    lon,
                    lat,
                    "node",
                    self._label(node_id, attributes, label_attribute),
                    None,
                    buckets_from_attributes(attributes),
                )
            )
        return out

    @staticmethod
    def _label(item_id: str, attributes: dict, label_attribute: str = "scid") -> str:
        label = _first_value(attributes.get(label_attribute)) or _first_value(
            attributes.get("node_type")
        )
        return f"{label} · {item_id[-6:]}" if label else item_id

    def item_label(self, kind: str, item_id: str, connection_id: str | None = None) -> str:
        """A short human name: ``"004 · dc2dc"``, ``"midspan · 3SdtSM"``."""
        if kind == "section":
            return f"midspan · {(connection_id or item_id)[-6:]}"
        item = self.item(kind, item_id) or {}
        return self._label(item_id, item.get("attributes") or {})

    # -- updating after a successful call ----------------------------------
    def apply(
        self, photo_id: str, kind: str, item_id: str, value: Any, connection_id: str | None = None
    ) -> None:
        """Record that the server now has ``photo_id`` on the item as ``value`` (None = removed)."""
        rows = []
        parent = connection_id if kind == "section" else None
        item = self.item(kind, item_id, parent)
        if item is not None:
            rows.append((kind, item_id, parent, with_association(item, photo_id, value)))
        record = self.records().get(photo_id)
        if record is not None:
            key = location_key(kind, item_id, parent)
            locations = dict(record.get("associated_locations") or {})
            locations.pop(key, None)
            if value is not None:
                locations[key] = kind
            rows.append(("photo", photo_id, None, {**record, "associated_locations": locations}))
        if rows:
            self.journal.set_base(rows)

    def replace_photos_map(
        self, kind: str, item_id: str, server_item: dict, connection_id: str | None = None
    ) -> None:
        """Store the item's ``photos`` map as the server returned it (other fields untouched)."""
        parent = connection_id if kind == "section" else None
        item = self.item(kind, item_id, parent)
        if item is None:
            return
        new = dict(item)
        if server_item.get("photos"):
            new["photos"] = server_item["photos"]
        else:
            new.pop("photos", None)
        self.journal.set_base([(kind, item_id, parent, new)])

    def put_records(self, records: list[dict]) -> None:
        """Store photo records (e.g. after a listing)."""
        self.journal.set_base(
            [("photo", r["id"], None, r) for r in records if isinstance(r, dict) and r.get("id")]
        )


def _first_value(instances: Any) -> str:
    if isinstance(instances, dict):
        for value in instances.values():
            if (
                isinstance(value, (str, int, float))
                and not isinstance(value, bool)
                and str(value).strip()
            ):
                return str(value).strip()
    return ""
