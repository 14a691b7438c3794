"""One place that turns any exception into a sentence a user can act on (masked).

Used by the Settings dialog's "Test connection" and by every other GUI part that
shows an error; Processing and logs may use it too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from qgis.PyQt.QtCore import QCoreApplication

from ..api import errors as api_errors
from ..api.masking import mask_secrets
from ..auth import AuthStoreError
from ..settings import MissingApiKeyError, SettingsError

translate = QCoreApplication.translate


def _host(base_url: str | None) -> str:
    if not base_url:
        return translate("ErrorText", "the server")
    return urlsplit(base_url).netloc or base_url


def _server_words(exc: BaseException) -> str:
    parts = (getattr(exc, "type", None), getattr(exc, "server_message", None))
    return " ".join(str(p) for p in parts if p).upper()


def describe_error(exc: BaseException, base_url: str | None = None) -> str:
    """A masked, translated sentence for ``exc`` naming the problem and the fix."""
    return mask_secrets(_describe(exc, base_url))


def _describe(exc: BaseException, base_url: str | None) -> str:
    host = _host(base_url)
    if isinstance(exc, (SettingsError, MissingApiKeyError, AuthStoreError)):
        return str(exc)
    if isinstance(exc, api_errors.AuthError):
        status = getattr(exc, "status", None)
        words = _server_words(exc)
        if status == 400 or "MISSING" in words:
            return translate(
                "ErrorText",
                "Missing API key: the server received no key. Enter your Katapult API key "
                "in Web > Katapult > Settings…."
            )
        if status == 401 or "INVALID API KEY" in words:
            return translate(
                "ErrorText",
                "Invalid API key: {host} does not recognise this key. Copy it again from "
                "Katapult Pro (it may have been revoked or mistyped)."
            ).format(host=host)
        if "INVALID USER" in words or "PERMISSION DENIED" in words:
            return translate(
                "ErrorText",
                "The key is valid, but its user has no API access on {host}. Ask your "
                "Katapult company administrator to enable API access for this user."
            ).format(host=host)
        return str(exc)
    if isinstance(exc, api_errors.TransportError):
        reason = getattr(exc, "reason", "")
        if isinstance(exc, api_errors.UnknownOutcomeError):
            return translate(
                "ErrorText",
                "The connection to {host} broke after the request was sent, so it is unknown "
                "whether it was applied. It will be checked before retrying."
            ).format(host=host)
        if reason == "tls":
            return translate(
                "ErrorText",
                "Secure connection to {host} failed (TLS certificate could not be verified). "
                "Check the server URL and that your system trusts the server's certificate "
                "(a company proxy may need its certificate installed)."
            ).format(host=host)
        if reason == "timeout":
            return translate(
                "ErrorText",
                "{host} did not answer in time. Check your network connection and try again."
            ).format(host=host)
        return translate(
            "ErrorText",
            "Cannot reach {host}: check the server URL and your network connection "
            "(proxy, VPN, firewall)."
        ).format(host=host)
    if isinstance(exc, (api_errors.ProtocolError, api_errors.NotImplementedByServer)):
        return translate(
            "ErrorText",
            "{host} answered, but not like a Katapult Pro API server. Check the server URL "
            "(it normally ends in /api/v3, e.g. https://katapultpro.com/api/v3)."
        ).format(host=host)
    if isinstance(exc, api_errors.NotFoundError) and getattr(exc, "path", "") in ("", "/"):
        return translate(
            "ErrorText",
            "{host} has no Katapult API at this address. Check the server URL "
            "(it normally ends in /api/v3)."
        ).format(host=host)
    if isinstance(exc, api_errors.RateLimitError):
        return translate(
            "ErrorText",
            "Katapult's rate limit for this key was reached. Wait a minute and try again."
        )
    if isinstance(exc, api_errors.ServerError):
        return translate(
            "ErrorText",
            "The Katapult server had an internal error (HTTP {status}). Try again later."
        ).format(status=getattr(exc, "status", "5xx"))
    if isinstance(exc, api_errors.CancelledError):
        return translate("ErrorText", "Cancelled.")
    if isinstance(exc, api_errors.KatapultError):
        return str(exc)
    return translate("ErrorText", "Unexpected error ({kind}): {message}").format(
        kind=type(exc).__name__, message=str(exc)
    )
