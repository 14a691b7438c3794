"""The sandbox survives bad and concurrent clients and really stops."""

from __future__ import annotations

import http.client
import socket
import threading

import pytest
import requests

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
