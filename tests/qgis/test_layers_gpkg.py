"""Job -> GeoPackage -> QGIS layers, against the sandbox over real HTTP and in real QGIS."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from qgis.core import QgsApplication, QgsCoordinateTransform, QgsProject

from plugin.api.client import KatapultClient
from plugin.api.pacing import Governor
from plugin.layers.geopackage import JobData, LoadReport, read_meta, stored_schema, write_job_gpkg
from plugin.layers.load_task import download_job, fetch_job
from plugin.layers.project import PROP_JOB, PROP_KIND, job_group, job_layers, open_job_gpkg
from plugin.layers.working import base_snapshot, layer_rows
from plugin.model.attributes import display_value, to_field_value
from plugin.model.diff import diff_job
from plugin.model.entities import build_snapshot

KINDS = ("node", "connection", "section")


def make_client(sandbox) -> KatapultClient:
    """A client paced for the sandbox's time_scale=60."""
    return KatapultClient(
        sandbox.base_url,
        sandbox.api_key,
        governor=Governor(min_interval_s=0.002, refill_period_s=1.0),
    )


def server_lists(sandbox):
    """What the server holds (parsed JSON of the three list routes, straight from the store)."""
    store, job = sandbox.store, sandbox.job_id
    return (
        json.loads(str(store.list_nodes(job, None, None))),
        json.loads(str(store.list_connections(job))),
        json.loads(str(store.list_photos(job))),
    )


def drawn(feature) -> bool:
    geom = feature.geometry()
    return not (geom.isNull() or geom.isEmpty())


def flat(points):
    return [c for xy in points for c in xy]


def features_by_id(layer):
    index = layer.fields().indexOf("kp_id")
    return {f.attributes()[index]: f for f in layer.getFeatures()}


def diff_through_gpkg(path, layers):
    """load -> (layers as saved) -> diff against kp_base."""
    snap = base_snapshot(path)
    working, new, schemas = {}, {}, {}
    for kind in KINDS:
        working[kind], new[kind], _ = layer_rows(layers[kind], kind, snap.entities(kind).keys())
        schemas[kind] = stored_schema(path, kind)
    return diff_job(snap, working, schemas, new_items=new)


@pytest.fixture
def project(qgis_new_project):
    yield QgsProject.instance()
    QgsProject.instance().clear()


@pytest.fixture
def big_sandbox(sandbox_factory):
    return sandbox_factory(sample_nodes=120, seed=3, time_scale=60)


def test_open_job_counts_geometry_values_and_snapshot(big_sandbox, tmp_path, project, qgis_canvas):
    client = make_client(big_sandbox)
    path = str(tmp_path / "job.gpkg")
    report = download_job(client, client_token(), None, big_sandbox.job_id, path=path)
    assert isinstance(report, LoadReport)
    nodes, conns, photos = server_lists(big_sandbox)
    sections = sum(len(c.get("sections") or {}) for c in conns)
    layers = open_job_gpkg(path, project, qgis_canvas)

    # counts equal the server's
    assert layers["node"].featureCount() == len(nodes)
    assert layers["connection"].featureCount() == len(conns)
    assert layers["section"].featureCount() == sections
    assert layers["photo"].featureCount() == len(photos)
    assert report.counts == {
        "nodes": len(nodes),
        "connections": len(conns),
        "sections": sections,
        "photos": len(photos),
    }

    # geometry: nodes x=lon y=lat; spans node1 -> breakpoints ([lat, lon] swapped) -> node2
    node_by_id = {n["id"]: n for n in nodes}
    feats = features_by_id(layers["node"])
    for node in nodes:
        point = feats[node["id"]].geometry().asPoint()
        assert (point.x(), point.y()) == pytest.approx((node["longitude"], node["latitude"]))
    spans = features_by_id(layers["connection"])
    with_breakpoints = [c for c in conns if c.get("breakpoints")]
    assert with_breakpoints, "the sample job should have spans with breakpoints"
    for conn in conns:
        line = spans[conn["id"]].geometry().asPolyline()
        n1, n2 = node_by_id[conn["node_id_1"]], node_by_id[conn["node_id_2"]]
        expected = [(n1["longitude"], n1["latitude"])]
        expected += [(lon, lat) for lat, lon in conn.get("breakpoints") or []]
        expected.append((n2["longitude"], n2["latitude"]))
        assert flat((p.x(), p.y()) for p in line) == pytest.approx(flat(expected))
        assert spans[conn["id"]]["node_id_1"] == conn["node_id_1"]

    # fields show display values (string numbers stay strings; objects readable)
    kinds = {spec.name: spec.kind for spec in stored_schema(path, "node")}
    for node in nodes:
        feature = feats[node["id"]]
        for name, instances in node["attributes"].items():
            expected = to_field_value(display_value(instances), kinds[name])
            assert feature[name] == expected, (node["id"], name)
    sec_layer = layers["section"]
    assert set(sec_layer.fields().names()) >= {"kp_id", "connection_id", "kp_photos"}

    # kp_base holds the exact JSON the server sent
    con = sqlite3.connect(path)
    base = {
        (k, p or "", e): json.loads(d)
        for k, e, p, d in con.execute("SELECT kind, entity_id, parent_id, data FROM kp_base")
    }
    con.close()
    for node in nodes:
        assert base[("node", "", node["id"])] == node
    for conn in conns:
        assert base[("connection", "", conn["id"])] == {
            k: v for k, v in conn.items() if k != "sections"
        }
        for sid, sec in (conn.get("sections") or {}).items():
            assert base[("section", conn["id"], sid)] == (
                dict(sec, id=sid) if "id" not in sec else sec
            )
    for photo in photos:
        assert base[("photo", "", photo["id"])] == photo

    # layer tree group, custom properties, kp_meta
    group = job_group(big_sandbox.job_id, project)
    assert group is not None and group.name() == report.name
    assert {layer.customProperty(PROP_KIND) for layer in layers.values()} == {
        "node",
        "connection",
        "section",
        "photo",
    }
    assert all(layer.customProperty(PROP_JOB) == big_sandbox.job_id for layer in layers.values())
    meta = read_meta(path)
    assert meta["job_id"] == big_sandbox.job_id and meta["server_url"] == big_sandbox.base_url
    assert meta["last_pull"] and meta["schema_version"] == "1"
    assert meta["nodes_cursor"] == max(n["last_updated"] for n in nodes)
    # the canvas shows the job
    extent = qgis_canvas.extent()
    to_canvas = QgsCoordinateTransform(
        layers["node"].crs(), qgis_canvas.mapSettings().destinationCrs(), project
    )
    assert extent.contains(to_canvas.transform(layers["node"].extent().center()))


def client_token():
    from plugin.api.pacing import CancelToken

    return CancelToken()


def test_reopen_offline_and_zero_diff(big_sandbox, tmp_path, project):
    client = make_client(big_sandbox)
    path = str(tmp_path / "job.gpkg")
    download_job(client, client_token(), None, big_sandbox.job_id, path=path)
    big_sandbox.stop()  # no network from here on
    layers = open_job_gpkg(path, project)
    nodes, _conns, _photos = None, None, None
    assert layers["node"].featureCount() > 0
    assert job_layers(big_sandbox.job_id, project).keys() == {
        "node",
        "connection",
        "section",
        "photo",
    }
    # load -> save -> diff plans zero operations, end to end through the GeoPackage
    for layer in (layers["node"], layers["connection"], layers["section"]):
        assert layer.startEditing()
        assert layer.commitChanges(), layer.commitErrors()
    assert diff_through_gpkg(path, layers) == []
    # reopening again replaces the group's layers instead of duplicating them
    open_job_gpkg(path, project)
    kinds = [layer.customProperty(PROP_KIND) for layer in project.mapLayers().values()]
    assert sorted(kinds) == ["connection", "node", "photo", "section"]
    del nodes


def test_edit_then_diff_sees_it(big_sandbox, tmp_path, project):
    """The zero-diff above is not vacuous: one edit gives exactly one update."""
    client = make_client(big_sandbox)
    path = str(tmp_path / "job.gpkg")
    download_job(client, client_token(), None, big_sandbox.job_id, path=path)
    layers = open_job_gpkg(path, project)
    layer = layers["node"]
    feature = next(f for f in layer.getFeatures() if f["pole_height"] not in (None, ""))
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("pole_height"), "50")
    assert layer.commitChanges()
    changes = diff_through_gpkg(path, layers)
    assert len(changes) == 1 and changes[0].entity_id == feature["kp_id"]
    (instances,) = changes[0].body["attributes"].values()
    assert list(instances.values()) == ["50"]


ODD_NODES = [
    {
        "id": "-Odd000000000000000a",
        "latitude": "40.1",
        "longitude": "-77.1",  # string coordinates
        "attributes": {
            "node_type": {"x": "pole"},
            "pole_height": {"one": "45"},
            "scid": {"auto_button": "ü-01"},
            "note": {"-a": "Ünïcödé ✓ note", "-b": "second"},
            "pole_tag": {
                "multi_added": {"company": "Power Co", "owner": False, "tagtext": "20184 28261"}
            },
            "flag_for_review": {"v": True},
        },
    },
    {"id": "-Odd000000000000000b", "latitude": 40.2, "longitude": -77.2},  # no attributes at all
    {
        "id": "-Odd000000000000000c",
        "latitude": 40.3,
        "longitude": -77.3,
        "attributes": None,
        "photos": {"p1": {"association": "main"}},
    },
    {"id": "-Odd000000000000000a", "latitude": 1, "longitude": 1, "attributes": {}},  # duplicate id
    {"id": "-Odd000000000000000d", "attributes": {"pole_height": {"one": 40}}},  # no coordinates
]
ODD_CONNECTIONS = [
    {
        "id": "-OddSpan000000000001",
        "node_id_1": "-Odd000000000000000a",
        "node_id_2": "-Odd000000000000000b",
        "breakpoints": [[40.15, -77.15]],
        "attributes": {"connection_type": {"button_added": "aerial cable"}},
        "sections": {
            "midpoint_section": {
                "latitude": 40.12,
                "longitude": -77.12,
                "multi_attributes": {"note": {"-n": "tree contact"}},
            }
        },
    },
    {
        "id": "-OddSpan000000000002",
        "node_id_1": "-Odd000000000000000b",
        "node_id_2": "-MissingNode00000000",
        "breakpoints": None,
        "attributes": {"connection_type": {"x": "underground cable"}},
        "sections": {"midpoint_section": {"latitude": 40.2, "longitude": -77.2}},
    },  # same section id, other span
    {"id": "-OddSpan000000000001", "node_id_1": "x", "node_id_2": "y"},  # duplicate id
]
ODD_PHOTOS = [
    {
        "id": "03e35fde-c41d-4597-bc7b-b1f10273104f",
        "filename": "IMG_1.JPG",
        "date_taken": 1584366709,
        "associated_locations": {"-Odd000000000000000a": "node"},
        "photofirst_data": {"wire": {"a": {"height": "240"}}},
    }
]


def test_real_data_oddities_load(tmp_path, project):
    job = JobData(
        "-OddJob0000000000000",
        "Odd job ✓",
        copy.deepcopy(ODD_NODES),
        copy.deepcopy(ODD_CONNECTIONS),
        copy.deepcopy(ODD_PHOTOS),
        server_url="http://127.0.0.1:1/api/v3",
    )
    path = str(tmp_path / "odd.gpkg")
    logged = []
    log = QgsApplication.messageLog()
    log.messageReceived.connect(lambda message, tag, level: logged.append((tag, message)))
    report = write_job_gpkg(job, path)
    assert any(
        tag == "Katapult" and "-OddSpan000000000002" in message and "not drawn" in message
        for tag, message in logged
    ), logged
    layers = open_job_gpkg(path, project)
    assert layers["node"].featureCount() == 4  # duplicate listed once
    assert layers["connection"].featureCount() == 2
    assert layers["section"].featureCount() == 2  # two midpoint_section, one per span
    assert layers["photo"].featureCount() == 1
    assert report.not_drawn["connection"] == ["-OddSpan000000000002"]
    assert report.not_drawn["node"] == ["-Odd000000000000000d"]
    messages = [str(i) for i in report.issues]
    assert any("duplicate" in m and "-Odd000000000000000a" in m for m in messages)
    assert any("duplicate" in m and "-OddSpan000000000001" in m for m in messages)
    assert any("-MissingNode00000000" in m for m in messages)
    assert "not drawn" in report.summary()
    nodes = features_by_id(layers["node"])
    a = nodes["-Odd000000000000000a"]
    assert a["pole_height"] == "45"  # string number stays a string
    assert a["scid"] == "ü-01"
    assert a["note"] == "Ünïcödé ✓ note | second"
    assert a["pole_tag"] == "20184 28261"
    assert a["flag_for_review"] is True
    assert (a.geometry().asPoint().x(), a.geometry().asPoint().y()) == pytest.approx((-77.1, 40.1))
    assert nodes["-Odd000000000000000c"]["kp_photos"] == 1
    assert not drawn(nodes["-Odd000000000000000d"])
    span = features_by_id(layers["connection"])["-OddSpan000000000001"]
    assert flat((p.x(), p.y()) for p in span.geometry().asPolyline()) == pytest.approx(
        flat([(-77.1, 40.1), (-77.15, 40.15), (-77.2, 40.2)])
    )
    assert not drawn(features_by_id(layers["connection"])["-OddSpan000000000002"])
    secs = {(f["connection_id"], f["kp_id"]): f for f in layers["section"].getFeatures()}
    assert secs[("-OddSpan000000000001", "midpoint_section")]["note"] == "tree contact"
    photo = next(layers["photo"].getFeatures())
    assert json.loads(photo["photofirst_data"]) == ODD_PHOTOS[0]["photofirst_data"]
    # the first duplicate is the one kept in the snapshot, exactly
    con = sqlite3.connect(path)
    data = con.execute(
        "SELECT data FROM kp_base WHERE kind='node' AND entity_id='-Odd000000000000000a'"
    ).fetchall()
    con.close()
    assert [json.loads(d) for (d,) in data] == [ODD_NODES[0]]
    # and nothing is planned after a load
    assert diff_through_gpkg(path, layers) == []
    snap = build_snapshot(ODD_NODES, ODD_CONNECTIONS, ODD_PHOTOS)
    assert len(snap.sections) == 2


def test_styles_and_forms_apply(tmp_path, project):
    job = JobData(
        "-OddJob0000000000000",
        "Odd",
        copy.deepcopy(ODD_NODES),
        copy.deepcopy(ODD_CONNECTIONS),
        copy.deepcopy(ODD_PHOTOS),
    )
    path = str(tmp_path / "odd.gpkg")
    write_job_gpkg(job, path)
    layers = open_job_gpkg(path, project)
    renderer = layers["node"].renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "node_type"
    values = {c.value() for c in renderer.categories()}
    assert {
        "pole",
        "reference",
        "existing anchor",
        "new anchor",
        "crossover",
        "handhole",
        "slack loop",
    } <= values
    pole = next(c for c in renderer.categories() if c.value() == "pole")
    assert pole.symbol().color().name() == "#000000"
    reference = next(c for c in renderer.categories() if c.value() == "reference")
    assert reference.symbol().symbolLayer(1).shape() == reference.symbol().symbolLayer(1).Star
    assert layers["node"].labelsEnabled()
    assert "scid" in layers["node"].labeling().settings().fieldName
    conn_renderer = layers["connection"].renderer()
    assert {c.value() for c in conn_renderer.categories()} >= {"aerial", "underground", "reference"}
    dashed = next(c for c in conn_renderer.categories() if c.value() == "underground")
    assert dashed.symbol().symbolLayer(0).penStyle() != 1  # not Qt.SolidLine
    assert layers["section"].renderer() is not None
    # forms: value map for node_type, checkbox for booleans, read-only system fields
    node_layer = layers["node"]
    fields = node_layer.fields()
    setup = node_layer.editorWidgetSetup(fields.indexOf("node_type"))
    assert setup.type() == "ValueMap"
    mapped = [list(d.values())[0] for d in setup.config()["map"]]
    assert "pole" in mapped and "handhole" in mapped
    assert node_layer.editorWidgetSetup(fields.indexOf("flag_for_review")).type() == "CheckBox"
    config = node_layer.editFormConfig()
    for name in ("kp_id", "kp_sync", "kp_photos"):
        assert config.readOnly(fields.indexOf(name)), name
    assert not config.readOnly(fields.indexOf("pole_height"))


def test_redownload_refuses_with_unsent_edits(tmp_path):
    job = JobData("-OddJob0000000000000", "Odd", copy.deepcopy(ODD_NODES), [], [])
    path = str(tmp_path / "odd.gpkg")
    write_job_gpkg(job, path)
    from plugin.sync.journal import Journal, PlannedOp

    journal = Journal(path)
    journal.append(
        [
            PlannedOp(
                kind="node",
                entity_id="-Odd000000000000000b",
                method="POST",
                path="nodes/-Odd000000000000000b",
                body={"latitude": 1},
            )
        ]
    )
    journal.close()
    from plugin.layers.geopackage import GpkgError

    with pytest.raises(GpkgError, match="not sent"):
        write_job_gpkg(job, path)


def test_fetch_job_uses_three_gets_and_name(big_sandbox):
    client = make_client(big_sandbox)
    data = fetch_job(client, big_sandbox.job_id)
    assert data.name.startswith("Carlisle PA sample")
    assert data.metadata and data.metadata.get("city") == "Carlisle"
    nodes, conns, photos = server_lists(big_sandbox)
    assert (
        len(data.nodes) == len(nodes)
        and len(data.connections) == len(conns)
        and len(data.photos) == len(photos)
    )


def test_photo_records_dedupe_and_report():
    from plugin.layers.geopackage import photo_records

    issues = []
    photos = photo_records([{"id": "p1", "a": 1}, {"id": "p1", "a": 2}, "junk", {"b": 1}], issues)
    assert photos == {"p1": {"id": "p1", "a": 1}}
    assert [i.message for i in issues] == [
        "duplicate id; the first one listed is kept",
        "is not an object; skipped",
        "has no id; skipped",
    ]


def test_cancel_leaves_previous_copy_untouched(tmp_path):
    from plugin.layers.geopackage import LoadCancelled

    job = JobData("-OddJob0000000000000", "Odd", copy.deepcopy(ODD_NODES), [], [])
    path = str(tmp_path / "odd.gpkg")
    write_job_gpkg(job, path)
    before = open(path, "rb").read()
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(LoadCancelled):
        write_job_gpkg(job, path, is_cancelled=cancel_after_two)
    assert open(path, "rb").read() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.gpkg"]  # no .part left behind


def test_download_task_cancel_from_task_manager(big_sandbox, tmp_path, qgis_new_project):
    from plugin.api.errors import CancelledError
    from plugin.gui.job_browser import JobBrowserDock
    from tests.qgis.katapult_support import wait_until

    dock = JobBrowserDock(client_factory=lambda: make_client(big_sandbox))
    errors = []
    task = dock.open_job(big_sandbox.job_id, "x", path=str(tmp_path / "c.gpkg"))
    task.failed.connect(errors.append)
    task.cancel()
    assert wait_until(lambda: errors, 30)
    from plugin.layers.geopackage import LoadCancelled

    assert isinstance(errors[0], (CancelledError, LoadCancelled)), repr(errors[0])
    assert "ancel" in dock.status_label.text()
    assert not (tmp_path / "c.gpkg").exists()
    assert not job_layers(big_sandbox.job_id)
    dock.deleteLater()


def test_redownload_refuses_saved_local_changes(big_sandbox, tmp_path, project):
    from plugin.layers.geopackage import GpkgError

    client = make_client(big_sandbox)
    path = str(tmp_path / "job.gpkg")
    download_job(client, client_token(), None, big_sandbox.job_id, path=path)
    download_job(client, client_token(), None, big_sandbox.job_id, path=path)  # nothing local: fine
    layers = open_job_gpkg(path, project)
    layer = layers["node"]
    feature = next(layer.getFeatures())
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("kp_id"), feature["kp_id"])
    geom = feature.geometry()
    geom.translate(0.001, 0)
    layer.changeGeometry(feature.id(), geom)
    assert layer.commitChanges()
    with pytest.raises(GpkgError, match="1 saved change"):
        download_job(client, client_token(), None, big_sandbox.job_id, path=path)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_jobs_load_save_diff_zero(seed, tmp_path, project):
    """load -> save (edit session committed) -> diff: zero operations, several generated jobs."""
    from plugin.sandbox.generator import generate_sample_job, seed_world
    from plugin.sandbox.store import Store

    store = Store(seed=seed)
    seed_world(store, seed)
    job_id = generate_sample_job(store, 150, seed)
    nodes = json.loads(str(store.list_nodes(job_id, None, None)))
    conns = json.loads(str(store.list_connections(job_id)))
    photos = json.loads(str(store.list_photos(job_id)))
    path = str(tmp_path / f"gen{seed}.gpkg")
    write_job_gpkg(JobData(job_id, f"Generated {seed}", nodes, conns, photos), path)
    layers = open_job_gpkg(path, project)
    for layer in (layers["node"], layers["connection"], layers["section"]):
        assert layer.startEditing()
        # touch every feature with its own values, as a careless field calculator would
        for feature in layer.getFeatures():
            layer.changeAttributeValues(
                feature.id(), {i: v for i, v in enumerate(feature.attributes()) if i > 0}
            )
        assert layer.commitChanges(), layer.commitErrors()
    layers = open_job_gpkg(path, project)  # read back from disk, not the edit buffer
    assert diff_through_gpkg(path, layers) == []


def test_awkward_attribute_names(tmp_path, project):
    attrs = {
        "fid": {"a": "1"},
        "FID2": {"a": 2},
        "geom": {"a": "g"},
        "kp_id": {"a": "clash"},
        "pole tag #2": {"a": "x"},
        "ñame": {"a": "y"},
        "Node_Type": {"a": "upper"},
        "node_type": {"a": "pole"},
        "big": {"a": 2**70},
        "nan": {"a": float("inf")},
    }
    nodes = [
        {"id": "-Awk0000000000000001", "latitude": 40.0, "longitude": -77.0, "attributes": attrs}
    ]
    path = str(tmp_path / "awk.gpkg")
    write_job_gpkg(JobData("-AwkJob0000000000000", "Awkward", nodes, [], []), path)
    layers = open_job_gpkg(path, project)
    feature = next(layers["node"].getFeatures())
    schema = {s.attribute: s.name for s in stored_schema(path, "node") if s.attribute}
    assert feature[schema["kp_id"]] == "clash" and schema["kp_id"] != "kp_id"
    assert feature["kp_id"] == "-Awk0000000000000001"
    assert feature[schema["ñame"]] == "y"
    assert feature[schema["big"]] == str(2**70)
    assert diff_through_gpkg(path, layers) == []


def test_replacing_a_file_open_with_edits_is_refused(tmp_path, project):
    from plugin.layers.geopackage import GpkgError

    job = JobData("-OddJob0000000000000", "Odd", copy.deepcopy(ODD_NODES), [], [])
    path = str(tmp_path / "odd.gpkg")
    write_job_gpkg(job, path)
    layers = open_job_gpkg(path, project)
    layer = layers["node"]
    layer.startEditing()
    feature = next(layer.getFeatures())
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("kp_sync"), "x")
    assert layer.commitChanges()
    with pytest.raises(GpkgError, match="open in QGIS"):
        write_job_gpkg(job, path)
    assert not (tmp_path / "odd.part.gpkg").exists()
    assert next(layer.getFeatures(f"fid={feature.id()}"))["kp_sync"] == "x"  # untouched
    project.removeAllMapLayers()
    report = write_job_gpkg(job, path)  # closed: fine
    assert report.counts["nodes"] == 4


def test_download_refuses_to_overwrite_a_foreign_file(big_sandbox, tmp_path):
    from plugin.layers.geopackage import GpkgError

    client = make_client(big_sandbox)
    other = tmp_path / "mine.gpkg"
    other.write_bytes(b"not a job")
    with pytest.raises(GpkgError, match="no Katapult job"):
        download_job(client, client_token(), None, big_sandbox.job_id, path=str(other))
    assert other.read_bytes() == b"not a job"
    odd = str(tmp_path / "odd.gpkg")
    write_job_gpkg(JobData("-OddJob0000000000000", "Odd", copy.deepcopy(ODD_NODES), [], []), odd)
    with pytest.raises(GpkgError, match="-OddJob0000000000000"):
        download_job(client, client_token(), None, big_sandbox.job_id, path=odd)
