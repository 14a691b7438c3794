"""Bench: spans glued to poles on a 5,000-pole GeoPackage job, and writing a drawn pole line.

Figures are ratios to baselines measured in the same run:

* node moves with the topology keeper (span ends + sections follow, linked undo)
  vs. the same node moves without it (nothing follows);
* attaching a keeper (reading ids and span geometries) vs. one plain pass over
  the connections layer with geometries;
* writing a 100-pole drawing with ``write_pole_line`` (ids, fields, one linked
  undo step) vs. ``addFeatures`` of the same 100 nodes and 99 spans.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_topology
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

N_NODES = 5000
MOVES = 100
DRAW = 100
_APP = None


def qgis_app():
    global _APP
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False)
        app.initQgis()
    _APP = app
    return app


def build(path: Path):
    """A chain of N_NODES poles with spans between neighbours and a section on every other."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    from tests.qgis.kp_layers_helper import make_layers

    layers = make_layers(path)
    pts = [(-77.0 + i * 0.0009, 40.1 + (i % 7) * 0.0001) for i in range(N_NODES)]
    ids = [f"-BenchNode{i:010d}" for i in range(N_NODES)]
    feats = []
    for kp, p in zip(ids, pts):
        f = QgsFeature(layers.nodes.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*p)))
        f["kp_id"], f["node_type"] = kp, "pole"
        feats.append(f)
    layers.nodes.dataProvider().addFeatures(feats)
    spans, secs = [], []
    for i in range(N_NODES - 1):
        f = QgsFeature(layers.connections.fields())
        f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(*pts[i]), QgsPointXY(*pts[i + 1])]))
        sid = f"-BenchSpan{i:010d}"
        f["kp_id"], f["node_id_1"], f["node_id_2"] = sid, ids[i], ids[i + 1]
        spans.append(f)
        if i % 2 == 0:
            s = QgsFeature(layers.sections.fields())
            mid = ((pts[i][0] + pts[i + 1][0]) / 2, (pts[i][1] + pts[i + 1][1]) / 2)
            s.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*mid)))
            s["kp_id"], s["connection_id"] = "midpoint_section", sid
            secs.append(s)
    layers.connections.dataProvider().addFeatures(spans)
    layers.sections.dataProvider().addFeatures(secs)
    for layer in layers.all():
        layer.reload()
    return layers


def move_nodes(layers, offset: float) -> float:
    from qgis.core import QgsGeometry, QgsPointXY

    fids = sorted(layers.nodes.allFeatureIds())[10:10 + MOVES * 40:40]
    start = time.perf_counter()
    for fid in fids:
        p = layers.nodes.getFeature(fid).geometry().asPoint()
        layers.nodes.beginEditCommand("move")
        layers.nodes.changeGeometry(fid, QgsGeometry.fromPointXY(
            QgsPointXY(p.x() + offset, p.y() + offset)))
        layers.nodes.endEditCommand()
    return time.perf_counter() - start


def main() -> None:
    qgis_app()
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    from plugin.layers.topology import TopologyKeeper
    from plugin.maptools.writer import PlannedPole, write_pole_line

    with tempfile.TemporaryDirectory() as tmp:
        layers = build(Path(tmp) / "bench.gpkg")
        for layer in layers.all():
            layer.startEditing()
        plain = move_nodes(layers, 0.00001)

        t0 = time.perf_counter()
        n = sum(1 for f in layers.connections.getFeatures() if f.hasGeometry())
        scan = time.perf_counter() - t0
        t0 = time.perf_counter()
        keeper = TopologyKeeper(layers.nodes, layers.connections, layers.sections,
                                confirm_delete=lambda *a: True)
        attach = time.perf_counter() - t0
        kept = move_nodes(layers, 0.00001)
        moved_ok = sum(1 for f in layers.connections.getFeatures()
                       if f.geometry().vertexAt(0) ==
                       next(layers.nodes.getFeatures(f"\"kp_id\" = '{f['node_id_1']}'"))
                       .geometry().vertexAt(0))
        print(f"node moves ({MOVES}, {N_NODES} poles, {n} spans): keeper/plain = "
              f"{kept / plain:.2f}x  (spans glued after: {moved_ok}/{n})")
        print(f"keeper attach / one pass over the spans = {attach / scan:.2f}x")

        poles = [PlannedPole((-78.0 + i * 0.0009, 41.0)) for i in range(DRAW)]
        t0 = time.perf_counter()
        write_pole_line(layers, poles, {"node_type": "pole"}, {"connection_type": "aerial"})
        drawn = time.perf_counter() - t0
        t0 = time.perf_counter()
        feats = []
        for p in poles:
            f = QgsFeature(layers.nodes.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(p.lonlat[0], p.lonlat[1] + 1)))
            f["kp_id"], f["node_type"] = "x" * 20, "pole"
            feats.append(f)
        layers.nodes.addFeatures(feats)
        lines = []
        for a, b in zip(poles, poles[1:]):
            f = QgsFeature(layers.connections.fields())
            f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(a.lonlat[0], a.lonlat[1] + 1),
                                                      QgsPointXY(b.lonlat[0], b.lonlat[1] + 1)]))
            f["kp_id"], f["node_id_1"], f["node_id_2"] = "y" * 20, "a", "b"
            lines.append(f)
        layers.connections.addFeatures(lines)
        raw = time.perf_counter() - t0
        print(f"draw {DRAW} poles: write_pole_line / addFeatures = {drawn / raw:.2f}x")
        keeper.detach()
        for layer in layers.all():
            layer.rollBack()


if __name__ == "__main__":
    main()
