"""Bench: a 20,000-node / 20,000-connection / 10,000-section job from parsed JSON to layers ready.

Figures are ratios to a baseline measured in the same run: writing the same
features and fields (already flattened, geometries already computed) straight
into a GeoPackage with QgsVectorFileWriter, one batch per layer. Goal <= 1.5x.
Peak memory: ru_maxrss growth of the process and tracemalloc's peak of Python
allocations during one extra (untimed) build.

The plugin's input is what the client delivers for the three list responses (the
sandbox's response bodies): with ``raw=True`` (the download's path) the parsed
items plus each item's JSON text (kp_base stores those texts); the plugin is also
timed with parsed items only (``json.loads``, no texts: kp_base encodes). Decoding
the responses belongs to the download, not to building layers; its cost with and
without the texts is printed separately.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_layers
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

N_NODES, N_CONNECTIONS, N_SECTIONS = 20000, 20000, 10000
REPEAT = 4
_APP = None  # keeps the QgsApplication alive while the bench runs


def qgis_app():
    """The running QgsApplication, or a new headless one."""
    global _APP
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], True)  # GUI enabled (offscreen): styles with labels need fonts
        app.initQgis()
    _APP = app
    return app


def generate_job(seed: int = 1):
    """Parsed JSON of a generated job with the bench's counts (sandbox generator, no HTTP)."""
    from plugin.sandbox.generator import generate_sample_job, seed_world
    from plugin.sandbox.store import Store

    store = Store(seed=seed)
    seed_world(store, seed)
    job_id = generate_sample_job(store, N_NODES, seed)
    nodes = json.loads(str(store.list_nodes(job_id, None, None)))
    conns = json.loads(str(store.list_connections(job_id)))
    photos = json.loads(str(store.list_photos(job_id)))
    rng = random.Random(seed)
    by_id = {n["id"]: n for n in nodes}
    # top up spans between nearby generated nodes, then midpoint sections, to the bench's counts
    extra = 0
    while len(conns) < N_CONNECTIONS:
        template = conns[rng.randrange(len(conns))]
        clone = json.loads(json.dumps(template))
        clone["id"] = f"-BenchSpan{extra:010d}"
        clone["sections"] = {}
        conns.append(clone)
        extra += 1
    template_section = next(s for c in conns for s in (c.get("sections") or {}).values())
    have = sum(len(c.get("sections") or {}) for c in conns)
    for conn in conns:
        if have >= N_SECTIONS:
            break
        if conn.get("sections"):
            continue
        n1, n2 = by_id.get(conn["node_id_1"]), by_id.get(conn["node_id_2"])
        if not n1 or not n2:
            continue
        section = json.loads(json.dumps(template_section))
        section["latitude"] = (n1["latitude"] + n2["latitude"]) / 2
        section["longitude"] = (n1["longitude"] + n2["longitude"]) / 2
        conn["sections"] = {"midpoint_section": section}
        have += 1
    return job_id, nodes, conns, photos


def response_bodies(nodes, conns, photos) -> list:
    """The three list responses as the sandbox sends them (compact JSON envelope)."""
    return [
        json.dumps({"status": "success", "data": items, "meta": {}}, separators=(",", ":"))
        for items in (nodes, conns, photos)
    ]


def deliver(bodies, raw: bool):
    """(nodes, conns, photos, raw_texts) as the client returns them (``raw=True`` or not)."""
    from plugin.api.client import loads_keeping_item_texts

    if not raw:
        nodes, conns, photos = (json.loads(body)["data"] for body in bodies)
        return nodes, conns, photos, None
    nodes, conns, photos = (loads_keeping_item_texts(body)["data"] for body in bodies)
    texts = {"node": nodes.texts, "connection": conns.texts, "photo": photos.texts}
    return nodes, conns, photos, texts


def decode_costs(bodies) -> dict:
    """Best seconds to decode the three responses: json.loads vs the raw split (gc as usual)."""
    from plugin.api.client import loads_keeping_item_texts

    out = {"json.loads": [], "raw split": []}
    for _ in range(REPEAT):
        for label, fn in (("json.loads", json.loads), ("raw split", loads_keeping_item_texts)):
            gc.collect()
            t = time.perf_counter()
            for body in bodies:
                fn(body)
            out[label].append(time.perf_counter() - t)
    return {label: min(times) for label, times in out.items()}


def held_mb(bodies, raw: bool) -> float:
    """MB of Python objects the delivered lists hold (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    delivered = deliver(bodies, raw)
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del delivered
    return current / 1e6


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def pipeline(job_id, nodes, conns, photos, path, project, raw_texts=None):
    """Parsed JSON (+ item texts) -> GeoPackage -> layers in the project (styles and forms)."""
    from plugin.layers.geopackage import JobData, write_job_gpkg
    from plugin.layers.project import add_job_layers

    job = JobData(job_id, "Bench job", nodes, conns, photos, raw_texts=raw_texts)
    report = write_job_gpkg(job, path)
    layers = add_job_layers(path, project, None, zoom=False)
    return report, layers


def prepare_baseline(nodes, conns, photos):
    """Everything the baseline writes, computed outside its timing: fields, rows, coordinates."""
    from plugin.layers.geopackage import KINDS, photo_row, photo_schema, qgs_fields
    from plugin.model.entities import build_snapshot
    from plugin.model.flatten import flatten, geometry, schema_for

    snap = build_snapshot(nodes, conns, photos)
    layers = []
    for kind in KINDS:
        entities = list(snap.entities(kind).values())
        schema = schema_for(kind, entities)
        names = [s.name for s in schema]
        rows = [[flatten(kind, e, schema).get(n) for n in names] for e in entities]
        coords = [geometry(kind, e, snap.nodes) for e in entities]
        layers.append((kind, qgs_fields(schema), rows, coords))
    pschema = photo_schema(list(snap.photos.values()))
    layers.append(
        (
            "photo",
            qgs_fields(pschema),
            [photo_row(p, pschema) for p in snap.photos.values()],
            [None] * len(snap.photos),
        )
    )
    return layers


def _baseline_features(kind, fields, rows, coords) -> list:
    from qgis.core import QgsFeature

    from plugin.layers.geopackage import make_geometry

    features = []
    for values, xy in zip(rows, coords):
        feature = QgsFeature(fields)
        feature.setAttributes(values)
        geom = make_geometry(kind, xy) if kind != "photo" else None
        if geom is not None:
            feature.setGeometry(geom)
        features.append(feature)
    return features


def _layer_target(kind):
    from plugin.layers.geopackage import LAYER_NAMES, PHOTOS_TABLE, WKB, WKB_TYPES

    if kind == "photo":
        return PHOTOS_TABLE, WKB.NoGeometry
    return LAYER_NAMES[kind], WKB_TYPES[kind]


def baseline(prepared, path):
    """Build the features and write each layer in one batch (same writer options as the plugin)."""
    from plugin.layers.geopackage import write_layer

    first = True
    for kind, fields, rows, coords in prepared:
        features = _baseline_features(kind, fields, rows, coords)
        name, wkb = _layer_target(kind)
        write_layer(path, name, fields, wkb, features, first, batch_size=len(features) or 1)
        first = False


def baseline_threaded(prepared, path):
    """The baseline with the plugin's writer thread: one layer's features are built while the
    previous layer is written (photos first, as the plugin does); each layer still one batch."""
    from plugin.layers.geopackage import _LayerWriter

    writer = _LayerWriter(path)
    try:
        for kind, fields, rows, coords in [prepared[-1]] + prepared[:-1]:
            features = _baseline_features(kind, fields, rows, coords)
            name, wkb = _layer_target(kind)
            writer.submit(name, fields, wkb, features)
            del features
        writer.finish()
    finally:
        writer.close()


# (label, module, function) of the plugin's build, timed in place during one extra run
STAGES = (
    ("model build_snapshot", "plugin.layers.geopackage", "build_snapshot"),
    ("model schema_and_rows", "plugin.layers.geopackage", "schema_and_rows"),
    ("QgsFeature + geometry", "plugin.layers.geopackage", "row_features"),
    ("OGR layer writes (writer thread)", "plugin.layers.geopackage", "write_layer"),
    ("wait for writes + free features", "plugin.layers.geopackage", "_LayerWriter._pop"),
    ("photos table rows", "plugin.layers.geopackage", "photo_table"),
    ("kp_base JSON", "plugin.layers.geopackage", "base_rows"),
    ("kp_base insert (side file)", "plugin.layers.geopackage", "write_base_rows"),
    ("kp_base copy into the GeoPackage", "plugin.layers.geopackage", "copy_base_table"),
    ("finalize (move file)", "plugin.layers.geopackage", "finalize_job_gpkg"),
    ("add styled layers", "plugin.layers.project", "add_job_layers"),
)


@contextmanager
def timed_stages(out: dict):
    """Wrap the stage functions so each call adds its seconds to ``out[label]``."""
    import importlib

    saved = []
    for label, module_name, name in STAGES:
        owner = importlib.import_module(module_name)
        *path, name = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        module = owner
        original = getattr(module, name)
        out.setdefault(label, 0.0)

        def wrapper(*args, _f=original, _label=label, **kwargs):
            t = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                out[_label] += time.perf_counter() - t

        saved.append((module, name, original))
        setattr(module, name, wrapper)
    try:
        yield out
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def breakdown(job_id, nodes, conns, photos, prepared, tmp, project, raw_texts=None) -> tuple:
    """Seconds per stage of one plugin build and of one baseline run (functions timed in place)."""
    from plugin.layers.geopackage import bulk_build

    ours: dict = {}
    gc.collect()
    with timed_stages(ours):
        t = time.perf_counter()
        pipeline(job_id, nodes, conns, photos, os.path.join(tmp, "stages.gpkg"), project, raw_texts)
        total = time.perf_counter() - t
    project.clear()
    # the writer thread's time overlaps the rest: "other" = main thread time not in a stage
    ours["other"] = total - sum(v for k, v in ours.items() if "(writer thread)" not in k)
    base: dict = {}
    gc.collect()
    with timed_stages(base):
        t = time.perf_counter()
        with bulk_build():
            baseline(prepared, os.path.join(tmp, "stages-base.gpkg"))
        total = time.perf_counter() - t
    base.pop("QgsFeature + geometry", None)
    writes = base.pop("OGR layer writes (writer thread)")
    base = {"QgsFeature + geometry": total - writes, "OGR layer writes": writes}
    return {k: v for k, v in ours.items() if v > 0.0005}, {
        k: v for k, v in base.items() if v > 0.0005
    }


def _median_ratio(ours, base) -> float:
    pairs = sorted(o / b for o, b in zip(ours, base))
    return (pairs[len(pairs) // 2] + pairs[(len(pairs) - 1) // 2]) / 2


def main() -> dict:
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtGui import QGuiApplication

    running = QCoreApplication.instance()
    if running is not None and not isinstance(running, QGuiApplication):
        # Another bench started QGIS without a GUI; styles (labels) need one: own process.
        import subprocess

        command = [sys.executable, "-m", "tests.bench.bench_layers"]
        subprocess.run(command, cwd=str(ROOT), check=True)
        return {}
    qgis_app()
    from qgis.core import QgsProject

    from plugin.layers.geopackage import bulk_build

    t0 = time.perf_counter()
    job_id, nodes, conns, photos = generate_job()
    bodies = response_bodies(nodes, conns, photos)
    del nodes, conns, photos
    n_sections = sum(len(c.get("sections") or {}) for c in json.loads(bodies[1])["data"])
    print(
        f"job: {n_sections} sections; responses {', '.join(f'{len(b) / 1e6:.1f}' for b in bodies)}"
        f" MB (nodes, connections, photos; generated in {time.perf_counter() - t0:.1f} s)"
    )
    mb_plain, mb_raw = held_mb(bodies, False), held_mb(bodies, True)
    # what the client delivers: parsed items only (before), parsed items + texts (raw=True)
    nodes, conns, photos, _ = deliver(bodies, False)
    r_nodes, r_conns, r_photos, texts = deliver(bodies, True)
    print(f"job: {len(nodes)} nodes, {len(conns)} connections, {len(photos)} photos")
    prepared = prepare_baseline(nodes, conns, photos)
    project = QgsProject.instance()
    rss_start = maxrss_mb()
    ours, plain, base, base_threaded = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        # interleaved, so all see the same machine load (the box is shared); best of each
        rss_after_baseline = rss_start
        for i in range(REPEAT):
            path = os.path.join(tmp, f"base{i}.gpkg")
            gc.collect()
            t = time.perf_counter()
            with bulk_build():  # same garbage-collector setting as the plugin's build
                baseline(prepared, path)
            base.append(time.perf_counter() - t)
            if i == 0:
                rss_after_baseline = maxrss_mb()
            path = os.path.join(tmp, f"base-threaded{i}.gpkg")
            gc.collect()
            t = time.perf_counter()
            with bulk_build():
                baseline_threaded(prepared, path)
            base_threaded.append(time.perf_counter() - t)
            for label, args, times in (
                ("job", (r_nodes, r_conns, r_photos, texts), ours),
                ("plain", (nodes, conns, photos, None), plain),
            ):
                path = os.path.join(tmp, f"{label}{i}.gpkg")
                gc.collect()
                t = time.perf_counter()
                report, layers = pipeline(job_id, *args[:3], path, project, args[3])
                times.append(time.perf_counter() - t)
                assert layers["node"].featureCount() == len(nodes)
                assert layers["connection"].featureCount() == len(conns)
                assert layers["section"].featureCount() == n_sections
                project.clear()
        rss_after_ours = maxrss_mb()
        peaks = {}
        for label, args in (
            ("raw", (r_nodes, r_conns, r_photos, texts)),
            ("plain", (nodes, conns, photos, None)),
        ):
            gc.collect()
            tracemalloc.start()
            pipeline(job_id, *args[:3], os.path.join(tmp, f"traced-{label}.gpkg"), project, args[3])
            _current, peaks[label] = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            project.clear()
    best_ours, best_base, best_plain = min(ours), min(base), min(plain)
    ratio = best_ours / best_base
    print(
        f"baseline (features+fields straight into a GeoPackage, one batch): best {best_base:.2f} s "
        f"of {', '.join(f'{b:.2f}' for b in base)}"
    )
    print(
        "plugin (parsed JSON + item texts as delivered -> GeoPackage + kp_base/kp_meta -> styled "
        f"layers): best {best_ours:.2f} s of {', '.join(f'{o:.2f}' for o in ours)}"
    )
    print(
        f"ratio plugin/baseline: {ratio:.2f}x best/best, {_median_ratio(ours, base):.2f}x median "
        "of run pairs (goal <= 1.5x)"
    )
    print(
        "plugin without item texts (parsed JSON only; kp_base encodes): best "
        f"{best_plain:.2f} s of {', '.join(f'{o:.2f}' for o in plain)}; ratio "
        f"{best_plain / best_base:.2f}x best/best, {_median_ratio(plain, base):.2f}x median"
    )
    best_threaded = min(base_threaded)
    print(
        "baseline with the plugin's writer thread (features built while the previous layer is "
        f"written): best {best_threaded:.2f} s of {', '.join(f'{b:.2f}' for b in base_threaded)}; "
        f"ratio plugin/threaded baseline: {best_ours / best_threaded:.2f}x best/best, "
        f"{_median_ratio(ours, base_threaded):.2f}x median"
    )
    decode = decode_costs(bodies)
    print(
        "download side (not in the figures above): decoding the three responses, best of "
        f"{REPEAT}: json.loads {decode['json.loads'] / best_base:.2f}x, with item texts "
        f"{decode['raw split'] / best_base:.2f}x of the baseline "
        f"({decode['json.loads']:.2f} s vs {decode['raw split']:.2f} s); the delivered lists "
        f"hold {mb_plain:.0f} MB parsed, {mb_raw:.0f} MB with the texts"
    )
    with tempfile.TemporaryDirectory() as tmp:
        parts, base_parts = breakdown(
            job_id, r_nodes, r_conns, r_photos, prepared, tmp, project, texts
        )
    print(
        "stages of one plugin build, as multiples of the best baseline: "
        + ", ".join(f"{name} {seconds / best_base:.2f}x" for name, seconds in parts.items())
    )
    print(
        "stages of one baseline run: "
        + ", ".join(f"{name} {seconds / best_base:.2f}x" for name, seconds in base_parts.items())
    )
    model = sum(v for k, v in parts.items() if k.startswith("model "))
    print(
        f"the model's normalisation + field mapping: {model / best_base:.2f}x of the baseline; "
        f"everything else (GeoPackage, kp_base, styles): {(best_ours - model) / best_base:.2f}x"
    )
    print(
        f"peak memory: ru_maxrss {rss_start:.0f} MB at start, "
        f"+{rss_after_baseline - rss_start:.0f} MB "
        f"after baseline, +{rss_after_ours - rss_start:.0f} MB after plugin runs; "
        f"tracemalloc peak of one plugin build {peaks['raw'] / 1e6:.0f} MB with item texts, "
        f"{peaks['plain'] / 1e6:.0f} MB without"
    )
    return {
        "ratio": ratio,
        "ratio_without_texts": best_plain / best_base,
        "ours_s": best_ours,
        "baseline_s": best_base,
        "ratio_threaded_baseline": best_ours / best_threaded,
        "decode_json_loads_s": decode["json.loads"],
        "decode_raw_split_s": decode["raw split"],
        "tracemalloc_peak_mb": peaks["raw"] / 1e6,
    }


if __name__ == "__main__":
    main()
