"""Translation helper for the photo modules (works with and without QGIS)."""

from __future__ import annotations

from typing import Callable, Optional

translate: Optional[Callable[[str, str], str]] = None
_looked = False


def tr(text: str) -> str:
    """Translate ``text`` in the ``KatapultPhotos`` context when Qt is available."""
    global translate, _looked
    if not _looked:
        _looked = True
        try:
            from qgis.PyQt.QtCore import QCoreApplication  # noqa: PLC0415

            translate = QCoreApplication.translate
        except ImportError:  # pure environments (sandbox scripts, bare python)
            translate = None
    return translate("KatapultPhotos", text) if translate is not None else text
