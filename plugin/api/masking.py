"""Keep secrets (the API key above all) out of every text a user or a log can see."""
from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "***"

_lock = threading.Lock()
_secrets: set[str] = set()

# api_key=VALUE in a query string, also inside a URL-encoded URL (api_key%3DVALUE, where
# the value then ends at an encoded '&' = %26), and "api_key": "VALUE" in JSON / reprs.
_QUERY_RE = re.compile(r"(api_key=)((?:(?!%26)[^&\s#\"'<>,;)\]}])*)", re.IGNORECASE)
_ENCODED_RE = re.compile(r"(api_key%3D)((?:(?!%26)[^&\s#\"'<>,;)\]}])*)", re.IGNORECASE)
_DOUBLE_ENCODED_RE = re.compile(
    r"(api_key%253D)((?:(?!%2526)[^&\s#\"'<>,;)\]}])*)", re.IGNORECASE
)
_KEYVALUE_RE = re.compile(r"""(["']?api_key["']?\s*[:=]\s*["'])([^"']*)(["'])""", re.IGNORECASE)


MIN_SECRET_LENGTH = 4


def register_secret(value: str | None) -> None:
    """Mask ``value`` (and its URL-encoded forms) in every later :func:`mask_secrets` call.

    Values shorter than ``MIN_SECRET_LENGTH`` are not masked as free text (masking every
    "k" in every message would make logs unreadable); ``api_key=`` values always are.
    """
    if not value or len(str(value)) < MIN_SECRET_LENGTH:
        return
    value = str(value)
    forms = {value, quote(value, safe=""), quote_plus(value, safe="")}
    with _lock:
        _secrets.update(f for f in forms if f)


def unregister_secret(value: str | None) -> None:
    """Forget a secret registered earlier (e.g. after the user removed a key)."""
    if not value:
        return
    value = str(value)
    with _lock:
        for form in (value, quote(value, safe=""), quote_plus(value, safe="")):
            _secrets.discard(form)


def mask_secrets(text: object) -> str:
    """Return ``text`` as a string with every ``api_key`` value and registered secret as ``***``."""
    if text is None:
        return ""
    out = text if isinstance(text, str) else str(text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in out:
            out = out.replace(secret, MASK)
    out = _QUERY_RE.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), out)
    out = _ENCODED_RE.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), out)
    out = _DOUBLE_ENCODED_RE.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), out)
    out = _KEYVALUE_RE.sub(lambda m: m.group(1) + MASK + m.group(3), out)
    return out


class MaskingFilter(logging.Filter):
    """A logging filter that masks secrets in a record's rendered message."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D401 - logging API
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template only
            message = str(record.msg)
        masked = mask_secrets(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = ()
        return True


_installed: set[str] = set()


def install_logging_filter(logger_names: tuple[str, ...] = ("urllib3.connectionpool", "urllib3",
                                                             "requests")) -> None:
    """Mask secrets in records of the HTTP libraries' loggers (urllib3 logs every URL at DEBUG)."""
    with _lock:
        todo = [n for n in logger_names if n not in _installed]
        _installed.update(todo)
    for name in todo:
        logging.getLogger(name).addFilter(MaskingFilter())
