"""EXIF through QGIS (``QgsExifTools``, exiv2), with the pure reader as fallback."""

from __future__ import annotations

import datetime as _dt

from qgis.core import QgsExifTools

from .exif import ExifInfo, parse_exif_datetime, parse_utc_offset, read_exif_file


def _to_datetime(value) -> _dt.datetime | None:
    """QDateTime / str / datetime → naive datetime (camera clock)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    to_py = getattr(value, "toPyDateTime", None)
    if callable(to_py):
        if hasattr(value, "isValid") and not value.isValid():
            return None
        return to_py().replace(tzinfo=None)
    return parse_exif_datetime(str(value))


def read_exif_qgis(path: str) -> ExifInfo:
    """GPS, DateTimeOriginal, offset and camera of ``path`` via ``QgsExifTools``.

    Falls back to the pure reader for whatever exiv2 did not give (or when
    ``readTags`` is unavailable in an older QGIS).
    """
    try:
        tags = QgsExifTools.readTags(path) or {}
    except (AttributeError, TypeError):  # pragma: no cover - QGIS < 3.22
        tags = {}
    if not tags:
        return read_exif_file(path)
    info = ExifInfo()
    point, ok = QgsExifTools.getGeoTag(path)
    if ok and point is not None and not point.isEmpty():
        info.longitude, info.latitude = point.x(), point.y()
    info.taken_local = _to_datetime(
        tags.get("Exif.Photo.DateTimeOriginal") or tags.get("Exif.Image.DateTime")
    )
    offset = tags.get("Exif.Photo.OffsetTimeOriginal")
    info.utc_offset_minutes = parse_utc_offset(offset if isinstance(offset, str) else None)
    make, model = tags.get("Exif.Image.Make"), tags.get("Exif.Image.Model")
    info.camera_make = str(make).strip() or None if make else None
    info.camera_model = str(model).strip() or None if model else None
    if info.taken_local is None or not info.has_gps:
        fallback = read_exif_file(path)
        if info.taken_local is None:
            info.taken_local, info.utc_offset_minutes = (
                fallback.taken_local,
                fallback.utc_offset_minutes,
            )
        if not info.has_gps:
            info.latitude, info.longitude = fallback.latitude, fallback.longitude
    return info
