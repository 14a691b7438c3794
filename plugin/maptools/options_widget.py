"""Toolbar widget of the pole line tool: pole type, default attributes, span type, spacing."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from .. import geo
from ..model.vocabulary import DEFAULT_CONNECTION_TYPES, DEFAULT_NODE_TYPES
from .writer import parse_attributes

UNITS_KEY = "katapult/units"
PREFIX = "katapult/pole_line/"
DEFAULT_SPACING_M = 150 * geo.FOOT_M
DEFAULT_MAX_SPAN_M = 300 * geo.FOOT_M


def tr(text: str) -> str:
    """Translate in the ``PoleLine`` context."""
    return QCoreApplication.translate("PoleLine", text)


def current_units(settings: Optional[QgsSettings] = None) -> str:
    """``"ft"`` (default) or ``"m"`` from the ``katapult/units`` setting."""
    settings = settings or QgsSettings()
    return geo.normalise_units(str(settings.value(UNITS_KEY, "ft") or "ft"))


def value_map_values(layer, field_name: str) -> List[str]:
    """The values of a field's ValueMap editor widget, in order ([] if none)."""
    if layer is None:
        return []
    index = layer.fields().indexFromName(field_name)
    if index < 0:
        return []
    setup = layer.editorWidgetSetup(index)
    if setup.type() != "ValueMap":
        return []
    raw = (setup.config() or {}).get("map") or []
    items = raw if isinstance(raw, list) else [raw]
    values: List[str] = []
    for item in items:
        if isinstance(item, dict):
            for value in item.values():
                text = str(value)
                if text and not text.startswith("{2839923C") and text not in values:
                    values.append(text)
    return values


class PoleLineOptions(QWidget):
    """Choices for new poles and spans; remembered in QgsSettings under ``katapult/pole_line/``."""

    changed = pyqtSignal()

    def __init__(self, parent: Optional[QWidget] = None,
                 settings: Optional[QgsSettings] = None) -> None:
        super().__init__(parent)
        self.setObjectName("KatapultPoleLineOptions")
        self._settings = settings or QgsSettings()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)

        self.node_type_combo = QComboBox(self)
        self.node_type_combo.setEditable(True)
        self.node_type_combo.setToolTip(tr("node_type of new poles"))
        self.set_node_types(DEFAULT_NODE_TYPES)
        self.node_type_combo.setCurrentText(str(self._value("node_type", "pole")))

        self.attributes_edit = QLineEdit(self)
        self.attributes_edit.setPlaceholderText(tr("pole_height=45; proposed=true"))
        self.attributes_edit.setToolTip(tr("Default attributes of new poles: name=value, "
                                           "separated by ';'"))
        self.attributes_edit.setText(str(self._value("attributes", "")))

        self.connection_type_combo = QComboBox(self)
        self.connection_type_combo.setEditable(True)
        self.connection_type_combo.setToolTip(tr("connection_type of new spans"))
        self.set_connection_types(DEFAULT_CONNECTION_TYPES)
        self.connection_type_combo.setCurrentText(str(self._value("connection_type",
                                                                  "aerial cable")))

        self.auto_check = QCheckBox(tr("Auto-spacing"), self)
        self.auto_check.setToolTip(tr("Click a route; poles are proposed along it"))
        self.auto_check.setChecked(str(self._value("auto", "false")).lower() == "true")
        self.spacing_spin = self._spin(tr("Pole spacing along the route"))
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem(tr("at most, poles on corners"), "even")
        self.mode_combo.addItem(tr("exactly, from the start"), "fixed")
        self.mode_combo.setToolTip(tr("At most: each leg of the route is split into equal spans "
                                      "no longer than the spacing, with a pole on every corner. "
                                      "Exactly: a pole every spacing along the route, the last "
                                      "span takes the rest."))
        mode = str(self._value("mode", "even"))
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))
        self.max_span_spin = self._spin(tr("Longest allowed span: longer spans are flagged"))
        self.units_label = QLabel(self)

        layout.addWidget(QLabel(tr("Pole:"), self))
        layout.addWidget(self.node_type_combo)
        layout.addWidget(self.attributes_edit)
        layout.addWidget(QLabel(tr("Span:"), self))
        layout.addWidget(self.connection_type_combo)
        layout.addWidget(self.auto_check)
        layout.addWidget(QLabel(tr("every"), self))
        layout.addWidget(self.spacing_spin)
        layout.addWidget(self.mode_combo)
        layout.addWidget(QLabel(tr("max"), self))
        layout.addWidget(self.max_span_spin)
        layout.addWidget(self.units_label)
        self.refresh_units()

        self.node_type_combo.currentTextChanged.connect(self._save)
        self.connection_type_combo.currentTextChanged.connect(self._save)
        self.attributes_edit.editingFinished.connect(self._save)
        self.auto_check.toggled.connect(self._save)
        self.spacing_spin.valueChanged.connect(self._save)
        self.max_span_spin.valueChanged.connect(self._save)
        self.mode_combo.currentIndexChanged.connect(self._save)

    def _spin(self, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setDecimals(1)
        spin.setRange(1.0, 100000.0)
        spin.setToolTip(tip)
        return spin

    def _value(self, name: str, default):
        return self._settings.value(PREFIX + name, default)

    def _save(self, *_args) -> None:
        if getattr(self, "_loading", False):
            return
        s = self._settings
        s.setValue(PREFIX + "node_type", self.node_type())
        s.setValue(PREFIX + "connection_type", self.connection_type())
        s.setValue(PREFIX + "attributes", self.attributes_edit.text())
        s.setValue(PREFIX + "auto", "true" if self.auto_spacing() else "false")
        s.setValue(PREFIX + "spacing_m", self.spacing_m())
        s.setValue(PREFIX + "max_span_m", self.max_span_m())
        s.setValue(PREFIX + "mode", self.spacing_mode())
        self.changed.emit()

    # -- units ---------------------------------------------------------------
    def units(self) -> str:
        """Display units from the ``katapult/units`` setting."""
        return current_units(self._settings)

    def refresh_units(self) -> None:
        """Re-read the units setting and show spacing / max span in them."""
        self._loading = True
        try:
            units = self.units()
            self.units_label.setText(units)
            spacing = float(self._value("spacing_m", DEFAULT_SPACING_M))
            max_span = float(self._value("max_span_m", DEFAULT_MAX_SPAN_M))
            self.spacing_spin.setValue(geo.metres_to_units(spacing, units))
            self.max_span_spin.setValue(geo.metres_to_units(max_span, units))
        finally:
            self._loading = False

    # -- pick-lists --------------------------------------------------------------
    def set_node_types(self, values: Sequence[str]) -> None:
        """Replace the node_type pick-list (e.g. from the job's model)."""
        current = self.node_type_combo.currentText()
        self.node_type_combo.clear()
        self.node_type_combo.addItems([str(v) for v in values])
        if current:
            self.node_type_combo.setCurrentText(current)

    def set_connection_types(self, values: Sequence[str]) -> None:
        """Replace the connection_type pick-list."""
        current = self.connection_type_combo.currentText()
        self.connection_type_combo.clear()
        self.connection_type_combo.addItems([str(v) for v in values])
        if current:
            self.connection_type_combo.setCurrentText(current)

    def use_layer_pick_lists(self, nodes, connections) -> None:
        """Take node_type / connection_type pick-lists from the layers' ValueMap widgets
        (the job's model, when the job was loaded with it); keep the defaults otherwise."""
        node_values = value_map_values(nodes, "node_type")
        if node_values:
            self.set_node_types(node_values)
        conn_values = value_map_values(connections, "connection_type")
        if conn_values:
            self.set_connection_types(conn_values)

    # -- values ------------------------------------------------------------------
    def node_type(self) -> str:
        return self.node_type_combo.currentText().strip()

    def connection_type(self) -> str:
        return self.connection_type_combo.currentText().strip()

    def node_values(self) -> Dict[str, str]:
        """Field values for new poles; raises ``PoleLineError`` on a malformed entry."""
        values = parse_attributes(self.attributes_edit.text())
        if self.node_type():
            values.setdefault("node_type", self.node_type())
        return values

    def connection_values(self) -> Dict[str, str]:
        """Field values for new spans."""
        return {"connection_type": self.connection_type()} if self.connection_type() else {}

    def auto_spacing(self) -> bool:
        return self.auto_check.isChecked()

    def spacing_m(self) -> float:
        return geo.units_to_metres(self.spacing_spin.value(), self.units())

    def spacing_mode(self) -> str:
        """``"even"`` (at most N, poles on corners) or ``"fixed"`` (exactly every N)."""
        return str(self.mode_combo.currentData() or "even")

    def max_span_m(self) -> float:
        return geo.units_to_metres(self.max_span_spin.value(), self.units())

    def configure(self, *, node_type: Optional[str] = None, attributes: Optional[str] = None,
                  connection_type: Optional[str] = None, auto: Optional[bool] = None,
                  spacing: Optional[float] = None, max_span: Optional[float] = None,
                  mode: Optional[str] = None) -> None:
        """Set several choices at once (lengths in the display units)."""
        if node_type is not None:
            self.node_type_combo.setCurrentText(node_type)
        if attributes is not None:
            self.attributes_edit.setText(attributes)
            self._save()
        if connection_type is not None:
            self.connection_type_combo.setCurrentText(connection_type)
        if auto is not None:
            self.auto_check.setChecked(auto)
        if spacing is not None:
            self.spacing_spin.setValue(spacing)
        if max_span is not None:
            self.max_span_spin.setValue(max_span)
        if mode is not None:
            index = self.mode_combo.findData(mode)
            if index < 0:
                raise ValueError(f"spacing mode must be 'even' or 'fixed', got {mode!r}")
            self.mode_combo.setCurrentIndex(index)

    def node_type_items(self) -> List[str]:
        return [self.node_type_combo.itemText(i) for i in range(self.node_type_combo.count())]
