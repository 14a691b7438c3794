"""Executor against a real sandbox over HTTP.

Order, failures, holds, auth pause, resume, offline.
"""

from __future__ import annotations

import pytest

from plugin.api.pacing import CancelToken
from plugin.model.ids import new_push_id
from plugin.sync import executor as ex
from plugin.sync.journal import Journal, PlannedOp
from plugin.sync.push import base_snapshot, job_path, plan_push, split_rows
from tests.unit.test_sync_support import (
    diff_states,
    expected_state,
    load_snapshot,
    make_client,
    make_edits,
    server_state,
    start_sandbox,
)


@pytest.fixture()
def sb():
    server = start_sandbox(sample_nodes=20, seed=5)
    yield server
    server.stop()


@pytest.fixture()
def journal(tmp_path):
    j = Journal(str(tmp_path / "job.gpkg"), create=True)
    yield j
    j.close()


def run(journal, client, job_id, **kw):
    return ex.Executor(journal, client, job_id, backoff_s=0.01, max_backoff_s=0.05, **kw).run(**{})


def node_create(job_id, nid, lat=40.1, lon=-77.0, attrs=None, deps=()):
    body = {"latitude": lat, "longitude": lon}
    if attrs:
        body["attributes"] = attrs
    return PlannedOp(
        "node", nid, "POST", job_path(job_id, f"nodes/{nid}"), body, depends_on=list(deps)
    )


def test_creates_updates_deletes_and_base_follows_the_server(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    load_snapshot(journal, client, job)
    a, b, c, s = new_push_id(), new_push_id(), new_push_id(), new_push_id()
    journal.plan(
        [
            node_create(job, a, attrs={"node_type": {"-Ninst000000000000001": "pole"}}),
            node_create(job, b, lat=40.2),
            PlannedOp(
                "connection",
                c,
                "POST",
                job_path(job, f"connections/{c}"),
                {"node_id_1": a, "node_id_2": b, "breakpoints": [[40.15, -77.01]]},
                depends_on=[f"node:{a}", f"node:{b}"],
            ),
            PlannedOp(
                "section",
                s,
                "POST",
                job_path(job, f"connections/{c}/sections/{s}"),
                {"latitude": 40.15, "longitude": -77.0},
                parent_ids=[c],
                depends_on=[f"connection:{c}"],
            ),
        ]
    )
    res = run(journal, client, job)
    assert res.status == ex.DRAINED and res.done == 4 and res.failed == 0
    server_node = client.get_node(job, a)
    assert server_node["attributes"] == {"node_type": {"-Ninst000000000000001": "pole"}}
    assert journal.base("node", a)["attributes"] == server_node["attributes"]
    assert journal.base("section", s, c)["latitude"] == 40.15
    # delete the span: its base row and its sections' rows go too
    journal.plan([PlannedOp("connection", c, "DELETE", job_path(job, f"connections/{c}"))])
    assert run(journal, client, job).status == ex.DRAINED
    assert journal.base("connection", c) is None
    assert journal.base("section", s, c) is None


def test_validation_error_fails_one_op_holds_dependents_and_goes_on(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    bad, good, span = "short-id", new_push_id(), new_push_id()
    journal.plan(
        [
            node_create(job, bad),
            node_create(job, good),
            PlannedOp(
                "connection",
                span,
                "POST",
                job_path(job, f"connections/{span}"),
                {"node_id_1": bad, "node_id_2": good},
                depends_on=[f"node:{bad}"],
            ),
        ]
    )
    res = run(journal, client, job)
    assert res.status == ex.DRAINED
    states = {op.entity_id: op for op in journal.operations()}
    assert states[bad].state == "failed" and "invalid_id" in states[bad].error
    assert states[good].state == "done"
    assert states[span].state == "held" and "waiting for a failed operation" in states[span].error
    assert journal.entity_states()[("node", None, bad)].startswith("failed: ")
    # nothing was sent for the held span
    assert span not in {c["id"] for c in client.list_connections(job)}


def test_delete_404_counts_as_done_and_update_of_remotely_deleted_fails(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    snap = load_snapshot(journal, client, job)
    victim, other = sorted(snap.nodes)[:2]
    client.delete_node(job, victim)
    client.delete_node(job, other)
    journal.plan(
        [
            PlannedOp("node", victim, "DELETE", job_path(job, f"nodes/{victim}")),
            PlannedOp(
                "node",
                other,
                "POST",
                job_path(job, f"nodes/{other}"),
                {"latitude": 40.0},
                params={"onlyIfExists": "true"},
            ),
        ]
    )
    res = run(journal, client, job)
    ops = {op.entity_id: op for op in journal.operations()}
    assert ops[victim].state == "done" and journal.base("node", victim) is None
    assert ops[other].state == "failed" and "not found" in ops[other].error.lower()
    assert res.failed == 1
    assert other not in {n["id"] for n in client.list_nodes(job)}  # not re-created half-empty


def test_auth_error_pauses_without_failing(sb, journal):
    client = make_client(sb.base_url, api_key="wrong-key")
    job = sb.job_id
    journal.plan([node_create(job, new_push_id()), node_create(job, new_push_id())])
    res = run(journal, client, job)
    assert res.status == ex.AUTH and res.message
    assert journal.counts()["pending"] == 2 and journal.counts()["failed"] == 0
    res = run(journal, make_client(sb.base_url), job)
    assert res.status == ex.DRAINED and journal.counts()["done"] == 2


def test_crash_after_send_resends_same_upsert_without_duplicates(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    snap = load_snapshot(journal, client, job)
    nid = sorted(snap.nodes)[0]
    new_node = new_push_id()
    inst = new_push_id()
    journal.plan(
        [
            node_create(job, new_node, attrs={"note": {inst: "hello"}}),
            PlannedOp(
                "node",
                nid,
                "POST",
                job_path(job, f"nodes/{nid}"),
                {"attributes": {"note": {inst: "x"}}},
                params={"onlyIfExists": "true"},
            ),
        ]
    )
    first = journal.next_runnable()
    # the request reached the server, then the process died before recording the answer
    journal.mark_sent(first.op_id)
    client.request("POST", first.path, json=first.body, lane="bulk")
    assert journal.next_runnable().op_id == first.op_id  # resumes the sent op first
    res = run(journal, client, job)
    assert res.status == ex.DRAINED and res.done == 2
    assert journal.get(first.op_id).attempts == 2
    node = client.get_node(job, new_node)
    assert node["attributes"]["note"] == {inst: "hello"}
    assert [n["id"] for n in client.list_nodes(job)].count(new_node) == 1


def test_cancel_and_offline_keep_everything_queued(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    journal.plan([node_create(job, new_push_id()) for _ in range(5)])
    token = CancelToken()
    token.cancel()
    res = ex.Executor(journal, client, job).run(cancel=token)
    assert res.status == ex.CANCELLED and journal.counts()["pending"] == 5
    sb.stop()
    res = ex.Executor(
        journal,
        make_client(sb.base_url, timeout=(0.2, 0.5), max_retries=0),
        job,
        max_transient=3,
        backoff_s=0.01,
    ).run()
    assert res.status == ex.OFFLINE
    counts = journal.counts()
    assert counts["failed"] == 0 and counts["pending"] + counts["sent"] == 5


def test_pause_between_ops(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    journal.plan([node_create(job, new_push_id()) for _ in range(4)])
    seen = []
    res = ex.Executor(journal, client, job).run(
        on_progress=lambda op, ev: seen.append(ev), should_pause=lambda: len(seen) >= 2
    )
    assert (
        res.status == ex.PAUSED
        and journal.counts()["done"] == 2
        and journal.counts()["pending"] == 2
    )


def test_remote_change_to_other_attribute_is_not_reverted_by_base(sb, journal):
    """Base takes only what we wrote: a concurrent remote edit stays a remote edit."""
    client = make_client(sb.base_url)
    job = sb.job_id
    snap = load_snapshot(journal, client, job)
    nid = sorted(snap.nodes)[0]
    client.update_node(
        job, nid, {"attributes": {"remote_note": {"-Nremote0000000000001": "theirs"}}}
    )
    journal.plan(
        [
            PlannedOp(
                "node",
                nid,
                "POST",
                job_path(job, f"nodes/{nid}"),
                {"latitude": 40.5},
                params={"onlyIfExists": "true"},
            )
        ]
    )
    assert run(journal, client, job).status == ex.DRAINED
    base = journal.base("node", nid)
    assert base["latitude"] == 40.5
    assert "remote_note" not in base["attributes"]  # still unseen: the next pull merges it


def test_push_plan_then_drain_equals_expected(sb, journal):
    client = make_client(sb.base_url)
    job = sb.job_id
    snap = load_snapshot(journal, client, job)
    edits = make_edits(snap, 60, seed=3)
    plan = plan_push(journal, job, edits.working, edits.schemas, edits.new_items)
    assert not plan.problems
    # planning the same working copy again must not duplicate anything
    plan = plan_push(journal, job, edits.working, edits.schemas, edits.new_items)
    assert journal.counts()["pending"] == len(plan.changes)
    res = run(journal, client, job)
    assert res.status == ex.DRAINED and res.failed == 0
    assert diff_states(expected_state(snap, plan.changes), server_state(client, job)) == []
    # after the drain base equals the server: the same layers plan nothing
    rows = {k: list(edits.working[k].values()) + list(edits.new_items[k]) for k in edits.working}
    working, new_items = split_rows(base_snapshot(journal), rows)
    assert not any(new_items.values())
    again = plan_push(journal, job, working, edits.schemas, new_items)
    assert again.changes == []
