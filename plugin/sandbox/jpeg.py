"""A tiny baseline JPEG writer (stdlib only) for sample photos and tests.

Images are made of solid-colour 8x8 blocks, so every block has only a DC
coefficient: the encoder writes a standard baseline (SOF0) file with one
Huffman table pair and optional EXIF (camera, DateTimeOriginal, GPS).
"""

from __future__ import annotations

import datetime as _dt
import functools
import struct
from typing import Callable, Sequence, Tuple, Union

RGB = Tuple[int, int, int]
Pattern = Union[RGB, Sequence[Sequence[RGB]], Callable[[int, int], RGB]]

# Canonical Huffman code lengths for DC categories 0..11 (the usual table).
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALS = tuple(range(12))
# AC table with a single symbol: EOB (0x00), code "0".
_AC_BITS = (1,) + (0,) * 15
_AC_VALS = (0,)


def _codes(bits: Sequence[int], vals: Sequence[int]) -> dict[int, tuple[int, int]]:
    table, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            table[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return table


_DC_CODES = _codes(_DC_BITS, _DC_VALS)
_EOB = _codes(_AC_BITS, _AC_VALS)[0]


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0x00)
        self.acc &= (1 << self.n) - 1 if self.n else 0

    def flush(self) -> bytes:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)
        return bytes(self.out)


def _ycc(rgb: RGB) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, int(c))) for c in rgb)
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
    cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
    return tuple(max(-128, min(127, int(round(v - 128)))) for v in (y, cb, cr))  # type: ignore[return-value]


@functools.lru_cache(maxsize=64)
def _scan(blocks: tuple[tuple[RGB, ...], ...]) -> bytes:
    """Entropy-coded data for rows of block colours (DC only, 1x1 sampling)."""
    w = _BitWriter()
    pred = [0, 0, 0]
    for row in blocks:
        for rgb in row:
            for c, dc in enumerate(_ycc(rgb)):
                diff = dc - pred[c]
                pred[c] = dc
                mag = abs(diff)
                cat = mag.bit_length()
                code, length = _DC_CODES[cat]
                w.put(code, length)
                if cat:
                    w.put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
                w.put(*_EOB)
    return w.flush()


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _headers(width: int, height: int) -> bytes:
    # Quantisation: DC step 8 so the quantised DC equals the level-shifted mean.
    qt = bytes([8] + [1] * 63)
    dqt = _segment(0xDB, b"\x00" + qt)
    sof = _segment(
        0xC0,
        struct.pack(">BHHB", 8, height, width, 3)
        + b"".join(bytes([cid, 0x11, 0]) for cid in (1, 2, 3)),
    )
    dht = _segment(
        0xC4,
        b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS) + b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALS),
    )
    sos = _segment(
        0xDA, b"\x03" + b"".join(bytes([cid, 0x00]) for cid in (1, 2, 3)) + b"\x00\x3f\x00"
    )
    return dqt + sof + dht + sos


_JFIF = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def _rational_triplet(deg: float) -> bytes:
    deg = abs(deg)
    d = int(deg)
    m_full = (deg - d) * 60
    m = int(m_full)
    s = round((m_full - m) * 60 * 10000)
    return struct.pack(">6I", d, 1, m, 1, s, 10000)


def _exif(
    width: int,
    height: int,
    lat: float | None,
    lon: float | None,
    taken: _dt.datetime | None,
    make: str,
    model: str,
) -> bytes:
    """An APP1 Exif segment (big-endian TIFF) with IFD0, Exif IFD and GPS IFD."""
    # Each IFD is a list of (tag, type, count, value-bytes); values > 4 bytes go to a data area.
    ifd0 = [
        (0x010F, 2, make.encode("latin-1", "replace") + b"\x00"),
        (0x0110, 2, model.encode("latin-1", "replace") + b"\x00"),
        (0x0112, 3, struct.pack(">H", 1)),
    ]
    exif_ifd = [(0xA002, 4, struct.pack(">I", width)), (0xA003, 4, struct.pack(">I", height))]
    if taken is not None:
        stamp = taken.astimezone(_dt.timezone.utc).strftime("%Y:%m:%d %H:%M:%S").encode() + b"\x00"
        exif_ifd = [(0x9003, 2, stamp), (0x9011, 2, b"+00:00\x00")] + exif_ifd
    gps_ifd = []
    if lat is not None and lon is not None:
        gps_ifd = [
            (0x0000, 1, b"\x02\x03\x00\x00"),
            (0x0001, 2, (b"N" if lat >= 0 else b"S") + b"\x00"),
            (0x0002, 5, _rational_triplet(lat)),
            (0x0003, 2, (b"E" if lon >= 0 else b"W") + b"\x00"),
            (0x0004, 5, _rational_triplet(lon)),
        ]
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8}

    def ifd_len(entries: list) -> int:
        data = sum(len(v) + (len(v) & 1) for _, _, v in entries if len(v) > 4)
        return 2 + 12 * len(entries) + 4 + data

    # Layout: header(8) | IFD0 | Exif IFD | GPS IFD
    has_gps = bool(gps_ifd)
    n0 = len(ifd0) + 1 + (1 if has_gps else 0)
    off0 = 8
    len0 = ifd_len(ifd0) + 12 * (n0 - len(ifd0))
    off_exif = off0 + len0
    off_gps = off_exif + ifd_len(exif_ifd)
    full0 = list(ifd0) + [(0x8769, 4, struct.pack(">I", off_exif))]
    if has_gps:
        full0.append((0x8825, 4, struct.pack(">I", off_gps)))

    def build(entries: list, offset: int) -> bytes:
        entries = sorted(entries, key=lambda e: e[0])
        head = struct.pack(">H", len(entries))
        data = b""
        data_off = offset + 2 + 12 * len(entries) + 4
        for tag, typ, value in entries:
            count = len(value) // sizes[typ]
            if len(value) <= 4:
                head += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\x00")
            else:
                head += struct.pack(">HHII", tag, typ, count, data_off + len(data))
                data += value + (b"\x00" if len(value) & 1 else b"")
        return head + b"\x00\x00\x00\x00" + data

    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + build(full0, off0) + build(exif_ifd, off_exif)
    if has_gps:
        tiff += build(gps_ifd, off_gps)
    return _segment(0xE1, b"Exif\x00\x00" + tiff)


def _blocks(width: int, height: int, rgb: Pattern) -> tuple[tuple[RGB, ...], ...]:
    bw, bh = (width + 7) // 8, (height + 7) // 8
    if callable(rgb):
        return tuple(tuple(tuple(rgb(x, y)) for x in range(bw)) for y in range(bh))  # type: ignore[misc]
    if len(rgb) == 3 and all(isinstance(c, (int, float)) for c in rgb):  # type: ignore[arg-type]
        row = (tuple(int(c) for c in rgb),) * bw  # type: ignore[union-attr]
        return (row,) * bh  # type: ignore[return-value]
    grid = [list(r) for r in rgb]  # type: ignore[union-attr]
    return tuple(
        tuple(tuple(grid[y % len(grid)][x % len(grid[y % len(grid)])]) for x in range(bw))
        for y in range(bh)
    )


def make_jpeg(
    width: int,
    height: int,
    rgb: Pattern = (128, 128, 128),
    lat: float | None = None,
    lon: float | None = None,
    taken: _dt.datetime | float | int | None = None,
    make: str = "Katapult Sandbox",
    model: str = "SampleCam 1",
) -> bytes:
    """Return a baseline JPEG of ``width`` x ``height`` pixels.

    ``rgb`` is one colour ``(r, g, b)``, a grid of block colours (rows of
    ``(r, g, b)``, one per 8x8 block, repeated to fill) or a function
    ``(block_x, block_y) -> (r, g, b)``. With ``lat``/``lon`` and/or ``taken``
    (datetime, or Unix seconds) an EXIF APP1 segment carries GPS and
    DateTimeOriginal (UTC) plus ``make``/``model``; without them the file has
    a JFIF header and no EXIF.
    """
    if not (
        isinstance(width, int)
        and isinstance(height, int)
        and 0 < width <= 65535
        and 0 < height <= 65535
    ):
        raise ValueError("width and height must be integers in 1..65535")
    if isinstance(taken, (int, float)) and not isinstance(taken, bool):
        taken = _dt.datetime.fromtimestamp(float(taken), _dt.timezone.utc)
    elif isinstance(taken, _dt.datetime) and taken.tzinfo is None:
        taken = taken.replace(tzinfo=_dt.timezone.utc)
    scan = _scan(_blocks(width, height, rgb))
    if lat is not None or lon is not None or taken is not None:
        app = _exif(width, height, lat, lon, taken, make, model)
    else:
        app = _JFIF
    return b"\xff\xd8" + app + _headers(width, height) + scan + b"\xff\xd9"


def pole_photo(
    width: int, height: int, sky: RGB, pole: RGB, ground: RGB
) -> Callable[[int, int], RGB]:
    """A block pattern for a pole photo: sky, a vertical pole, ground strip."""
    bw, bh = (width + 7) // 8, (height + 7) // 8
    mid = bw // 2

    def colour(x: int, y: int) -> RGB:
        if y >= bh - max(1, bh // 5):
            return ground
        if x == mid or (y == 1 and abs(x - mid) <= 2):
            return pole
        return sky

    return colour
