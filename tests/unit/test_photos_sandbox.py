"""Photo uploads against the sandbox over real HTTP: matching, exactly-once, set-main."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time

import pytest

from plugin.api.pacing import CancelToken
from plugin.photos.actions import ItemRef, PhotoActions
from plugin.photos.batch import (
    check_files,
    execute_batch,
    list_folder,
    prepare_batch,
    scan_for_import,
)
from plugin.photos.index import main_count
from plugin.photos.planning import UploadTarget
from plugin.photos.store import PhotoStore
from plugin.photos.uploader import PhotoUploader
from plugin.sync.journal import Journal
from tests.unit.photos_support import (
    client_for,
    isolated_nodes,
    make_job_journal,
    server_blobs,
    write_photos_near,
)

pytestmark = pytest.mark.sandbox
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def job(sandbox, tmp_path):
    client = client_for(sandbox)
    gpkg = str(tmp_path / "job.gpkg")
    make_job_journal(client, sandbox.job_id, gpkg).close()
    yield client, gpkg
    client.close()


def _targets_from_scan(rows):
    return {
        r.check.path: UploadTarget("node", r.match.item_id, label=r.match.item_id)
        for r in rows
        if r.match is not None and r.match.item_id
    }


def _uploaded_to(sandbox, job_id, before):
    """``{photo_id: [location keys]}`` of photos that were not on the server before."""
    jd = sandbox.store.data[job_id]
    return {
        pid: sorted((rec.get("associated_locations") or {}).keys())
        for pid, rec in jd.photos.items()
        if pid not in before
    }


def test_twenty_gps_photos_land_on_the_right_nodes(sandbox, job, tmp_path):
    client, gpkg = job
    nodes = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)
    assert len(nodes) >= 4, "the sample job needs a few well separated nodes"
    folder = tmp_path / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 20)
    (folder / "notes.jpg").write_bytes(
        b"not a photo at all"
    )  # refused by content, batch unaffected
    before = set(sandbox.store.data[sandbox.job_id].photos)

    store = PhotoStore(gpkg)
    rows = scan_for_import(list_folder(str(folder)), store.node_candidates(), max_distance_m=10)
    matched = {r.check.path: r.match.item_id for r in rows if r.match and r.match.item_id}
    assert matched == expected
    assert all(
        r.match.distance_m is not None and r.match.distance_m <= 5.5 for r in rows if r.match
    )
    both = [r for r in rows if r.match and r.match.method == "gps+time"]
    assert len(both) == 10 and all(r.match.level == "high" for r in both)

    plan = prepare_batch(
        [r.check for r in rows],
        _targets_from_scan(rows),
        gpkg,
        sandbox.job_id,
        client.governor.estimate_seconds,
    )
    assert [os.path.basename(p) for p, _ in plan.refused] == ["notes.jpg"]
    assert plan.token_cost == 200 and plan.seconds is not None
    report = execute_batch(client, gpkg, sandbox.job_id, plan)
    assert len(report.uploaded) == 20 and not report.failed

    landed = _uploaded_to(sandbox, sandbox.job_id, before)
    assert len(landed) == 20
    by_node = collections.Counter(loc for locs in landed.values() for loc in locs)
    assert by_node == collections.Counter(expected.values())
    # base in the GeoPackage follows: each node lists its new photos, records stored
    for node_id in expected.values():
        entries = store.photos_for("node", node_id)
        assert any(e.photo_id in landed for e in entries)
    assert set(landed) <= set(store.records())


def test_cancel_midway_then_rerun_uploads_each_file_once(sandbox, job, tmp_path):
    client, gpkg = job
    nodes = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)
    folder = tmp_path / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 12, seed=3)
    targets = {p: UploadTarget("node", n) for p, n in expected.items()}
    checks = check_files(list_folder(str(folder)))

    token = CancelToken()

    def stop_after_five(done, total, name):
        if done >= 5:
            token.cancel()  # the user presses Cancel while the 6th is about to go

    first = execute_batch(
        client,
        gpkg,
        sandbox.job_id,
        prepare_batch(checks, targets, gpkg, sandbox.job_id),
        cancel=token,
        on_progress=stop_after_five,
    )
    assert first.cancelled and len(first.uploaded) == 5
    # the unsent rest waits, held: a sync push (which drains pending operations) leaves it alone
    journal = Journal(gpkg)
    states = collections.Counter(
        op.state for op in PhotoUploader(None, journal, sandbox.job_id).photo_ops()
    )
    assert states == {"done": 5, "held": 7}

    plan = prepare_batch(checks, targets, gpkg, sandbox.job_id)
    assert len(plan.skipped) == 5 and all("already uploaded" in why for _p, why in plan.skipped)
    assert plan.call_count == 7
    second = execute_batch(client, gpkg, sandbox.job_id, plan)
    assert len(second.uploaded) == 7

    third = prepare_batch(checks, targets, gpkg, sandbox.job_id)
    assert third.call_count == 0 and len(third.skipped) == 12
    hashes = collections.Counter(server_blobs(sandbox, sandbox.job_id).values())
    assert sum(1 for c in checks if hashes[c.sha256] == 1) == 12
    assert max(hashes.values()) == 1


def test_lost_answer_is_reconciled_not_resent(sandbox, job, tmp_path):
    """The server stores the photo but the connection drops before the answer."""
    client, gpkg = job
    nodes = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)
    folder = tmp_path / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 3, seed=5)
    targets = {p: UploadTarget("node", n) for p, n in expected.items()}
    checks = check_files(sorted(expected))
    sandbox.set_faults(drop_after_write_rate=1.0, path_filter="/photos")
    first = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    assert len(first.unresolved) == 1 and not first.uploaded  # stopped at the unknown outcome
    assert len(server_blobs(sandbox, sandbox.job_id)) == 1  # ... which the server did apply
    sandbox.set_faults(drop_after_write_rate=None, path_filter=None)

    second = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    assert len(second.adopted) == 1 and len(second.uploaded) == 2
    hashes = collections.Counter(server_blobs(sandbox, sandbox.job_id).values())
    assert sorted(hashes[c.sha256] for c in checks) == [1, 1, 1]


_CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from plugin.api.client import KatapultClient
from plugin.api.pacing import Governor
from plugin.photos.batch import check_files, execute_batch, prepare_batch
from plugin.photos.planning import UploadTarget
import json
targets = {{p: UploadTarget("node", n) for p, n in json.load(open({targets!r})).items()}}
governor = Governor(min_interval_s=0.3, refill_period_s=1.0)
client = KatapultClient({base!r}, "demo-key", governor=governor)
checks = check_files(sorted(targets))
print("START", flush=True)
execute_batch(client, {gpkg!r}, {job!r}, prepare_batch(checks, targets, {gpkg!r}, {job!r}))
print("FINISHED", flush=True)
"""


def test_sigkilled_batch_rerun_leaves_no_duplicates(sandbox, job, tmp_path):
    import json

    client, gpkg = job
    nodes = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)
    folder = tmp_path / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 10, seed=11)
    (tmp_path / "targets.json").write_text(json.dumps(expected))
    script = tmp_path / "child.py"
    script.write_text(
        _CHILD.format(
            root=ROOT,
            targets=str(tmp_path / "targets.json"),
            base=sandbox.base_url,
            gpkg=gpkg,
            job=sandbox.job_id,
        )
    )
    env = dict(os.environ, PROJ_DATA="/usr/share/proj")
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while len(server_blobs(sandbox, sandbox.job_id)) < 4 and time.monotonic() < deadline:
            assert child.poll() is None, "the child finished before it could be killed"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    landed_before = len(server_blobs(sandbox, sandbox.job_id))
    assert 4 <= landed_before < 10

    targets = {p: UploadTarget("node", n) for p, n in expected.items()}
    checks = check_files(sorted(expected))
    report = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    assert not report.failed and not report.unresolved
    hashes = collections.Counter(server_blobs(sandbox, sandbox.job_id).values())
    assert sorted(hashes[c.sha256] for c in checks) == [1] * 10
    journal = Journal(gpkg)
    assert {op.state for op in PhotoUploader(None, journal, sandbox.job_id).photo_ops()} == {"done"}
    # done uploads keep their hash (de-duplication) but not their bytes (GeoPackage size)
    assert all(
        journal.content(op.op_id) is None and op.content_sha256
        for op in PhotoUploader(None, journal, sandbox.job_id).photo_ops()
    )


def test_set_main_leaves_exactly_one_main(sandbox, job, tmp_path):
    client, gpkg = job
    node = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)[0]
    folder = tmp_path / "card"
    folder.mkdir()
    files = write_photos_near(folder, [node], 3, seed=13)
    checks = check_files(sorted(files))
    targets = {c.path: UploadTarget("node", node["id"], association="main") for c in checks}
    report = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    ids = [pid for _n, pid in report.uploaded]
    assert len(ids) == 3

    store = PhotoStore(gpkg)
    actions = PhotoActions(client, sandbox.job_id, store)
    item = ItemRef("node", node["id"])
    for pid in (ids[0], ids[1], ids[0]):
        actions.set_main(pid, item)
        server = client.get_node(sandbox.job_id, node["id"])
        assert main_count(server) == 1 and server["photos"][pid]["association"] == "main"
        assert main_count(store.item("node", node["id"])) == 1
        assert [e.photo_id for e in store.photos_for("node", node["id"]) if e.is_main] == [pid]

    # unassociate / associate / move keep the snapshot in step with the server
    other = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)[1]
    actions.move(ids[0], item, ItemRef("node", other["id"]))
    server_a = client.get_node(sandbox.job_id, node["id"])
    server_b = client.get_node(sandbox.job_id, other["id"])
    assert ids[0] not in (server_a.get("photos") or {})
    assert server_b["photos"][ids[0]]["association"] == "main" and main_count(server_b) == 1
    assert store.item("node", other["id"])["photos"][ids[0]]["association"] == "main"
    actions.unassociate(ids[1], item)
    assert ids[1] not in (client.get_node(sandbox.job_id, node["id"]).get("photos") or {})
    picker = store.picker(("node", node["id"], None))
    assert picker[0][0]["id"] == ids[1] and picker[0][1] is False  # unassociated first
    actions.associate(ids[1], item)
    assert client.get_node(sandbox.job_id, node["id"])["photos"][ids[1]]["association"] is True


def test_refused_upload_does_not_stop_the_batch(sandbox, job, tmp_path):
    client, gpkg = job
    nodes = isolated_nodes(client.list_nodes(sandbox.job_id), min_gap_m=25)
    folder = tmp_path / "card"
    folder.mkdir()
    expected = write_photos_near(folder, nodes, 3, seed=17)
    paths = sorted(expected)
    targets = {p: UploadTarget("node", expected[p]) for p in paths}
    targets[paths[1]] = UploadTarget(
        "node", "-NoSuchNodeXXXXXXXXX"
    )  # deleted meanwhile on the server
    checks = check_files(paths)
    report = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    assert len(report.uploaded) == 2 and len(report.failed) == 1
    name, message = report.failed[0]
    assert name == os.path.basename(paths[1]) and message
    # a rerun with the item corrected retries the failed one (it never reached the server)
    targets[paths[1]] = UploadTarget("node", expected[paths[1]])
    again = execute_batch(
        client, gpkg, sandbox.job_id, prepare_batch(checks, targets, gpkg, sandbox.job_id)
    )
    assert len(again.uploaded) == 1 and not again.failed
    hashes = collections.Counter(server_blobs(sandbox, sandbox.job_id).values())
    assert sorted(hashes[c.sha256] for c in checks) == [1, 1, 1]
