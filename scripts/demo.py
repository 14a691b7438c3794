"""`make demo`: the whole job cycle against the built-in sandbox, headless.

1. start the sandbox (a local Katapult v3 server) with a generated job;
2. through the real ``qgis_process`` (plugin enabled in a throwaway profile):
   ``katapult:listjobs`` -> ``katapult:downloadjob`` -> ``katapult:qa``;
3. a scripted set of edits with PyQGIS on the GeoPackage layers: move a pole
   ~5 m (its spans follow, kept glued by ``layers.topology.TopologyKeeper``),
   change its ``pole_height`` and ``note``, draw a line of 3 new poles + 2 spans
   (``maptools.writer.write_pole_line``, what the pole-line tool calls), delete a span;
4. ``katapult:push`` (and once more: nothing is sent twice) -> ``katapult:pull``;
5. verify the server over HTTP with ``KatapultClient``; print PASS/FAIL lines;
6. render a PNG of the styled job (1600x1000, labels on) and a close-up of the edits.

The sandbox is stopped at the end, also on failure. Exit status 0 only when
every check passed. Work files go to ``build/demo/`` (replaced on every run).
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

API_KEY = "demo-key"
M_PER_DEG = 111_320.0


def say(text: str) -> None:
    print(text, flush=True)


# -- sandbox ---------------------------------------------------------------------------------
class Sandbox:
    """The sandbox as a subprocess (``python -m plugin.sandbox``); stop() always."""

    def __init__(self, work: Path, nodes: int, seed: int) -> None:
        self.work, self.nodes, self.seed = work, nodes, seed
        self.proc: Optional[subprocess.Popen] = None
        self.base_url = self.job_id = ""

    def start(self, timeout: float = 60.0) -> Sandbox:
        log = open(self.work / "sandbox.log", "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "plugin.sandbox", "--port", "0", "--api-key", API_KEY,
             "--sample-nodes", str(self.nodes), "--seed", str(self.seed),
             "--state", str(self.work / "sandbox-state.json")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"the sandbox exited ({self.proc.returncode}); see {self.work}/sandbox.log")
                continue
            if line.startswith("SANDBOX READY"):
                parts = line.split()
                self.base_url = parts[2]
                self.job_id = parts[3].split("=", 1)[1]
                return self
        raise RuntimeError("the sandbox did not start within a minute")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


# -- checks ------------------------------------------------------------------------------------
class Checks:
    def __init__(self) -> None:
        self.results: List[Tuple[bool, str]] = []

    def check(self, ok: bool, text: str) -> bool:
        self.results.append((bool(ok), text))
        say(f"  {'PASS' if ok else 'FAIL'}  {text}")
        return bool(ok)

    @property
    def failed(self) -> int:
        return sum(1 for ok, _ in self.results if not ok)


def display(entity: dict, name: str):
    from plugin.model.attributes import display_value

    value = (entity.get("attributes") or {}).get(name)
    return None if value is None else display_value(value)


# -- edits -----------------------------------------------------------------------------------
def offset(lonlat: Tuple[float, float], east_m: float, north_m: float) -> Tuple[float, float]:
    lon, lat = lonlat
    return (lon + east_m / (M_PER_DEG * math.cos(math.radians(lat))), lat + north_m / M_PER_DEG)


def feature_point(feature) -> Tuple[float, float]:
    p = feature.geometry().asPoint()
    return (p.x(), p.y())


def clear_line(near: Tuple[float, float], nodes: List[Tuple[float, float]], spans: list,
               count: int = 3, spacing_m: float = 45.0) -> List[Tuple[float, float]]:
    """``count`` spots ``spacing_m`` apart going away from ``near``, 30 m clear of every node
    and crossing no span (the first direction, at the smallest distance, that fits)."""
    from qgis.core import QgsGeometry, QgsPointXY

    from plugin import geo

    for start_m in (60.0, 100.0, 140.0, 200.0, 300.0):
        for dx, dy in ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (1, -1), (-1, 1), (1, 1)):
            norm = math.hypot(dx, dy)
            spots = [offset(near, dx / norm * (start_m + spacing_m * i),
                            dy / norm * (start_m + spacing_m * i)) for i in range(count)]
            if any(geo.geodesic_distance_m(s, o) < 30.0 for s in spots for o in nodes):
                continue
            line = QgsGeometry.fromPolylineXY([QgsPointXY(*s) for s in spots])
            if any(line.intersects(g) for g in spans):
                continue
            return spots
    raise RuntimeError("no free space for the demo pole line near the moved pole")


def scripted_edits(gpkg: str) -> dict:
    """The edits a field engineer would make in QGIS, done with PyQGIS; returns what was done."""
    from qgis.core import QgsGeometry, QgsPointXY

    from plugin import geo
    from plugin.layers.sync_io import open_gpkg_layers
    from plugin.layers.topology import TopologyKeeper
    from plugin.maptools.job_layers import JobLayers
    from plugin.maptools.writer import PlannedPole, write_pole_line

    layers = open_gpkg_layers(gpkg)
    nodes, conns, sections = layers["node"], layers["connection"], layers["section"]
    job_id = nodes.customProperty("katapult/job_id")
    spans = list(conns.getFeatures())
    span_count: Counter = Counter()
    for span in spans:
        span_count[span["node_id_1"]] += 1
        span_count[span["node_id_2"]] += 1
    pole = next(f for f in sorted(nodes.getFeatures(), key=lambda f: f["kp_id"])
                if f["node_type"] == "pole" and span_count[f["kp_id"]] >= 2)
    pole_id, old = pole["kp_id"], feature_point(pole)
    new_pos = offset(old, 3.0, 4.0)  # 5 m
    keeper = TopologyKeeper(nodes, conns, sections, confirm_delete=lambda *a: True)
    for layer in layers.values():
        layer.startEditing()

    # 1. move the pole ~5 m; the keeper moves its spans' ends (and their midspan sections)
    nodes.beginEditCommand("Move pole")
    nodes.changeGeometry(pole.id(), QgsGeometry.fromPointXY(QgsPointXY(*new_pos)))
    nodes.endEditCommand()
    keeper.process(nodes)  # no-op when the keeper already did it on the command
    followed, by_keeper = [], True
    for span in conns.getFeatures():
        if pole_id not in (span["node_id_1"], span["node_id_2"]):
            continue
        line = span.geometry().asPolyline()
        end = line[0] if span["node_id_1"] == pole_id else line[-1]
        if geo.geodesic_distance_m((end.x(), end.y()), new_pos) > 0.01:  # keeper not active
            by_keeper = False
            index = 0 if span["node_id_1"] == pole_id else len(line) - 1
            line[index] = QgsPointXY(*new_pos)
            conns.changeGeometry(span.id(), QgsGeometry.fromPolylineXY(line))
        followed.append(span["kp_id"])

    # 2. attributes of the moved pole
    height = "47"
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("pole_height"), height)
    note = "moved 5 m by make demo"
    nodes.changeAttributeValue(pole.id(), nodes.fields().indexOf("note"), note)

    # 3. a pole line: 3 new poles 45 m apart, in the open next to the moved pole, 2 spans
    spots = clear_line(new_pos, [feature_point(f) for f in nodes.getFeatures()],
                       [s.geometry() for s in conns.getFeatures()])
    drawn = write_pole_line(
        JobLayers(job_id, nodes, conns, sections), [PlannedPole(s) for s in spots],
        node_values={"node_type": "pole", "note": "new pole (make demo)"},
        connection_values={"connection_type": "aerial cable"})

    # 4. delete the span nearest to the moved pole that does not touch it (sections go with it)
    here = QgsGeometry.fromPointXY(QgsPointXY(*new_pos))
    victim = min((s for s in spans if pole_id not in (s["node_id_1"], s["node_id_2"])),
                 key=lambda s: (s.geometry().distance(here), s["kp_id"]))
    mid = victim.geometry().interpolate(victim.geometry().length() / 2).asPoint()
    conns.deleteFeature(victim.id())
    keeper.process(conns)
    for section in list(sections.getFeatures()):
        if section["connection_id"] == victim["kp_id"]:
            sections.deleteFeature(section.id())

    for layer in (nodes, conns, sections):
        if not layer.commitChanges():
            raise RuntimeError(f"saving {layer.name()} failed: {layer.commitErrors()}")
    keeper.detach()
    return {
        "pole_id": pole_id, "old": old, "new": new_pos, "height": height, "note": note,
        "spans_followed": followed, "by_keeper": by_keeper,
        "new_poles": list(zip(drawn.node_ids, spots)),
        "new_spans": list(zip(drawn.connection_ids, zip(drawn.node_ids, drawn.node_ids[1:]))),
        "deleted_span": victim["kp_id"], "deleted_at": (mid.x(), mid.y()), "job_id": job_id,
    }


# -- render ------------------------------------------------------------------------------------
def render(gpkg: str, out: Path, edits: Optional[dict] = None, *, detail: bool = False,
           size=(1600, 1000)) -> Path:
    """The styled job (the plugin's .qml styles, labels on) as a PNG."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsFeature,
        QgsGeometry,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsMarkerSymbol,
        QgsPalLayerSettings,
        QgsPointXY,
        QgsProject,
        QgsRectangle,
        QgsTextFormat,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtCore import QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QPainter

    from plugin.layers.sync_io import open_gpkg_layers

    layers = open_gpkg_layers(gpkg, styled=True)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs,
                                    QgsProject.instance())
    marks = None
    if edits:
        marks = QgsVectorLayer("Point?crs=EPSG:4326&field=label:string", "edits", "memory")
        points = [(edits["new"], "moved pole + new height/note")]
        points += [(spot, "new pole") for _id, spot in edits["new_poles"]]
        if edits.get("deleted_at"):
            points.append((edits["deleted_at"], "deleted span"))
        feats = []
        for lonlat, label in points:
            f = QgsFeature(marks.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*lonlat)))
            f.setAttributes([label])
            feats.append(f)
        marks.dataProvider().addFeatures(feats)
        marks.setRenderer(marks.renderer().__class__(QgsMarkerSymbol.createSimple({
            "name": "circle", "color": "255,0,0,0", "outline_color": "230,20,20",
            "outline_width": "0.8", "size": "7"})))
        settings = QgsPalLayerSettings()
        settings.fieldName = "label"
        settings.placement = QgsPalLayerSettings.OverPoint
        settings.yOffset = -5.0
        fmt = QgsTextFormat()
        fmt.setFont(QFont("DejaVu Sans", 10, QFont.Bold))
        fmt.setColor(QColor(200, 0, 0))
        settings.displayAll = True  # shown even where node labels are dense
        settings.priority = 10
        settings.setFormat(fmt)
        marks.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        marks.setLabelsEnabled(detail)  # the overview is too small for them
    if detail and edits:
        lons = [edits["new"][0]] + [s[0] for _i, s in edits["new_poles"]]
        lats = [edits["new"][1]] + [s[1] for _i, s in edits["new_poles"]]
        if edits.get("deleted_at"):
            lons.append(edits["deleted_at"][0])
            lats.append(edits["deleted_at"][1])
        box = QgsRectangle(min(lons), min(lats), max(lons), max(lats))
    else:
        box = QgsRectangle()
        for layer in layers.values():
            box.combineExtentWith(layer.extent())
    extent = to_map.transformBoundingBox(box)
    extent.grow(max(extent.width(), extent.height()) * 0.08 + 30)
    ms = QgsMapSettings()
    ms.setDestinationCrs(crs)
    ordered = ([marks] if marks else []) + [layers["node"], layers["section"],
                                             layers["connection"]]
    ms.setLayers(ordered)
    ms.setOutputSize(QSize(*size))
    ms.setExtent(extent)
    ms.setBackgroundColor(QColor(250, 250, 245))
    ms.setFlag(QgsMapSettings.DrawLabeling, True)
    ms.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    painter = QPainter(image)
    painter.setPen(QColor(30, 30, 30))
    painter.setFont(QFont("DejaVu Sans", 14, QFont.Bold))
    counts = {k: layers[k].featureCount() for k in ("node", "connection", "section")}
    title = (f"Katapult job {layers['node'].customProperty('katapult/job_id')}: "
             f"{counts['node']} nodes, {counts['connection']} spans, "
             f"{counts['section']} sections"
             + (" (close-up of the demo edits)" if detail else
                (" - red circles: the demo's edits" if edits else "")))
    painter.drawText(20, 12, size[0] - 40, 30, int(Qt.AlignLeft), title)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise RuntimeError(f"could not write {out}")
    return out


# -- the run -----------------------------------------------------------------------------------
def verify(client, job_id: str, gpkg: str, edits: dict, before: dict, checks: Checks) -> None:
    from qgis.core import QgsVectorLayer

    from plugin import geo
    from plugin.sync.journal import PLANNED_KINDS, Journal

    nodes = {n["id"]: n for n in client.list_nodes(job_id)}
    conns = {c["id"]: c for c in client.list_connections(job_id)}
    pole = nodes.get(edits["pole_id"])
    checks.check(pole is not None and geo.geodesic_distance_m(
        (pole["longitude"], pole["latitude"]), edits["new"]) < 0.01,
        f"pole {edits['pole_id']} is at its new position on the server "
        f"({geo.geodesic_distance_m(edits['old'], edits['new']):.1f} m from the old one)")
    checks.check(pole is not None and str(display(pole, "pole_height")) == edits["height"]
                 and display(pole, "note") == edits["note"],
                 f"pole_height = {edits['height']} and note = {edits['note']!r} on the server")
    for node_id, spot in edits["new_poles"]:
        node = nodes.get(node_id)
        checks.check(node is not None and display(node, "node_type") == "pole"
                     and geo.geodesic_distance_m((node["longitude"], node["latitude"]),
                                                 spot) < 0.01,
                     f"new pole {node_id} exists with its id, type and position")
    for span_id, (n1, n2) in edits["new_spans"]:
        conn = conns.get(span_id)
        checks.check(conn is not None and {conn["node_id_1"], conn["node_id_2"]} == {n1, n2},
                     f"new span {span_id} exists between {n1} and {n2}")
    checks.check(edits["deleted_span"] not in conns,
                 f"deleted span {edits['deleted_span']} is gone from the server")
    checks.check(len(nodes) == before["nodes"] + 3,
                 f"no duplicate nodes: {before['nodes']} + 3 = {len(nodes)}")
    checks.check(len(conns) == before["connections"] + 1,
                 f"no duplicate spans: {before['connections']} + 2 - 1 = {len(conns)}")
    layer = QgsVectorLayer(f"{gpkg}|layername=connections", "c", "ogr")
    ends_ok = True
    for span in layer.getFeatures():
        if span["kp_id"] in edits["spans_followed"]:
            line = span.geometry().asPolyline()
            end = line[0] if span["node_id_1"] == edits["pole_id"] else line[-1]
            ends_ok &= geo.geodesic_distance_m((end.x(), end.y()), edits["new"]) < 0.01
    checks.check(ends_ok and bool(edits["spans_followed"]),
                 f"the moved pole's {len(edits['spans_followed'])} span(s) end on it "
                 "in the pulled GeoPackage")
    journal = Journal(gpkg)
    try:
        counts = journal.counts(PLANNED_KINDS)
        conflicts = journal.conflicts()
    finally:
        journal.close()
    checks.check(counts["pending"] + counts["sent"] + counts["failed"] + counts["held"] == 0
                 and not conflicts,
                 f"GeoPackage outbox empty after pull ({counts['done']} done, no conflicts)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=str(ROOT / "build" / "demo"),
                        help="work folder (default build/demo; replaced on every run)")
    parser.add_argument("--nodes", type=int, default=200, help="nodes in the generated job")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from qgis.core import QgsApplication, QgsVectorLayer

    from tests.support.qgis_process import make_profile, run_algorithm

    work = Path(args.work).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if not os.environ.get("XDG_RUNTIME_DIR"):  # Qt warns without one
        runtime = work / "xdg-runtime"
        runtime.mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    app = QgsApplication([], False)
    app.initQgis()
    checks = Checks()
    sandbox = Sandbox(work, args.nodes, args.seed)
    png = work / "job.png"
    try:
        sandbox.start()
        say(f"== sandbox: {sandbox.base_url} job={sandbox.job_id} ({args.nodes} nodes, "
            f"seed {args.seed}, state {work / 'sandbox-state.json'})")
        config = make_profile(work / "qgis-config")
        creds = {"api_key": API_KEY, "base_url": sandbox.base_url}

        def step(alg: str, params: dict, **kw) -> dict:
            started = time.monotonic()
            result = run_algorithm(config, alg, params, **kw)
            say(f"== qgis_process {alg} ({time.monotonic() - started:.1f} s)")
            return result

        jobs = step("katapult:listjobs", {"OUTPUT": work / "jobs.gpkg"}, **creds)
        say(f"   {jobs['COUNT']} job(s) on the server")
        gpkg = str(work / "job.gpkg")
        dl = step("katapult:downloadjob", {"JOB_ID": sandbox.job_id, "OUTPUT": gpkg}, **creds)
        say(f"   downloaded to {gpkg}: {dl['NODES']} nodes, {dl['CONNECTIONS']} spans, "
            f"{dl['SECTIONS']} sections, {dl['PHOTOS']} photos")
        qa = step("katapult:qa", {"INPUT": gpkg, "OUTPUT": work / "qa.gpkg"})
        issues = QgsVectorLayer(str(qa["OUTPUT"]), "qa", "ogr")
        by_rule = Counter((f["severity"], f["rule"]) for f in issues.getFeatures())
        say(f"   QA: {qa['COUNT']} issue(s), {qa['ERRORS']} error(s)")
        for (severity, rule), n in sorted(by_rule.items(), key=lambda x: (-x[1], x[0])):
            say(f"     {n:4d}  {severity:8s} {rule}")
        del issues

        before = {"nodes": dl["NODES"], "connections": dl["CONNECTIONS"]}
        edits = scripted_edits(gpkg)
        say("== edits (PyQGIS on the GeoPackage layers)")
        how = "by the topology keeper" if edits["by_keeper"] else "moved by the script"
        say(f"   moved pole {edits['pole_id']} 5 m; {len(edits['spans_followed'])} span end(s) "
            f"followed ({how}); pole_height={edits['height']}, note={edits['note']!r}")
        say("   pole line: new poles " + ", ".join(i for i, _ in edits["new_poles"])
            + "; new spans " + ", ".join(i for i, _ in edits["new_spans"]))
        say(f"   deleted span {edits['deleted_span']}")

        pushed = step("katapult:push", {"INPUT": gpkg}, **creds)
        say(f"   planned {pushed['PLANNED']}, sent {pushed['SENT']}, done {pushed['DONE']}, "
            f"failed {pushed['FAILED']}, held {pushed['HELD']}")
        checks.check(pushed["FAILED"] == 0 and pushed["DONE"] == pushed["PLANNED"] > 0,
                     f"push: all {pushed['PLANNED']} operations done")
        again = step("katapult:push", {"INPUT": gpkg}, **creds)
        checks.check(again["PLANNED"] == again["SENT"] == 0,
                     f"second push sends nothing (planned {again['PLANNED']}, "
                     f"sent {again['SENT']})")
        pulled = step("katapult:pull", {"INPUT": gpkg}, **creds)
        say(f"   updated {pulled['UPDATED']}, added {pulled['ADDED']}, deleted "
            f"{pulled['DELETED']}, merged {pulled['MERGED']}, conflicts {pulled['CONFLICTS']}")

        say("== verify the server over HTTP")
        from plugin.api.client import KatapultClient

        with KatapultClient(sandbox.base_url, API_KEY) as client:
            verify(client, sandbox.job_id, gpkg, edits, before, checks)

        say("== render")
        render(gpkg, png, edits)
        detail = render(gpkg, work / "job-detail.png", edits, detail=True)
        say(f"   map of the styled job: {png}")
        say(f"   close-up of the edits: {detail}")
    except Exception as exc:  # noqa: BLE001 - the demo reports and fails
        from plugin.api.masking import mask_secrets

        checks.check(False, f"demo stopped: {mask_secrets(str(exc))}")
    finally:
        sandbox.stop()
        say("== sandbox stopped")
    total = len(checks.results)
    if checks.failed:
        say(f"DEMO FAIL: {checks.failed} of {total} check(s) failed")
        return 1
    say(f"DEMO PASS: {total} checks passed; map: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
