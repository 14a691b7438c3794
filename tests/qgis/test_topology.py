"""plugin.layers.topology: spans glued to poles, sections on spans, linked undo."""
from __future__ import annotations

import pytest
from pyproj import Geod
from qgis.core import QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

from plugin.layers.topology import TopologyKeeper, TopologyManager

from .kp_layers_helper import add_node, add_section, add_span, by_kp, make_layers

G = Geod(ellps="WGS84")
A, B, C, D = "-NodeA00000000000000", "-NodeB00000000000000", "-NodeC00000000000000", \
    "-NodeD00000000000000"
S1, S2 = "-SpanAB0000000000000", "-SpanBC0000000000000"
PA, PB, PC, PD = (-77.030, 40.100), (-77.028, 40.100), (-77.026, 40.101), (-77.028, 40.102)
BREAK = (-77.029, 40.1002)


def mid(a, b):
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


@pytest.fixture(params=["memory", "gpkg"])
def job(request, qgis_new_project, tmp_path):
    layers = make_layers(tmp_path / "job.gpkg" if request.param == "gpkg" else None)
    fids = {k: add_node(layers, k, p) for k, p in ((A, PA), (B, PB), (C, PC), (D, PD))}
    add_span(layers, S1, A, B, [PA, BREAK, PB])
    add_span(layers, S2, B, C, [PB, PC])
    add_section(layers, "midpoint_section", S2, mid(PB, PC))
    add_section(layers, "-Sec1on0000000000000", S1, BREAK)
    for layer in (layers.nodes, layers.connections, layers.sections):
        layer.reload()
    asked = []
    answer = {"value": True}

    def confirm(ids, spans, sections):
        asked.append((list(ids), spans, sections))
        return answer["value"]

    keeper = TopologyKeeper(layers.nodes, layers.connections, layers.sections,
                            confirm_delete=confirm)
    for layer in layers.all():
        assert layer.startEditing()
    yield layers, fids, keeper, asked, answer
    keeper.detach()
    for layer in layers.all():
        if layer.isEditable():
            layer.rollBack()


def coords(f):
    return [(p.x(), p.y()) for p in f.geometry().vertices()]


def point(f):
    p = f.geometry().asPoint()
    return (p.x(), p.y())


def move_node(layers, fid, to):
    """What QGIS's vertex tool does: one edit command around the change."""
    layers.nodes.beginEditCommand("Move vertex")
    assert layers.nodes.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(*to)))
    layers.nodes.endEditCommand()


def move_span_vertex(layers, span_id, vertex, to):
    span = by_kp(layers.connections)[span_id]
    geom = QgsGeometry(span.geometry())
    index = vertex if vertex >= 0 else geom.constGet().nCoordinates() + vertex
    geom.moveVertex(to[0], to[1], index)
    layers.connections.beginEditCommand("Move vertex")
    assert layers.connections.changeGeometry(span.id(), geom)
    layers.connections.endEditCommand()


def state(layers):
    return ({k: point(f) for k, f in by_kp(layers.nodes).items()},
            {k: (coords(f), f["node_id_1"], f["node_id_2"])
             for k, f in by_kp(layers.connections).items()},
            {k: (point(f), f["connection_id"]) for k, f in by_kp(layers.sections).items()})


def test_moved_node_drags_span_ends_and_sections(job):
    layers, fids, _, _, _ = job
    before = state(layers)
    new_b = (-77.0275, 40.0995)
    move_node(layers, fids[B], new_b)
    spans = by_kp(layers.connections)
    assert coords(spans[S1]) == [PA, BREAK, new_b]  # B is node_id_2 of S1: last vertex
    assert coords(spans[S2]) == [new_b, PC]  # and node_id_1 of S2: first vertex
    sections = by_kp(layers.sections)
    # the midpoint section is still at the middle of its (changed) span
    m = point(sections["midpoint_section"])
    d1, d2 = G.inv(*new_b, *m)[2], G.inv(*m, *PC)[2]
    assert d1 == pytest.approx(d2, rel=1e-3)
    assert point(sections["-Sec1on0000000000000"]) == pytest.approx(BREAK, abs=1e-9)
    # one undo on the nodes layer restores poles, spans and sections
    layers.nodes.undoStack().undo()
    assert _same(state(layers), before)
    layers.nodes.undoStack().redo()
    assert coords(by_kp(layers.connections)[S2]) == [new_b, PC]
    # undo from the connections layer's stack undoes the node move too
    layers.connections.undoStack().undo()
    assert _same(state(layers), before)
    assert layers.nodes.undoStack().index() == 0


def _same(a, b, tol=1e-9):
    nodes_a, spans_a, secs_a = a
    nodes_b, spans_b, secs_b = b
    if nodes_a.keys() != nodes_b.keys() or spans_a.keys() != spans_b.keys() \
            or secs_a.keys() != secs_b.keys():
        return False

    def close(p, q):
        return abs(p[0] - q[0]) < tol and abs(p[1] - q[1]) < tol

    return (all(close(nodes_a[k], nodes_b[k]) for k in nodes_a)
            and all(spans_a[k][1:] == spans_b[k][1:]
                    and all(close(p, q) for p, q in zip(spans_a[k][0], spans_b[k][0]))
                    for k in spans_a)
            and all(close(secs_a[k][0], secs_b[k][0]) and secs_a[k][1] == secs_b[k][1]
                    for k in secs_a))


def test_span_end_dragged_onto_other_node_reattaches(job):
    layers, _, keeper, _, _ = job
    notes = []
    keeper.message.connect(lambda text, level: notes.append(text))
    near_d = (PD[0] + 0.000001, PD[1])  # ~0.1 m off: as a snapped drag would land
    move_span_vertex(layers, S2, -1, near_d)
    span = by_kp(layers.connections)[S2]
    assert span["node_id_2"] == D and span["node_id_1"] == B
    assert coords(span)[-1] == PD  # glued exactly onto D
    assert any(D in n for n in notes)
    # the midpoint section followed the span
    m = point(by_kp(layers.sections)["midpoint_section"])
    assert G.inv(*PB, *m)[2] == pytest.approx(G.inv(*m, *PD)[2], rel=1e-3)
    # one undo on the connections layer: back on C, attribute and geometry
    layers.connections.undoStack().undo()
    span = by_kp(layers.connections)[S2]
    assert span["node_id_2"] == C and coords(span) == [PB, PC]
    assert point(by_kp(layers.sections)["midpoint_section"]) == pytest.approx(mid(PB, PC))


def test_span_end_dragged_into_empty_space_or_onto_itself_goes_back(job):
    layers, _, keeper, _, _ = job
    notes = []
    keeper.message.connect(lambda text, level: notes.append(text))
    move_span_vertex(layers, S2, 0, (-77.0270, 40.0990))  # nowhere
    span = by_kp(layers.connections)[S2]
    assert coords(span) == [PB, PC] and span["node_id_1"] == B
    assert "stay on their poles" in notes[-1]
    move_span_vertex(layers, S2, 0, PC)  # onto the span's other pole
    span = by_kp(layers.connections)[S2]
    assert coords(span) == [PB, PC] and span["node_id_1"] == B
    assert "itself" in notes[-1]
    # moving a breakpoint is fine: the span keeps it, its section follows its spot
    move_span_vertex(layers, S1, 1, (-77.0291, 40.1003))
    assert coords(by_kp(layers.connections)[S1])[1] == (-77.0291, 40.1003)
    sec = point(by_kp(layers.sections)["-Sec1on0000000000000"])
    assert sec == pytest.approx((-77.0291, 40.1003), abs=1e-7)
    layers.connections.undoStack().undo()
    sec = point(by_kp(layers.sections)["-Sec1on0000000000000"])
    assert sec == pytest.approx(BREAK, abs=1e-7)


def test_deleting_a_node_asks_and_deletes_spans_and_sections(job):
    layers, fids, _, asked, _ = job
    before = state(layers)
    layers.nodes.beginEditCommand("Delete features")
    layers.nodes.deleteFeature(fids[B])
    layers.nodes.endEditCommand()
    assert asked == [([B], 2, 2)]
    assert set(by_kp(layers.connections)) == set()
    assert set(by_kp(layers.sections)) == set()
    layers.nodes.undoStack().undo()  # one step brings back the pole, its spans and sections
    assert _same(state(layers), before)
    layers.nodes.undoStack().redo()
    assert not by_kp(layers.connections)
    assert len(asked) == 1  # redo does not ask again


def test_deleting_a_node_and_keeping_its_spans(job):
    layers, fids, keeper, asked, answer = job
    answer["value"] = False
    notes = []
    keeper.message.connect(lambda text, level: notes.append(text))
    layers.nodes.deleteFeature(fids[C])  # no edit command: QGIS wraps it in its own
    assert asked == [([C], 1, 1)]
    assert S2 in by_kp(layers.connections)
    assert "still reference" in notes[-1] and C in notes[-1]
    # a node with no spans: no question
    layers.nodes.deleteFeature(fids[D])
    assert len(asked) == 1


def test_deleting_a_span_deletes_its_sections(job):
    layers, _, _, asked, _ = job
    layers.connections.deleteFeature(by_kp(layers.connections)[S2].id())
    assert set(by_kp(layers.sections)) == {"-Sec1on0000000000000"}
    assert asked == []
    layers.connections.undoStack().undo()
    assert set(by_kp(layers.sections)) == {"midpoint_section", "-Sec1on0000000000000"}


def test_after_commit_the_keeper_still_follows(job):
    layers, fids, _, _, _ = job
    move_node(layers, fids[A], (-77.0305, 40.1001))
    for layer in layers.all():
        assert layer.commitChanges(), layer.commitErrors()
        assert layer.startEditing()
    a = next(f for f in layers.nodes.getFeatures() if f["kp_id"] == A)
    move_node(layers, a.id(), (-77.0306, 40.1002))
    assert coords(by_kp(layers.connections)[S1])[0] == (-77.0306, 40.1002)


def test_only_katapult_layers(qgis_new_project):
    plain = QgsVectorLayer("Point?crs=EPSG:4326&field=kp_id:string", "plain", "memory")
    lines = QgsVectorLayer("LineString?crs=EPSG:4326&field=kp_id:string", "lines", "memory")
    with pytest.raises(ValueError, match="katapult/kind"):
        TopologyKeeper(plain, lines)
    manager = TopologyManager(QgsProject.instance(), confirm_delete=lambda *a: True)
    QgsProject.instance().addMapLayers([plain, lines])
    assert manager.keepers == {}
    layers = make_layers()
    QgsProject.instance().addMapLayers(layers.all())
    assert len(manager.keepers) == 1
    (keeper,) = manager.keepers.values()
    assert keeper.nodes is layers.nodes and keeper.sections is layers.sections
    QgsProject.instance().removeMapLayer(layers.sections.id())
    (keeper,) = manager.keepers.values()
    assert keeper.sections is None
    manager.stop()
    assert manager.keepers == {}


def test_spans_added_by_a_pull_are_followed(job):
    """plugin.layers.refresh writes through the provider and repaints: the keeper re-reads."""
    from qgis.PyQt.QtCore import QCoreApplication

    layers, fids, _, _, _ = job
    for layer in layers.all():
        layer.rollBack()  # a pull only runs without unsaved edits
    add_span(layers, "-SpanPulled000000001", D, A, [PD, PA])
    add_section(layers, "-SecPulled0000000001", "-SpanPulled000000001", mid(PD, PA))
    for layer in layers.all():
        layer.triggerRepaint()
    QCoreApplication.processEvents()
    for layer in layers.all():
        assert layer.startEditing()
    move_node(layers, fids[D], (-77.0285, 40.1025))
    assert coords(by_kp(layers.connections)["-SpanPulled000000001"])[0] == (-77.0285, 40.1025)
    sec = point(by_kp(layers.sections)["-SecPulled0000000001"])
    assert sec == pytest.approx(mid((-77.0285, 40.1025), PA), abs=1e-6)


def test_node_id_edited_in_a_form_moves_the_span_end(job):
    layers, _, keeper, _, _ = job
    notes = []
    keeper.message.connect(lambda text, level: notes.append(text))
    span = by_kp(layers.connections)[S2]
    idx = layers.connections.fields().indexFromName("node_id_2")
    layers.connections.beginEditCommand("Attributes changed")
    layers.connections.changeAttributeValue(span.id(), idx, D)
    layers.connections.endEditCommand()
    assert coords(by_kp(layers.connections)[S2]) == [PB, PD]
    m = point(by_kp(layers.sections)["midpoint_section"])
    assert m == pytest.approx(mid(PB, PD), abs=1e-6)
    layers.connections.undoStack().undo()  # attribute, geometry and section in one step
    span = by_kp(layers.connections)[S2]
    assert span["node_id_2"] == C and coords(span) == [PB, PC]
    assert point(by_kp(layers.sections)["midpoint_section"]) == pytest.approx(mid(PB, PC))
    layers.connections.changeAttributeValue(span.id(), idx, "-NoSuchPole000000000")
    assert coords(by_kp(layers.connections)[S2]) == [PB, PC]
    assert "-NoSuchPole000000000" in notes[-1]


def test_default_question_names_the_poles(qgis_new_project, monkeypatch):
    from qgis.PyQt.QtWidgets import QMessageBox

    from plugin.layers import topology

    asked = []

    def fake_question(parent, title, text, buttons, default):
        asked.append((title, text))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(fake_question))
    assert topology.ask_delete_spans([A, B], 3, 1) is False
    title, text = asked[0]
    assert "Delete spans too?" in title
    assert A in text and B in text and "3 span(s)" in text and "1 section(s)" in text
