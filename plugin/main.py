"""KatapultPlugin: toolbar, menu (Web > Katapult), docks and Processing provider. Wiring only.

How to add your part (one line in a list below, nothing else in this file):

* An action (a menu entry under Web > Katapult, plus a toolbar button)::

      ActionSpec("katapult_jobs", QT_TRANSLATE_NOOP("KatapultPlugin", "Open job…"),
                 lazy("gui.job_browser", "open_job_browser"), icon="jobs.svg"),

  ``lazy("gui.job_browser", "open_job_browser")`` imports ``plugin.gui.job_browser``
  only when the action fires and calls ``open_job_browser(plugin)`` with this
  :class:`KatapultPlugin` (``plugin.iface``, ``plugin.dock(name)``,
  ``plugin.action(name)``, ``plugin.add_cleanup(fn)``). ``checkable=True`` for map
  tools; ``toolbar=False`` / ``menu=False`` to keep it out of one of them. Exceptions
  raised by a handler are shown in the message bar and logged (masked).

* A dock (created at ``initGui``, removed and deleted at ``unload``)::

      DockSpec("KatapultSyncDock", QT_TRANSLATE_NOOP("KatapultPlugin", "Katapult sync"),
               lazy("gui.sync_dock", "SyncDock")),

  The factory is called with the plugin and returns a ``QDockWidget`` or a plain
  ``QWidget`` (wrapped in one). Its show/hide action goes into Web > Katapult.

* The Processing provider: set ``PROCESSING_PROVIDER = lazy("processing.provider",
  "KatapultProvider")``; it is called with no arguments and must return a
  ``QgsProcessingProvider`` (registered in ``initProcessing``, removed at unload).

* Something to start with the plugin (called with it at the end of ``initGui``):
  one ``lazy(...)`` line in ``STARTUP``.

* Anything else to undo at unload (a worker thread, signal connections):
  ``plugin.add_cleanup(callable)``; cleanups run in reverse order.

Texts are marked with ``QT_TRANSLATE_NOOP("KatapultPlugin", ...)`` so that
``make translations`` extracts them; they are translated when the GUI is built.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QMessageBox, QWidget

from . import qgis_log
from .paths import icon_path
from .translation import install_translator, remove_translator

CONTEXT = "KatapultPlugin"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate knows)
    """Mark ``text`` for extraction by ``make translations``; translated later."""
    return text


def lazy(module: str, name: str) -> Callable[..., Any]:
    """A callable that imports ``plugin.<module>`` on first use and calls its ``name``."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return resolve(module, name)(*args, **kwargs)

    call.target = (module, name)  # type: ignore[attr-defined]
    return call


def resolve(module: str, name: str) -> Any:
    """Import ``plugin.<module>`` (relative to this package) and return its ``name``."""
    package = __name__.rsplit(".", 1)[0]
    return getattr(importlib.import_module(f"{package}.{module}"), name)


@dataclass(frozen=True)
class ActionSpec:
    """An action in Web > Katapult and/or the Katapult toolbar."""

    name: str  # objectName, "katapult_..."
    text: str  # marked with QT_TRANSLATE_NOOP("KatapultPlugin", ...)
    handler: Callable[[Any], Any]  # called with the plugin when triggered
    icon: str = "icon.svg"  # file in resources/
    toolbar: bool = True
    menu: bool = True
    checkable: bool = False


@dataclass(frozen=True)
class DockSpec:
    """A dock panel created at initGui and deleted at unload."""

    name: str  # objectName, "Katapult...Dock"
    title: str  # marked with QT_TRANSLATE_NOOP("KatapultPlugin", ...)
    factory: Callable[[Any], QWidget]  # called with the plugin
    area: Any = Qt.DockWidgetArea.RightDockWidgetArea
    visible: bool = False


def show_about(plugin: KatapultPlugin) -> None:
    """The About box."""
    QMessageBox.about(
        plugin.iface.mainWindow(),
        QCoreApplication.translate("KatapultPlugin", "About Katapult for QGIS"),
        QCoreApplication.translate(
            "KatapultPlugin",
            "Katapult for QGIS opens Katapult Pro jobs (poles, spans, midspans and photos) "
            "as QGIS layers, lets you edit them with QGIS's tools and writes the edits "
            "back to Katapult. Logs: View > Panels > Log Messages, tab Katapult."
        )
    )


# ---- the registry: add your line here --------------------------------------------------
ACTIONS: list[ActionSpec] = [
    ActionSpec(
        "katapult_settings",
        QT_TRANSLATE_NOOP("KatapultPlugin", "Settings…"),
        lazy("gui.settings_dialog", "open_settings_dialog"),
    ),
    ActionSpec("katapult_pole_line", QT_TRANSLATE_NOOP("KatapultPlugin", "Draw pole line"),
               lazy("maptools.activate", "toggle_pole_line_tool"), icon="pole_line.svg",
               checkable=True),
    ActionSpec(
        "katapult_about",
        QT_TRANSLATE_NOOP("KatapultPlugin", "About Katapult for QGIS"),
        show_about,
        toolbar=False,
    ),
]

DOCKS: list[DockSpec] = [
    DockSpec("KatapultJobBrowserDock", QT_TRANSLATE_NOOP("KatapultPlugin", "Katapult jobs"),
             lazy("gui.job_browser", "JobBrowserDock")),
    DockSpec("KatapultPhotoDock", QT_TRANSLATE_NOOP("KatapultPlugin", "Katapult photos"),
             lazy("gui.photo_dock", "create_photo_dock")),
    DockSpec("KatapultSyncDock", QT_TRANSLATE_NOOP("KatapultPlugin", "Katapult sync"),
             lazy("gui.sync_dock", "create_sync_dock")),
    DockSpec("KatapultQaDock", QT_TRANSLATE_NOOP("KatapultPlugin", "Katapult QA"),
             lazy("gui.qa_dock", "QaDock")),
]

# Called with the plugin at the end of initGui (a failure is reported, the rest still loads).
STARTUP: list[Callable[[Any], Any]] = [lazy("maptools.activate", "start_topology")]

# A callable returning a QgsProcessingProvider, or None until the provider exists.
PROCESSING_PROVIDER: Callable[[], Any] | None = lazy("processing.provider", "KatapultProvider")
# -----------------------------------------------------------------------------------------


class KatapultPlugin:
    """The object QGIS holds for this plugin (see ``classFactory``)."""

    MENU = "&Katapult"
    TOOLBAR = "KatapultToolbar"

    def __init__(self, iface) -> None:
        self.iface = iface
        self.translator = install_translator()
        self.toolbar = None
        self.actions: dict[str, QAction] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.provider = None
        self.load_errors: list[str] = []
        self._menu_actions: list[QAction] = []
        self._cleanups: list[Callable[[], Any]] = []

    @staticmethod
    def tr(text: str) -> str:
        """Translate ``text`` in the ``KatapultPlugin`` context."""
        return QCoreApplication.translate(CONTEXT, text)

    # ---- lookups for other parts ---------------------------------------------------------
    def action(self, name: str) -> QAction | None:
        """The action created from the ActionSpec called ``name``."""
        return self.actions.get(name)

    def dock(self, name: str) -> QDockWidget | None:
        """The dock created from the DockSpec called ``name``."""
        return self.docks.get(name)

    def add_cleanup(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` at unload (reverse order of registration)."""
        self._cleanups.append(fn)

    # ---- QGIS hooks ----------------------------------------------------------------------
    def initProcessing(self) -> None:
        """Register the Processing provider (QGIS calls this before initGui)."""
        if PROCESSING_PROVIDER is None or self.provider is not None:
            return
        try:
            self.provider = PROCESSING_PROVIDER()
            QgsApplication.processingRegistry().addProvider(self.provider)
        except Exception as exc:
            self.provider = None
            self._report(self.tr("The Katapult Processing provider could not be loaded"), exc)

    def initGui(self) -> None:
        """Create the toolbar, actions, menu entries and docks from the registry."""
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(self.tr("Katapult"))
        self.toolbar.setObjectName(self.TOOLBAR)
        for spec in ACTIONS:
            self._add_action(spec)
        for spec in DOCKS:
            self._add_dock(spec)
        for start in STARTUP:
            try:
                start(self)
            except Exception as exc:
                self._report(self.tr("A Katapult start-up step failed"), exc)

    def unload(self) -> None:
        """Remove everything initGui added."""
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception as exc:
                self._report(self.tr("A Katapult clean-up step failed"), exc)
        self._cleanups.clear()
        for action in self._menu_actions:
            self.iface.removePluginWebMenu(self.MENU, action)
        self._menu_actions.clear()
        for dock in self.docks.values():
            self.iface.removeDockWidget(dock)
            dock.setParent(None)
            dock.deleteLater()
        self.docks.clear()
        for action in self.actions.values():
            action.deleteLater()
        self.actions.clear()
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None

    # ---- helpers -------------------------------------------------------------------------
    def _add_action(self, spec: ActionSpec) -> QAction:
        action = QAction(QIcon(icon_path(spec.icon)), self.tr(spec.text), self.iface.mainWindow())
        action.setObjectName(spec.name)
        action.setCheckable(spec.checkable)
        action.triggered.connect(lambda _checked=False, s=spec: self._run(s))
        if spec.toolbar:
            self.toolbar.addAction(action)
        if spec.menu:
            self._add_to_menu(action)
        self.actions[spec.name] = action
        return action

    def _add_to_menu(self, action: QAction) -> None:
        self.iface.addPluginToWebMenu(self.MENU, action)
        self._menu_actions.append(action)

    def _add_dock(self, spec: DockSpec) -> QDockWidget | None:
        try:
            widget = spec.factory(self)
        except Exception as exc:
            self._report(self.tr("The panel '{title}' could not be created").format(
                title=self.tr(spec.title)), exc)
            return None
        if isinstance(widget, QDockWidget):
            dock = widget
        else:
            dock = QDockWidget(self.tr(spec.title), self.iface.mainWindow())
            dock.setWidget(widget)
        dock.setObjectName(spec.name)
        if not dock.windowTitle():
            dock.setWindowTitle(self.tr(spec.title))
        self.iface.addDockWidget(spec.area, dock)
        dock.setVisible(spec.visible)
        self.docks[spec.name] = dock
        self._add_to_menu(dock.toggleViewAction())
        return dock

    def _run(self, spec: ActionSpec) -> None:
        try:
            spec.handler(self)
        except Exception as exc:
            self._report(self.tr("'{action}' failed").format(action=self.tr(spec.text)), exc)

    def _report(self, what: str, exc: BaseException) -> None:
        """Message bar + log (masked) for a failure in one part; the rest keeps working."""
        from .gui.error_text import describe_error

        sentence = describe_error(exc)
        self.load_errors.append(f"{what}: {sentence}")
        qgis_log.log_exception(what, exc)
        qgis_log.push_message(self.iface.messageBar(), what, sentence, qgis_log.CRITICAL, 0)
