"""i18n: every translatable literal in the code is in i18n/katapult_es.ts, translated,
compiled into the .qm, and the Spanish translation is used when QGIS runs in Spanish."""
from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from tests.conftest import ROOT, load_plugin_package
from tests.qgis.katapult_support import RecordingIface, flush_deletes

TS = ROOT / "i18n" / "katapult_es.ts"
QM = ROOT / "i18n" / "katapult_es.qm"
FIX = "run `make translations`, then translate the new entries of i18n/katapult_es.ts"

_spec = importlib.util.spec_from_file_location("i18n_merge", ROOT / "scripts" / "i18n_merge.py")
i18n_merge = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n_merge)


def code_strings() -> tuple[set[tuple[str, str]], list[str]]:
    """(context, source) of every literal tr/translate/QT_TRANSLATE_NOOP call, and problems."""
    found, problems = i18n_merge.code_strings(ROOT)
    return {(ctx, src) for ctx, src, _path, _line in found}, problems


def ts_entries() -> dict[tuple[str, str], str | None]:
    out = {}
    for context in ET.parse(TS).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation.get("type") != "unfinished" and (translation.text or "").strip()
            out[(context.findtext("name"), message.findtext("source"))] = (
                translation.text if done else None
            )
    return out


def test_every_string_is_extractable():
    _found, problems = code_strings()
    assert problems == [], "\n".join(problems)


def test_every_string_has_a_spanish_translation():
    found, _problems = code_strings()
    entries = ts_entries()
    missing = sorted(f"[{c}] {s}" for c, s in found if (c, s) not in entries)
    untranslated = sorted(f"[{c}] {s}" for c, s in found if entries.get((c, s)) is None
                          and (c, s) in entries)
    assert not missing, f"not in the .ts ({FIX}):\n" + "\n".join(missing)
    assert not untranslated, f"not translated ({FIX}):\n" + "\n".join(untranslated)


def test_placeholders_survive_translation():
    for (ctx, src), tr in ts_entries().items():
        if tr is not None:
            assert sorted(re.findall(r"\{[^}]*\}", src)) == sorted(re.findall(r"\{[^}]*\}", tr)), (
                ctx, src)


def test_qm_is_compiled_from_the_ts():
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} missing or unreadable ({FIX})"
    QCoreApplication.installTranslator(translator)
    try:
        stale = [(c, s) for (c, s), tr in ts_entries().items()
                 if tr is not None and QCoreApplication.translate(c, s) != tr]
    finally:
        QCoreApplication.removeTranslator(translator)
    assert not stale, f"{QM} is older than the .ts: {stale[:3]} (run `make translations`)"


@pytest.fixture
def spanish_locale():
    settings = QgsSettings()
    old = settings.value("locale/userLocale")
    settings.setValue("locale/userLocale", "es_ES")
    yield
    if old is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", old)


def test_plugin_speaks_spanish_in_a_spanish_qgis(spanish_locale, qgis_app):
    package = load_plugin_package()
    iface = RecordingIface()
    plugin = package.classFactory(iface)
    assert plugin.translator is not None
    plugin.initGui()
    try:
        assert plugin.action("katapult_settings").text() == "Configuración…"
        from importlib import import_module

        dialog_module = import_module(f"{package.__name__}.plugin.gui.settings_dialog")
        dialog = dialog_module.SettingsDialog(iface.mainWindow())
        assert dialog.windowTitle() == "Configuración de Katapult"
        assert dialog.test_button.text() == "Probar la conexión"
        dialog.deleteLater()
    finally:
        plugin.unload()
        flush_deletes()
    # the translator goes away with the plugin
    assert QCoreApplication.translate("KatapultPlugin", "Settings…") == "Settings…"
