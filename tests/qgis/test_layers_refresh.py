"""Refresh: pull what changed, update untouched features, list (never overwrite) local edits."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsProject

from plugin.api.pacing import CancelToken
from plugin.layers.geopackage import GpkgError, read_meta
from plugin.layers.load_task import download_job
from plugin.layers.project import open_job_gpkg
from plugin.layers.refresh import apply_refresh, fetch_refresh
from plugin.layers.refresh_plan import canonical, plan_refresh, remote_sections
from tests.qgis.test_layers_gpkg import diff_through_gpkg, features_by_id, make_client


@pytest.fixture
def opened(sandbox_factory, tmp_path, qgis_new_project):
    server = sandbox_factory(sample_nodes=40, seed=5, time_scale=60)
    client = make_client(server)
    path = str(tmp_path / "job.gpkg")
    download_job(client, CancelToken(), None, server.job_id, path=path)
    layers = open_job_gpkg(path, QgsProject.instance())
    yield server, client, path, layers
    QgsProject.instance().clear()


def server_nodes(server):
    return json.loads(str(server.store.list_nodes(server.job_id, None, None)))


def test_refresh_updates_untouched_and_keeps_local_edits(opened):
    server, client, path, layers = opened
    job = server.job_id
    nodes = [n for n in server_nodes(server) if "pole_height" in n["attributes"]]
    local, remote_only = nodes[0], nodes[1]
    conns = json.loads(str(server.store.list_connections(job)))
    span_of_moved = next(c for c in conns if remote_only["id"] in (c["node_id_1"], c["node_id_2"]))
    doomed = next(c for c in conns if c["id"] != span_of_moved["id"])

    # a local edit, saved
    layer = layers["node"]
    feature = features_by_id(layer)[local["id"]]
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("pole_height"), "99")
    assert layer.commitChanges()

    # remote changes: the same node, another node (moved + attribute), a new node, a deleted span
    client.update_node(job, local["id"], {"attributes": {"pole_height": {"one": "60"}}})
    client.update_node(
        job,
        remote_only["id"],
        {
            "latitude": remote_only["latitude"] + 0.001,
            "attributes": {"pole_species": {"one": "Steel ✓"}, "brand_new_attr": {"x": "hello"}},
        },
    )
    created = client.create_node(
        job, {"latitude": 40.2, "longitude": -77.19, "attributes": {"node_type": {"a": "pole"}}}
    )
    client.delete_connection(job, doomed["id"])

    since = read_meta(path)["nodes_cursor"]
    data = fetch_refresh(client, job, since)
    assert not data.nodes_full and {n["id"] for n in data.nodes} >= {local["id"], remote_only["id"]}
    report = apply_refresh(path, layers, data)

    feats = features_by_id(layers["node"])
    assert feats[local["id"]]["pole_height"] == "99"  # the local edit stays
    assert ("node", local["id"], "changed here and on the server") in report.kept_local
    moved = feats[remote_only["id"]]
    assert moved["pole_species"] == "Steel ✓" and moved["brand_new_attr"] == "hello"
    assert moved.geometry().asPoint().y() == pytest.approx(remote_only["latitude"] + 0.001)
    new_id = created["id"] if isinstance(created, dict) else created
    assert new_id in feats
    assert doomed["id"] not in features_by_id(layers["connection"])
    # the span of the moved node follows it
    line = features_by_id(layers["connection"])[span_of_moved["id"]].geometry().asPolyline()
    end = line[0] if span_of_moved["node_id_1"] == remote_only["id"] else line[-1]
    assert end.y() == pytest.approx(remote_only["latitude"] + 0.001)
    assert (
        report.updated["node"] >= 1
        and report.added["node"] == 1
        and report.deleted["connection"] == 1
    )
    # base follows the server for what was taken; the local edit is still the only change
    changes = diff_through_gpkg(path, layers)
    assert [(c.kind, c.entity_id) for c in changes] == [("node", local["id"])]
    assert read_meta(path)["nodes_cursor"] > since
    assert "not overwritten" in report.summary()


def test_refresh_refuses_unsaved_edits(opened):
    server, client, path, layers = opened
    layer = layers["node"]
    layer.startEditing()
    feature = next(layer.getFeatures())
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("kp_sync"), "x")
    data = fetch_refresh(client, server.job_id, read_meta(path)["nodes_cursor"])
    with pytest.raises(GpkgError, match="unsaved edits"):
        apply_refresh(path, layers, data)
    layer.rollBack()


def test_plan_refresh_pure():
    base = {
        "a": {"id": "a", "v": 1},
        "b": {"id": "b", "v": 1},
        "c": {"id": "c", "v": 1},
        "d": {"id": "d"},
    }
    remote = {
        "a": {"v": 1, "id": "a"},
        "b": {"id": "b", "v": 2},
        "c": {"id": "c", "v": 2},
        "e": {"id": "e"},
    }
    plan = plan_refresh("node", base, remote, {"c"}, full=True)
    assert plan.unchanged == 1
    assert list(plan.update) == ["b"] and list(plan.add) == ["e"]
    assert plan.kept_local == {"c": "changed here and on the server"}
    assert plan.delete == ["d"]
    partial = plan_refresh("node", base, {"b": {"id": "b", "v": 3}}, set(), full=False)
    assert partial.delete == [] and list(partial.update) == ["b"]
    kept = plan_refresh("node", base, {}, {"d"}, full=True)
    assert kept.kept_local["d"].startswith("deleted on the server")
    assert canonical({"id": 1, "sections": {"x": 1}}) == canonical({"id": 1})
    assert remote_sections([{"id": "c1", "sections": {"midpoint_section": {"latitude": 1}}}]) == {
        ("c1", "midpoint_section"): {"latitude": 1, "id": "midpoint_section"}
    }


def test_prepared_refresh_is_redone_when_the_file_changed(opened):
    """Planned in the background, then the user saves an edit: the edit still wins."""
    from plugin.layers.refresh import prepare_refresh

    server, client, path, layers = opened
    node = next(n for n in server_nodes(server) if "pole_height" in n["attributes"])
    client.update_node(server.job_id, node["id"], {"attributes": {"pole_height": {"one": "70"}}})
    prepared = prepare_refresh(path, fetch_refresh(client, server.job_id, None))
    assert node["id"] in prepared.plans["node"].update  # nothing local yet
    layer = layers["node"]
    feature = features_by_id(layer)[node["id"]]
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("pole_height"), "11")
    assert layer.commitChanges()
    report = apply_refresh(path, layers, prepared)
    assert features_by_id(layer)[node["id"]]["pole_height"] == "11"
    assert ("node", node["id"], "changed here and on the server") in report.kept_local


def test_refresh_through_the_dock(opened):
    from plugin.gui.job_browser import JobBrowserDock
    from tests.qgis.test_job_browser import run

    server, client, path, layers = opened
    node = next(n for n in server_nodes(server) if "pole_species" in n["attributes"])
    client.update_node(server.job_id, node["id"], {"attributes": {"pole_species": {"one": "Oak"}}})
    dock = JobBrowserDock(client_factory=lambda: make_client(server))
    run(dock.refresh_open_job(server.job_id))
    assert features_by_id(layers["node"])[node["id"]]["pole_species"] == "Oak"
    assert "Refreshed" in dock.status_label.text()
    assert dock.last_refresh.updated["node"] >= 1
    dock.deleteLater()


def test_refresh_since_is_the_cursor_minus_a_margin():
    from plugin.layers.refresh import refresh_since

    assert refresh_since({"nodes_cursor": "2026-03-04T13:45:16.510Z"}) == "2026-03-04T13:45:14.510Z"
    assert (
        refresh_since({"nodes_cursor": "2026-03-04T13:45:16Z"}, 0.5) == "2026-03-04T13:45:15.500Z"
    )
    assert refresh_since({}) is None and refresh_since({"nodes_cursor": "garbage"}) is None
