"""Attribute-form set-up for the job layers: value maps, checkboxes, read-only system fields."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from qgis.core import QgsEditorWidgetSetup, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..model.vocabulary import DEFAULT_NODE_TYPES
from .geopackage import QT_TYPES

# Fields the user never types into: ids and status columns kept by the plugin.
SYSTEM_READ_ONLY: frozenset[str] = frozenset(
    {"kp_id", "kp_sync", "kp_photos", "node_id_1", "node_id_2", "connection_id"}
)


def value_map_config(values: Iterable[str]) -> dict:
    """ValueMap widget config with label == value, order kept, no duplicates."""
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        seen.setdefault(str(value), None)
    return {"map": [{value: value} for value in seen]}


def present_values(layer: QgsVectorLayer, field_name: str) -> list[str]:
    """Distinct non-null values of a field (so a value map never hides data it does not list)."""
    index = layer.fields().indexOf(field_name)
    if index < 0:
        return []
    values = [
        v
        for v in layer.uniqueValues(index)
        if v is not None and not (isinstance(v, QVariant) and v.isNull())
    ]
    return sorted(str(v) for v in values)


def apply_forms(
    layer: QgsVectorLayer, pick_lists: Mapping[str, Sequence[str]] | None = None
) -> None:
    """Set widgets on ``layer``: read-only system fields, checkboxes for booleans, value maps.

    ``pick_lists`` maps attribute (field) names to allowed values, e.g. from the job's
    model; ``node_type`` falls back to the default list. Values present in the data are
    always added, so nothing already in the layer shows as invalid.
    """
    lists: dict[str, Sequence[str]] = {"node_type": DEFAULT_NODE_TYPES}
    if pick_lists:
        lists.update({k: v for k, v in pick_lists.items() if v})
    config = layer.editFormConfig()
    fields = layer.fields()
    for index, field in enumerate(fields):
        name = field.name()
        if name in SYSTEM_READ_ONLY:
            config.setReadOnly(index, True)
        if field.type() == QT_TYPES["bool"]:
            layer.setEditorWidgetSetup(
                index,
                QgsEditorWidgetSetup(
                    "CheckBox", {"CheckedState": "", "UncheckedState": "", "TextDisplayMethod": 0}
                ),
            )
        elif name in lists and field.type() == QT_TYPES["text"]:
            values = list(lists[name]) + present_values(layer, name)
            layer.setEditorWidgetSetup(
                index, QgsEditorWidgetSetup("ValueMap", value_map_config(values))
            )
    layer.setEditFormConfig(config)
