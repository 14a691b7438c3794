"""Small dialogs of the job browser: new job, edit metadata."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def tr(text: str) -> str:
    """Translate in the ``KatapultJobDialogs`` context."""
    return QCoreApplication.translate("KatapultJobDialogs", text)


class MetadataError(ValueError):
    """A metadata line the user typed cannot be read (message names the line and the fix)."""


def parse_metadata(text: str) -> Dict[str, Any]:
    """``key = value`` lines -> flat map; ``true``/``false``/numbers keep their JSON type.

    Blank lines and lines starting with ``#`` are skipped; a line without ``=`` or with an
    empty key raises :class:`MetadataError`.
    """
    out: Dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise MetadataError(
                tr("Metadata line {n} ({line!r}) is not 'key = value'; fix or remove it.").format(
                    n=number, line=line
                )
            )
        out[key] = _typed(value)
    return out


def _typed(value: str) -> Any:
    low = value.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return (
            int(value)
            if value.lstrip("-").isdigit()
            else float(value)
            if _is_float(value)
            else value
        )
    except ValueError:
        return value


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip().lower() not in ("nan", "inf", "-inf", "infinity", "-infinity")


def format_metadata(metadata: Optional[Dict[str, Any]]) -> str:
    """A flat map as ``key = value`` lines (inverse of :func:`parse_metadata`)."""
    lines = []
    for key, value in sorted((metadata or {}).items()):
        if isinstance(value, bool):
            value = "true" if value else "false"
        lines.append(f"{key} = {value}")
    return "\n".join(lines)


def metadata_changes(old: Dict[str, Any], new: Dict[str, Any]) -> Dict[str, Any]:
    """The update body's ``metadata``: changed/new keys, and removed keys as ``None``."""
    body = {k: v for k, v in new.items() if old.get(k, object()) != v or k not in old}
    for key in old:
        if key not in new:
            body[key] = None
    return body


class NewJobDialog(QDialog):
    """Name, model and metadata of a new job."""

    def __init__(self, parent: Optional[QWidget] = None, default_model: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New Katapult job"))
        self.name_edit = QLineEdit()
        self.model_edit = QLineEdit(default_model)
        self.model_edit.setPlaceholderText(tr("model key, e.g. katapult_default"))
        self.metadata_edit = QPlainTextEdit()
        self.metadata_edit.setPlaceholderText(tr("one 'key = value' per line"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Model"), self.model_edit)
        form.addRow(tr("Metadata"), self.metadata_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def values(self) -> Tuple[str, str, Dict[str, Any]]:
        """``(name, model, metadata)``; ValueError with a sentence when something is missing."""
        name = self.name_edit.text().strip()
        model = self.model_edit.text().strip()
        if not name:
            raise ValueError(tr("Enter a name for the job."))
        if not model:
            raise ValueError(
                tr("Enter the model key of the job (ask your Katapult admin if unsure).")
            )
        return name, model, parse_metadata(self.metadata_edit.toPlainText())

    def accept(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()


class MetadataDialog(QDialog):
    """Edit a job's metadata as ``key = value`` lines."""

    def __init__(
        self, metadata: Optional[Dict[str, Any]], parent: Optional[QWidget] = None, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or tr("Job metadata"))
        self.original = dict(metadata or {})
        self.edit = QPlainTextEdit(format_metadata(self.original))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("One 'key = value' per line; delete a line to remove the key.")))
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def changes(self) -> Dict[str, Any]:
        """The metadata update body (removed keys as ``None``)."""
        return metadata_changes(self.original, parse_metadata(self.edit.toPlainText()))

    def accept(self) -> None:
        try:
            self.changes()
        except MetadataError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
