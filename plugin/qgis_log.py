"""Logging to QGIS's Log Messages panel (tab "Katapult") and the message bar, always masked.

Every text goes through :func:`plugin.api.masking.mask_secrets` first, so an API key
inside a URL, an exception text or a server message never reaches the log panel,
the message bar or QGIS's log file.
"""

from __future__ import annotations

import traceback

from qgis.core import Qgis, QgsMessageLog

from .api.masking import mask_secrets

TAG = "Katapult"

INFO = Qgis.MessageLevel.Info
WARNING = Qgis.MessageLevel.Warning
CRITICAL = Qgis.MessageLevel.Critical
SUCCESS = Qgis.MessageLevel.Success


def log(message: object, level=Qgis.MessageLevel.Info, notify: bool = False) -> str:
    """Write ``message`` (masked) to the "Katapult" log tab; return the masked text."""
    text = mask_secrets(str(message))
    QgsMessageLog.logMessage(text, TAG, level, notify)
    return text


def info(message: object) -> str:
    """Log an informational message."""
    return log(message, Qgis.MessageLevel.Info)


def warning(message: object) -> str:
    """Log a warning."""
    return log(message, Qgis.MessageLevel.Warning)


def critical(message: object) -> str:
    """Log an error."""
    return log(message, Qgis.MessageLevel.Critical)


def log_exception(context: str, exc: BaseException) -> str:
    """Log ``exc`` with its traceback (masked) under a one-line ``context``."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return log(f"{context}: {exc}\n{details}", Qgis.MessageLevel.Critical)


def push_message(
    message_bar, title: str, text: str, level=Qgis.MessageLevel.Info, duration: int = -1
) -> str:
    """Show ``title: text`` (masked) in a QGIS message bar and log it too.

    ``duration`` in seconds; -1 = QGIS's default for ``level``, 0 = until dismissed.
    """
    safe_title = mask_secrets(str(title))
    safe_text = mask_secrets(str(text))
    if message_bar is not None:
        message_bar.pushMessage(safe_title, safe_text, level, duration)
    log(f"{safe_title}: {safe_text}", level)
    return safe_text
