"""scripts/i18n_merge.py: contexts follow the code, translations survive re-runs."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("i18n_merge", ROOT / "scripts" / "i18n_merge.py")
i18n_merge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n_merge)

TEXTS = '''
def tr(text):
    """helper"""
    return QCoreApplication.translate("KatapultThings", text)
'''
USER = '''
from .texts import tr
from qgis.PyQt.QtCore import QCoreApplication
translate = QCoreApplication.translate

class Panel:
    def title(self):
        return tr("Helper string in a class")

    def label(self):
        return self.tr("Method string")

def loose():
    return translate(
        "Explicit",
        "Trailing comma string",
    )
'''


def entries(ts):
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            t = message.find("translation")
            out[(context.findtext("name"), message.findtext("source"))] = (
                t.text, t.get("type"))
    return out


@pytest.mark.skipif(not shutil.which("pylupdate5"), reason="pylupdate5 is not installed")
def test_contexts_follow_the_code_and_translations_survive(tmp_path):
    (tmp_path / "plugin").mkdir()
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "plugin" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "plugin" / "texts.py").write_text(TEXTS, encoding="utf-8")
    (tmp_path / "plugin" / "user.py").write_text(USER, encoding="utf-8")
    i18n = tmp_path / "i18n"
    i18n.mkdir()
    fresh, ts = i18n / "fresh.ts", i18n / "katapult_xx.ts"

    def run():
        subprocess.run(["pylupdate5", "-noobsolete", "plugin/texts.py", "plugin/user.py",
                        "-ts", str(fresh)], cwd=tmp_path, check=True, capture_output=True)
        return i18n_merge.merge(fresh, ts, ts, root=tmp_path)

    assert run() == (3, 3)
    got = entries(ts)
    assert set(got) == {("KatapultThings", "Helper string in a class"),
                        ("Panel", "Method string"),
                        ("Explicit", "Trailing comma string")}
    # a translator fills one in; re-running keeps it and changes nothing else
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        if message.findtext("source") == "Method string":
            translation = message.find("translation")
            translation.text = "Cadena de método"
            translation.attrib.clear()
    tree.write(ts, encoding="utf-8")
    assert run() == (3, 2)
    first = ts.read_text(encoding="utf-8")
    assert run() == (3, 2)
    assert ts.read_text(encoding="utf-8") == first
    assert entries(ts)[("Panel", "Method string")] == ("Cadena de método", None)
    # a string that leaves the code leaves the .ts
    (tmp_path / "plugin" / "user.py").write_text(USER.replace("Method string", "Renamed"),
                                                 encoding="utf-8")
    assert run() == (3, 3)
    assert ("Panel", "Method string") not in entries(ts)


def test_module_tr_without_context_is_reported(tmp_path):
    (tmp_path / "plugin").mkdir()
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "plugin" / "bad.py").write_text("def f():\n    return tr('x')\n",
                                                encoding="utf-8")
    _found, problems = i18n_merge.code_strings(tmp_path)
    assert problems and "plugin/bad.py:2" in problems[0]
