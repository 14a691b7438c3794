"""Which photos belong to which item, from the job's snapshot (pure).

An item (node or section) lists its photos in ``photos: {photo_id:
{"association": true | "main"}}``; the photo records come from the job's
photo list. This module joins the two for the dock and the picker.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable


@dataclass
class PhotoEntry:
    """One photo of an item as the dock shows it."""

    photo_id: str
    association: Any  # "main" | True
    record: dict

    @property
    def is_main(self) -> bool:
        return self.association == "main"

    @property
    def filename(self) -> str:
        return str(self.record.get("filename") or self.photo_id)

    @property
    def date_taken_text(self) -> str:
        return format_date_taken(self.record.get("date_taken"))

    @property
    def camera(self) -> str:
        parts = [
            str(self.record.get(k)).strip()
            for k in ("camera_make", "camera_model")
            if self.record.get(k)
        ]
        if len(parts) == 2 and parts[1].lower().startswith(parts[0].lower()):
            parts = parts[1:]  # "Apple" + "Apple iPhone" → "Apple iPhone"
        return " ".join(parts)

    @property
    def known(self) -> bool:
        """False when the item lists a photo the job's photo list does not have."""
        return bool(self.record.get("id"))


def format_date_taken(value: Any) -> str:
    """Unix seconds (or ms, or ISO text) → ``YYYY-MM-DD HH:MM`` UTC; ``""`` when unknown."""
    if value in (None, ""):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)[:16].replace("T", " ")
    if abs(number) > 1e11:
        number /= 1000.0
    try:
        return _dt.datetime.fromtimestamp(number, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return ""


def association_of(value: Any) -> Any:
    """``{"association": x}`` (or a bare value) → ``"main"``, ``True`` or None."""
    if isinstance(value, dict):
        value = value.get("association")
    if value == "main":
        return "main"
    if value is True or value == "true":
        return True
    return None


def photos_of(item: dict | None, records: dict[str, dict]) -> list[PhotoEntry]:
    """The item's photos, main first, then by date taken, then file name."""
    out = []
    for pid, assoc in ((item or {}).get("photos") or {}).items():
        value = association_of(assoc)
        if value is None:
            continue
        out.append(PhotoEntry(pid, value, records.get(pid) or {}))

    def key(entry: PhotoEntry):
        taken = entry.record.get("date_taken")
        try:
            taken = float(taken)
        except (TypeError, ValueError):
            taken = float("inf")
        return (not entry.is_main, taken, entry.filename)

    return sorted(out, key=key)


def associated_ids(items: Iterable[dict]) -> set[str]:
    """Every photo id some item lists."""
    out: set[str] = set()
    for item in items:
        for pid, assoc in (item.get("photos") or {}).items():
            if association_of(assoc) is not None:
                out.add(pid)
    return out


def picker_rows(
    records: dict[str, dict], items: Iterable[dict], exclude: Iterable[str] = ()
) -> list[tuple[dict, bool]]:
    """Photos for the "associate an existing photo" picker: unassociated first.

    Returns ``(record, is_associated_somewhere)``; photos in ``exclude`` (the
    current item's) are left out.
    """
    used = associated_ids(items)
    skip = set(exclude)
    rows = [(rec, pid in used) for pid, rec in records.items() if pid not in skip]
    rows.sort(key=lambda r: (r[1], str(r[0].get("filename") or r[0].get("id") or "")))
    return rows


def with_association(item: dict, photo_id: str, value: Any) -> dict:
    """A copy of ``item`` with ``photo_id`` set to ``value`` (None removes); one main at most."""
    photos = {
        k: dict(v) if isinstance(v, dict) else {"association": v}
        for k, v in (item.get("photos") or {}).items()
    }
    if value is None:
        photos.pop(photo_id, None)
    else:
        if value == "main":
            for pid, assoc in photos.items():
                if pid != photo_id and assoc.get("association") == "main":
                    assoc["association"] = True
        photos[photo_id] = {
            **photos.get(photo_id, {}),
            "association": "main" if value == "main" else True,
        }
    new = dict(item)
    if photos:
        new["photos"] = photos
    else:
        new.pop("photos", None)
    return new


def main_count(item: dict | None) -> int:
    return sum(
        1 for v in ((item or {}).get("photos") or {}).values() if association_of(v) == "main"
    )
