"""A small pure EXIF reader: GPS position, DateTimeOriginal, camera make/model.

Inside QGIS the plugin reads EXIF through ``QgsExifTools`` (``qgis_exif.py``);
this reader is the fallback for headless code (the sandbox, pure tests,
Processing without exiv2) and reads only the handful of tags the photo
matching needs. It never raises on bad data: missing or broken tags are None.
"""

from __future__ import annotations

import datetime as _dt
import struct
from dataclasses import dataclass

_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_DATETIME = 0x0132
_TAG_EXIF_IFD = 0x8769
_TAG_GPS_IFD = 0x8825
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


@dataclass
class ExifInfo:
    """What the matching needs from a photo's EXIF block."""

    latitude: float | None = None
    longitude: float | None = None
    taken_local: _dt.datetime | None = None  # naive camera clock time
    utc_offset_minutes: int | None = None  # from OffsetTimeOriginal when present
    camera_make: str | None = None
    camera_model: str | None = None

    @property
    def has_gps(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def taken_epoch_ms(self, assumed_offset_minutes: int = 0) -> int | None:
        """Capture time as epoch milliseconds.

        EXIF times are the camera's local clock. ``OffsetTimeOriginal`` is used
        when the camera wrote it, else ``assumed_offset_minutes`` (0 = the
        camera clock is UTC).
        """
        if self.taken_local is None:
            return None
        offset = (
            self.utc_offset_minutes
            if self.utc_offset_minutes is not None
            else assumed_offset_minutes
        )
        aware = self.taken_local.replace(tzinfo=_dt.timezone(_dt.timedelta(minutes=offset)))
        return int(round(aware.timestamp() * 1000))


def parse_exif_datetime(text: str | None) -> _dt.datetime | None:
    """``"YYYY:MM:DD HH:MM:SS"`` (also with ``-`` or ``T``) → naive datetime, else None."""
    if not text:
        return None
    text = str(text).strip().rstrip("\x00").strip()
    for fmt in (
        "%Y:%m:%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y:%m:%d %H:%M:%S.%f",
    ):
        try:
            return _dt.datetime.strptime(text[:26], fmt)
        except ValueError:
            continue
    try:
        return _dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def parse_utc_offset(text: str | None) -> int | None:
    """``"+02:00"`` → 120 minutes; anything else → None."""
    if not text:
        return None
    text = str(text).strip().rstrip("\x00")
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        minutes = int(text[1:3]) * 60 + int(text[4:6])
    except ValueError:
        return None
    return -minutes if text[0] == "-" else minutes


def find_exif_block(data: bytes) -> bytes | None:
    """Return the TIFF block of the first ``Exif`` APP1 segment of a JPEG, or None."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos, n = 2, len(data)
    while pos + 4 <= n and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):
            return None
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            return body[6:]
        pos += 2 + length
    return None


class _Tiff:
    def __init__(self, block: bytes) -> None:
        if block[:2] == b"II":
            self.endian = "<"
        elif block[:2] == b"MM":
            self.endian = ">"
        else:
            raise ValueError("not a TIFF header")
        self.block = block

    def u16(self, off: int) -> int:
        return struct.unpack(self.endian + "H", self.block[off : off + 2])[0]

    def u32(self, off: int) -> int:
        return struct.unpack(self.endian + "I", self.block[off : off + 4])[0]

    def ifd(self, off: int) -> dict[int, object]:
        """Read one IFD into ``{tag: value}`` (strings, ints or lists of floats)."""
        out: dict[int, object] = {}
        if off <= 0 or off + 2 > len(self.block):
            return out
        count = self.u16(off)
        for i in range(min(count, 512)):
            entry = off + 2 + 12 * i
            if entry + 12 > len(self.block):
                break
            tag, typ, num = self.u16(entry), self.u16(entry + 2), self.u32(entry + 4)
            size = _TYPE_SIZES.get(typ)
            if size is None or num > 65536:
                continue
            total = size * num
            voff = entry + 8 if total <= 4 else self.u32(entry + 8)
            raw = self.block[voff : voff + total]
            if len(raw) < total:
                continue
            try:
                out[tag] = self._decode(typ, num, raw)
            except (struct.error, ZeroDivisionError):
                continue
        return out

    def _decode(self, typ: int, num: int, raw: bytes):
        if typ == 2:
            return raw.split(b"\x00", 1)[0].decode("utf-8", "replace")
        if typ == 3:
            return list(struct.unpack(self.endian + "H" * num, raw))
        if typ in (4, 9):
            fmt = "I" if typ == 4 else "i"
            return list(struct.unpack(self.endian + fmt * num, raw))
        if typ in (5, 10):
            fmt = "I" if typ == 5 else "i"
            vals = struct.unpack(self.endian + fmt * (2 * num), raw)
            return [
                vals[2 * k] / vals[2 * k + 1] if vals[2 * k + 1] else float("nan")
                for k in range(num)
            ]
        return raw


def _dms(value, ref) -> float | None:
    if not isinstance(value, list) or not value:
        return None
    parts = list(value) + [0.0, 0.0]
    deg = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0
    if deg != deg:  # NaN from a zero denominator
        return None
    if isinstance(ref, str) and ref.strip().upper() in ("S", "W"):
        deg = -deg
    return deg


def read_exif_bytes(data: bytes) -> ExifInfo:
    """Read GPS, DateTimeOriginal and camera from JPEG bytes; empty info when absent."""
    info = ExifInfo()
    block = find_exif_block(data)
    if not block:
        return info
    try:
        tiff = _Tiff(block)
        ifd0 = tiff.ifd(tiff.u32(4))
    except (ValueError, struct.error):
        return info
    make, model = ifd0.get(_TAG_MAKE), ifd0.get(_TAG_MODEL)
    info.camera_make = make.strip() or None if isinstance(make, str) else None
    info.camera_model = model.strip() or None if isinstance(model, str) else None
    taken = None
    pointer = ifd0.get(_TAG_EXIF_IFD)
    if isinstance(pointer, list) and pointer:
        exif_ifd = tiff.ifd(pointer[0])
        taken = exif_ifd.get(_TAG_DATETIME_ORIGINAL)
        offset = exif_ifd.get(_TAG_OFFSET_TIME_ORIGINAL)
        info.utc_offset_minutes = parse_utc_offset(offset if isinstance(offset, str) else None)
    if not isinstance(taken, str):
        taken = ifd0.get(_TAG_DATETIME)
    info.taken_local = parse_exif_datetime(taken if isinstance(taken, str) else None)
    pointer = ifd0.get(_TAG_GPS_IFD)
    if isinstance(pointer, list) and pointer:
        gps = tiff.ifd(pointer[0])
        lat = _dms(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF))
        lon = _dms(gps.get(_GPS_LON), gps.get(_GPS_LON_REF))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            info.latitude, info.longitude = lat, lon
    return info


def read_exif_file(path: str) -> ExifInfo:
    """Read EXIF from a file; unreadable files give an empty :class:`ExifInfo`."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(256 * 1024)  # EXIF sits in the first 64 KiB segment
    except OSError:
        return ExifInfo()
    return read_exif_bytes(head)
