"""The job's photos and items as last seen from the server (``kp_base`` in the GeoPackage).

Thin layer over :class:`plugin.sync.journal.Journal`: photo records are the
``photo`` rows, items the ``node`` / ``section`` rows (sections carry their
connection as ``parent_id``). After an association call succeeds, the item's
``photos`` map and the record's ``associated_locations`` are updated here so
the dock shows the new state before the next pull.
"""

from __future__ import annotations

from typing import Any

from ..sync.journal import Journal
from .index import PhotoEntry, photos_of, picker_rows, with_association
from .matching import Candidate, buckets_from_attributes


class PhotoStore:
    """Read and update photo associations of one job GeoPackage."""

    def __init__(self, gpkg_path: str, journal: Journal | None = None) -> None:
        self.path = gpkg_path
        self.journal = journal or Journal(gpkg_path)

    # -- reading -----------------------------------------------------------
    def records(self) -> dict[str, dict]:
        return self.journal.base_all("photo")

    def item(self, kind: str, item_id: str) -> dict | None:
        return self.journal.base(kind, item_id)

    def connection_of(self, section_id: str) -> str | None:
        row = (
            self.journal._con()
            .execute(
                "SELECT parent_id FROM kp_base WHERE kind='section' AND entity_id=?", (section_id,)
            )
            .fetchone()
        )
        return None if row is None else row[0]

    def photos_for(self, kind: str, item_id: str) -> list[PhotoEntry]:
        """The item's photos with their records (main first)."""
        return photos_of(self.item(kind, item_id), self.records())

    def items(self) -> list[dict]:
        return list(self.journal.base_all("node").values()) + list(
            self.journal.base_all("section").values()
        )

    def picker(self, exclude_item: tuple[str, str] | None = None) -> list[tuple[dict, bool]]:
        """Job photos for the picker, unassociated first (the current item's own photos left out)."""
        exclude = []
        if exclude_item is not None:
            exclude = [e.photo_id for e in self.photos_for(*exclude_item)]
        return picker_rows(self.records(), self.items(), exclude)

    def node_candidates(self, label_attribute: str = "scid") -> list[Candidate]:
        """Nodes with a position, for matching photos (label = SCID when present)."""
        out = []
        for node_id, node in self.journal.base_all("node").items():
            try:
                lon, lat = float(node.get("longitude")), float(node.get("latitude"))
            except (TypeError, ValueError):
                continue
            attributes = node.get("attributes") or {}
            label = _first_value(attributes.get(label_attribute)) or _first_value(
                attributes.get("node_type")
            )
            text = f"{label} · {node_id[-6:]}" if label else node_id
            out.append(
                Candidate(
                    node_id, lon, lat, "node", text, None, buckets_from_attributes(attributes)
                )
            )
        return out

    def item_label(self, kind: str, item_id: str) -> str:
        item = self.item(kind, item_id) or {}
        attributes = item.get("attributes") or item.get("multi_attributes") or {}
        label = _first_value(attributes.get("scid")) or _first_value(attributes.get("node_type"))
        if kind == "section":
            return (
                f"midspan · {item_id[-6:]}"
                if item_id != "midpoint_section"
                else f"midspan · {(self.connection_of(item_id) or '')[-6:]}"
            )
        return f"{label} · {item_id[-6:]}" if label else item_id

    # -- updating after a successful call ----------------------------------
    def apply(
        self, photo_id: str, kind: str, item_id: str, value: Any, connection_id: str | None = None
    ) -> None:
        """Record that the server now has ``photo_id`` on the item as ``value`` (None = removed)."""
        rows = []
        item = self.item(kind, item_id)
        if item is not None:
            parent = connection_id or (self.connection_of(item_id) if kind == "section" else None)
            rows.append((kind, item_id, parent, with_association(item, photo_id, value)))
        record = self.records().get(photo_id)
        if record is not None:
            key = (
                item_id
                if kind == "node"
                else f"{connection_id}/{item_id}"
                if connection_id
                else item_id
            )
            locations = dict(record.get("associated_locations") or {})
            locations.pop(item_id, None)
            locations.pop(key, None)
            if value is not None:
                locations[key] = kind
            rows.append(("photo", photo_id, None, {**record, "associated_locations": locations}))
        if rows:
            self.journal.set_base(rows)

    def replace_item(
        self, kind: str, item_id: str, server_item: dict, connection_id: str | None = None
    ) -> None:
        """Store the item's ``photos`` map exactly as the server returned it (other base fields untouched)."""
        item = self.item(kind, item_id)
        if item is None:
            return
        new = dict(item)
        if server_item.get("photos"):
            new["photos"] = server_item["photos"]
        else:
            new.pop("photos", None)
        parent = connection_id or (self.connection_of(item_id) if kind == "section" else None)
        self.journal.set_base([(kind, item_id, parent, new)])

    def put_records(self, records: list[dict]) -> None:
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
