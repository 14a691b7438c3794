"""classFactory -> initGui -> unload, twice: every action, menu entry, toolbar and dock
goes away."""
from __future__ import annotations

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QLabel, QToolBar

from tests.conftest import load_plugin_package
from tests.qgis.katapult_support import RecordingIface, flush_deletes


@pytest.fixture
def package():
    return load_plugin_package()


@pytest.fixture
def main_module(package):
    import importlib

    return importlib.import_module(f"{package.__name__}.plugin.main")


def katapult_objects(iface: RecordingIface) -> dict[str, list]:
    window = iface.window

    def named(cls, test):
        return [obj for obj in window.findChildren(cls) if test(obj.objectName())]

    return {
        "toolbars": named(QToolBar, lambda n: n == "KatapultToolbar"),
        "actions": named(QAction, lambda n: n.startswith("katapult_")),
        "docks": named(QDockWidget, lambda n: n.startswith("Katapult")),
        "menu": [iface.plugin_menu("&Katapult")] if iface.plugin_menu("&Katapult") else [],
        "web menu": [iface.web_menu()] if iface.web_menu() else [],
    }


def test_init_and_unload_twice_leave_nothing_behind(package, main_module, monkeypatch):
    test_dock = main_module.DockSpec(
        "KatapultTestDock", "Test panel", lambda plugin: QLabel("test panel"), visible=True
    )
    test_action = main_module.ActionSpec("katapult_test_action", "Test action", lambda p: None)
    monkeypatch.setattr(main_module, "DOCKS", [*main_module.DOCKS, test_dock])
    monkeypatch.setattr(main_module, "ACTIONS", [*main_module.ACTIONS, test_action])
    iface = RecordingIface()
    for _round in range(2):
        plugin = package.classFactory(iface)
        plugin.initGui()
        found = katapult_objects(iface)
        assert len(found["toolbars"]) == 1
        names = {a.objectName() for a in found["actions"]}
        assert names == {spec.name for spec in main_module.ACTIONS}
        menu_actions = found["menu"][0].actions()
        for spec in main_module.ACTIONS:
            action = plugin.action(spec.name)
            assert (action in menu_actions) == spec.menu
            assert (action in found["toolbars"][0].actions()) == spec.toolbar
        assert [d.objectName() for d in found["docks"]] == [s.name for s in main_module.DOCKS]
        dock = plugin.dock("KatapultTestDock")
        assert dock.toggleViewAction() in menu_actions
        assert iface.window.dockWidgetArea(dock) == main_module.DockSpec.area
        assert plugin.load_errors == []

        plugin.unload()
        flush_deletes()
        leftovers = {kind: objs for kind, objs in katapult_objects(iface).items() if objs}
        assert leftovers == {}
        assert iface.window.menuBar().actions() == []


def test_registry_targets_resolve(main_module):
    """Every lazy handler/factory in the registry names a module and attribute that exist."""
    specs = [(s.name, s.handler) for s in main_module.ACTIONS]
    specs += [(s.name, s.factory) for s in main_module.DOCKS]
    specs += [("startup", fn) for fn in getattr(main_module, "STARTUP", [])]
    if main_module.PROCESSING_PROVIDER is not None:
        specs.append(("processing", main_module.PROCESSING_PROVIDER))
    for name, fn in specs:
        target = getattr(fn, "target", None)
        if target is not None:
            assert callable(main_module.resolve(*target)), name


def test_failing_parts_are_reported_not_fatal(package, main_module, monkeypatch):
    """A broken dock or action is shown in the message bar and logged; the rest loads."""

    def broken_dock(plugin):
        raise RuntimeError("dock exploded")

    def broken_action(plugin):
        raise ValueError("action exploded")

    monkeypatch.setattr(
        main_module, "DOCKS", [main_module.DockSpec("KatapultBrokenDock", "Broken", broken_dock)]
    )
    monkeypatch.setattr(
        main_module,
        "ACTIONS",
        [*main_module.ACTIONS, main_module.ActionSpec("katapult_broken", "Broken", broken_action)],
    )
    logged = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: logged.append((tag, msg))
    )
    iface = RecordingIface()
    plugin = package.classFactory(iface)
    plugin.initGui()
    try:
        assert plugin.dock("KatapultBrokenDock") is None
        assert plugin.action("katapult_settings") is not None
        plugin.action("katapult_broken").trigger()
        texts = " ".join(t + " " + m for t, m in iface.pushed)
        assert "dock exploded" in texts and "action exploded" in texts
        assert any(tag == "Katapult" and "dock exploded" in msg for tag, msg in logged)
        assert len(plugin.load_errors) == 2
    finally:
        plugin.unload()
        flush_deletes()


def test_pytest_qgis_iface_smoke(package, qgis_iface):
    """The plugin also initialises and unloads against pytest-qgis's own iface stub."""
    plugin = package.classFactory(qgis_iface)
    plugin.initGui()
    assert plugin.toolbar is not None and plugin.actions
    plugin.unload()
    assert plugin.toolbar is None and not plugin.actions and not plugin.docks
