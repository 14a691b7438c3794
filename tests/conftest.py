"""Shared test set-up: import paths and the plugin package under its installed name."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

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
from tests.qgis.processing_support import creds, provider  # noqa: F401,E402
from tests.sandbox_fixtures import sandbox, sandbox_factory  # noqa: F401,E402

# ---- process exit -------------------------------------------------------------------------
# QGIS 3.22's own teardown at interpreter exit (after every test has run and pytest has
# printed its summary) sometimes crashes inside C++ destructors with no Python frame,
# turning a green run into exit code 139. Once pytest is completely done we leave with
# the exit status pytest decided, skipping that teardown. Crashes DURING tests are not
# affected: they still kill the run and fail it.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):  # noqa: D103
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):  # noqa: D103
    if _EXIT_STATUS and os.environ.get("KATAPULT_TEST_NORMAL_EXIT") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
