"""`make package`: the zip has one katapult_qgis/ folder with only what the plugin needs."""
from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile

from tests.conftest import ROOT

FORBIDDEN_PARTS = {"tests", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "docs",
                   "scripts", ".git", ".ci", "dist", "test-artifacts", ".qgis-settings",
                   ".hypothesis"}


def build(tmp_path):
    out = tmp_path / "dist" / "katapult_qgis.zip"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package.py"), "--output", str(out)],
                   check=True, capture_output=True, text=True, cwd=tmp_path)
    return out


def test_zip_layout(tmp_path):
    out = build(tmp_path)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
    files = [n for n in names if not n.endswith("/")]
    assert {n.split("/")[0] for n in names} == {"katapult_qgis"}
    for needed in ("metadata.txt", "__init__.py", "README.md", "plugin/main.py",
                   "plugin/__init__.py", "resources/icon.svg", "i18n/katapult_es.qm"):
        assert f"katapult_qgis/{needed}" in files, needed
    if (ROOT / "LICENSE").is_file():
        assert "katapult_qgis/LICENSE" in files
    for name in files:
        parts = set(name.split("/")[1:-1])
        assert not parts & FORBIDDEN_PARTS, name
        assert not name.endswith((".pyc", ".pyo", ".ts", ".orig")), name
    # every Python module under plugin/ on disk is in the zip
    on_disk = {f"katapult_qgis/{p.relative_to(ROOT).as_posix()}"
               for p in (ROOT / "plugin").rglob("*.py") if "__pycache__" not in p.parts}
    assert on_disk <= set(files)


def test_zip_metadata_and_import(tmp_path):
    out = build(tmp_path)
    target = tmp_path / "plugins"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(target)
    parser = configparser.ConfigParser()
    parser.read(target / "katapult_qgis" / "metadata.txt", encoding="utf-8")
    assert parser["general"]["name"] == "Katapult for QGIS"
    # import the unzipped plugin in a fresh interpreter, the way QGIS would
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import katapult_qgis, pathlib;"
        "here = pathlib.Path(katapult_qgis.__file__).parent;"
        "assert here == pathlib.Path(sys.argv[1], 'katapult_qgis'), here;"
        "plugin = katapult_qgis.classFactory(None);"
        "print(type(plugin).__module__, type(plugin).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                 "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["katapult_qgis.plugin.main", "KatapultPlugin"]
