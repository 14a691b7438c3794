"""Regenerate ``resources/styles/{nodes,connections,sections}.qml``.

Developer tool, not used at runtime (the plugin loads the committed .qml files):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m plugin.layers._make_styles

The symbols follow Katapult's defaults approximately: pole black circle,
reference magenta star, anchors pink triangle, crossover red cross, handhole
cyan square, slack loop green, everything else grey. A ring around a node shows
``flag_for_review`` (orange) or ``field_completed`` (green). Expressions read
fields through ``attribute('name')`` so a layer without that attribute still
renders (the value is NULL instead of an error).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsEditorWidgetSetup,
    QgsFeatureRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsSimpleMarkerSymbolLayer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from .forms import DEFAULT_NODE_TYPES, SYSTEM_READ_ONLY

STYLES = Path(__file__).resolve().parents[2] / "resources" / "styles"

TRUE_EXPR = "coalesce(lower(to_string(attribute('{0}'))) IN ('true', '1', 'yes'), false)"
FLAGGED = TRUE_EXPR.format("flag_for_review")
COMPLETED = TRUE_EXPR.format("field_completed")

GREY = "150,150,150,255"
PINK = "255,105,180,255"
# node_type -> (shape, fill colour, size mm)
NODE_SYMBOLS: dict[str, tuple[str, str, float]] = {
    "pole": ("circle", "0,0,0,255", 2.6),
    "doublewood pole": ("circle", "0,0,0,255", 3.2),
    "reference": ("star", "230,0,230,255", 3.4),
    "existing anchor": ("triangle", PINK, 2.8),
    "new anchor": ("triangle", PINK, 2.8),
    "crossover": ("cross_fill", "220,0,0,255", 3.0),
    "handhole": ("square", "0,210,230,255", 2.6),
    "manhole": ("square", "0,150,170,255", 2.8),
    "slack loop": ("circle", "0,170,60,255", 2.6),
    "splice": ("diamond", GREY, 2.4),
    "map note": ("diamond", "120,120,120,255", 2.2),
    "break point": ("circle", GREY, 1.4),
}


def _node_symbol(shape: str, colour: str, size: float) -> QgsMarkerSymbol:
    """A marker with a status ring (flag_for_review / field_completed) under it."""
    ring = QgsSimpleMarkerSymbolLayer.create(
        {
            "name": "circle",
            "color": "0,0,0,0",
            "outline_color": "255,90,0,255",
            "outline_width": "0.7",
            "size": str(size + 2.0),
        }
    )
    ring.setDataDefinedProperty(
        QgsSymbolLayer.PropertyLayerEnabled, QgsProperty.fromExpression(f"{FLAGGED} OR {COMPLETED}")
    )
    ring.setDataDefinedProperty(
        QgsSymbolLayer.PropertyStrokeColor,
        QgsProperty.fromExpression(
            f"CASE WHEN {FLAGGED} THEN '255,90,0,255' ELSE '0,170,0,255' END"
        ),
    )
    symbol = QgsMarkerSymbol.createSimple(
        {
            "name": shape,
            "color": colour,
            "outline_color": "255,255,255,255",
            "outline_width": "0.3",
            "size": str(size),
        }
    )
    symbol.insertSymbolLayer(0, ring)
    return symbol


def node_renderer() -> QgsFeatureRenderer:
    """Categorized by ``node_type``; unknown and missing types fall to the grey catch-all."""
    categories = []
    for node_type in DEFAULT_NODE_TYPES:
        shape, colour, size = NODE_SYMBOLS.get(node_type, ("circle", GREY, 2.2))
        categories.append(
            QgsRendererCategory(node_type, _node_symbol(shape, colour, size), node_type)
        )
    categories.append(QgsRendererCategory(None, _node_symbol("circle", GREY, 2.2), "other"))
    return QgsCategorizedSymbolRenderer("node_type", categories)


CONNECTION_CLASS = (
    "CASE"
    " WHEN attribute('connection_type') ILIKE '%underground%'"
    "   OR attribute('connection_type') ILIKE 'ug%' THEN 'underground'"
    " WHEN attribute('connection_type') ILIKE '%reference%'"
    "   OR attribute('connection_type') ILIKE 'ref%' THEN 'reference'"
    " WHEN attribute('connection_type') ILIKE '%aerial%' THEN 'aerial'"
    " ELSE 'other' END"
)


def connection_renderer() -> QgsFeatureRenderer:
    """By class of ``connection_type``: aerial solid, underground dashed, reference thin."""

    def line(colour: str, width: float, style: str = "solid") -> QgsLineSymbol:
        return QgsLineSymbol.createSimple(
            {
                "line_color": colour,
                "line_width": str(width),
                "line_style": style,
                "capstyle": "round",
            }
        )

    categories = [
        QgsRendererCategory("aerial", line("30,30,30,255", 0.5), "aerial"),
        QgsRendererCategory("underground", line("160,82,45,255", 0.5, "dash"), "underground"),
        QgsRendererCategory("reference", line("230,0,230,255", 0.2), "reference"),
        QgsRendererCategory(None, line(GREY, 0.3), "other"),
    ]
    return QgsCategorizedSymbolRenderer(CONNECTION_CLASS, categories)


def section_renderer() -> QgsFeatureRenderer:
    """Small markers: sections are many and should not hide the poles."""
    symbol = QgsMarkerSymbol.createSimple(
        {
            "name": "circle",
            "color": "40,120,220,255",
            "outline_color": "255,255,255,255",
            "outline_width": "0.15",
            "size": "1.4",
        }
    )
    return QgsCategorizedSymbolRenderer("kp_id", [QgsRendererCategory(None, symbol, "section")])


def scid_labels() -> QgsVectorLayerSimpleLabeling:
    """SCID beside each node, shown from 1:25,000 inwards."""
    settings = QgsPalLayerSettings()
    settings.fieldName = "attribute('scid')"
    settings.isExpression = True
    settings.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
    settings.dist = 1.0
    settings.scaleVisibility = True
    settings.minimumScale = 25000
    settings.maximumScale = 0
    text = QgsTextFormat()
    text.setSize(8)
    text.setColor(QColor(20, 20, 20))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor(255, 255, 255))
    text.setBuffer(buffer)
    settings.setFormat(text)
    return QgsVectorLayerSimpleLabeling(settings)


def _form_layer(geometry: str, extra: str) -> QgsVectorLayer:
    fields = (
        "&".join(f"field={name}:string" for name in ("kp_id", *extra.split(",")))
        if extra
        else "field=kp_id:string"
    )
    layer = QgsVectorLayer(
        f"{geometry}?crs=EPSG:4326&{fields}&field=kp_sync:string&field=kp_photos:integer",
        "style",
        "memory",
    )
    config = layer.editFormConfig()
    for index, field in enumerate(layer.fields()):
        if field.name() in SYSTEM_READ_ONLY:
            config.setReadOnly(index, True)
    layer.setEditFormConfig(config)
    return layer


def build(out_dir: Path = STYLES) -> list[Path]:
    """Write the three .qml files and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    nodes = _form_layer("Point", "node_type,scid")
    value_map = [{name: name} for name in DEFAULT_NODE_TYPES]
    nodes.setEditorWidgetSetup(
        nodes.fields().indexOf("node_type"), QgsEditorWidgetSetup("ValueMap", {"map": value_map})
    )
    nodes.setRenderer(node_renderer())
    nodes.setLabeling(scid_labels())
    nodes.setLabelsEnabled(True)
    connections = _form_layer("LineString", "node_id_1,node_id_2")
    connections.setRenderer(connection_renderer())
    sections = _form_layer("Point", "connection_id")
    sections.setRenderer(section_renderer())
    written = []
    for name, layer in (("nodes", nodes), ("connections", connections), ("sections", sections)):
        path = out_dir / f"{name}.qml"
        message, ok = layer.saveNamedStyle(str(path))
        if not ok:
            raise RuntimeError(f"could not write {path}: {message}")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - developer tool
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    for written_path in build():
        print(written_path)
