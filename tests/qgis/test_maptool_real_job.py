"""The pole line tool on a real job GeoPackage (plugin.layers), then the push planner:
the drawing becomes exactly the creates Push will send, and nothing else; moving a
pole with the topology keeper running plans one node update and the spans' updates."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSnappingConfig,
    QgsTolerance,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt

from plugin.layers.topology import TopologyManager
from plugin.maptools.job_layers import job_layers_for
from plugin.maptools.options_widget import PoleLineOptions
from plugin.maptools.pole_line_tool import PoleLineMapTool

from .kp_layers_helper import by_kp, key, mouse, pixel_of

layers_gpkg = pytest.importorskip("plugin.layers.geopackage")
layers_project = pytest.importorskip("plugin.layers.project")
push = pytest.importorskip("plugin.sync.push")
journal_mod = pytest.importorskip("plugin.sync.journal")
sync_flows = pytest.importorskip("plugin.gui.sync_flows")

JOB = "-RealJobPoleLine0001"
E1, E2 = "-EXISTpole0000000001", "-EXISTpole0000000002"
NODES = [
    {"id": E1, "latitude": 40.1070, "longitude": -77.0300,
     "attributes": {"node_type": {"-a": "pole"}, "pole_height": {"one": "45"}}},
    {"id": E2, "latitude": 40.1085, "longitude": -77.0300,
     "attributes": {"node_type": {"-b": "pole"}}},
]
CONNS = [{"id": "-EXISTspan0000000001", "node_id_1": E1, "node_id_2": E2,
          "attributes": {"connection_type": {"button_added": "aerial cable"}},
          "sections": {"midpoint_section": {"latitude": 40.10775, "longitude": -77.0300}}}]


def plan(path, layers):
    journal = journal_mod.Journal(path)
    try:
        snap = push.base_snapshot(journal)
        working, new_items, _ = sync_flows.read_working(layers, snap)
        schemas = {k: layers_gpkg.stored_schema(path, k) for k in ("node", "connection",
                                                                     "section")}
        return push.diff_working(journal, working, schemas, new_items)
    finally:
        journal.close()


@pytest.fixture()
def job(qgis_canvas, qgis_new_project, tmp_path):
    path = str(tmp_path / "job.gpkg")
    layers_gpkg.write_job_gpkg(layers_gpkg.JobData(JOB, "Real job", NODES, CONNS, [],
                                                   server_url="http://127.0.0.1:1/api/v3"),
                               path, pick_lists={"node_type": ["pole", "new anchor", "reference"],
                                                 "connection_type": ["aerial cable", "guy"]})
    layers = layers_project.add_job_layers(path, canvas=None, zoom=False)
    canvas = qgis_canvas
    canvas.window().show()
    canvas.resize(600, 600)
    QCoreApplication.processEvents()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.setLayers([layers["node"], layers["connection"], layers["section"]])
    xf = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                canvas.mapSettings().destinationCrs(), QgsProject.instance())
    canvas.setExtent(QgsRectangle(xf.transform(QgsPointXY(-77.0310, 40.1060)),
                                  xf.transform(QgsPointXY(-77.0250, 40.1090))))
    cfg = QgsSnappingConfig(QgsProject.instance())
    cfg.setEnabled(True)
    cfg.setMode(QgsSnappingConfig.AllLayers)
    cfg.setTypeFlag(QgsSnappingConfig.VertexFlag)
    cfg.setTolerance(12)
    cfg.setUnits(QgsTolerance.Pixels)
    canvas.snappingUtils().setConfig(cfg)
    canvas.snappingUtils().clearAllLocators()
    canvas.setCurrentLayer(layers["connection"])  # the tool finds the job from any of its layers
    manager = TopologyManager(QgsProject.instance(), confirm_delete=lambda *a: True)
    tool = PoleLineMapTool(canvas, PoleLineOptions())
    tool.options.configure(node_type="pole", attributes="", connection_type="aerial cable",
                           auto=False, max_span=400)
    canvas.setMapTool(tool)
    yield path, layers, canvas, tool, manager
    canvas.unsetMapTool(tool)
    tool.clean()
    manager.stop()
    for layer in layers.values():
        if layer.isEditable():
            layer.rollBack()


def test_drawing_on_a_real_job_plans_exactly_its_creates(job):
    path, layers, canvas, tool, manager = job
    found = job_layers_for(layers["section"])
    assert found.nodes is layers["node"] and found.connections is layers["connection"]
    assert len(manager.keepers) == 1
    # the job's pick-lists (from its model) replace the default lists in the toolbar widget
    assert tool.options.node_type_items() == ["pole", "new anchor", "reference"]
    combo = tool.options.connection_type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["aerial cable", "guy"]
    # before any edit the planner sees the job as it is (the journal opening the file never
    # breaks the layers' connections: tests/qgis/test_gpkg_concurrency.py)
    untouched = plan(path, layers)
    assert untouched.changes == [] and not untouched.problems
    points = [(-77.0300, 40.1070), (-77.0290, 40.1068), (-77.0280, 40.1071),
              (-77.0270, 40.1069)]
    for p in points:
        mouse(canvas, tool, pixel_of(canvas, p))
    assert tool.clicks[0].node_kp_id == E1
    key(tool, Qt.Key_Return)
    nodes = layers["node"]
    assert nodes.isEditable() and nodes.isModified() and layers["connection"].isModified()
    for layer in layers.values():
        if layer.isEditable():
            assert layer.commitChanges(), layer.commitErrors()
    result = plan(path, layers)
    assert not result.problems and not result.assigned
    creates = [(c.kind, c.verb) for c in result.changes]
    assert creates.count(("node", "create")) == 3
    assert creates.count(("connection", "create")) == 3
    assert len(creates) == 6  # nothing else: the existing pole and span are untouched
    new_nodes = {c.entity_id for c in result.changes if c.kind == "node"}
    for change in result.changes:
        if change.kind == "connection":
            assert set(change.parent_ids) <= new_nodes | {E1}
    assert set(by_kp(nodes)) == new_nodes | {E1, E2}


def test_vertex_move_on_a_real_job_drags_spans_and_plans_updates(job):
    path, layers, canvas, tool, manager = job
    nodes, spans, sections = layers["node"], layers["connection"], layers["section"]
    for layer in (nodes, spans, sections):
        assert layer.startEditing()
    e2 = by_kp(nodes)[E2]
    nodes.beginEditCommand("Move vertex")
    nodes.changeGeometry(e2.id(), QgsGeometry.fromPointXY(QgsPointXY(-77.0290, 40.1085)))
    nodes.endEditCommand()
    span = by_kp(spans)["-EXISTspan0000000001"]
    assert span.geometry().vertexAt(1).x() == pytest.approx(-77.0290)
    sec = next(iter(sections.getFeatures()))
    assert sec.geometry().asPoint().x() == pytest.approx(-77.0295, abs=1e-6)  # still midspan
    for layer in (nodes, spans, sections):
        assert layer.commitChanges(), layer.commitErrors()
    kinds = sorted((c.kind, c.verb) for c in plan(path, layers).changes)
    assert ("node", "update") in kinds and ("connection", "create") not in kinds
    assert all(verb == "update" for _, verb in kinds)
