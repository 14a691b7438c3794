"""Reading the few facts the sandbox needs from a JPEG: size, EXIF camera, time, GPS."""

from __future__ import annotations

import calendar
import struct
import time
from typing import Any

_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def looks_like_jpeg(data: bytes) -> bool:
    """True when ``data`` starts with SOI (FFD8FF) and ends with EOI (FFD9)."""
    if len(data) < 4 or data[:3] != b"\xff\xd8\xff":
        return False
    return data.rstrip(b"\x00\r\n ")[-2:] == b"\xff\xd9"


def jpeg_info(data: bytes) -> dict[str, Any]:
    """Width, height and EXIF facts (``camera_make``, ``camera_model``, ``date_taken``
    in Unix seconds, ``orientation``, ``latitude``, ``longitude``) when present.

    Never raises on malformed input: unknown parts are simply left out.
    """
    info: dict[str, Any] = {}
    try:
        _walk_segments(data, info)
    except (struct.error, IndexError, ValueError):
        pass
    return info


def _walk_segments(data: bytes, info: dict) -> None:
    pos = 2
    n = len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):
            return
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        seg = data[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and seg[:6] == b"Exif\x00\x00":
            _parse_exif(seg[6:], info)
        elif marker in _SOF_MARKERS and len(seg) >= 5:
            info["image_height"], info["image_width"] = struct.unpack(">HH", seg[1:5])
        pos += 2 + length


_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


def _parse_exif(tiff: bytes, info: dict) -> None:
    if tiff[:2] == b"MM":
        e = ">"
    elif tiff[:2] == b"II":
        e = "<"
    else:
        return
    ifd0 = struct.unpack(e + "I", tiff[4:8])[0]

    def read_ifd(offset: int) -> dict[int, Any]:
        out: dict[int, Any] = {}
        count = struct.unpack(e + "H", tiff[offset : offset + 2])[0]
        for i in range(count):
            p = offset + 2 + 12 * i
            tag, typ, cnt = struct.unpack(e + "HHI", tiff[p : p + 8])
            size = _TYPE_SIZES.get(typ, 1) * cnt
            if size <= 4:
                raw = tiff[p + 8 : p + 8 + size]
            else:
                off = struct.unpack(e + "I", tiff[p + 8 : p + 12])[0]
                raw = tiff[off : off + size]
            out[tag] = _decode(e, typ, cnt, raw)
        return out

    main = read_ifd(ifd0)
    if isinstance(main.get(0x010F), str):
        info["camera_make"] = main[0x010F]
    if isinstance(main.get(0x0110), str):
        info["camera_model"] = main[0x0110]
    if isinstance(main.get(0x0112), list) and main[0x0112]:
        info["orientation"] = main[0x0112][0]
    if isinstance(main.get(0x8769), list):
        sub = read_ifd(main[0x8769][0])
        stamp = sub.get(0x9003) or sub.get(0x9004)
        if isinstance(stamp, str):
            try:
                t = calendar.timegm(time.strptime(stamp.strip(), "%Y:%m:%d %H:%M:%S"))
                offset = sub.get(0x9011)
                if isinstance(offset, str) and len(offset) >= 6 and offset[0] in "+-":
                    sign = 1 if offset[0] == "+" else -1
                    t -= sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
                info["date_taken"] = int(t)
            except ValueError:
                pass
    if isinstance(main.get(0x8825), list):
        gps = read_ifd(main[0x8825][0])
        for ref_tag, val_tag, key, neg in ((1, 2, "latitude", "S"), (3, 4, "longitude", "W")):
            val = gps.get(val_tag)
            if isinstance(val, list) and len(val) == 3:
                deg = val[0] + val[1] / 60.0 + val[2] / 3600.0
                if gps.get(ref_tag) == neg:
                    deg = -deg
                info[key] = deg


def _decode(e: str, typ: int, cnt: int, raw: bytes) -> Any:
    if typ == 2:
        return raw.split(b"\x00", 1)[0].decode("latin-1")
    if typ in (1, 7):
        return list(raw[:cnt])
    if typ == 3:
        return list(struct.unpack(e + f"{cnt}H", raw[: 2 * cnt]))
    if typ == 4:
        return list(struct.unpack(e + f"{cnt}I", raw[: 4 * cnt]))
    if typ in (5, 10):
        fmt = e + f"{2 * cnt}" + ("I" if typ == 5 else "i")
        nums = struct.unpack(fmt, raw[: 8 * cnt])
        return [nums[i] / nums[i + 1] if nums[i + 1] else 0.0 for i in range(0, 2 * cnt, 2)]
    return None
