"""Decide by content whether a file is a complete JPEG (pure).

The extension is never trusted: a file is a JPEG when it starts with SOI, its
header segments are well formed up to the first SOS, and an EOI follows the
scan data. Anything else is refused with one sentence naming the file and
what to do about it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from .texts import tr

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
SOS = 0xDA
#: Markers without a length field.
_STANDALONE = {0x01, 0xD8, 0xD9} | set(range(0xD0, 0xD8))
#: Start-of-frame markers (baseline, progressive, lossless, arithmetic ...).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}

#: Files above this size get a warning (they still upload).
DEFAULT_WARN_BYTES = 20 * 1024 * 1024


@dataclass
class JpegCheck:
    """Outcome of checking one file. ``ok`` False means: do not upload."""

    path: str
    ok: bool
    size: int = 0
    sha256: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    width: int | None = None
    height: int | None = None

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def inspect_jpeg_bytes(data: bytes) -> tuple[str, int | None, int | None]:
    """Return ``(problem, width, height)``; ``problem`` is ``""`` when the bytes are a whole JPEG.

    ``problem`` is one of ``"empty"``, ``"not_jpeg"``, ``"truncated"``, ``"corrupt"``.
    """
    if not data:
        return "empty", None, None
    if not data.startswith(SOI) or len(data) < 4 or data[2] != 0xFF:
        return "not_jpeg", None, None
    pos = 2
    n = len(data)
    width = height = None
    saw_sof = False
    while True:
        # skip fill bytes
        while pos < n and data[pos] == 0xFF and pos + 1 < n and data[pos + 1] == 0xFF:
            pos += 1
        if pos + 2 > n:
            return "truncated", width, height
        if data[pos] != 0xFF:
            return "corrupt", width, height
        marker = data[pos + 1]
        pos += 2
        if marker in _STANDALONE:
            if marker == 0xD9:  # EOI before any scan: no image in it
                return "corrupt", width, height
            continue
        if pos + 2 > n:
            return "truncated", width, height
        length = (data[pos] << 8) | data[pos + 1]
        if length < 2:
            return "corrupt", width, height
        if pos + length > n:
            return "truncated", width, height
        if marker in _SOF and length >= 7:
            height = (data[pos + 3] << 8) | data[pos + 4]
            width = (data[pos + 5] << 8) | data[pos + 6]
            saw_sof = True
        pos += length
        if marker == SOS:
            break
    if not saw_sof:
        return "corrupt", width, height
    # Entropy-coded data (and further scans) follow; the image ends with EOI.
    # Cameras may append trailers after EOI, so look for the last EOI.
    if data.rfind(EOI, pos) < 0:
        return "truncated", width, height
    return "", width, height


def problem_text(problem: str) -> str:
    """The sentence for a problem code, with ``{name}`` for the file name."""
    if problem == "empty":
        return tr("{name}: the file is empty (0 bytes); export the photo again.")
    if problem == "not_jpeg":
        return tr(
            "{name}: not a JPEG image by its content (whatever the extension); "
            "convert it to JPEG or leave it out."
        )
    if problem == "truncated":
        return tr(
            "{name}: the JPEG is truncated (its end is missing); "
            "copy it again from the camera or card."
        )
    return tr("{name}: the JPEG structure is damaged; re-export or re-copy the photo.")


def check_jpeg_file(path: str, *, warn_bytes: int = DEFAULT_WARN_BYTES, keep_data: bool = False):
    """Check ``path`` and return a :class:`JpegCheck` (plus the bytes when ``keep_data``).

    Never raises for bad input: unreadable files come back with ``ok=False``
    and a message.
    """
    name = os.path.basename(path) or path
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        result = JpegCheck(
            path,
            False,
            error=tr(
                "{name}: cannot be read ({reason}); check that the file "
                "exists and that you may read it."
            ).format(name=name, reason=reason),
        )
        return (result, None) if keep_data else result
    result = check_jpeg_bytes(data, path, warn_bytes=warn_bytes)
    return (result, data) if keep_data else result


def check_jpeg_bytes(
    data: bytes, path: str = "photo.jpg", *, warn_bytes: int = DEFAULT_WARN_BYTES
) -> JpegCheck:
    """Check JPEG bytes already in memory (``path`` only names it in messages)."""
    name = os.path.basename(path) or path
    problem, width, height = inspect_jpeg_bytes(data)
    result = JpegCheck(path, not problem, size=len(data), width=width, height=height)
    if problem:
        result.error = problem_text(problem).format(name=name)
        return result
    result.sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > warn_bytes:
        result.warnings.append(
            tr(
                "{name}: very large ({mb:.1f} MB); the upload will be slow. "
                "Consider exporting it smaller."
            ).format(name=name, mb=len(data) / (1024 * 1024))
        )
    return result
