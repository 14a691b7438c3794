"""Translation helper for the photo modules (works with and without QGIS)."""

from __future__ import annotations


def tr(text: str) -> str:
    """Translate ``text`` in the ``KatapultPhotos`` context when Qt is available."""
    try:
        from qgis.PyQt.QtCore import QCoreApplication  # noqa: PLC0415
    except ImportError:  # pure environments (sandbox scripts, bare python)
        return text
    return QCoreApplication.translate("KatapultPhotos", text)
