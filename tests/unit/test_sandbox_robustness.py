"""The sandbox survives bad and concurrent clients and really stops."""

from __future__ import annotations

import http.client
import socket
import threading

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugin.sandbox import make_jpeg
from tests.sandbox_fixtures import sandbox_call

pytestmark = pytest.mark.sandbox


@pytest.fixture
def srv(sandbox_factory):
    return sandbox_factory(sample_nodes=10, general_interval_ms=0, time_scale=60)


def test_handler_crash_is_500_and_server_lives(srv, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr(srv.store, "whoami", boom)
    assert sandbox_call(srv, "GET", "/users/whoami") == (500, {"error": "INTERNAL ERROR"})
    assert isinstance(srv.last_exception, RuntimeError)
    assert sandbox_call(srv, "GET", "/users")[0] == 200


def test_chunked_upload(srv):
    nid = next(iter(srv.store.data[srv.job_id].nodes))
    jpeg = make_jpeg(32, 32, (10, 20, 30))
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    path = f"/api/v3/jobs/{srv.job_id}/nodes/{nid}/photos?api_key=demo-key"
    conn.request(
        "POST",
        path,
        body=iter([jpeg[:100], jpeg[100:]]),
        headers={"Content-Type": "image/jpeg"},
        encode_chunked=True,
    )
    resp = conn.getresponse()
    assert resp.status == 200, resp.read()
    import json

    pid = json.loads(resp.read())["data"]["id"]
    conn.close()
    assert srv.store.data[srv.job_id].blobs[pid] == jpeg


def test_keep_alive_session_survives_errors(srv):
    base = srv.base_url
    with requests.Session() as s:
        p = {"api_key": "demo-key"}
        statuses = [
            s.get(base + "/jobs", params=p).status_code,
            s.post(base + f"/jobs/{srv.job_id}/nodes", params=p, data=b"{bad").status_code,
            s.get(base + "/nope", params=p).status_code,
            s.get(base + "/jobs", params={"api_key": "x"}).status_code,
            s.post(
                base + f"/jobs/{srv.job_id}/photos",
                params=p,
                data=b"xx",
                headers={"Content-Type": "image/jpeg"},
            ).status_code,
            s.delete(base + f"/jobs/{srv.job_id}/traces/none", params=p).status_code,
            s.get(base + "/users/whoami", params=p).status_code,
        ]
        assert statuses == [200, 400, 404, 401, 400, 404, 200]
        r = s.head(base + "/jobs", params=p)
        assert r.status_code == 404 and r.content == b""
        assert s.get(base + "/", params=p).status_code == 200


def test_garbage_on_the_socket(srv):
    for payload in (
        b"\x00\x01garbage\r\n\r\n",
        b"GET /api/v3/ HTTP/1.1\r\nHost: x\r\nContent-Le",
        b"",
    ):
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            try:
                sock.recv(1000)
            except OSError:
                pass
    assert sandbox_call(srv, "GET", "/")[0] == 200


def test_concurrent_clients_and_general_limit(sandbox_factory):
    srv = sandbox_factory(sample_nodes=10, general_interval_ms=20)
    results: list[int] = []
    lock = threading.Lock()

    def worker():
        for _ in range(15):
            s, _ = sandbox_call(srv, "GET", f"/jobs/{srv.job_id}/nodes", query={"limit": "2"})
            with lock:
                results.append(s)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 90 and set(results) <= {200, 429}
    assert 200 in results and 429 in results
    st = srv.stats
    assert st["429"]["general"] == results.count(429)
    assert st["by_status"]["200"] == results.count(200)
    assert sum(w["spent"] for w in st["windows"]) == results.count(200)


def test_stop_closes_kept_alive_connections(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=0)
    with requests.Session() as s:
        assert s.get(srv.base_url + "/", params={"api_key": "demo-key"}).status_code == 200
        srv.stop()
        with pytest.raises(requests.ConnectionError):
            s.get(srv.base_url + "/", params={"api_key": "demo-key"}, timeout=5)


def test_every_write_updates_last_updated(srv):
    jid = srv.job_id
    job0 = srv.store.jobs[jid]["last_updated"]
    pid = sandbox_call(
        srv,
        "POST",
        f"/jobs/{jid}/photos",
        raw=make_jpeg(8, 8, (1, 1, 1)),
        content_type="image/jpeg",
    )[1]["data"]["id"]
    tr = sandbox_call(srv, "POST", f"/jobs/{jid}/traces", body={"trace_type": "cable"})[1]["data"]
    t2 = sandbox_call(srv, "POST", f"/jobs/{jid}/traces/{tr['id']}", body={"attributes": {"a": 1}})[
        1
    ]["data"]
    assert t2["last_updated"] > tr["last_updated"]
    an = sandbox_call(
        srv,
        "POST",
        f"/jobs/{jid}/photos/{pid}/calibration_anchors",
        body={"height": 1, "pixel_selection": {"percentX": 0, "percentY": 0}},
    )[1]["data"]
    a2 = sandbox_call(
        srv, "POST", f"/jobs/{jid}/photos/{pid}/calibration_anchors/{an['id']}", body={"height": 2}
    )[1]["data"]
    assert a2["last_updated"] > an["last_updated"]
    el = sandbox_call(
        srv, "POST", f"/jobs/{jid}/photos/{pid}/photo_elements", body={"element_type": "wire"}
    )[1]["data"]
    e2 = sandbox_call(
        srv,
        "POST",
        f"/jobs/{jid}/photos/{pid}/photo_elements/{el['id']}",
        body={"attributes": {"x": 1}},
    )[1]["data"]
    assert e2["last_updated"] > el["last_updated"]
    conn = next(iter(srv.store.data[jid].connections.values()))
    before = conn["last_updated"]
    sandbox_call(
        srv, "POST", f"/jobs/{jid}/connections/{conn['id']}/sections", body={"make_midpoint": True}
    )
    assert srv.store.data[jid].connections[conn["id"]]["last_updated"] > before
    assert srv.store.jobs[jid]["last_updated"] > job0


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, width=32)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "latitude",
    "longitude",
    "attributes",
    "add_attributes",
    "remove_attributes",
    "breakpoints",
    "node_id_1",
    "node_id_2",
    "make_midpoint",
    "association_value",
    "node_id",
    "connection_id",
    "section_id",
    "element_type",
    "pixel_selection",
    "manual_height",
    "parent_id",
    "trace_id",
    "height",
    "trace_type",
    "name",
    "model",
    "metadata",
    "sharing",
    "status",
]
bodies = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5)


@pytest.fixture(scope="module")
def fuzz_server():
    from plugin.sandbox import SandboxServer

    srv = SandboxServer(sample_nodes=10, general_interval_ms=0, seed=9).start()
    yield srv
    srv.stop()


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, which=st.integers(0, 9))
def test_fuzzed_bodies_never_break_the_server(fuzz_server, body, which):
    srv = fuzz_server
    jd = srv.store.data[srv.job_id]
    nid = next(iter(jd.nodes))
    cid = next(iter(jd.connections))
    pid = next(iter(jd.photos))
    paths = [
        f"/jobs/{srv.job_id}/nodes",
        f"/jobs/{srv.job_id}/nodes/{nid}",
        f"/jobs/{srv.job_id}/nodes/fuzz-node-0000000000001",
        f"/jobs/{srv.job_id}/connections",
        f"/jobs/{srv.job_id}/connections/{cid}",
        f"/jobs/{srv.job_id}/connections/{cid}/sections",
        f"/jobs/{srv.job_id}/photos/{pid}/associate",
        f"/jobs/{srv.job_id}/photos/{pid}/photo_elements",
        f"/jobs/{srv.job_id}/traces",
        f"/jobs/{srv.job_id}",
    ]
    status, reply = sandbox_call(srv, "POST", paths[which], body=body)
    assert status in (200, 400, 404), (status, reply)
    assert reply["status"] in ("success", "error") and "meta" in reply
    assert srv.last_exception is None
