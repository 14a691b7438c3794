"""Shared test set-up: import paths and the plugin package under its installed name."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_API = ROOT.parent / "shared" / "katapult-api"
ARTIFACTS = ROOT / "test-artifacts"
PLUGIN_PACKAGE = "katapult_qgis"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_plugin_package():
    """Import the repository root as the package QGIS would see (``katapult_qgis``)."""
    if PLUGIN_PACKAGE in sys.modules:
        return sys.modules[PLUGIN_PACKAGE]
    spec = importlib.util.spec_from_file_location(
        PLUGIN_PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[PLUGIN_PACKAGE] = module
    spec.loader.exec_module(module)
    return module
from tests.qgis.katapult_support import qgis_auth  # noqa: F401,E402 (auth DB unlocked for tests)
from tests.sandbox_fixtures import sandbox, sandbox_factory  # noqa: F401,E402
