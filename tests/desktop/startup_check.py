"""Run inside the real QGIS desktop (``qgis --code``): check the plugin, cycle it, grab
screenshots, write a JSON marker, quit. Paths come from KATAPULT_DESKTOP_OUT."""
import json
import os
import sys
import traceback
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QToolBar
from qgis.utils import iface

OUT = Path(os.environ["KATAPULT_DESKTOP_OUT"])
PLUGIN = "katapult_qgis"
report = {"ok": False, "checks": {}, "errors": []}


def seen() -> dict:
    window = iface.mainWindow()
    web_entries = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and menu.objectName() == "mWebMenu":
            for sub in menu.actions():
                if sub.menu() is not None:
                    web_entries.append(sub.text())
    return {
        "toolbars": sorted(t.objectName() for t in window.findChildren(QToolBar)
                           if t.objectName() == "KatapultToolbar" and t.parent() is not None),
        "actions": sorted(a.objectName() for a in window.findChildren(QAction)
                          if a.objectName().startswith("katapult_")),
        "docks": sorted(d.objectName() for d in window.findChildren(QDockWidget)
                        if d.objectName().startswith("Katapult")),
        "web_menu": [t for t in web_entries if "Katapult" in t],
    }


def flush() -> None:
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def run() -> None:
    import qgis.utils as utils

    checks = report["checks"]
    checks["active"] = PLUGIN in utils.active_plugins
    module = sys.modules.get(PLUGIN)
    checks["module_file"] = getattr(module, "__file__", None)
    checks["first_load"] = seen()
    checks["python_version"] = sys.version.split()[0]
    checks["qgis_version"] = __import__("qgis.core", fromlist=["Qgis"]).Qgis.QGIS_VERSION
    # unload and load again (what Plugin Manager / Plugin Reloader do): no leftovers
    checks["unload_ok"] = bool(utils.unloadPlugin(PLUGIN))
    flush()
    checks["after_unload"] = seen()
    utils.loadPlugin(PLUGIN)
    checks["restart_ok"] = bool(utils.startPlugin(PLUGIN))
    flush()
    checks["second_load"] = seen()
    # screenshots: main window, and the Settings dialog
    window = iface.mainWindow()
    window.resize(1600, 1000)
    window.showMaximized()
    plugin = utils.plugins[PLUGIN]
    for dock in plugin.docks.values():  # show the plugin's panels in the screenshot
        dock.show()
    for _ in range(20):
        QgsApplication.processEvents()
    checks["main_png"] = window.grab().save(str(OUT / "desktop_main_window.png"))
    for dock in plugin.docks.values():
        dock.hide()
    from importlib import import_module

    dialog_module = import_module(f"{PLUGIN}.plugin.gui.settings_dialog")
    dialog = dialog_module.SettingsDialog(window)
    dialog.url_edit.setText("http://localhost:8765/api/v3")
    dialog.key_edit.setText("not a key")
    dialog.save()  # refused: shows the reason in the dialog
    dialog.show()
    QgsApplication.processEvents()
    checks["dialog_png"] = dialog.grab().save(str(OUT / "desktop_settings_dialog.png"))
    checks["dialog_error"] = dialog.error_label.text()
    dialog.close()
    checks["plugin_class"] = type(plugin).__name__
    report["ok"] = True


def finish() -> None:
    try:
        run()
    except Exception:
        report["errors"].append(traceback.format_exc())
    finally:
        (OUT / "desktop_marker.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        QgsApplication.exit(0)
        QTimer.singleShot(10000, lambda: os._exit(3))


QTimer.singleShot(1500, finish)
