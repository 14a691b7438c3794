"""Load ``i18n/katapult_<lang>.qm`` for the user's QGIS locale (e.g. Spanish for ``es``)."""
from __future__ import annotations

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .paths import I18N


def user_language() -> str:
    """Two-letter language of QGIS's UI: ``locale/userLocale`` or QGIS's/the system's locale."""
    code = str(QgsSettings().value("locale/userLocale", "") or "")
    if not code:
        code = QgsApplication.locale() or QLocale().name()
    return code[:2].lower()


def qm_path(language: str):
    """Path of the compiled translation for ``language`` (may not exist)."""
    return I18N / f"katapult_{language}.qm"


def install_translator(language: str | None = None) -> QTranslator | None:
    """Install the plugin's translator for ``language`` (default: the user's); None if none."""
    path = qm_path(language or user_language())
    if not path.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    """Undo :func:`install_translator`."""
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
