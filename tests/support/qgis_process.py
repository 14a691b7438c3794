"""Run Katapult algorithms through the real ``qgis_process`` with the plugin enabled.

A throwaway QGIS profile folder gets the plugin (a link to this checkout, as
``make install`` does) and ``[PythonPlugins] katapult_qgis=true``; QGIS finds it
through ``QGIS_CUSTOM_CONFIG_PATH``. On Debian the wrapper ``qgis_process``
passes a flag the binary rejects, so the binary is called directly.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, Mapping, Optional

ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
PLUGIN_NAME = "katapult_qgis"


class QgisProcessError(RuntimeError):
    """qgis_process failed; the message holds its output."""


def make_profile(base: Path) -> Path:
    """A QGIS config folder with the plugin installed and enabled; returns the folder."""
    profile = base / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / PLUGIN_NAME
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text(f"[PythonPlugins]\n{PLUGIN_NAME}=true\n", encoding="utf-8")
    return base


def run_algorithm(
    config_dir: Path,
    algorithm: str,
    params: Mapping[str, object],
    *,
    api_key: str = "",
    base_url: str = "",
    timeout: float = 300,
    extra_env: Optional[Dict[str, str]] = None,
) -> dict:
    """Run ``algorithm`` with ``params``; returns the ``results`` map of qgis_process's JSON."""
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(config_dir)})
    env.setdefault("XDG_RUNTIME_DIR", str(config_dir))
    if api_key:
        env["KATAPULT_API_KEY"] = api_key
    if base_url:
        env["KATAPULT_BASE_URL"] = base_url
    env.update(extra_env or {})
    args = [QGIS_PROCESS, "--json", "run", algorithm, "--"]
    args += [f"{key}={value}" for key, value in params.items()]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    out = proc.stdout
    start = out.find("{")
    if proc.returncode != 0 or start < 0:
        raise QgisProcessError(
            f"qgis_process {algorithm} exited {proc.returncode}:\n"
            f"{proc.stderr[-3000:]}\n{out[-3000:]}"
        )
    payload = json.loads(out[start:])
    return payload.get("results", {})
