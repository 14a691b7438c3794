"""describe_error: one clear, masked sentence per kind of failure."""
from __future__ import annotations

import pytest

from plugin.api import errors as e
from plugin.auth import AuthStoreError
from plugin.gui.error_text import describe_error
from plugin.settings import MissingApiKeyError, SettingsError

URL = "https://katapult.example.com/api/v3"


@pytest.mark.parametrize(
    "exc, start",
    [
        (e.AuthError(status=400, type="MISSING API KEY"), "Missing API key"),
        (e.AuthError(status=401, type="INVALID API KEY"), "Invalid API key: katapult.example.com"),
        (e.AuthError(status=403, type="INVALID USER"), "The key is valid, but its user has no"),
        (e.ForbiddenError(status=403, type="PERMISSION DENIED"), "The key is valid, but its"),
        (e.TransportError(reason="unreachable"), "Cannot reach katapult.example.com"),
        (e.TransportError(reason="timeout"), "katapult.example.com did not answer in time"),
        (e.TransportError(reason="tls"), "Secure connection to katapult.example.com failed"),
        (e.UnknownOutcomeError(), "The connection to katapult.example.com broke"),
        (e.ProtocolError(), "katapult.example.com answered, but not like a Katapult"),
        (e.NotImplementedByServer(status=501), "katapult.example.com answered, but not like"),
        (e.NotFoundError(status=404, path="/"), "katapult.example.com has no Katapult API"),
        (e.RateLimitError(kind="token"), "Katapult's rate limit for this key was reached"),
        (e.ServerError(status=503), "The Katapult server had an internal error (HTTP 503)"),
        (e.CancelledError(), "Cancelled."),
        (MissingApiKeyError(), "No Katapult API key is set"),
        (SettingsError("Enter your Katapult API key."), "Enter your Katapult API key."),
        (AuthStoreError("locked"), "locked"),
        (KeyError("boom"), "Unexpected error (KeyError)"),
    ],
)
def test_sentences(qgis_app, exc, start):
    assert describe_error(exc, URL).startswith(start)


def test_route_level_refusal_keeps_the_clients_sentence(qgis_app):
    exc = e.ForbiddenError(status=403, type="forbidden", method="GET", path="/jobs/x")
    assert describe_error(exc, URL) == str(exc)


def test_secrets_are_masked(qgis_app):
    exc = RuntimeError(f"GET {URL}/jobs?api_key=abc123secret failed")
    text = describe_error(exc, URL)
    assert "abc123secret" not in text and "api_key=***" in text
