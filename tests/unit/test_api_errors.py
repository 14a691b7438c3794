"""Typed errors: both error shapes, 501, readable sentences, masking."""
from __future__ import annotations

import pickle

import pytest

from plugin.api import errors as E  # noqa: N812


@pytest.mark.parametrize("status,text,cls", [
    (400, "MISSING API KEY", E.AuthError),
    (401, "INVALID API KEY", E.AuthError),
    (403, "INVALID USER", E.AuthError),
    (403, "PERMISSION DENIED", E.ForbiddenError),
    (429, "GENERAL RATE LIMIT EXCEEDED", E.RateLimitError),
    (500, "INTERNAL ERROR", E.ServerError),
    (501, "NOT IMPLEMENTED", E.NotImplementedByServer),
    (418, "SOMETHING NEW", E.KatapultError),
])
def test_middleware_shape(status, text, cls):
    err = E.error_from_envelope(status, {"error": text}, "GET", "/jobs")
    assert type(err) is cls
    assert err.status == status and err.type == text and err.meta is None
    assert err.method == "GET" and err.path == "/jobs"
    if cls is E.RateLimitError:
        assert err.kind == "general"


@pytest.mark.parametrize("etype,status,cls", [
    ("missing_parameter", 400, E.ValidationError),
    ("missing_required_field", 400, E.ValidationError),
    ("invalid_field", 400, E.ValidationError),
    ("invalid_id", 400, E.ValidationError),
    ("invalid_file_type", 400, E.ValidationError),
    ("invalid_request", 400, E.ValidationError),
    ("invalid_timestamp", 400, E.ValidationError),
    ("invalid_limit", 400, E.ValidationError),
    ("not_found", 404, E.NotFoundError),
    ("forbidden", 403, E.ForbiddenError),
    ("extended_access_required", 403, E.ForbiddenError),
    ("token_rate_limit_exceeded", 429, E.RateLimitError),
    ("internal_error", 500, E.ServerError),
])
def test_route_envelope_shape(etype, status, cls):
    meta = {"token_count": 3, "last_refill_time": 1700000000000}
    body = {"status": "error", "message": "Something about it", "type": etype, "meta": meta}
    err = E.error_from_envelope(status, body, "post", "/jobs/J/nodes/N")
    assert type(err) is cls
    assert (err.status, err.type, err.server_message) == (status, etype, "Something about it")
    assert err.meta == meta and err.method == "POST"
    if etype == "token_rate_limit_exceeded":
        assert err.kind == "token"
    # a sentence: capitalised, names the request, ends with a full stop
    text = str(err)
    assert text[0].isupper() and "POST /jobs/J/nodes/N" in text and f"HTTP {status}" in text
    assert "Something about it" in text and text.rstrip().endswith(".")


def test_sentence_has_hint_for_user():
    err = E.error_from_envelope(401, {"error": "INVALID API KEY"}, "GET", "/users/whoami")
    assert str(err) == ("Katapult did not accept the API key (GET /users/whoami) "
                        "[HTTP 401, INVALID API KEY]. Check the API key in the plugin "
                        "settings; it may have been revoked.")


def test_secret_in_path_and_message_is_masked():
    err = E.ServerError(server_message="boom at /x?api_key=LEAKME",
                        method="GET", path="/jobs?api_key=LEAKME")
    assert "LEAKME" not in str(err) and "LEAKME" not in repr(err)
    assert "LEAKME" not in err.path and "LEAKME" not in err.server_message


def test_transport_and_unknown_outcome():
    err = E.UnknownOutcomeError(reason="timeout", method="POST", path="/jobs/J/nodes")
    assert isinstance(err, E.TransportError) and err.reason == "timeout"
    assert "unknown whether" in str(err).lower()
    tls = E.TransportError(reason="tls")
    assert "certificate" in str(tls)


def test_errors_pickle_round_trip():
    err = E.error_from_envelope(429, {"status": "error", "type": "token_rate_limit_exceeded",
                                      "message": "m", "meta": {"token_count": 0}}, "GET", "/")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is E.RateLimitError and back.kind == "token" and str(back) == str(err)
