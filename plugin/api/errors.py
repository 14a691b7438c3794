"""Typed errors for every way a Katapult call can fail; ``str()`` reads as a sentence."""
from __future__ import annotations

from typing import Any

from .masking import mask_secrets

VALIDATION_TYPES = frozenset({
    "missing_parameter", "missing_required_field", "invalid_field", "invalid_id",
    "invalid_file_type", "invalid_request", "invalid_timestamp", "invalid_limit",
})

# What the user can do about each server error type / middleware error.
_HINTS = {
    "missing_parameter": "a required parameter was not sent; this is a bug in the request.",
    "missing_required_field": "add the missing field to the item and try again.",
    "invalid_field": "correct the field value and try again.",
    "invalid_id": "ids must be 20 to 256 characters of letters, digits, '-' or '_'.",
    "invalid_file_type": "only JPEG images can be uploaded.",
    "invalid_request": "check the request's parameters (dates must be ISO-8601, "
                       "limits positive integers).",
    "invalid_timestamp": "use an ISO-8601 date and time, e.g. 2026-05-01T13:22:10Z.",
    "invalid_limit": "use a positive whole number as the limit.",
    "not_found": "it may have been deleted on the server; refresh the job.",
    "forbidden": "your account has no permission for this; ask your company admin.",
    "extended_access_required": "this needs extended API access, which is not available "
                                "on katapultpro.com.",
    "token_rate_limit_exceeded": "the API's token budget is used up; the plugin waits for "
                                 "the next refill.",
    "internal_error": "the server had a problem; try again later.",
    "MISSING API KEY": "enter your Katapult API key in the plugin settings.",
    "INVALID API KEY": "check the API key in the plugin settings; it may have been revoked.",
    "INVALID USER": "the user this API key belongs to is not active; ask your company admin.",
    "PERMISSION DENIED": "your account has no permission for this; ask your company admin.",
    "GENERAL RATE LIMIT EXCEEDED": "too many calls in a short time; the plugin slows down.",
    "INTERNAL ERROR": "the server had a problem; try again later.",
    "NOT IMPLEMENTED": "the server does not offer this operation.",
}


class KatapultError(Exception):
    """Base of all client errors.

    Attributes: ``status`` (HTTP status or None before/without a response), ``type``
    (server error type, middleware error text, or a client-side type), ``server_message``,
    ``method``, ``path`` (never carries the API key), ``meta`` (token bucket state or None).
    """

    default_summary = "The Katapult request failed"
    #: True when an earlier attempt of the same request had an unknown outcome (so e.g. a
    #: 404 on a retried DELETE may mean the first attempt already deleted the item).
    retried_after_unknown_outcome = False

    def __init__(self, summary: str | None = None, *, status: int | None = None,
                 type: str | None = None, server_message: str | None = None,
                 method: str | None = None, path: str | None = None,
                 meta: dict | None = None, hint: str | None = None) -> None:
        self.status = status
        self.type = type
        self.server_message = mask_secrets(server_message) if server_message else server_message
        self.method = method.upper() if method else method
        self.path = mask_secrets(path) if path else path
        self.meta = meta
        self.summary = mask_secrets(summary or self.default_summary)
        self.hint = hint if hint is not None else _HINTS.get(type or "")
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        text = self.summary
        if self.method or self.path:
            text += f" ({' '.join(p for p in (self.method, self.path) if p)})"
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.type:
            details.append(self.type)
        if details:
            text += f" [{', '.join(details)}]"
        if self.server_message and self.server_message != self.type:
            text += f": {self.server_message.rstrip('.')}"
        text += "."
        if self.hint:
            text += f" {self.hint[0].upper()}{self.hint[1:]}"
        return mask_secrets(text)

    def __str__(self) -> str:
        return self._sentence()

    def __reduce__(self):  # keep errors picklable across threads/processes
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls, state):
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    Exception.__init__(obj, obj._sentence())
    return obj


class AuthError(KatapultError):
    """The key is missing, wrong or not allowed (400/401/403 from the middleware)."""

    default_summary = "Katapult did not accept the API key"


class ForbiddenError(AuthError):
    """A route refused the request for this account (403 ``forbidden`` /
    ``extended_access_required`` / middleware ``PERMISSION DENIED``)."""

    default_summary = "Katapult refused access"


class RateLimitError(KatapultError):
    """429: ``kind`` is ``"token"`` (token bucket empty) or ``"general"`` (calls too close)."""

    default_summary = "Katapult's rate limit was hit"

    def __init__(self, summary: str | None = None, *, kind: str = "general", **kw: Any) -> None:
        self.kind = kind
        super().__init__(summary, **kw)


class NotFoundError(KatapultError):
    """404 ``not_found``."""

    default_summary = "The item was not found on the Katapult server"


class ValidationError(KatapultError):
    """The request's content is wrong (server 400 types, or caught before sending)."""

    default_summary = "Katapult rejected the request's content"


class ServerError(KatapultError):
    """5xx / ``internal_error``."""

    default_summary = "The Katapult server had an internal error"


class NotImplementedByServer(KatapultError):  # noqa: N818 - name fixed by contracts.md
    """501: the operation is reserved / not implemented on this server."""

    default_summary = "The Katapult server does not implement this operation"


class TransportError(KatapultError):
    """No usable answer: ``reason`` is ``"unreachable"``, ``"timeout"`` or ``"tls"``."""

    default_summary = "The Katapult server could not be reached"

    def __init__(self, summary: str | None = None, *, reason: str = "unreachable",
                 **kw: Any) -> None:
        self.reason = reason
        kw.setdefault("hint", {
            "unreachable": "check the network connection, proxy settings and server URL.",
            "timeout": "the server or network is slow; try again later.",
            "tls": "the server's certificate was not trusted; check the CA bundle / proxy "
                   "settings in QGIS's network options.",
        }.get(reason))
        super().__init__(summary, **kw)


class UnknownOutcomeError(TransportError):
    """A request that is not safe to repeat may or may not have been applied.

    Raised instead of retrying a plain create (POST without a client-chosen id) after a
    timeout, a dropped connection, a truncated answer or a 5xx. The caller must check
    the server before sending it again.
    """

    default_summary = "It is unknown whether Katapult applied the change"

    def __init__(self, summary: str | None = None, **kw: Any) -> None:
        kw.setdefault("hint", "check the job on the server before trying again, "
                              "or the item may be created twice.")
        super().__init__(summary, **kw)


class ProtocolError(KatapultError):
    """The answer is not a Katapult API answer (not JSON, HTML page, truncated, ...)."""

    default_summary = "The server's answer was not a valid Katapult API response"


class CancelledError(KatapultError):
    """The caller cancelled while the request was waiting or being retried."""

    default_summary = "The Katapult request was cancelled"
    #: Cancels happen only while waiting before a request is sent (never mid-request).
    sent = False


_MIDDLEWARE = {
    "MISSING API KEY": (AuthError, "No API key was sent to Katapult"),
    "INVALID API KEY": (AuthError, "Katapult did not accept the API key"),
    "INVALID USER": (AuthError, "Katapult did not accept the user of this API key"),
    "PERMISSION DENIED": (ForbiddenError, "Katapult refused access"),
    "GENERAL RATE LIMIT EXCEEDED": (RateLimitError, "Katapult's general rate limit was hit"),
    "INTERNAL ERROR": (ServerError, "The Katapult server had an internal error"),
    "NOT IMPLEMENTED": (NotImplementedByServer,
                        "The Katapult server does not implement this operation"),
}


def error_from_envelope(status: int, body: dict, method: str, path: str) -> KatapultError:
    """Map an HTTP error status and its JSON body (either error shape) to a typed error."""
    common = {"status": status, "method": method, "path": path}
    if "error" in body and "status" not in body:
        text = str(body.get("error") or "")
        cls, summary = _MIDDLEWARE.get(text.upper(), (None, None))
        if status == 501:
            cls, summary = NotImplementedByServer, _MIDDLEWARE["NOT IMPLEMENTED"][1]
        if cls is None:
            cls = _class_for_status(status)
            summary = None
        kw = dict(common, type=text, server_message=text, meta=None)
        if cls is RateLimitError:
            return RateLimitError(summary, kind="general", **kw)
        return cls(summary, **kw)
    etype = body.get("type")
    message = body.get("message")
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else None
    kw = dict(common, type=etype, server_message=message, meta=meta)
    if etype == "token_rate_limit_exceeded":
        return RateLimitError("Katapult's token budget is used up", kind="token", **kw)
    if status == 429:
        return RateLimitError(kind="general", **kw)
    if etype == "not_found" or status == 404:
        return NotFoundError(**kw)
    if etype in ("forbidden", "extended_access_required"):
        return ForbiddenError(**kw)
    if etype in VALIDATION_TYPES:
        return ValidationError(**kw)
    if etype == "internal_error":
        return ServerError(**kw)
    if status == 501:
        return NotImplementedByServer(**kw)
    return _class_for_status(status)(**kw)


def _class_for_status(status: int) -> type[KatapultError]:
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status == 501:
        return NotImplementedByServer
    if status >= 500:
        return ServerError
    if status == 400:
        return ValidationError
    return KatapultError
