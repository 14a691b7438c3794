"""Disk cache of photo thumbnails, by photo id and size (pure file handling).

Layout: ``<root>/<size>/<photo id>.jpg``. Writes are atomic (temporary file
then rename) so a crash never leaves half an image that later looks cached.
The default root is ``<QGIS profile>/cache/katapult/thumbs``.
"""

from __future__ import annotations

import os
import re
import tempfile

SIZES = ("tiny", "small", "large", "extra_large", "full")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def default_cache_dir() -> str:
    """``<active QGIS profile>/cache/katapult/thumbs`` (a user cache dir outside QGIS)."""
    try:
        from qgis.core import QgsApplication  # noqa: PLC0415

        base = QgsApplication.qgisSettingsDirPath()
    except ImportError:
        base = os.path.join(os.path.expanduser("~"), ".cache", "katapult_qgis")
    return os.path.join(base, "cache", "katapult", "thumbs")


class ThumbCache:
    """Files of downloaded photo variants keyed by ``(photo_id, size)``."""

    def __init__(self, root: str | None = None, max_bytes: int = 512 * 1024 * 1024) -> None:
        self.root = root or default_cache_dir()
        self.max_bytes = max_bytes

    def path_for(self, photo_id: str, size: str) -> str:
        """Where ``photo_id`` at ``size`` lives (whether or not it is cached)."""
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}; one of {', '.join(SIZES)}")
        safe = _SAFE.sub("_", photo_id) or "_"
        return os.path.join(self.root, size, safe + ".jpg")

    def get(self, photo_id: str, size: str) -> str | None:
        """The cached file's path, or None when absent or empty."""
        path = self.path_for(photo_id, size)
        try:
            if os.path.getsize(path) > 0:
                os.utime(path, None)  # recently used: pruned last
                return path
        except OSError:
            pass
        return None

    def put(self, photo_id: str, size: str, data: bytes) -> str:
        """Store ``data`` atomically and return its path."""
        path = self.path_for(photo_id, size)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".part-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return path

    def forget(self, photo_id: str) -> None:
        """Remove every cached size of one photo."""
        for size in SIZES:
            try:
                os.unlink(self.path_for(photo_id, size))
            except OSError:
                pass

    def total_bytes(self) -> int:
        total = 0
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                try:
                    total += os.path.getsize(os.path.join(folder, name))
                except OSError:
                    pass
        return total

    def prune(self, max_bytes: int | None = None) -> int:
        """Delete least recently used files until the cache fits; return files removed."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        entries = []
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entries.append((st.st_mtime, st.st_size, path))
        total = sum(e[1] for e in entries)
        removed = 0
        for _mtime, size, path in sorted(entries):
            if total <= limit:
                break
            try:
                os.unlink(path)
                total -= size
                removed += 1
            except OSError:
                pass
        return removed
