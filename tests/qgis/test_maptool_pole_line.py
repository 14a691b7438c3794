"""The pole line map tool driven with mouse and key events on a real QGIS canvas."""
from __future__ import annotations

import pytest
from pyproj import Geod
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsSnappingConfig,
    QgsTolerance,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, Qt

from plugin.layers.topology import TopologyKeeper
from plugin.maptools.options_widget import PoleLineOptions
from plugin.maptools.pole_line_tool import PoleLineMapTool

from .kp_layers_helper import add_node, by_kp, key, lonlat_of_pixel, make_layers, mouse, pixel_of

G = Geod(ellps="WGS84")
ORIGIN = (-77.0280, 40.1070)
EXISTING = "-EXISTINGpole0000001"


def offset(east_m: float, north_m: float):
    lon, lat, _ = G.fwd(ORIGIN[0], ORIGIN[1], 90, east_m)
    lon, lat, _ = G.fwd(lon, lat, 0, north_m)
    return (lon, lat)


@pytest.fixture()
def settings():
    s = QgsSettings()
    s.setValue("katapult/units", "ft")
    for name in ("auto", "attributes", "spacing_m", "max_span_m", "mode"):
        s.remove("katapult/pole_line/" + name)
    yield s
    s.setValue("katapult/units", "ft")


@pytest.fixture()
def scene(qgis_canvas, qgis_new_project, settings, tmp_path, request):
    gpkg = tmp_path / "job.gpkg" if getattr(request, "param", "memory") == "gpkg" else None
    layers = make_layers(gpkg)
    add_node(layers, EXISTING, offset(200, 0))
    QgsProject.instance().addMapLayers(layers.all())
    canvas = qgis_canvas
    canvas.window().show()  # offscreen platform: gives the map settings the widget's size
    canvas.resize(600, 600)
    QCoreApplication.processEvents()
    assert canvas.mapSettings().outputSize().width() > 500
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))  # not the layers' CRS
    canvas.setLayers(layers.all())
    lo, hi = offset(-50, -150), offset(450, 150)
    from qgis.core import QgsCoordinateTransform, QgsPointXY
    xf = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                canvas.mapSettings().destinationCrs(), QgsProject.instance())
    a, b = xf.transform(QgsPointXY(*lo)), xf.transform(QgsPointXY(*hi))
    canvas.setExtent(QgsRectangle(a, b))
    cfg = QgsSnappingConfig(QgsProject.instance())
    cfg.setEnabled(True)
    cfg.setMode(QgsSnappingConfig.AllLayers)
    cfg.setTypeFlag(QgsSnappingConfig.VertexFlag)
    cfg.setTolerance(12)
    cfg.setUnits(QgsTolerance.Pixels)
    canvas.snappingUtils().setConfig(cfg)
    canvas.snappingUtils().clearAllLocators()  # no index left from an earlier test's layers
    options = PoleLineOptions(settings=settings)
    options.configure(node_type="pole", attributes="pole_height=40", connection_type="aerial cable",
                      auto=False, max_span=400)
    tool = PoleLineMapTool(canvas, options, layers)
    canvas.setMapTool(tool)
    keeper = TopologyKeeper(layers.nodes, layers.connections, layers.sections,
                            confirm_delete=lambda *a: True)
    yield canvas, layers, tool, keeper
    keeper.detach()
    canvas.unsetMapTool(tool)
    tool.clean()
    for layer in layers.all():
        if not sip.isdeleted(layer) and layer.isEditable():
            layer.rollBack()


def coords_of(feature):
    return [(p.x(), p.y()) for p in feature.geometry().vertices()]


@pytest.mark.parametrize("scene", ["memory", "gpkg"], indirect=True)
def test_draw_five_poles_one_snapped(scene):
    canvas, layers, tool, _ = scene
    assert not layers.nodes.isEditable()
    targets = [offset(0, 0), offset(100, 20), offset(200, 0), offset(300, -20), offset(400, 0)]
    pixels = [pixel_of(canvas, t) for t in targets]
    pixels[2].setX(pixels[2].x() + 4)  # near, not on, the existing pole: snapping reuses it
    for i, px in enumerate(pixels):
        mouse(canvas, tool, px)
        assert len(tool.clicks) == i + 1
    assert layers.nodes.isEditable() and layers.connections.isEditable()  # editing started
    assert tool.clicks[2].node_kp_id == EXISTING
    live = tool.span_labels()
    assert len(live) == 4 and all(text.endswith(" ft") for text in live)
    mouse(canvas, tool, pixels[-1], Qt.RightButton, move_first=False)  # right click finishes

    nodes, spans = by_kp(layers.nodes), by_kp(layers.connections)
    assert len(nodes) == 5 and len(spans) == 4  # 4 new nodes + the existing one
    assert tool.clicks == [] and tool.span_labels() == []  # the tool is ready for the next line
    new_ids = [k for k in nodes if k != EXISTING]
    assert all(len(k) >= 20 for k in new_ids + list(spans))
    for k in new_ids:
        assert nodes[k]["node_type"] == "pole" and nodes[k]["pole_height"] == 40
    # walk the chain from the first pole
    ends = {(s["node_id_1"], s["node_id_2"]) for s in spans.values()}
    firsts = {a for a, _ in ends} - {b for _, b in ends}
    assert len(firsts) == 1
    chain = [firsts.pop()]
    while len(chain) < 5:
        chain.append(next(b for a, b in ends if a == chain[-1]))
    assert chain[2] == EXISTING
    for i, kp in enumerate(chain):
        got = nodes[kp].geometry().asPoint()
        want = lonlat_of_pixel(canvas, pixels[i]) if kp != EXISTING else offset(200, 0)
        assert G.inv(got.x(), got.y(), *want)[2] < 0.05
    for span in spans.values():
        a = nodes[span["node_id_1"]].geometry().asPoint()
        b = nodes[span["node_id_2"]].geometry().asPoint()
        assert coords_of(span) == [(a.x(), a.y()), (b.x(), b.y())]
        assert span["connection_type"] == "aerial cable"
    # live labels were the geodesic lengths in feet of these spans
    for i, text in enumerate(live):
        a = nodes[chain[i]].geometry().asPoint()
        b = nodes[chain[i + 1]].geometry().asPoint()
        feet = G.inv(a.x(), a.y(), b.x(), b.y())[2] / 0.3048
        assert text == f"{feet:.0f} ft"
    assert 300 < feet < 360  # ~100 m spans, not a planar/degree length

    # one undo step on either layer removes the whole drawing
    layers.connections.undoStack().undo()
    assert list(by_kp(layers.nodes)) == [EXISTING]
    assert len(by_kp(layers.connections)) == 0
    layers.connections.undoStack().redo()
    assert len(by_kp(layers.nodes)) == 5 and len(by_kp(layers.connections)) == 4
    layers.nodes.undoStack().undo()
    assert list(by_kp(layers.nodes)) == [EXISTING] and len(by_kp(layers.connections)) == 0
    assert layers.nodes.undoStack().index() == 0 and layers.connections.undoStack().index() == 0


def test_units_metres_and_live_cursor_label(scene, settings):
    canvas, layers, tool, _ = scene
    settings.setValue("katapult/units", "m")
    tool.options.refresh_units()
    a, b = offset(0, 0), offset(150, 0)
    mouse(canvas, tool, pixel_of(canvas, a))
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent
    tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.MouseMove, pixel_of(canvas, b),
                                          Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    (label,) = tool.span_labels()
    assert label.endswith(" m") and abs(float(label.split()[0]) - 150.0) < 1.0
    key(tool, Qt.Key_Escape)
    assert tool.clicks == [] and tool.span_labels() == []
    assert len(by_kp(layers.nodes)) == 1


def test_backspace_enter_and_bad_input(scene):
    canvas, layers, tool, _ = scene
    p0, p1, p2 = (pixel_of(canvas, offset(x, 50)) for x in (0, 80, 160))
    mouse(canvas, tool, p0)
    mouse(canvas, tool, p0)  # same spot: refused, no zero-length span
    assert len(tool.clicks) == 1
    assert "zero-length" in tool.messages[-1][0] and tool.messages[-1][1] == Qgis.Warning
    existing = pixel_of(canvas, offset(200, 0))
    mouse(canvas, tool, existing)
    mouse(canvas, tool, existing)  # the same pole twice: a span to itself is refused
    assert len(tool.clicks) == 2 and "itself" in tool.messages[-1][0]
    mouse(canvas, tool, p1)
    mouse(canvas, tool, p2)
    key(tool, Qt.Key_Backspace)  # removes p2
    assert len(tool.clicks) == 3
    key(tool, Qt.Key_Return)
    nodes, spans = by_kp(layers.nodes), by_kp(layers.connections)
    assert len(nodes) == 3 and len(spans) == 2
    assert all(s["node_id_1"] != s["node_id_2"] for s in spans.values())
    assert all(G.inv(*c[0], *c[1])[2] > 1.0 for c in map(coords_of, spans.values()))
    # drawing back along an existing span is refused
    mouse(canvas, tool, existing)
    mouse(canvas, tool, p1)
    assert len(tool.clicks) == 1 and "already a span" in tool.messages[-1][0]
    key(tool, Qt.Key_Escape)


def test_single_existing_pole_adds_nothing_and_removed_layers_cancel(scene):
    canvas, layers, tool, _ = scene
    mouse(canvas, tool, pixel_of(canvas, offset(200, 0)))  # the existing pole only
    key(tool, Qt.Key_Return)
    assert "Nothing to add" in tool.messages[-1][0]
    assert len(by_kp(layers.nodes)) == 1 and not by_kp(layers.connections)
    mouse(canvas, tool, pixel_of(canvas, offset(0, 0)))
    assert len(tool.clicks) == 1
    for layer in layers.all():
        layer.rollBack()
    QgsProject.instance().removeMapLayers([lyr.id() for lyr in layers.all()])
    QCoreApplication.processEvents()
    mouse(canvas, tool, pixel_of(canvas, offset(90, 0)))  # no crash: drawing dropped
    assert tool.clicks == []
    assert "Select a layer of the Katapult job" in tool.messages[-1][0]


def test_read_only_layer_is_explained(scene):
    canvas, layers, tool, _ = scene
    layers.nodes.setReadOnly(True)
    mouse(canvas, tool, pixel_of(canvas, offset(0, 0)))
    assert tool.clicks == []
    text, level = tool.messages[-1]
    assert "read-only" in text and "nodes" in text and level == Qgis.Warning
    assert not layers.nodes.isEditable()
    layers.nodes.setReadOnly(False)


def test_bad_default_attribute_names_the_item(scene):
    canvas, layers, tool, _ = scene
    tool.options.configure(attributes="pole_height=tall")
    mouse(canvas, tool, pixel_of(canvas, offset(0, 0)))
    mouse(canvas, tool, pixel_of(canvas, offset(90, 0)))
    key(tool, Qt.Key_Return)
    assert "tall" in tool.messages[-1][0] and "pole_height" in tool.messages[-1][0]
    assert len(by_kp(layers.nodes)) == 1  # nothing half-written
    assert len(tool.clicks) == 2  # the drawing is kept so the user can fix the value
    tool.options.configure(attributes="pole_height 40")
    key(tool, Qt.Key_Return)
    assert "name=value" in tool.messages[-1][0]
    tool.options.configure(attributes="pole_class=4")  # a new attribute gets its field
    key(tool, Qt.Key_Return)
    added = [f for f in layers.nodes.getFeatures() if f["kp_id"] != EXISTING]
    assert len(added) == 2 and all(f["pole_class"] == "4" for f in added)


def test_auto_spacing_preview_then_commit(scene):
    canvas, layers, tool, _ = scene
    tool.options.configure(auto=True, spacing=100, max_span=150)
    start, corner, end = offset(0, -100), offset(300, -100), offset(300, 100)
    for ll in (start, corner, end):
        mouse(canvas, tool, pixel_of(canvas, ll))
    poles, lengths, too_long = tool.planned()
    assert all(x <= 100 * 0.3048 + 1e-6 for x in lengths) and too_long == []
    assert len(lengths) == len(tool.span_labels())
    key(tool, Qt.Key_Return)  # first finish: preview only
    assert tool.previewing and len(by_kp(layers.nodes)) == 1
    assert "Preview" in tool.messages[-1][0]
    key(tool, Qt.Key_Return)  # second finish: commit
    assert len(by_kp(layers.nodes)) == 1 + len(poles)
    assert len(by_kp(layers.connections)) == len(poles) - 1
    spans = list(by_kp(layers.connections).values())
    for s in spans:
        c = coords_of(s)
        assert G.inv(*c[0], *c[1])[2] <= 100 * 0.3048 + 0.01


def test_auto_spacing_exactly_every_n(scene):
    canvas, layers, tool, _ = scene
    tool.options.configure(auto=True, spacing=100, max_span=400, mode="fixed")
    for ll in (offset(0, -100), offset(150, -100), offset(150, 50)):  # 300 m with a corner
        mouse(canvas, tool, pixel_of(canvas, ll))
    poles, lengths, _ = tool.planned()
    # every 100 ft along the route; corners are cut, so spans near them are a bit shorter
    assert len(poles) == 1 + int(300 / 30.48) + 1
    straight = [x for i, x in enumerate(lengths[:-1]) if i not in (4, 5)]
    assert all(x == pytest.approx(30.48, abs=0.05) for x in straight)
    key(tool, Qt.Key_Return)
    key(tool, Qt.Key_Return)
    assert len(by_kp(layers.connections)) == len(lengths)
    with pytest.raises(ValueError, match="mode"):
        tool.options.configure(mode="random")
    tool.options.configure(mode="even")


def test_auto_spacing_warns_about_long_spans(scene):
    canvas, layers, tool, _ = scene
    tool.options.configure(auto=True, spacing=400, max_span=300)
    mouse(canvas, tool, pixel_of(canvas, offset(0, -100)))
    mouse(canvas, tool, pixel_of(canvas, offset(350, -100)))
    poles, lengths, too_long = tool.planned()
    assert too_long == list(range(len(lengths))) and too_long
    assert all("> max 300 ft" in t for t in tool.span_labels())
    key(tool, Qt.Key_Return)
    text, level = tool.messages[-1]
    assert "longer than the maximum of 300 ft" in text and level == Qgis.Warning
    key(tool, Qt.Key_Backspace)  # back from preview to the route
    assert not tool.previewing and len(tool.clicks) == 2
    key(tool, Qt.Key_Escape)
    assert len(by_kp(layers.nodes)) == 1


def test_draw_then_move_node_spans_follow_and_undo_restores(scene):
    canvas, layers, tool, _ = scene
    for x in (0, 100):
        mouse(canvas, tool, pixel_of(canvas, offset(x, 60)))
    mouse(canvas, tool, pixel_of(canvas, offset(200, 0)))  # the existing pole
    key(tool, Qt.Key_Return)
    spans = by_kp(layers.connections)
    before = {k: coords_of(f) for k, f in spans.items()}
    ex = by_kp(layers.nodes)[EXISTING]
    from qgis.core import QgsGeometry, QgsPointXY
    moved = offset(220, 30)
    layers.nodes.beginEditCommand("move")  # what QGIS's vertex tool does
    layers.nodes.changeGeometry(ex.id(), QgsGeometry.fromPointXY(QgsPointXY(*moved)))
    layers.nodes.endEditCommand()
    span = next(f for f in by_kp(layers.connections).values() if f["node_id_2"] == EXISTING)
    assert coords_of(span)[-1] == pytest.approx(moved)
    layers.nodes.undoStack().undo()
    assert {k: coords_of(f) for k, f in by_kp(layers.connections).items()} == before
    layers.nodes.undoStack().redo()
    span = next(f for f in by_kp(layers.connections).values() if f["node_id_2"] == EXISTING)
    assert coords_of(span)[-1] == pytest.approx(moved)
    layers.nodes.undoStack().undo()
    layers.nodes.undoStack().undo()  # the drawing
    assert list(by_kp(layers.nodes)) == [EXISTING] and not by_kp(layers.connections)
    assert by_kp(layers.nodes)[EXISTING].geometry().asPoint() == ex.geometry().asPoint()


def test_reuses_node_under_span_end_and_without_project_snapping(scene):
    canvas, layers, tool, _ = scene
    from .kp_layers_helper import add_span

    other = "-OTHERpole0000000001"
    add_node(layers, other, offset(200, 100))
    add_span(layers, "-SPANexisting0000001", EXISTING, other, [offset(200, 0), offset(200, 100)])
    canvas.snappingUtils().clearAllLocators()
    # the span's end vertex coincides with the pole: the pole is still what gets reused
    mouse(canvas, tool, pixel_of(canvas, offset(0, 0)))
    mouse(canvas, tool, pixel_of(canvas, offset(200, 0)))
    assert tool.clicks[-1].node_kp_id == EXISTING
    key(tool, Qt.Key_Escape)
    # project snapping off: a click within the vertex search radius still finds the pole
    cfg = canvas.snappingUtils().config()
    cfg.setEnabled(False)
    canvas.snappingUtils().setConfig(cfg)
    near = pixel_of(canvas, offset(200, 100))
    near.setY(near.y() + 3)
    mouse(canvas, tool, pixel_of(canvas, offset(0, 0)))
    mouse(canvas, tool, near)
    assert tool.clicks[-1].node_kp_id == other
    key(tool, Qt.Key_Return)
    span = next(f for f in by_kp(layers.connections).values() if f["node_id_2"] == other)
    assert span["node_id_1"] != other and len(span["kp_id"]) >= 20
