"""The real QGIS desktop under Xvfb with a throwaway profile where `make install` put the
plugin: it loads, unloads and reloads cleanly, and screenshots land in test-artifacts/."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.desktop

QGIS = shutil.which("qgis") or "/usr/bin/qgis"


@pytest.fixture
def profile(tmp_path) -> Path:
    if not shutil.which("xvfb-run"):
        pytest.skip("xvfb-run is missing (Debian: apt-get install xvfb xauth); "
                    "the desktop test needs a virtual X server")
    if not os.path.exists(QGIS):
        pytest.skip("the qgis desktop binary is missing (Debian: apt-get install qgis)")
    # QGIS 3.22 looks for profiles in <--profiles-path>/profiles/<name>
    root = tmp_path / "qgis-home"
    default = root / "profiles" / "default"
    subprocess.run(["make", "-s", "install", f"PROFILE_DIR={default}"], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    ini = default / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text(
        "[PythonPlugins]\nkatapult_qgis=true\n\n"
        "[qgis]\ncheckVersion=false\nshowTips322=false\n\n"
        "[core]\nNewsFeed\\httpsfeedqgisorg\\disabled=true\n",
        encoding="utf-8",
    )
    return root


def run_in_process_group(cmd: list[str], env: dict, cwd: Path, timeout: float):
    """Run ``cmd`` in its own session; on timeout kill the whole group (Xvfb, qgis too)."""
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            time.sleep(2)
        out, err = proc.communicate()
        err += f"\n[killed after {timeout} s]"
    return proc.returncode, out, err


def test_plugin_loads_in_real_qgis(profile, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("desktop_marker.json", "desktop_main_window.png", "desktop_settings_dialog.png"):
        (ARTIFACTS / name).unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.update(HOME=str(tmp_path), KATAPULT_DESKTOP_OUT=str(ARTIFACTS),
               XDG_RUNTIME_DIR=str(tmp_path), LANG="C.UTF-8")
    env.pop("KATAPULT_API_KEY", None)
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", QGIS,
           "--profiles-path", str(profile), "--profile", "default", "--nologo",
           "--noversioncheck", "--code", str(ROOT / "tests" / "desktop" / "startup_check.py")]
    code, _out, err = run_in_process_group(cmd, env, tmp_path, timeout=180)
    marker = ARTIFACTS / "desktop_marker.json"
    assert marker.exists(), f"QGIS wrote no marker (rc={code}):\n{err[-3000:]}"
    report = json.loads(marker.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["ok"], report["errors"]
    checks = report["checks"]
    installed = profile / "profiles" / "default" / "python" / "plugins" / "katapult_qgis"
    assert installed.is_symlink() and installed.resolve() == ROOT
    assert checks["active"] is True
    assert checks["module_file"].startswith(str(installed))
    for load in ("first_load", "second_load"):
        assert checks[load]["toolbars"] == ["KatapultToolbar"], checks[load]
        assert "katapult_settings" in checks[load]["actions"], checks[load]
        assert checks[load]["web_menu"] == ["&Katapult"], checks[load]
    assert checks["second_load"] == checks["first_load"]
    assert checks["unload_ok"] and checks["restart_ok"]
    assert checks["after_unload"] == {"toolbars": [], "actions": [], "docks": [], "web_menu": []}
    assert "only allowed for a server on this computer" not in checks["dialog_error"]
    assert checks["dialog_error"], "the refused key should show a reason"
    assert checks["main_png"] and checks["dialog_png"]
    assert (ARTIFACTS / "desktop_main_window.png").stat().st_size > 10_000
