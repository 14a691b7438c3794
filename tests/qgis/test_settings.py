"""Settings: URL/key validation, auth-database storage, credentials(), nothing secret in
QgsSettings."""
from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsSettings

from plugin import auth
from plugin.settings import (
    DEFAULT_BASE_URL,
    MissingApiKeyError,
    Settings,
    SettingsError,
    validate_api_key,
    validate_base_url,
)


@pytest.fixture
def clean_settings(qgis_app, qgis_auth, monkeypatch):
    """An empty ``katapult/`` group and no KATAPULT_* variables; auth configs removed after."""
    monkeypatch.delenv("KATAPULT_API_KEY", raising=False)
    monkeypatch.delenv("KATAPULT_BASE_URL", raising=False)
    qs = QgsSettings()
    qs.remove("katapult")
    before = set(qgis_auth.configIds())
    yield Settings(qs)
    for config_id in set(qgis_auth.configIds()) - before:
        qgis_auth.removeAuthenticationConfig(config_id)
    qs.remove("katapult")
    qs.sync()


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://katapultpro.com/api/v3", "https://katapultpro.com/api/v3"),
        ("  https://katapultpro.com/api/v3/  ", "https://katapultpro.com/api/v3"),
        ("https://katapult.mycompany.example:8443/api/v3", "https://katapult.mycompany.example:8443/api/v3"),
        ("HTTPS://KatapultPro.com/api/v3", "https://KatapultPro.com/api/v3"),
        ("http://127.0.0.1:8765/api/v3", "http://127.0.0.1:8765/api/v3"),
        ("http://localhost:8765/api/v3", "http://localhost:8765/api/v3"),
        ("http://[::1]:8765/api/v3", "http://[::1]:8765/api/v3"),
    ],
)
def test_good_urls(url, expected):
    assert validate_base_url(url) == expected


@pytest.mark.parametrize(
    "url, reason",
    [
        ("", "Enter the server URL"),
        ("katapultpro.com/api/v3", "must start with https://"),
        ("ftp://katapultpro.com/api/v3", "must start with https://"),
        ("https://", "must start with https://"),
        ("https://katapult pro.com/api/v3", "spaces"),
        ("https://katapultpro.com:99999/api/v3", "malformed"),
        ("https://[::1/api/v3", "malformed"),
        ("http://katapultpro.com/api/v3", "only allowed for a server on this computer"),
        ("http://10.0.0.5:8765/api/v3", "only allowed for a server on this computer"),
        ("http://127.0.0.2/api/v3", "only allowed for a server on this computer"),
        ("https://me:pw@katapultpro.com/api/v3", "user name or password"),
        ("https://katapultpro.com/api/v3?api_key=abc", "'?' or '#'"),
    ],
)
def test_bad_urls_name_the_reason(url, reason):
    with pytest.raises(SettingsError) as info:
        validate_base_url(url)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    "key, reason",
    [
        ("", "Enter your Katapult API key"),
        (" abcdef", "space or line break (character 1)"),
        ("abc def", "space or line break (character 4)"),
        ("abcdef\n", "space or line break (character 7)"),
        ("abc\tdef", "space or line break"),
        ("abc\x00def", "control character"),
    ],
)
def test_bad_keys_name_the_reason(key, reason):
    with pytest.raises(SettingsError) as info:
        validate_api_key(key)
    assert reason in str(info.value)


def test_defaults(clean_settings):
    assert clean_settings.base_url == DEFAULT_BASE_URL
    assert clean_settings.auth_config_id == ""
    assert clean_settings.units == "ft"
    clean_settings.units = "m"
    assert Settings().units == "m"
    with pytest.raises(SettingsError):
        clean_settings.units = "yards"


def test_secret_looking_names_are_refused(clean_settings):
    with pytest.raises(SettingsError):
        clean_settings.set_value("api_key", "x")
    with pytest.raises(SettingsError):
        clean_settings.set_value("proxy_password", "x")


def test_save_credentials_keeps_key_only_in_auth_db(clean_settings, qgis_auth):
    key = "kq-test-key-5c1e0e4d2a"
    config_id = clean_settings.save_credentials("https://katapult.example.com/api/v3/", key)
    assert config_id in qgis_auth.configIds()
    assert clean_settings.auth_config_id == config_id
    assert clean_settings.credentials() == ("https://katapult.example.com/api/v3", key)
    ini = Path(QgsSettings().fileName()).read_text(encoding="utf-8")
    assert config_id in ini and key not in ini
    assert key.encode() not in Path(qgis_auth.authenticationDatabasePath()).read_bytes()

    # saving again updates the same config rather than piling up new ones
    again = clean_settings.save_credentials("https://katapult.example.com/api/v3", key + "2")
    assert again == config_id
    assert auth.load_api_key(config_id) == key + "2"


def test_refused_values_save_nothing(clean_settings, qgis_auth):
    before = set(qgis_auth.configIds())
    for url, key in [
        ("http://katapult.example.com/api/v3", "goodkey123"),
        ("https://katapultpro.com/api/v3", "bad key"),
        ("https://katapultpro.com/api/v3", ""),
    ]:
        with pytest.raises(SettingsError):
            clean_settings.save_credentials(url, key)
    assert set(qgis_auth.configIds()) == before
    assert QgsSettings().value("katapult/server_url") is None
    assert clean_settings.auth_config_id == ""


def test_environment_fallback(clean_settings, monkeypatch):
    with pytest.raises(MissingApiKeyError) as info:
        clean_settings.credentials()
    assert "KATAPULT_API_KEY" in str(info.value)
    monkeypatch.setenv("KATAPULT_API_KEY", "env-key-123")
    assert clean_settings.credentials() == (DEFAULT_BASE_URL, "env-key-123")
    monkeypatch.setenv("KATAPULT_BASE_URL", "http://127.0.0.1:8765/api/v3/")
    assert clean_settings.credentials() == ("http://127.0.0.1:8765/api/v3", "env-key-123")
    monkeypatch.setenv("KATAPULT_BASE_URL", "http://example.com/api/v3")
    with pytest.raises(SettingsError):
        clean_settings.credentials()


def test_auth_config_wins_over_environment(clean_settings, monkeypatch):
    monkeypatch.setenv("KATAPULT_API_KEY", "env-key-123")
    clean_settings.save_credentials("https://katapultpro.com/api/v3", "stored-key-456")
    assert clean_settings.credentials()[1] == "stored-key-456"


def test_deleted_auth_config_is_a_clear_error(clean_settings, qgis_auth):
    config_id = clean_settings.save_credentials("https://katapultpro.com/api/v3", "stored-key-456")
    qgis_auth.removeAuthenticationConfig(config_id)
    with pytest.raises(auth.AuthStoreError) as info:
        clean_settings.credentials()
    assert config_id in str(info.value) and "Settings" in str(info.value)


def test_auth_config_is_a_basic_config_named_after_the_host(clean_settings, qgis_auth):
    from qgis.core import QgsAuthMethodConfig

    config_id = clean_settings.save_credentials("https://katapultpro.com/api/v3", "stored-key-456")
    config = QgsAuthMethodConfig()
    qgis_auth.loadAuthenticationConfig(config_id, config, True)
    assert config.method() == "Basic"
    assert config.name() == "Katapult API key (katapultpro.com)"
    assert config.uri() == "https://katapultpro.com/api/v3"
    assert config.config("username") == "api_key"

