"""Pull merge: non-overlapping changes merge, true conflicts hold only their entities."""

from __future__ import annotations

import copy

import pytest

from plugin.model.flatten import flatten, geometry, schema_for
from plugin.sync import executor as ex
from plugin.sync import pull
from plugin.sync.journal import Journal
from plugin.sync.push import base_snapshot, plan_push, split_rows
from tests.unit.test_sync_support import load_snapshot, make_client, start_sandbox

NODE = {
    "id": "-Nnode000000000000001",
    "latitude": 40.0,
    "longitude": -77.0,
    "attributes": {"pole_height": {"one": "45"}, "pole_class": {"one": "4"}},
}


def rows_for(entity, schema):
    return flatten("node", entity, schema), geometry("node", entity)


def test_clean_merge_takes_both_sides():
    schema = schema_for("node", [NODE])
    row, geom = rows_for(NODE, schema)
    row = dict(row, pole_height="50")  # mine
    remote = copy.deepcopy(NODE)
    remote["attributes"]["pole_class"] = {"one": "3"}  # theirs
    remote["latitude"] = 40.001
    res = pull.merge_kept(
        [("node", NODE["id"])],
        {"node": {NODE["id"]: NODE}},
        {"node": {NODE["id"]: remote}},
        {"node": {NODE["id"]: (row, geom)}},
        {"node": schema},
    )
    assert not res.conflicts
    merged, remote_json = res.clean[("node", NODE["id"])]
    assert merged["attributes"]["pole_height"] == {"one": "50"}
    assert merged["attributes"]["pole_class"] == {"one": "3"}
    assert merged["latitude"] == 40.001 and remote_json is remote


def test_same_attribute_changed_both_sides_is_a_conflict_resolved_per_field():
    schema = schema_for("node", [NODE])
    row, geom = rows_for(NODE, schema)
    row = dict(row, pole_height="50", pole_class="5")
    geom = (-77.0005, 40.0)  # moved here
    remote = copy.deepcopy(NODE)
    remote["attributes"]["pole_height"] = {"one": "55"}
    remote["longitude"] = -77.0009  # moved there too
    res = pull.merge_kept(
        [("node", NODE["id"])],
        {"node": {NODE["id"]: NODE}},
        {"node": {NODE["id"]: remote}},
        {"node": {NODE["id"]: (row, geom)}},
        {"node": schema},
    )
    assert not res.clean
    ((kind, key, result, raw),) = res.conflicts
    assert {c.field for c in result.conflicts} == {"attributes.pole_height", "geometry"}
    record = pull.conflict_record(kind, key, result, raw)
    entity, new_base = pull.resolve_record(
        record, {"attributes.pole_height": pull.THEIRS, "geometry": pull.MINE}
    )
    assert entity["attributes"]["pole_height"] == {"one": "55"}  # theirs
    assert entity["attributes"]["pole_class"] == {"one": "5"}  # mine, no conflict
    assert entity["longitude"] == -77.0005  # mine
    assert new_base is remote
    with pytest.raises(ValueError):
        pull.resolve_record(record, {"geometry": pull.MINE})  # a conflict without a choice


def test_remote_delete_of_locally_edited_feature_is_a_conflict():
    schema = schema_for("node", [NODE])
    row, geom = rows_for(NODE, schema)
    row = dict(row, pole_height="60")
    res = pull.merge_kept(
        [("node", NODE["id"])],
        {"node": {NODE["id"]: NODE}},
        {"node": {}},
        {"node": {NODE["id"]: (row, geom)}},
        {"node": schema},
    )
    ((_k, _key, result, raw),) = res.conflicts
    assert [c.field for c in result.conflicts] == ["entity"] and raw is None
    record = pull.conflict_record("node", NODE["id"], result, raw)
    assert pull.resolve_record(record, default=pull.THEIRS) == (None, None)
    kept, base = pull.resolve_record(record, default=pull.MINE)
    assert kept["attributes"]["pole_height"] == {"one": "60"} and base is None


def test_pull_merge_then_push_sends_only_mine_and_keeps_theirs(tmp_path):
    """End to end on the sandbox: remote and local edit different fields of the same node."""
    sb = start_sandbox(sample_nodes=10, seed=4)
    try:
        client = make_client(sb.base_url)
        job = sb.job_id
        journal = Journal(str(tmp_path / "job.gpkg"), create=True)
        snap = load_snapshot(journal, client, job)
        schemas = {
            k: schema_for(k, snap.entities(k).values()) for k in ("node", "connection", "section")
        }
        nid = sorted(snap.nodes)[0]
        node = snap.nodes[nid]
        row, geom = flatten("node", node, schemas["node"]), geometry("node", node)
        # local: a new note value; remote: the node moved and got another attribute
        spec = next(
            s
            for s in schemas["node"]
            if s.attribute and row.get(s.name) is None and s.kind == "text"
        )
        row = dict(row, **{spec.name: "mine"})
        client.update_node(
            job,
            nid,
            {
                "latitude": node["latitude"] + 0.001,
                "attributes": {"remote_only": {"-Nremote0000000000001": "theirs"}},
            },
        )
        remote_raw = {n["id"]: n for n in client.list_nodes(job)}
        base_raw = {nid: journal.base("node", nid)}
        res = pull.merge_kept(
            [("node", nid)],
            {"node": base_raw},
            {"node": remote_raw},
            {"node": {nid: (row, geom)}},
            schemas,
        )
        assert not res.conflicts
        merged, new_base = res.clean[("node", nid)]
        # what the QGIS glue does: layer := merged, base := remote, one transaction for base
        journal.set_base([("node", nid, None, new_base)])
        schemas["node"] = schema_for("node", [merged] + list(snap.nodes.values()))
        merged_row = flatten("node", merged, schemas["node"])
        rows = {"node": [(merged_row, geometry("node", merged))]}
        working, new_items = split_rows(base_snapshot(journal), rows)
        working["node"].update(
            {
                k: (flatten("node", n, schemas["node"]), geometry("node", n))
                for k, n in base_snapshot(journal).nodes.items()
                if k != nid
            }
        )
        working["connection"] = {
            k: (flatten("connection", c, schemas["connection"]), None)
            for k, c in base_snapshot(journal).connections.items()
        }
        working["section"] = {
            k: (flatten("section", s, schemas["section"]), geometry("section", s))
            for k, s in base_snapshot(journal).sections.items()
        }
        plan = plan_push(journal, job, working, schemas, new_items)
        assert [(c.entity_id, sorted(c.body)) for c in plan.changes] == [(nid, ["attributes"])]
        assert list(plan.changes[0].body["attributes"]) == [spec.attribute]
        assert ex.Executor(journal, client, job).run().status == ex.DRAINED
        final = client.get_node(job, nid)
        assert final["attributes"]["remote_only"] == {"-Nremote0000000000001": "theirs"}
        assert list(final["attributes"][spec.attribute].values()) == ["mine"]
        assert final["latitude"] == pytest.approx(node["latitude"] + 0.001)
        journal.close()
    finally:
        sb.stop()
