"""The plugin wires the pole line tool (checkable action + options toolbar) and starts
the topology keepers for every Katapult job in the project."""
from __future__ import annotations

import importlib

from qgis.core import QgsGeometry, QgsPointXY, QgsProject
from qgis.PyQt.QtWidgets import QToolBar

from tests.conftest import load_plugin_package
from tests.qgis.katapult_support import RecordingIface, flush_deletes

from .kp_layers_helper import add_node, add_span, by_kp, make_layers


class CanvasIface(RecordingIface):
    def __init__(self, canvas) -> None:
        super().__init__()
        self._canvas = canvas

    def mapCanvas(self):
        return self._canvas


def test_action_toggles_tool_and_topology_runs(qgis_canvas, qgis_new_project, tmp_path):
    package = load_plugin_package()
    tool_module = importlib.import_module(f"{package.__name__}.plugin.maptools.pole_line_tool")
    iface = CanvasIface(qgis_canvas)
    plugin = package.classFactory(iface)
    plugin.initGui()
    # (other rooms' docks may report their own problems; none may come from this room)
    assert not [e for e in plugin.load_errors if "start-up" in e or "pole" in e.lower()], \
        plugin.load_errors
    action = plugin.action("katapult_pole_line")
    assert action is not None and action.isCheckable()
    action.trigger()
    tool = qgis_canvas.mapTool()
    assert isinstance(tool, tool_module.PoleLineMapTool)
    assert action.isChecked()
    (bar,) = [t for t in iface.window.findChildren(QToolBar)
              if t.objectName() == "KatapultPoleLineToolbar"]
    assert not bar.isHidden()
    assert bar.findChild(tool_module.PoleLineOptions) is not None
    action.trigger()
    assert qgis_canvas.mapTool() is not tool and not action.isChecked()
    assert bar.isHidden()

    # the start-up hook keeps spans glued in any job loaded afterwards
    layers = make_layers(tmp_path / "job.gpkg")  # the sync dock opens the job's GeoPackage
    a = add_node(layers, "-NodeA00000000000000", (-77.03, 40.10))
    add_node(layers, "-NodeB00000000000000", (-77.02, 40.10))
    add_span(layers, "-SpanAB0000000000000", "-NodeA00000000000000", "-NodeB00000000000000",
             [(-77.03, 40.10), (-77.02, 40.10)])
    QgsProject.instance().addMapLayers(layers.all())
    layers.nodes.startEditing()
    layers.nodes.beginEditCommand("move")
    layers.nodes.changeGeometry(a, QgsGeometry.fromPointXY(QgsPointXY(-77.031, 40.101)))
    layers.nodes.endEditCommand()
    span = by_kp(layers.connections)["-SpanAB0000000000000"]
    assert span.geometry().vertexAt(0).x() == -77.031
    for layer in layers.all():
        layer.rollBack()

    plugin.unload()
    flush_deletes()
    assert not [t for t in iface.window.findChildren(QToolBar)
                if t.objectName().startswith("Katapult")]
    # after unload nothing reacts any more
    layers.nodes.startEditing()
    layers.nodes.changeGeometry(a, QgsGeometry.fromPointXY(QgsPointXY(-77.035, 40.105)))
    span = by_kp(layers.connections)["-SpanAB0000000000000"]
    assert span.geometry().vertexAt(0).x() == -77.03
    layers.nodes.rollBack()
    layers.connections.rollBack()
