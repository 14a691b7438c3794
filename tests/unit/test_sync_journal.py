"""Journal: durable plan, coalescing re-plans, done+base in one transaction, holds."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from plugin.sync import journal as jr
from plugin.sync.journal import Journal, PlannedOp


@pytest.fixture()
def journal(tmp_path):
    j = Journal(str(tmp_path / "job.gpkg"), create=True)
    yield j
    j.close()


def node_op(nid, body=None, deps=()):
    return PlannedOp(
        "node",
        nid,
        "POST",
        f"/jobs/J/nodes/{nid}",
        body or {"latitude": 1.0, "longitude": 2.0},
        depends_on=list(deps),
    )


def test_plan_is_one_transaction_and_ordered(journal):
    res = journal.plan(
        [
            node_op("a" * 20),
            node_op("b" * 20),
            PlannedOp(
                "connection",
                "c" * 20,
                "POST",
                "/jobs/J/connections/" + "c" * 20,
                {"node_id_1": "a" * 20, "node_id_2": "b" * 20},
                depends_on=["node:" + "a" * 20, "node:" + "b" * 20],
            ),
        ]
    )
    ops = journal.operations()
    assert [o.entity_id for o in ops] == ["a" * 20, "b" * 20, "c" * 20]
    assert ops[2].depends_on == res.op_ids[:2]
    assert journal.counts()["pending"] == 3


def test_plan_rollback_writes_nothing(journal):
    bad = PlannedOp("node", "x" * 20, "POST", "/p", {"a": object()})  # not JSON-serialisable
    with pytest.raises(TypeError):
        journal.plan([node_op("a" * 20), bad])
    assert journal.operations() == []


def test_replan_replaces_unsent_and_keeps_in_flight(journal):
    journal.plan([node_op("a" * 20), node_op("b" * 20)])
    first = journal.operations()
    journal.mark_sent(first[0].op_id)  # may have reached the server
    res = journal.plan([node_op("a" * 20, {"latitude": 5.0}), node_op("b" * 20, {"latitude": 6.0})])
    assert res.replaced == 1 and res.kept_in_flight == 1
    ops = journal.operations()
    assert len(ops) == 3  # the sent op stays, b's pending op was replaced, not duplicated
    new_a = [o for o in ops if o.entity_id == "a" * 20 and o.state == "pending"][0]
    assert new_a.depends_on == [first[0].op_id]
    # planning the same thing twice never grows the queue
    journal.plan([node_op("b" * 20)])
    journal.plan([node_op("b" * 20)])
    assert [o.entity_id for o in journal.operations(["pending"])] == ["b" * 20]


def test_sent_ops_run_first_on_resume(journal):
    journal.plan([node_op("a" * 20), node_op("b" * 20)])
    ops = journal.operations()
    journal.mark_sent(ops[1].op_id)
    assert journal.next_runnable().op_id == ops[1].op_id
    assert journal.get(ops[1].op_id).attempts == 1


def test_done_and_base_update_atomic(journal):
    journal.plan([node_op("a" * 20)])
    op = journal.operations()[0]
    journal.mark_done(
        op.op_id, base_updates=[("node", "a" * 20, None, {"id": "a" * 20, "latitude": 1.0})]
    )
    assert journal.get(op.op_id).state == "done"
    assert journal.base("node", "a" * 20) == {"id": "a" * 20, "latitude": 1.0}
    journal.set_base(
        [
            ("connection", "c" * 20, None, {"id": "c" * 20}),
            ("section", "s" * 20, "c" * 20, {"id": "s" * 20}),
        ]
    )
    journal.plan([PlannedOp("connection", "c" * 20, "DELETE", "/x")])
    op2 = journal.next_runnable()
    journal.mark_done(op2.op_id, base_deletes=[("connection", "c" * 20, None)])
    assert journal.base_all("section") == {}
    # sections are keyed within their connection (midpoint_section repeats)
    journal.set_base(
        [
            ("section", "midpoint_section", "x" * 20, {"n": 1}),
            ("section", "midpoint_section", "y" * 20, {"n": 2}),
        ]
    )
    assert journal.base("section", "midpoint_section", "y" * 20) == {"n": 2}
    assert len(journal.base_all("section")) == 2


def test_done_rolls_back_with_base_on_failure(journal, monkeypatch):
    journal.plan([node_op("a" * 20)])
    op = journal.operations()[0]
    with pytest.raises(TypeError):
        journal.mark_done(op.op_id, base_updates=[("node", "a" * 20, None, {"bad": object()})])
    assert journal.get(op.op_id).state == "pending"
    assert journal.base("node", "a" * 20) is None


def test_failure_holds_dependents_transitively(journal):
    res = journal.plan(
        [
            node_op("a" * 20),
            node_op("b" * 20, deps=["node:" + "a" * 20]),
            node_op("d" * 20, deps=["node:" + "b" * 20]),
            node_op("e" * 20),
        ]
    )
    held = journal.mark_failed(res.op_ids[0], "invalid_field: latitude")
    assert set(held) == set(res.op_ids[1:3])
    st = journal.states_of(res.op_ids)
    assert [st[i] for i in res.op_ids] == ["failed", "held", "held", "pending"]
    states = journal.entity_states()
    assert states[("node", None, "a" * 20)] == "failed: invalid_field: latitude"
    assert journal.retry_failed() == 3
    assert journal.counts()["pending"] == 4


def test_conflicts_hold_and_release(journal):
    journal.set_conflicts(
        [
            {
                "kind": "node",
                "entity_id": "a" * 20,
                "base": {},
                "local": {"x": 1},
                "remote": {"x": 2},
                "fields": ["x"],
            }
        ]
    )
    journal.plan([PlannedOp("node", "a" * 20, "POST", "/p", {"x": 1}, held_reason="conflict")])
    assert journal.counts()["held"] == 1
    assert journal.conflict_keys() == {("node", None, "a" * 20)}
    journal.resolve_conflict("node", "a" * 20, new_base={"id": "a" * 20, "x": 2})
    assert journal.counts()["pending"] == 1 and journal.conflicts() == []


def test_concurrent_reader_and_writer_threads(tmp_path):
    """GUI thread reads while the worker thread writes: busy timeouts, never 'locked'."""
    path = str(tmp_path / "j.gpkg")
    j = Journal(path, create=True)
    j.plan([node_op(f"{i:020d}") for i in range(200)])
    errors = []

    def writer():
        try:
            for op in j.iter_runnable():
                j.mark_sent(op.op_id)
                j.mark_done(
                    op.op_id, base_updates=[("node", op.entity_id, None, {"id": op.entity_id})]
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            j.close()

    t = threading.Thread(target=writer)
    t.start()
    other = sqlite3.connect(path, timeout=30)
    while t.is_alive():
        j.counts()
        other.execute("BEGIN IMMEDIATE")
        other.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
        other.execute("INSERT INTO scratch VALUES (1)")
        other.execute("COMMIT")
    t.join()
    other.close()
    assert not errors
    assert j.counts()["done"] == 200 and len(j.base_all("node")) == 200
    assert jr.DONE == "done"
