"""Test helpers for the foundation room: auth DB fixture, a recording iface, a canned server."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from qgis.core import QgsApplication
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QToolBar

TEST_MASTER_PASSWORD = "katapult-tests-master-password"


@pytest.fixture(scope="session")
def qgis_auth(qgis_app):
    """QGIS's auth manager, unlocked with a test master password.

    pytest-qgis points QGIS_CUSTOM_CONFIG_PATH at ``<repo>/.qgis-settings``, so the
    auth database is a throwaway file there, never the user's real profile.
    """
    manager = QgsApplication.authManager()
    db = Path(manager.authenticationDatabasePath()).resolve()
    real_profiles = (Path.home() / ".local" / "share" / "QGIS").resolve()
    if real_profiles in db.parents:
        pytest.fail(f"refusing to touch the real QGIS auth database {db}")
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(
        TEST_MASTER_PASSWORD, True
    ):
        # A throwaway test database left with another master password (an older
        # run): forget its hash and configs, then set ours.
        with sqlite3.connect(str(db)) as con:
            con.execute("DELETE FROM auth_pass")
            con.execute("DELETE FROM auth_configs")
        manager.clearMasterPassword()
        if not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
            pytest.fail(f"cannot unlock the test auth database {db}")
    return manager


def flush_deletes() -> None:
    """Deliver pending deleteLater() calls."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def wait_until(predicate, timeout: float = 20.0) -> bool:
    """Process Qt events until ``predicate()`` is true (or the timeout passes)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class RecordingIface:
    """A QgisInterface stand-in that really adds toolbars, Web menu entries and docks
    to a real QMainWindow, so a test can see what a plugin left behind."""

    WEB_MENU = "&Web"

    def __init__(self) -> None:
        self.window = QMainWindow()
        self.bar = QgsMessageBar(self.window)

    @property
    def pushed(self) -> list[tuple[str, str]]:
        """(title, text) of every message in the message bar."""
        return [(item.title(), item.text()) for item in self.bar.items()]

    def mainWindow(self) -> QMainWindow:
        return self.window

    def messageBar(self) -> QgsMessageBar:
        return self.bar

    def addToolBar(self, name: str) -> QToolBar:
        return self.window.addToolBar(name)

    def web_menu(self, create: bool = False) -> QMenu | None:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text() == self.WEB_MENU:
                return action.menu()
        return self.window.menuBar().addMenu(self.WEB_MENU) if create else None

    def plugin_menu(self, name: str, create: bool = False) -> QMenu | None:
        web = self.web_menu(create)
        if web is None:
            return None
        for action in web.actions():
            if action.menu() is not None and action.text() == name:
                return action.menu()
        return web.addMenu(name) if create else None

    def addPluginToWebMenu(self, name: str, action) -> None:
        self.plugin_menu(name, create=True).addAction(action)

    def removePluginWebMenu(self, name: str, action) -> None:
        menu = self.plugin_menu(name)
        if menu is None:
            return
        menu.removeAction(action)
        if not menu.actions():
            web = self.web_menu()
            web.removeAction(menu.menuAction())
            menu.deleteLater()
            if not web.actions():
                self.window.menuBar().removeAction(web.menuAction())
                web.deleteLater()

    def addDockWidget(self, area, dock) -> None:
        self.window.addDockWidget(area, dock)

    def removeDockWidget(self, dock) -> None:
        self.window.removeDockWidget(dock)

    def all_menu_actions(self) -> list:
        out = []
        web = self.web_menu()
        if web is not None:
            for action in web.actions():
                out.append(action)
                if action.menu() is not None:
                    out.extend(action.menu().actions())
        return out


class CannedServer:
    """A tiny HTTP server on 127.0.0.1 answering every GET with one canned response
    (status, content type, body): a non-Katapult site or a middleware error."""

    def __init__(self, status: int, body: str, content_type: str = "application/json"):
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests.append(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @classmethod
    def json(cls, status: int, payload: dict) -> CannedServer:
        return cls(status, json.dumps(payload))

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/api/v3"

    def __enter__(self) -> CannedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
