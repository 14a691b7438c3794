"""Exactly-once proofs against the sandbox.

(a) 500 mixed edits pushed while the sandbox answers 10 % of calls with 500,
    drops the connection after applying 5 % of writes and throws 429 storms:
    the server ends up exactly in the expected state.
(b) the pushing process is SIGKILLed at 20 random points and restarted each
    time: same equality.

Expected state = base with every planned change applied exactly once
(``model.apply``), compared field by field including attribute instance ids,
so a duplicated entity, a duplicated attribute instance or a missing write all
show up.  The test also checks the server displays what the user typed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from plugin.model.attributes import same_field_value
from plugin.model.entities import build_snapshot, nodes_by_id
from plugin.model.flatten import flatten, geometry
from plugin.sync import executor as ex
from plugin.sync.journal import Journal
from plugin.sync.push import plan_push
from tests.unit.test_sync_support import (
    diff_states,
    expected_state,
    fetch,
    load_snapshot,
    make_client,
    make_edits,
    server_state,
    start_sandbox,
)

ROOT = Path(__file__).resolve().parents[2]
N_EDITS = 500


def _plan(tmp_path, sb, seed):
    client = make_client(sb.base_url)
    journal = Journal(str(tmp_path / "job.gpkg"), create=True)
    snap = load_snapshot(journal, client, sb.job_id)
    edits = make_edits(snap, N_EDITS, seed=seed)
    assert edits.edits >= N_EDITS
    plan = plan_push(journal, sb.job_id, edits.working, edits.schemas, edits.new_items)
    assert not plan.problems
    return client, journal, snap, edits, plan


def _assert_server_shows_working_copy(client, job_id, edits):
    """Every layer row (attributes as displayed, geometry) equals the server's entity."""
    nodes, conns = fetch(client, job_id)
    snap = build_snapshot(nodes, conns)
    by_id = nodes_by_id(snap.nodes.values())
    for kind in ("node", "connection", "section"):
        rows = dict(edits.working[kind])
        for row, geom in edits.new_items[kind]:
            key = (row["connection_id"], row["kp_id"]) if kind == "section" else row["kp_id"]
            rows[key] = (row, geom)
        assert set(rows) == set(snap.entities(kind)), kind
        for key, (row, geom) in rows.items():
            server_row = flatten(kind, snap.entities(kind)[key], edits.schemas[kind])
            for spec in edits.schemas[kind]:
                if spec.attribute is None or spec.name not in row:
                    continue
                assert same_field_value(server_row[spec.name], row[spec.name], spec.kind) or (
                    server_row[spec.name] in (None, "") and row[spec.name] in (None, "")
                ), (kind, key, spec.name, server_row[spec.name], row[spec.name])
            server_geom = geometry(kind, snap.entities(kind)[key], by_id)
            if kind == "connection":
                # interior vertices are the breakpoints; the ends follow the nodes
                assert [tuple(p) for p in server_geom[1:-1]] == [tuple(p) for p in geom[1:-1]], key
            else:
                assert tuple(server_geom) == tuple(geom), (kind, key)


def test_a_500_mixed_edits_under_faults_land_exactly_once(tmp_path):
    sb = start_sandbox(sample_nodes=150, seed=11)
    try:
        client, journal, snap, edits, plan = _plan(tmp_path, sb, seed=21)
        kinds = {c.verb for c in plan.changes}
        assert kinds == {"create", "update", "delete"}
        assert {
            "create node",
            "attribute edit",
            "move",
            "breakpoint edit",
            "delete node",
            "new attribute value",
            "delete span",
            "create span",
        } <= set(edits.kinds)
        expected = expected_state(snap, plan.changes)

        sb.set_faults(error_rate=0.10, drop_after_write_rate=0.05)
        stop = threading.Event()

        def storms():
            while not stop.wait(0.4):
                sb.set_faults(storm_429=6)

        storm_thread = threading.Thread(target=storms, daemon=True)
        storm_thread.start()
        try:
            res = ex.Executor(journal, client, sb.job_id, backoff_s=0.01, max_backoff_s=0.05).run()
        finally:
            stop.set()
            storm_thread.join()
            sb.clear_faults()
        hits = sb.stats["faults"]["counts"]
        assert hits.get("error_rate", 0) > 10 and hits.get("drop_after_write_rate", 0) > 5
        assert hits.get("storm_429", 0) > 0
        assert res.status == ex.DRAINED, res
        assert res.failed == 0 and journal.counts()["done"] == len(plan.changes)
        assert diff_states(expected, server_state(client, sb.job_id)) == []
        _assert_server_shows_working_copy(client, sb.job_id, edits)
    finally:
        sb.stop()


@pytest.mark.timeout(150)
def test_b_sigkill_at_20_random_points_then_resume(tmp_path):
    sb = start_sandbox(sample_nodes=150, seed=12)
    try:
        client, journal, snap, edits, plan = _plan(tmp_path, sb, seed=22)
        expected = expected_state(snap, plan.changes)
        total = len(plan.changes)
        journal.close()
        sb.set_faults(latency_ms=4, drop_after_write_rate=0.05)
        path = str(tmp_path / "job.gpkg")
        cmd = [
            sys.executable,
            "-m",
            "tests.unit.test_sync_support",
            "drain",
            path,
            sb.base_url,
            sb.job_id,
            "60",
        ]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        rng = random.Random(99)
        kills_mid_drain = 0
        progress = []
        for _ in range(20):
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            line = proc.stdout.readline()
            assert line.strip() == "READY", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.12))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
            con = sqlite3.connect(path)
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            done = con.execute("SELECT count(*) FROM kp_journal WHERE state='done'").fetchone()[0]
            con.close()
            progress.append(done)
            if done < total:
                kills_mid_drain += 1
        assert kills_mid_drain >= 15, progress  # the kills really hit the drain
        assert len(set(progress)) >= 10, progress  # ...at many different points
        final = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert final.returncode == 0, final.stdout + final.stderr
        sb.clear_faults()
        journal = Journal(path)
        counts = journal.counts()
        assert counts["done"] == total and counts["failed"] == 0, counts
        assert diff_states(expected, server_state(client, sb.job_id)) == []
        _assert_server_shows_working_copy(client, sb.job_id, edits)
        journal.close()
    finally:
        sb.stop()
