"""Masking: the API key never shows up in texts, errors or logs."""
from __future__ import annotations

import logging

from plugin.api.masking import MaskingFilter, mask_secrets, register_secret, unregister_secret


def test_query_string_value_masked():
    url = "https://katapultpro.com/api/v3/jobs?limit=5&api_key=abc123XYZ&list=true"
    assert mask_secrets(url) == "https://katapultpro.com/api/v3/jobs?limit=5&api_key=***&list=true"


def test_url_encoded_forms_masked():
    inner = "https%3A%2F%2Fx%2Fjobs%3Fapi_key%3Ds3cr3t%26limit%3D1"
    out = mask_secrets(inner)
    assert "s3cr3t" not in out and "api_key%3D***%26limit" in out
    double = "next=%2Fjobs%253Fapi_key%253Dtopsecret%2526x"
    assert "topsecret" not in mask_secrets(double)


def test_case_insensitive_and_json_shapes():
    assert "Q1" not in mask_secrets("API_KEY=Q1")
    assert mask_secrets('{"api_key": "hush"}') == '{"api_key": "***"}'
    assert mask_secrets("{'api_key': 'hush'}") == "{'api_key': '***'}"


def test_registered_secret_masked_anywhere_including_encoded():
    secret = "my key/with+odd&chars"
    register_secret(secret)
    try:
        assert secret not in mask_secrets(f"header X-Key: {secret}")
        assert "my%20key%2Fwith%2Bodd%26chars" not in mask_secrets(
            "u=my%20key%2Fwith%2Bodd%26chars")
        assert "my+key%2Fwith%2Bodd%26chars" not in mask_secrets("u=my+key%2Fwith%2Bodd%26chars")
    finally:
        unregister_secret(secret)
    assert secret in mask_secrets(f"after: {secret}")


def test_empty_and_none_are_harmless():
    register_secret("")
    register_secret(None)
    assert mask_secrets(None) == ""
    assert mask_secrets("plain text") == "plain text"
    assert mask_secrets("api_key=") == "api_key="


def test_logging_filter_masks_formatted_message(caplog):
    logger = logging.getLogger("test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.DEBUG, logger="test.masking"):
        logger.debug('"GET %s HTTP/1.1" 200', "/api/v3/jobs?api_key=zzTOPzz")
    assert "zzTOPzz" not in caplog.text
    assert "api_key=***" in caplog.text


def test_very_short_secret_not_masked_as_free_text_but_query_value_is():
    register_secret("k")
    assert mask_secrets("keep kites") == "keep kites"
    assert mask_secrets("/jobs?api_key=k") == "/jobs?api_key=***"
