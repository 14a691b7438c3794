"""The Draw pole line tool in the real QGIS desktop under Xvfb: a job GeoPackage opened,
the toolbar action triggered, a line drawn with mouse events on the map canvas (one click
snapped onto an existing pole), screenshots to test-artifacts/desktop_pole_line_*.png."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
from pyproj import Geod

from tests.conftest import ARTIFACTS
from tests.desktop.test_desktop_startup import QGIS

pytestmark = pytest.mark.desktop

# Runs inside QGIS (``qgis --code``) with the installed plugin (katapult_qgis).
SCRIPT = r'''
import json, os, traceback
from pathlib import Path
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsPointXY, QgsProject, QgsRectangle, QgsSettings, QgsSnappingConfig,
                       QgsTolerance)
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from qgis.PyQt.QtGui import QKeyEvent, QMouseEvent
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface
import qgis.utils as utils

OUT = Path(os.environ["KATAPULT_DESKTOP_OUT"])
WORK = Path(os.environ["KATAPULT_WORK"])
report = {"ok": False, "checks": {}, "errors": []}
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
E1, E2 = "-EXISTpole0000000001", "-EXISTpole0000000002"


def pump(n=5):
    for _ in range(n):
        QgsApplication.processEvents()


def pixel(canvas, lon, lat):
    xf = QgsCoordinateTransform(WGS84, canvas.mapSettings().destinationCrs(), QgsProject.instance())
    p = canvas.getCoordinateTransform().transform(xf.transform(QgsPointXY(lon, lat)))
    return QPoint(round(p.x()), round(p.y()))


def send(canvas, kind, pos, button=Qt.NoButton):
    buttons = button if kind != QEvent.MouseButtonRelease else Qt.NoButton
    event = QMouseEvent(kind, QPointF(pos), button, buttons, Qt.NoModifier)
    QApplication.sendEvent(canvas.viewport(), event)
    pump(2)


def click(canvas, pos):
    send(canvas, QEvent.MouseMove, pos)
    send(canvas, QEvent.MouseButtonPress, pos, Qt.LeftButton)
    send(canvas, QEvent.MouseButtonRelease, pos, Qt.LeftButton)


def run():
    import sys
    report["checks"]["plugins"] = {"available": list(utils.available_plugins),
                                   "active": list(utils.active_plugins),
                                   "path": [p for p in sys.path if "plugins" in p]}
    from katapult_qgis.plugin.layers.geopackage import JobData, write_job_gpkg
    from katapult_qgis.plugin.layers.project import add_job_layers

    checks = report["checks"]
    QgsSettings().setValue("katapult/units", "ft")
    nodes = [
        {"id": E1, "latitude": 40.1070, "longitude": -77.0300,
         "attributes": {"node_type": {"-a": "pole"}, "pole_height": {"one": "45"}}},
        {"id": E2, "latitude": 40.1085, "longitude": -77.0300,
         "attributes": {"node_type": {"-b": "pole"}, "pole_height": {"one": "40"}}},
    ]
    conns = [{"id": "-EXISTspan0000000001", "node_id_1": E1, "node_id_2": E2,
              "attributes": {"connection_type": {"button_added": "aerial cable"}}}]
    path = str(WORK / "pole_line_job.gpkg")
    write_job_gpkg(JobData("-PoleLineDemoJob0001", "Pole line demo", nodes, conns, [],
                           server_url="http://127.0.0.1:1/api/v3"), path)
    window = iface.mainWindow()
    window.showMaximized()
    pump(10)
    canvas = iface.mapCanvas()
    layers = add_job_layers(path, canvas=canvas)
    lo = QgsPointXY(-77.0312, 40.1062)
    hi = QgsPointXY(-77.0248, 40.1088)
    pump(10)
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))  # not the layers'
    pump(10)
    xf = QgsCoordinateTransform(WGS84, QgsProject.instance().crs(), QgsProject.instance())
    canvas.setExtent(QgsRectangle(xf.transform(lo), xf.transform(hi)))
    canvas.refresh()
    canvas.waitWhileRendering()
    pump(10)
    cfg = QgsSnappingConfig(QgsProject.instance())
    cfg.setEnabled(True)
    cfg.setMode(QgsSnappingConfig.AllLayers)
    cfg.setTypeFlag(QgsSnappingConfig.VertexFlag)
    cfg.setTolerance(12)
    cfg.setUnits(QgsTolerance.Pixels)
    QgsProject.instance().setSnappingConfig(cfg)
    iface.setActiveLayer(layers["node"])
    plugin = utils.plugins["katapult_qgis"]
    action = plugin.action("katapult_pole_line")
    action.trigger()
    pump(5)
    tool = canvas.mapTool()
    checks["tool"] = type(tool).__name__
    checks["action_checked"] = action.isChecked()
    checks["canvas_crs"] = canvas.mapSettings().destinationCrs().authid()
    targets = [(-77.0300, 40.1070), (-77.0291, 40.1069), (-77.0282, 40.1071), (-77.0273, 40.1069)]
    pixels = [pixel(canvas, *t) for t in targets]
    pixels[0] = QPoint(pixels[0].x() + 4, pixels[0].y() - 3)  # near E1: snapping reuses it
    for p in pixels:
        click(canvas, p)
    cursor = pixel(canvas, -77.0256, 40.1075)  # a long span: flagged against the maximum
    send(canvas, QEvent.MouseMove, cursor)
    pump(10)
    checks["clicks"] = len(tool.clicks)
    checks["first_is_existing"] = tool.clicks[0].node_kp_id == E1
    checks["labels_live"] = tool.span_labels()
    checks["drawing_png"] = window.grab().save(str(OUT / "desktop_pole_line_drawing.png"))
    QApplication.sendEvent(canvas, QKeyEvent(QEvent.KeyPress, Qt.Key_Return, Qt.NoModifier))
    pump(5)
    canvas.refresh()
    canvas.waitWhileRendering()
    pump(10)
    node_layer, conn_layer = layers["node"], layers["connection"]
    checks["nodes"] = {f["kp_id"]: [f.geometry().asPoint().x(), f.geometry().asPoint().y()]
                       for f in node_layer.getFeatures()}
    checks["spans"] = [{"kp_id": f["kp_id"], "n1": f["node_id_1"], "n2": f["node_id_2"],
                        "type": f["connection_type"],
                        "coords": [[p.x(), p.y()] for p in f.geometry().vertices()]}
                       for f in conn_layer.getFeatures()]
    checks["editing"] = [node_layer.isEditable(), conn_layer.isEditable()]
    item = iface.messageBar().currentItem()
    checks["message"] = item.text() if item is not None else ""
    checks["messages"] = [m for m, _ in tool.messages]
    checks["drawn_png"] = window.grab().save(str(OUT / "desktop_pole_line_drawn.png"))
    # QGIS's own vertex tool moves the second pole: its two spans follow (topology keeper
    # started by the plugin's STARTUP hook)
    second = next(s["n2"] for s in checks["spans"] if s["n1"] == E1 and s["n2"] != E2)
    old_pos = checks["nodes"][second]
    iface.setActiveLayer(node_layer)
    iface.actionVertexTool().trigger()
    pump(5)
    checks["vertex_tool"] = canvas.mapTool().action() is iface.actionVertexTool()
    start = pixel(canvas, *old_pos)
    target_ll = (old_pos[0] + 0.0002, old_pos[1] - 0.0004)
    target = pixel(canvas, *target_ll)
    click(canvas, start)  # pick the vertex up
    for step in range(1, 6):
        send(canvas, QEvent.MouseMove, QPoint(start.x() + (target.x() - start.x()) * step // 5,
                                              start.y() + (target.y() - start.y()) * step // 5))
    click(canvas, target)  # put it down
    pump(10)
    moved = next(f for f in node_layer.getFeatures() if f["kp_id"] == second)
    checks["moved_to"] = [moved.geometry().asPoint().x(), moved.geometry().asPoint().y()]
    checks["spans_after_move"] = [{"n1": f["node_id_1"], "n2": f["node_id_2"],
                                   "coords": [[p.x(), p.y()] for p in f.geometry().vertices()]}
                                  for f in conn_layer.getFeatures()]
    canvas.refresh()
    canvas.waitWhileRendering()
    pump(10)
    checks["moved_png"] = window.grab().save(str(OUT / "desktop_pole_line_moved.png"))
    node_layer.undoStack().undo()  # the move, with its spans
    checks["after_move_undo"] = {
        "node": [[f.geometry().asPoint().x(), f.geometry().asPoint().y()]
                 for f in node_layer.getFeatures() if f["kp_id"] == second][0],
        "spans": [[[p.x(), p.y()] for p in f.geometry().vertices()]
                  for f in conn_layer.getFeatures()]}
    # one undo step on the nodes layer removes the drawing from both layers
    node_layer.undoStack().undo()
    checks["after_undo"] = [node_layer.featureCount(), conn_layer.featureCount()]
    node_layer.rollBack()
    conn_layer.rollBack()
    report["ok"] = True


def finish():
    try:
        run()
    except Exception:
        report["errors"].append(traceback.format_exc())
    finally:
        (OUT / "desktop_pole_line.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        QgsApplication.exit(0)
        QTimer.singleShot(10000, lambda: os._exit(3))


QTimer.singleShot(1500, finish)
'''


def test_draw_pole_line_in_real_qgis(profile, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("desktop_pole_line.json", "desktop_pole_line_drawing.png",
                 "desktop_pole_line_drawn.png", "desktop_pole_line_moved.png"):
        (ARTIFACTS / name).unlink(missing_ok=True)
    script = tmp_path / "pole_line_check.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.update(HOME=str(tmp_path), KATAPULT_DESKTOP_OUT=str(ARTIFACTS),
               KATAPULT_WORK=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path), LANG="C.UTF-8")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", QGIS,
           "--profiles-path", str(profile), "--profile", "default", "--nologo",
           "--noversioncheck", "--code", str(script)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240,
                            cwd=tmp_path)
    marker = ARTIFACTS / "desktop_pole_line.json"
    assert marker.exists(), (f"QGIS wrote no marker (rc={result.returncode}):\n"
                             f"{result.stderr[-3000:]}")
    report = json.loads(marker.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["ok"], (report["errors"], report["checks"],
                                                     result.stderr[-3000:])
    c = report["checks"]
    assert c["tool"] == "PoleLineMapTool" and c["action_checked"]
    assert c["canvas_crs"] == "EPSG:3857"
    assert c["clicks"] == 4 and c["first_is_existing"]
    # 3 new poles, 3 new spans (+ the job's 2 poles and 1 span)
    assert len(c["nodes"]) == 5 and len(c["spans"]) == 4
    new_spans = [s for s in c["spans"] if s["kp_id"] != "-EXISTspan0000000001"]
    assert new_spans[0]["n1"] == "-EXISTpole0000000001"
    assert all(s["type"] == "aerial cable" and len(s["kp_id"]) >= 20 for s in new_spans)
    geod = Geod(ellps="WGS84")
    chain = [new_spans[0]["n1"]] + [s["n2"] for s in new_spans]
    for i, span in enumerate(new_spans):
        assert span["n1"] == chain[i]
        a, b = c["nodes"][span["n1"]], c["nodes"][span["n2"]]
        assert span["coords"] == [a, b]
        feet = geod.inv(a[0], a[1], b[0], b[1])[2] / 0.3048
        assert c["labels_live"][i] == f"{feet:.0f} ft"
    assert len(c["labels_live"]) == 4  # 3 spans + the one following the cursor, too long:
    assert c["labels_live"][3].endswith(" ft > max 300 ft")
    assert c["editing"] == [True, True]
    assert any("Added 3 pole(s) and 3 span(s)" in m for m in c["messages"])
    assert c["after_undo"] == [2, 1]
    # the vertex tool move dragged both span ends of the moved pole; undo put all back
    assert c["vertex_tool"] is True
    second = next(s["n2"] for s in new_spans if s["n1"] == "-EXISTpole0000000001")
    assert c["moved_to"] != c["nodes"][second]
    touching = [s for s in c["spans_after_move"] if second in (s["n1"], s["n2"])]
    assert len(touching) == 2
    for s in touching:
        end = s["coords"][0] if s["n1"] == second else s["coords"][-1]
        assert end == pytest.approx(c["moved_to"])
    assert c["after_move_undo"]["node"] == pytest.approx(c["nodes"][second])
    assert sorted(c["after_move_undo"]["spans"]) == sorted(s["coords"] for s in c["spans"])
    for name in ("desktop_pole_line_drawing.png", "desktop_pole_line_drawn.png",
                 "desktop_pole_line_moved.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
