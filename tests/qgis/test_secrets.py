"""A known API key pushed through error paths never shows up in the log panel, the message
bar, Python logging, QgsSettings' ini file, or saved project files."""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from qgis.core import QgsProject, QgsSettings, QgsVectorLayer

from plugin import qgis_log
from plugin.api.client import KatapultClient
from plugin.api.errors import KatapultError
from plugin.gui.error_text import describe_error
from plugin.gui.settings_dialog import SettingsDialog
from plugin.settings import Settings
from tests.conftest import load_plugin_package
from tests.qgis.katapult_support import RecordingIface, flush_deletes, wait_until

KEY = "kq-SECRET-7f3a9c21e8b44d05"
UNREGISTERED = "kq-OTHER-0d9e8f7a6b5c4d3e"  # never registered: masked by the api_key= rule


@pytest.fixture
def collected(qgis_app, qgis_auth, monkeypatch, caplog):
    """Everything a user or a file could see, gathered while the test runs."""
    from qgis.core import QgsApplication

    monkeypatch.delenv("KATAPULT_API_KEY", raising=False)
    QgsSettings().remove("katapult")
    before = set(qgis_auth.configIds())
    messages: list[str] = []

    def on_message(message, tag, level):
        messages.append(f"{tag}: {message}")

    QgsApplication.messageLog().messageReceived.connect(on_message)
    caplog.set_level(logging.DEBUG)
    yield messages
    QgsApplication.messageLog().messageReceived.disconnect(on_message)
    for config_id in set(qgis_auth.configIds()) - before:
        qgis_auth.removeAuthenticationConfig(config_id)
    QgsSettings().remove("katapult")


def assert_clean(text: str, where: str) -> None:
    for secret in (KEY, quote(KEY, safe=""), UNREGISTERED):
        assert secret not in text, f"the API key leaked into {where}"


def test_key_never_leaks(collected, sandbox_factory, tmp_path, caplog, qgis_iface):
    server = sandbox_factory(api_key=KEY, sample_nodes=10, seed=2, time_scale=60)
    iface = RecordingIface()
    shown: list[str] = []

    # 1. settings save: the key goes to the auth database only
    dialog = SettingsDialog(None, Settings())
    dialog.url_edit.setText(server.base_url)
    dialog.key_edit.setText(KEY)
    assert dialog.save() is True
    dialog.deleteLater()

    # 2. HTTP errors from the sandbox, logged and shown like the plugin does
    client = KatapultClient(server.base_url, KEY, max_retries=0)
    wrong = KatapultClient(server.base_url, KEY + "x", max_retries=0)
    for call in (
        lambda: client.get_job("no-such-job-0000000000000"),
        lambda: client.list_nodes("no-such-job-0000000000000"),
        lambda: wrong.who_am_i(),
    ):
        with pytest.raises(KatapultError) as info:
            call()
        exc = info.value
        shown.append(str(exc))
        qgis_log.log_exception("Katapult call failed", exc)
        text = describe_error(exc, server.base_url)
        qgis_log.push_message(iface.messageBar(), "Katapult", text, duration=0)
        qgis_log.push_message(qgis_iface.messageBar(), "Katapult", describe_error(exc), duration=0)
    client.close()
    wrong.close()

    # 3. exceptions carrying URLs with the key, raised in a plugin action
    url = f"{server.base_url}/jobs?api_key={KEY}&limit=5"
    encoded = f"https://proxy/fetch?u={quote(url, safe='')}"
    plugin = load_plugin_package().classFactory(iface)
    plugin.initGui()
    try:
        plugin._run(type("Spec", (), {
            "text": "Broken", "handler": staticmethod(
                lambda p: (_ for _ in ()).throw(RuntimeError(f"GET {url} failed; {encoded}")))
        })())
    finally:
        plugin.unload()
        flush_deletes()

    # 4. direct log calls with the key in every shape
    qgis_log.log(f"GET {url}")
    qgis_log.warning(f"retrying {encoded}")
    qgis_log.critical(f"key was {KEY}")
    qgis_log.info(f"GET https://katapultpro.com/api/v3/jobs?limit=1&api_key={UNREGISTERED}")

    # 5. a failing Test connection shows a sentence, not the URL
    dialog = SettingsDialog(None, Settings())
    dialog.key_edit.setText(KEY + "x")
    dialog.test_connection()
    assert wait_until(lambda: dialog.task is None, 30)
    shown.append(dialog.result_label.text())
    shown.append(dialog.error_label.text())
    dialog.deleteLater()

    # 6. saved project files (with a layer from the job, as later rooms will add)
    project = QgsProject.instance()
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=kp_id:string", "nodes", "memory")
    layer.setCustomProperty("katapult/job_id", server.job_id or "")
    project.addMapLayer(layer)
    try:
        assert project.write(str(tmp_path / "job.qgs"))
        assert project.write(str(tmp_path / "job.qgz"))
    finally:
        project.clear()

    # the checks
    assert collected, "nothing was logged: the test would prove nothing"
    assert any("***" in m for m in collected)
    assert_clean("\n".join(collected), "the QGIS message log")
    bar_texts = [f"{t} {x}" for t, x in iface.pushed]
    bar_texts += qgis_iface.messageBar().get_messages(0) + qgis_iface.messageBar().get_messages(2)
    assert len(bar_texts) >= 4
    assert_clean("\n".join(bar_texts), "the message bar")
    assert_clean("\n".join(shown), "exception texts / dialog labels")
    assert_clean(caplog.text, "Python logging (requests/urllib3)")
    ini = Path(QgsSettings().fileName())
    assert "katapult" in ini.read_text(encoding="utf-8")
    assert_clean(ini.read_text(encoding="utf-8"), str(ini))
    assert_clean((tmp_path / "job.qgs").read_text(encoding="utf-8"), "job.qgs")
    with zipfile.ZipFile(tmp_path / "job.qgz") as zf:
        for name in zf.namelist():
            assert_clean(zf.read(name).decode("utf-8", "replace"), f"job.qgz:{name}")
