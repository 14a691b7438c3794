"""model/diff.py and model/apply.py: minimal payloads, ordering, dependencies."""

from __future__ import annotations

import itertools

import pytest

from plugin.model.apply import apply_change
from plugin.model.diff import DiffError, DiffProblem, diff_entity, diff_job
from plugin.model.entities import build_snapshot
from plugin.model.flatten import flatten, geometry, schema_for

from .model_samples import CONNECTION, NODE_2, NODE_3, NODE_POLE, job

CID = CONNECTION["id"]
SKEY = (CID, "midpoint_section")


def idgen(prefix="-Cnew"):
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):015d}"


@pytest.fixture()
def snap():
    return build_snapshot(*job())


@pytest.fixture()
def schemas(snap):
    return {k: schema_for(k, snap.entities(k).values()) for k in ("node", "connection", "section")}


def working_copy(snap, schemas):
    """(row, geom) for every base entity, as a freshly loaded layer would give them."""
    out = {}
    for kind in ("node", "connection", "section"):
        rows = {}
        for key, ent in snap.entities(kind).items():
            geom = geometry(kind, ent, snap.nodes)
            if kind == "connection" and geom is None:
                geom = None
            rows[key] = (flatten(kind, ent, schemas[kind]), geom)
        out[kind] = rows
    return out


def test_fresh_working_copy_plans_nothing(snap, schemas):
    assert diff_job(snap, working_copy(snap, schemas), schemas) == []


def test_moved_node_sends_lat_lon_only(snap, schemas):
    base = snap.nodes[NODE_POLE["id"]]
    row = flatten("node", base, schemas["node"])
    lon, lat = geometry("node", base)
    assert diff_entity("node", base, row, (lon + 5e-10, lat - 5e-10), schemas["node"]) is None
    ch = diff_entity("node", base, row, (lon + 1e-5, lat), schemas["node"])
    assert ch.verb == "update" and ch.method == "POST" and ch.path == f"nodes/{base['id']}"
    assert ch.body == {"latitude": lat, "longitude": lon + 1e-5}
    assert ch.params == {"onlyIfExists": "true"}


def test_several_edits_one_body(snap, schemas):
    base = snap.nodes[NODE_POLE["id"]]
    row = flatten("node", base, schemas["node"])
    row.update(
        pole_height="50", scid=None, done=False, owner="x"
    )  # owner: not in schema -> ignored
    row["note"] = "This is a note | edited"
    lon, lat = geometry("node", base)
    ch = diff_entity("node", base, row, (lon, lat + 1e-4), schemas["node"], instance_id=idgen())
    assert ch.body == {
        "latitude": lat + 1e-4,
        "longitude": lon,
        "attributes": {
            "done": {"-M2YpKGiES_oIGV-vBPx": False},
            "note": {"-OPWRVYCKdxh34WoQXAv": "edited"},
            "pole_height": {"one": "50"},
            "scid": None,
        },
    }
    after = apply_change(base, ch)
    assert flatten("node", after, schemas["node"])["pole_height"] == "50"
    assert "scid" not in after["attributes"]


def test_span_vertex_edit_and_reattach(snap, schemas):
    base = snap.connections[CID]
    row = flatten("connection", base, schemas["connection"])
    line = geometry("connection", base, snap.nodes)
    new_line = [line[0], (-77.0282, 40.1072), line[-1]]  # one vertex moved, one removed
    ch = diff_entity("connection", base, row, new_line, schemas["connection"])
    assert ch.body == {"breakpoints": [[40.1072, -77.0282]]}
    assert ch.parent_ids == [NODE_2["id"], NODE_3["id"]]
    row2 = dict(row, node_id_2=NODE_POLE["id"])
    ch = diff_entity("connection", base, row2, line, schemas["connection"])
    assert ch.body == {"node_id_2": NODE_POLE["id"]}
    straight = [line[0], line[-1]]
    assert diff_entity("connection", base, row, straight, schemas["connection"]).body == {
        "breakpoints": []
    }
    # end vertices are not sent: a moved end point alone is no change
    moved_end = [(line[0][0] + 1e-3, line[0][1])] + line[1:]
    assert diff_entity("connection", base, row, moved_end, schemas["connection"]) is None
    with pytest.raises(DiffError, match="node_id_1 is empty"):
        diff_entity("connection", base, dict(row, node_id_1=""), line, schemas["connection"])


def test_moved_section_and_forbidden_span_change(snap, schemas):
    base = snap.sections[SKEY]
    row = flatten("section", base, schemas["section"])
    ch = diff_entity("section", base, row, (-77.0284, 40.1072), schemas["section"])
    assert ch.path == f"connections/{CID}/sections/midpoint_section"
    assert ch.body == {"latitude": 40.1072, "longitude": -77.0284}
    assert ch.key == f"section:{CID}/midpoint_section"
    with pytest.raises(DiffError, match="cannot move to another span"):
        diff_entity(
            "section",
            base,
            dict(row, connection_id="-Other00000000000000"),
            (0, 0),
            schemas["section"],
        )


def test_new_node_upsert_at_client_id(schemas):
    row = {"kp_id": None, "node_type": "pole", "pole_height": "40", "done": None, "kp_sync": ""}
    ch = diff_entity(
        "node",
        None,
        row,
        (-77.0, 40.0),
        schemas["node"],
        new_id=idgen(),
        instance_id=idgen("-Inew"),
    )
    assert ch.verb == "create" and ch.assigned_id and ch.entity_id == "-Cnew000000000000001"
    assert ch.path == "nodes/-Cnew000000000000001" and ch.params == {}
    assert ch.body == {
        "latitude": 40.0,
        "longitude": -77.0,
        "attributes": {
            "node_type": {"-Inew000000000000001": "pole"},
            "pole_height": {"-Inew000000000000002": "40"},
        },
    }
    assert "add_attributes" not in ch.body
    row["kp_id"] = "-Given0000000000000000"
    ch = diff_entity("node", None, row, (-77.0, 40.0), schemas["node"])
    assert ch.entity_id == "-Given0000000000000000" and not ch.assigned_id
    with pytest.raises(DiffError, match="no geometry"):
        diff_entity("node", None, row, None, schemas["node"])


def test_new_span_and_section(schemas):
    row = {"kp_id": "-Span0000000000000000", "node_id_1": "a" * 20, "node_id_2": "b" * 20}
    ch = diff_entity("connection", None, row, [(0, 1), (2, 3), (4, 5)], schemas["connection"])
    assert ch.body == {"node_id_1": "a" * 20, "node_id_2": "b" * 20, "breakpoints": [[3.0, 2.0]]}
    with pytest.raises(DiffError, match="snap its ends"):
        diff_entity(
            "connection", None, {"kp_id": None, "node_id_1": "a" * 20}, None, schemas["connection"]
        )
    srow = {"kp_id": "-Sec00000000000000000", "connection_id": "-Span0000000000000000", "note": "x"}
    ch = diff_entity("section", None, srow, (1.5, 2.5), schemas["section"], instance_id=idgen("-I"))
    assert ch.path == "connections/-Span0000000000000000/sections/-Sec00000000000000000"
    assert ch.body == {
        "latitude": 2.5,
        "longitude": 1.5,
        "attributes": {"note": {"-I000000000000001": "x"}},
    }


def test_deletes(snap, schemas):
    ch = diff_entity("node", snap.nodes[NODE_3["id"]], None, None, schemas["node"])
    assert (ch.verb, ch.method, ch.path, ch.body) == (
        "delete",
        "DELETE",
        f"nodes/{NODE_3['id']}",
        None,
    )
    assert apply_change(snap.nodes[NODE_3["id"]], ch) is None
    ch = diff_entity("section", snap.sections[SKEY], None, None, schemas["section"])
    assert ch.path == f"connections/{CID}/sections/midpoint_section"
    assert diff_entity("node", None, None, None, schemas["node"]) is None


def test_diff_job_order_and_dependencies(snap, schemas):
    wc = working_copy(snap, schemas)
    # delete NODE_3 and the span using it (its section goes with it), edit NODE_2,
    # add a new node and a span from NODE_2 to it with a section.
    del wc["node"][NODE_3["id"]]
    del wc["connection"][CID]
    del wc["section"][SKEY]
    row, geom = wc["node"][NODE_2["id"]]
    wc["node"][NODE_2["id"]] = (dict(row, pole_height="41"), geom)
    new_node = ({"kp_id": "-NewNode000000000000a", "node_type": "pole"}, (-77.1, 40.2))
    new_span = (
        {
            "kp_id": "-NewSpan000000000000a",
            "node_id_1": NODE_2["id"],
            "node_id_2": "-NewNode000000000000a",
        },
        [geom, (-77.1, 40.2)],
    )
    new_sec = (
        {"kp_id": "-NewSec0000000000000a", "connection_id": "-NewSpan000000000000a"},
        (-77.05, 40.15),
    )
    changes = diff_job(
        snap,
        wc,
        schemas,
        new_items={"node": [new_node], "connection": [new_span], "section": [new_sec]},
        instance_id=idgen("-I"),
    )
    summary = [(c.kind, c.verb, c.entity_id) for c in changes]
    assert summary == [
        ("node", "update", NODE_2["id"]),  # within a group: by key
        ("node", "create", "-NewNode000000000000a"),
        ("connection", "create", "-NewSpan000000000000a"),
        ("section", "create", "-NewSec0000000000000a"),
        ("connection", "delete", CID),
        ("node", "delete", NODE_3["id"]),
    ]
    by_key = {c.key: c for c in changes}
    assert by_key["connection:-NewSpan000000000000a"].depends_on == [
        f"node:{NODE_2['id']}",
        "node:-NewNode000000000000a",
    ]
    assert by_key["section:-NewSpan000000000000a/-NewSec0000000000000a"].depends_on == [
        "connection:-NewSpan000000000000a"
    ]
    assert by_key[f"node:{NODE_3['id']}"].depends_on == [f"connection:{CID}"]


def test_diff_job_collects_problems_and_reids_copies(snap, schemas):
    wc = working_copy(snap, schemas)
    row, geom = wc["node"][NODE_POLE["id"]]
    wc["node"][NODE_POLE["id"]] = (dict(row, vantage_point="north of the barn"), geom)
    copy_row = dict(row, kp_id=NODE_2["id"])  # pasted copy of an existing feature
    problems = []
    changes = diff_job(
        snap,
        wc,
        schemas,
        new_items={"node": [(copy_row, (-77.2, 40.3))]},
        problems=problems,
        new_id=idgen(),
    )
    assert [DiffProblem] and len(problems) == 1
    assert problems[0].key == NODE_POLE["id"] and "vantage_point" in problems[0].message
    assert [(c.verb, c.entity_id, c.assigned_id) for c in changes] == [
        ("create", "-Cnew000000000000001", True)
    ]
    with pytest.raises(DiffError):
        diff_job(snap, wc, schemas)


def test_references_checked_before_planning(snap, schemas):
    wc = working_copy(snap, schemas)
    # delete NODE_3 but keep the span ending at it -> node delete refused, span untouched
    del wc["node"][NODE_3["id"]]
    problems = []
    changes = diff_job(snap, wc, schemas, problems=problems)
    assert changes == []
    assert problems[0].key == NODE_3["id"]
    assert "still end at it" in problems[0].message and CID in problems[0].message
    with pytest.raises(DiffError, match="re-attach them"):
        diff_job(snap, wc, schemas)
    # re-attach the span to NODE_POLE: now the delete goes, after the span update
    row, geom = wc["connection"][CID]
    wc["connection"][CID] = (dict(row, node_id_2=NODE_POLE["id"]), geom)
    changes = diff_job(snap, wc, schemas)
    assert [(c.kind, c.verb) for c in changes] == [("connection", "update"), ("node", "delete")]
    assert changes[1].depends_on == [f"connection:{CID}"]
    # a span end on a node that does not exist
    wc["connection"][CID] = (dict(row, node_id_2="-Nowhere0000000000000"), geom)
    problems = []
    changes = diff_job(snap, wc, schemas, problems=problems)
    assert {p.key for p in problems} == {CID, NODE_3["id"]}
    assert any("is not a node of this job" in p.message for p in problems)


def test_section_on_deleted_or_unknown_span(snap, schemas):
    wc = working_copy(snap, schemas)
    del wc["connection"][CID]
    row, geom = wc["section"][SKEY]
    wc["section"][SKEY] = (dict(row, note="moved"), geom)
    problems = []
    changes = diff_job(snap, wc, schemas, problems=problems)
    assert [(c.kind, c.verb) for c in changes] == [("connection", "delete")]
    assert problems[0].key == SKEY and "is deleted" in problems[0].message
    wc = working_copy(snap, schemas)
    orphan = ({"kp_id": "-Sec00000000000000000", "connection_id": "-NoSpan0000000000000"}, (1, 2))
    problems = []
    assert diff_job(snap, wc, schemas, new_items={"section": [orphan]}, problems=problems) == []
    assert problems[0].key == ("-NoSpan0000000000000", "-Sec00000000000000000")


def test_point_without_geometry_is_refused_not_ignored(snap, schemas):
    base = snap.nodes[NODE_POLE["id"]]
    row = flatten("node", base, schemas["node"])
    with pytest.raises(DiffError, match="lost its geometry"):
        diff_entity("node", base, row, None, schemas["node"])
    # a node the server sent without coordinates has no geometry to lose
    bare = dict(base, latitude=None, longitude=None)
    assert diff_entity("node", bare, row, None, schemas["node"]) is None
