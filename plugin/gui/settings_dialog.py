"""The Settings dialog: server URL, API key (kept in QGIS's auth database), units.

Bad input (malformed URL, http:// to a non-loopback host, empty key, key with
whitespace) is refused with the reason shown in the dialog and nothing is saved.
"""
from __future__ import annotations

import os

from qgis.gui import QgsPasswordLineEdit
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from .. import qgis_log
from ..auth import AuthStoreError
from ..settings import (
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    Settings,
    SettingsError,
    validate_api_key,
    validate_base_url,
)
from .connection_test import describe_identity, start_connection_test
from .error_text import describe_error


class SettingsDialog(QDialog):
    """Edit the server URL, API key and units; test the connection off the GUI thread."""

    def __init__(self, parent=None, settings: Settings | None = None, client_factory=None) -> None:
        super().__init__(parent)
        self.setObjectName("KatapultSettingsDialog")
        self.setWindowTitle(self.tr("Katapult settings"))
        self.settings = settings or Settings()
        self._client_factory = client_factory
        self.task = None

        self.url_edit = QLineEdit(self.settings.base_url)
        self.url_edit.setObjectName("katapult_server_url")
        self.url_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.key_edit = QgsPasswordLineEdit()
        self.key_edit.setObjectName("katapult_api_key")
        self.key_edit.setPlaceholderText(self.tr("Paste your Katapult Pro API key"))
        self.units_combo = QComboBox()
        self.units_combo.setObjectName("katapult_units")
        self.units_combo.addItem(self.tr("Feet (ft)"), "ft")
        self.units_combo.addItem(self.tr("Metres (m)"), "m")
        self.units_combo.setCurrentIndex(max(0, self.units_combo.findData(self.settings.units)))

        self.storage_label = QLabel()
        self.storage_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("katapult_settings_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.result_label = QLabel()
        self.result_label.setObjectName("katapult_connection_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("katapult_test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.forget_button = QPushButton(self.tr("Forget the stored key"))
        self.forget_button.setObjectName("katapult_forget_key")
        self.forget_button.setEnabled(bool(self.settings.auth_config_id))
        self.forget_button.clicked.connect(self.forget_key)

        form = QFormLayout()
        form.addRow(self.tr("Server URL"), self.url_edit)
        form.addRow(self.tr("API key"), self.key_edit)
        form.addRow(self.tr("Units"), self.units_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.storage_label)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.test_button)
        buttons_row.addWidget(self.forget_button)
        layout.addLayout(buttons_row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(560, 300)
        self._load_key()

    # -- loading -------------------------------------------------------------
    def _load_key(self) -> None:
        config_id = self.settings.auth_config_id
        if config_id:
            self.storage_label.setText(
                self.tr(
                    "The key is kept encrypted in QGIS's authentication database "
                    "(configuration {id})."
                ).format(id=config_id)
            )
            try:
                _url, key = self.settings.credentials()
                self.key_edit.setText(key)
            except Exception as exc:  # locked or deleted auth config: say so, keep going
                self.error_label.setText(describe_error(exc))
        elif os.environ.get(ENV_API_KEY):
            self.storage_label.setText(
                self.tr(
                    "No key is saved; the KATAPULT_API_KEY environment variable is used. "
                    "Saving here stores the key in QGIS's authentication database instead."
                )
            )
        else:
            self.storage_label.setText(
                self.tr(
                    "The key will be kept encrypted in QGIS's authentication database "
                    "(QGIS may ask for its master password)."
                )
            )

    # -- validation ------------------------------------------------------------
    def validated_input(self) -> tuple[str, str]:
        """``(base_url, api_key)`` from the fields, or raise :class:`SettingsError`."""
        url = validate_base_url(self.url_edit.text())
        key = validate_api_key(self.key_edit.text())
        return url, key

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        qgis_log.warning(self.tr("Settings: {text}").format(text=text))

    # -- actions -----------------------------------------------------------------
    def save(self) -> bool:
        """Validate and save; on refusal show the reason, save nothing and stay open."""
        self.error_label.clear()
        try:
            url, key = self.validated_input()
            self.settings.save_credentials(url, key)
            self.settings.units = self.units_combo.currentData()
        except (SettingsError, AuthStoreError) as exc:
            self._show_error(describe_error(exc))
            return False
        qgis_log.info(self.tr("Settings saved (server {url}).").format(url=url))
        self.accept()
        return True

    def forget_key(self) -> bool:
        """Delete the stored key from QGIS's authentication database (settings keep the URL)."""
        self.error_label.clear()
        try:
            removed = self.settings.forget_credentials()
        except AuthStoreError as exc:
            self._show_error(describe_error(exc))
            return False
        self.key_edit.clear()
        self.forget_button.setEnabled(False)
        self.storage_label.setText(
            self.tr("The stored key was deleted from QGIS's authentication database.")
        )
        qgis_log.info(self.tr("The stored Katapult API key was deleted."))
        return removed

    def test_connection(self):
        """Start GET / and GET /users/whoami in a QgsTask; the result shows in the dialog."""
        self.error_label.clear()
        try:
            url, key = self.validated_input()
        except SettingsError as exc:
            self._show_error(describe_error(exc))
            return None
        self.test_button.setEnabled(False)
        self.result_label.setText(self.tr("Testing connection to {url}…").format(url=url))
        self._tested_url = url
        self.task = start_connection_test(url, key, self._on_tested, self._client_factory)
        return self.task

    def _on_tested(self, who, error) -> None:
        self.test_button.setEnabled(True)
        self.task = None
        if error is not None:
            text = describe_error(error, getattr(self, "_tested_url", None))
            self.result_label.setText(text)
            qgis_log.warning(self.tr("Test connection failed: {text}").format(text=text))
            return
        text = describe_identity(who or {})
        self.result_label.setText(text)
        qgis_log.info(text)

    def done(self, result: int) -> None:
        """Cancel a running test before the dialog goes away."""
        if self.task is not None:
            try:
                self.task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass
        super().done(result)


def open_settings_dialog(plugin) -> int:
    """Web > Katapult > Settings…: show the dialog modally over QGIS's main window."""
    dialog = SettingsDialog(plugin.iface.mainWindow())
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()
