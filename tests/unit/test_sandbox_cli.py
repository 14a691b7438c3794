"""``python3 -m plugin.sandbox``: READY line, serving, SIGTERM, --state across restarts."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"^SANDBOX READY (http://127\.0\.0\.1:(\d+)/api/v3) job=(\S*)$")


def _start(*args):
    proc = subprocess.Popen(
        [sys.executable, "-m", "plugin.sandbox", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().rstrip("\n")
    m = READY.match(line)
    if not m:
        proc.kill()
        out, errs = proc.communicate(timeout=10)
        pytest.fail(f"no READY line: {line!r} / {errs}")
    return proc, m.group(1), m.group(3)


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, errs = proc.communicate(timeout=20)
    return proc.returncode, out, errs


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


def _post(url, body):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def test_cli_ready_line_serves_and_stops(tmp_path):
    proc, base, job = _start(
        "--sample-nodes",
        "20",
        "--seed",
        "2",
        "--time-scale",
        "60",
        "--api-key",
        "k1",
        "--storm-429",
        "0",
        "--latency-ms",
        "0",
    )
    try:
        nodes = _get(f"{base}/jobs/{job}/nodes?api_key=k1")["data"]
        assert len(nodes) == 20
    finally:
        code, out, errs = _stop(proc)
    assert code == 0
    assert out == ""  # the READY line was the only stdout line
    assert "admin token" in errs


def test_cli_state_survives_restart(tmp_path):
    state = tmp_path / "sandbox.json"
    node_id = "cli-state-node-000000001"
    proc, base, job = _start(
        "--sample-nodes",
        "15",
        "--state",
        str(state),
        "--time-scale",
        "60",
        "--general-interval-ms",
        "0",
    )
    try:
        _post(
            f"{base}/jobs/{job}/nodes/{node_id}?api_key=demo-key",
            {"latitude": 40.2, "longitude": -77.2},
        )
    finally:
        assert _stop(proc)[0] == 0
    assert state.exists()
    proc, base2, job2 = _start(
        "--sample-nodes",
        "15",
        "--state",
        str(state),
        "--time-scale",
        "60",
        "--general-interval-ms",
        "0",
    )
    try:
        assert job2 == job
        node = _get(f"{base2}/jobs/{job}/nodes/{node_id}?api_key=demo-key")["data"]
        assert node["latitude"] == 40.2
        photos = _get(f"{base2}/jobs/{job}/photos?api_key=demo-key")["data"]
        url = _get("{}/jobs/{}/photos/{}/url?api_key=demo-key".format(base2, job, photos[0]["id"]))[
            "data"
        ]["url"]
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read()[:2] == b"\xff\xd8"
    finally:
        assert _stop(proc)[0] == 0


def test_cli_rejects_bad_arguments():
    proc = subprocess.run(
        [sys.executable, "-m", "plugin.sandbox", "--port", "0", "--sample-nodes", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2 and proc.stdout == "" and "sample_nodes" in proc.stderr


def test_in_process_state_file_round_trip(sandbox_factory, tmp_path):
    from tests.sandbox_fixtures import sandbox_call

    state = tmp_path / "s.json"
    a = sandbox_factory(sample_nodes=10, state_file=state, general_interval_ms=0)
    jpeg = __import__("plugin.sandbox", fromlist=["make_jpeg"]).make_jpeg(16, 16, (5, 5, 5))
    s, body = sandbox_call(
        a, "POST", f"/jobs/{a.job_id}/photos", raw=jpeg, content_type="image/jpeg"
    )
    pid = body["data"]["id"]
    a.stop()
    b = sandbox_factory(sample_nodes=10, state_file=state, general_interval_ms=0)
    assert b.job_id == a.job_id
    assert b.store.data[b.job_id].blobs[pid] == jpeg
    assert sandbox_call(b, "GET", f"/jobs/{b.job_id}/photos/{pid}")[0] == 200


def test_broken_state_file_is_reported(tmp_path):
    state = tmp_path / "broken.json"
    state.write_text("{not json")
    proc = subprocess.run(
        [sys.executable, "-m", "plugin.sandbox", "--port", "0", "--state", str(state)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert "broken.json" in proc.stderr and "not a sandbox state" in proc.stderr
