"""The Settings dialog: refusals with reasons (nothing saved), saving, and Test connection
off the GUI thread against the sandbox and canned local servers (one sentence per failure)."""
from __future__ import annotations

import threading

import pytest
from qgis.core import QgsSettings

from plugin.gui.connection_test import ConnectionTestTask
from plugin.gui.settings_dialog import SettingsDialog
from plugin.settings import Settings
from tests.qgis.katapult_support import CannedServer, closed_port, wait_until


@pytest.fixture
def dialog(qgis_app, qgis_auth, monkeypatch):
    monkeypatch.delenv("KATAPULT_API_KEY", raising=False)
    monkeypatch.delenv("KATAPULT_BASE_URL", raising=False)
    qs = QgsSettings()
    qs.remove("katapult")
    before = set(qgis_auth.configIds())
    dlg = SettingsDialog(None, Settings(qs))
    yield dlg
    if dlg.task is not None:
        wait_until(lambda: dlg.task is None)
    dlg.deleteLater()
    for config_id in set(qgis_auth.configIds()) - before:
        qgis_auth.removeAuthenticationConfig(config_id)
    qs.remove("katapult")


def run_test(dlg: SettingsDialog, url: str, key: str) -> str:
    dlg.url_edit.setText(url)
    dlg.key_edit.setText(key)
    task = dlg.test_connection()
    assert isinstance(task, ConnectionTestTask)
    assert not dlg.test_button.isEnabled()
    assert wait_until(lambda: dlg.task is None, 30), "the connection test did not finish"
    assert dlg.test_button.isEnabled()
    return dlg.result_label.text()


@pytest.mark.parametrize(
    "url, key, reason",
    [
        ("not a url", "demo-key", "spaces"),
        ("katapultpro.com/api/v3", "demo-key", "must start with https://"),
        ("http://katapultpro.com/api/v3", "demo-key", "only allowed for a server on this computer"),
        ("https://katapultpro.com/api/v3", "", "Enter your Katapult API key"),
        ("https://katapultpro.com/api/v3", "demo key", "space or line break"),
        ("https://katapultpro.com/api/v3", "demo-key\n", "space or line break"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_is_saved(dialog, qgis_auth, url, key,
                                                                   reason):
    before = set(qgis_auth.configIds())
    dialog.url_edit.setText(url)
    dialog.key_edit.setText(key)
    assert dialog.save() is False
    assert reason in dialog.error_label.text()
    assert dialog.result() == 0  # still open
    assert set(qgis_auth.configIds()) == before
    assert QgsSettings().value("katapult/server_url") is None
    assert QgsSettings().value("katapult/auth_config_id") is None
    # Test connection refuses the same input without any network call
    assert dialog.test_connection() is None
    assert reason in dialog.error_label.text()


def test_save_stores_key_in_auth_db(dialog, qgis_auth):
    dialog.url_edit.setText("https://katapult.example.com/api/v3/")
    dialog.key_edit.setText("good-key-123456")
    dialog.units_combo.setCurrentIndex(dialog.units_combo.findData("m"))
    assert dialog.save() is True
    settings = Settings()
    assert settings.base_url == "https://katapult.example.com/api/v3"
    assert settings.units == "m"
    assert settings.auth_config_id in qgis_auth.configIds()
    assert settings.credentials()[1] == "good-key-123456"
    # reopening shows the stored key and where it lives
    again = SettingsDialog(None, settings)
    assert again.key_edit.text() == "good-key-123456"
    assert settings.auth_config_id in again.storage_label.text()
    again.deleteLater()


def test_connection_ok_shows_whose_key_it_is(dialog, sandbox):
    text = run_test(dialog, sandbox.base_url, sandbox.api_key)
    who = sandbox.store.whoami()
    assert text.startswith(f"Connected. This key belongs to {who['email']}"), text
    assert f"user id {who['uid']}" in text and f"company {who['user_group']}" in text


def test_connection_runs_off_the_gui_thread(dialog, sandbox):
    threads = []

    class Spy:
        def __init__(self, url, key):
            from plugin.api.client import KatapultClient

            self.client = KatapultClient(url, key, max_retries=0)

        def get_welcome(self):
            threads.append(threading.current_thread())
            return self.client.get_welcome()

        def who_am_i(self):
            return self.client.who_am_i()

    dialog._client_factory = Spy
    run_test(dialog, sandbox.base_url, sandbox.api_key)
    assert threads and threads[0] is not threading.main_thread()


def test_invalid_key(dialog, sandbox):
    text = run_test(dialog, sandbox.base_url, "not-the-right-key")
    assert text.startswith("Invalid API key")
    assert "not-the-right-key" not in text


@pytest.mark.parametrize(
    "payload, status, start",
    [
        ({"error": "MISSING API KEY"}, 400, "Missing API key"),
        ({"error": "INVALID API KEY"}, 401, "Invalid API key"),
        ({"error": "INVALID USER"}, 403, "The key is valid, but its user has no API access"),
        ({"error": "PERMISSION DENIED"}, 403, "The key is valid, but its user has no API access"),
    ],
)
def test_middleware_refusals(dialog, payload, status, start):
    with CannedServer.json(status, payload) as server:
        text = run_test(dialog, server.url(), "some-key-123")
    assert text.startswith(start), text


def test_unreachable(dialog):
    text = run_test(dialog, f"http://127.0.0.1:{closed_port()}/api/v3", "some-key-123")
    assert text.startswith("Cannot reach 127.0.0.1:"), text


def test_not_a_katapult_server(dialog):
    html = "<html><body><h1>Welcome to nginx!</h1></body></html>"
    with CannedServer(200, html, "text/html") as server:
        text = run_test(dialog, server.url(), "some-key-123")
    assert "not like a Katapult Pro API server" in text, text


def test_tls_failure(dialog):
    # https:// to a server that only speaks plain HTTP: the TLS handshake fails
    with CannedServer.json(200, {"status": "success"}) as server:
        text = run_test(dialog, server.url("https"), "some-key-123")
    assert text.startswith("Secure connection to 127.0.0.1:"), text


def test_forget_key_removes_the_auth_config(dialog, qgis_auth):
    dialog.url_edit.setText("https://katapultpro.com/api/v3")
    dialog.key_edit.setText("key-to-forget-123")
    assert dialog.save() is True
    config_id = Settings().auth_config_id
    again = SettingsDialog(None, Settings())
    assert again.forget_button.isEnabled()
    assert again.forget_key() is True
    assert config_id not in qgis_auth.configIds()
    assert Settings().auth_config_id == ""
    assert again.key_edit.text() == "" and not again.forget_button.isEnabled()
    assert Settings().base_url == "https://katapultpro.com/api/v3"
    again.deleteLater()
