"""Translation helper for the photo modules (works with and without QGIS)."""

from __future__ import annotations

from typing import Callable, Optional

_translate: Optional[Callable[[str, str], str]] = None
_looked = False


def tr(text: str) -> str:
    """Translate ``text`` in the ``KatapultPhotos`` context when Qt is available."""
    global _translate, _looked
    if not _looked:
        _looked = True
        try:
            from qgis.PyQt.QtCore import QCoreApplication  # noqa: PLC0415

            _translate = QCoreApplication.translate
        except ImportError:  # pure environments (sandbox scripts, bare python)
            _translate = None
    return _translate("KatapultPhotos", text) if _translate is not None else text
