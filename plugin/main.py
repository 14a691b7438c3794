"""KatapultPlugin: toolbar, menu and docks. Wiring only; the work lives elsewhere."""
from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .paths import icon_path


class KatapultPlugin:
    """The object QGIS holds for this plugin (see ``classFactory``)."""

    MENU = "&Katapult"

    def __init__(self, iface) -> None:
        self.iface = iface
        self.actions: list[QAction] = []
        self.toolbar = None

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("KatapultPlugin", text)

    def initGui(self) -> None:
        self.toolbar = self.iface.addToolBar(self.tr("Katapult"))
        self.toolbar.setObjectName("KatapultToolbar")
        about = QAction(QIcon(icon_path()), self.tr("About Katapult for QGIS"), self.iface.mainWindow())
        about.setObjectName("katapult_about")
        self._add_action(about)

    def _add_action(self, action: QAction) -> None:
        self.toolbar.addAction(action)
        self.iface.addPluginToWebMenu(self.MENU, action)
        self.actions.append(action)

    def unload(self) -> None:
        for action in self.actions:
            self.iface.removePluginWebMenu(self.MENU, action)
            action.deleteLater()
        self.actions.clear()
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
