"""Plugin wiring of the pole line tool: the checkable action, its options toolbar,
and the topology keepers (started with the plugin)."""
from __future__ import annotations

from typing import Optional

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QObject

from ..qgis_log import push_message
from .options_widget import PoleLineOptions
from .pole_line_tool import PoleLineMapTool

ACTION_NAME = "katapult_pole_line"
_ATTR = "_katapult_pole_line"


def tr(text: str) -> str:
    """Translate in the ``PoleLine`` context."""
    return QCoreApplication.translate("PoleLine", text)


class PoleLineController(QObject):
    """Owns the tool and its toolbar for one plugin instance."""

    def __init__(self, plugin) -> None:
        super().__init__()
        self.plugin = plugin
        iface = plugin.iface
        self.canvas = iface.mapCanvas()
        self.options = PoleLineOptions()
        self.toolbar = iface.addToolBar(tr("Katapult pole line"))
        self.toolbar.setObjectName("KatapultPoleLineToolbar")
        self.toolbar.addWidget(self.options)
        self.toolbar.setVisible(False)
        self.tool = PoleLineMapTool(self.canvas, self.options)
        self.action = plugin.action(ACTION_NAME)
        if self.action is not None:
            self.action.setCheckable(True)
            self.tool.setAction(self.action)
        self.tool.deactivated.connect(lambda: self.toolbar.setVisible(False))
        self.tool.activated.connect(self._activated)

    def _activated(self) -> None:
        self.options.refresh_units()
        self.toolbar.setVisible(True)

    def toggle(self) -> None:
        """Activate the tool (or go back to the previous tool when it is active)."""
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
            if self.action is not None:
                self.action.setChecked(False)
            return
        self.canvas.setMapTool(self.tool)
        if self.action is not None:
            self.action.setChecked(True)

    def unload(self) -> None:
        """Remove the tool, its canvas items and its toolbar."""
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        self.tool.clean()
        self.plugin.iface.mainWindow().removeToolBar(self.toolbar)
        self.toolbar.setParent(None)
        self.toolbar.deleteLater()


def controller(plugin) -> PoleLineController:
    """The plugin's controller, created on first use (and removed at unload)."""
    ctl: Optional[PoleLineController] = getattr(plugin, _ATTR, None)
    if ctl is None:
        ctl = PoleLineController(plugin)
        setattr(plugin, _ATTR, ctl)

        def cleanup() -> None:
            ctl.unload()
            setattr(plugin, _ATTR, None)

        plugin.add_cleanup(cleanup)
    return ctl


def toggle_pole_line_tool(plugin) -> None:
    """Action handler: switch the Draw pole line tool on or off."""
    controller(plugin).toggle()


def start_topology(plugin) -> None:
    """Start-up hook: keep spans glued to poles in every Katapult job of the project."""
    from ..layers.topology import TopologyManager

    manager = TopologyManager(QgsProject.instance())
    bar = plugin.iface.messageBar()
    manager.message.connect(
        lambda text, level: push_message(bar, tr("Katapult"), text, Qgis.MessageLevel(level), 8))
    plugin.add_cleanup(manager.stop)
