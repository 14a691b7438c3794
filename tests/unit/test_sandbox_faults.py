"""Fault injection: start-up args, set_faults(), the admin route; own seeded RNG."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request

import pytest

from tests.sandbox_fixtures import sandbox_call

pytestmark = pytest.mark.sandbox

NODE_ID = "fault-node-00000000000001"


@pytest.fixture
def srv(sandbox_factory):
    return sandbox_factory(sample_nodes=10, general_interval_ms=0, time_scale=60)


def _raw_post(srv, path, body):
    """POST without urllib's error mapping: (status, bytes), or OSError/HTTPException."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(
            "POST",
            "/api/v3" + path + "?api_key=demo-key",
            body=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_error_rate_answers_500_without_applying(srv):
    srv.set_faults(error_rate=1.0)
    n = len(srv.store.data[srv.job_id].nodes)
    shapes = set()
    for _ in range(12):
        s, body = sandbox_call(
            srv,
            "POST",
            f"/jobs/{srv.job_id}/nodes",
            body={"latitude": 40, "longitude": -77},
        )
        assert s == 500
        shapes.add("error" if "error" in body else body["type"])
    assert shapes <= {"error", "internal_error"} and shapes
    assert len(srv.store.data[srv.job_id].nodes) == n
    srv.set_faults(error_rate=None)
    assert sandbox_call(srv, "GET", "/jobs")[0] == 200
    assert srv.stats["faults"]["counts"]["error_rate"] == 12


def test_drop_after_write_applies_then_closes(srv):
    srv.set_faults(drop_after_write_rate=1.0)
    with pytest.raises((http.client.HTTPException, OSError)):
        _raw_post(
            srv,
            f"/jobs/{srv.job_id}/nodes/{NODE_ID}",
            {"latitude": 40.1, "longitude": -77.1},
        )
    assert NODE_ID in srv.store.data[srv.job_id].nodes  # the write happened
    assert (
        sandbox_call(srv, "GET", f"/jobs/{srv.job_id}/nodes/{NODE_ID}")[0] == 200
    )  # reads not dropped
    srv.set_faults(drop_after_write_rate=0)
    s, _ = _raw_post(
        srv, f"/jobs/{srv.job_id}/nodes/{NODE_ID}", {"latitude": 40.1, "longitude": -77.1}
    )
    assert s == 200  # the retry at the client id is safe


def test_storm_429_then_recovers(srv):
    srv.set_faults(storm_429=3)
    got = [sandbox_call(srv, "GET", "/jobs") for _ in range(4)]
    assert [g[0] for g in got] == [429, 429, 429, 200]
    assert got[0][1] == {"error": "GENERAL RATE LIMIT EXCEEDED"}
    assert srv.stats["429"]["general"] == 3


def test_rate_429_uses_its_own_seeded_rng(sandbox_factory):
    def pattern(seed):
        s = sandbox_factory(seed=seed, general_interval_ms=0, faults={"rate_429": 0.5})
        return [sandbox_call(s, "GET", "/")[0] for _ in range(20)]

    a, b = pattern(7), pattern(7)
    assert a == b and 429 in a and 200 in a


class FakeClock:
    """Epoch seconds that only move when told (the limiter's clock)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_drain_bucket_gives_token_429_until_refill(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=0, time_scale=60)  # refill period 1 s
    clock = srv.limiter.clock = FakeClock()
    assert sandbox_call(srv, "GET", "/jobs")[0] == 200
    srv.set_faults(drain_bucket=True)
    clock.now += 0.9
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert s == 429 and body["type"] == "token_rate_limit_exceeded"
    assert body["meta"]["token_count"] == 0
    clock.now += 0.1  # the period has passed since the last refill
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert s == 200 and body["meta"]["token_count"] == 9999
    assert body["meta"]["last_refill_time"] == int(clock.now * 1000)


def test_shrink_bucket_at_next_refill(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=0, time_scale=60, bucket_size=1000)
    clock = srv.limiter.clock = FakeClock()
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert body["meta"]["token_count"] == 999
    srv.set_faults(shrink_bucket_to=40)
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert body["meta"]["token_count"] == 998  # not before the refill
    clock.now += 1.0
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert body["meta"]["token_count"] == 39
    assert srv.stats["windows"][-1]["granted"] == 40
    clock.now += 1.0
    assert sandbox_call(srv, "GET", "/jobs")[1]["meta"]["token_count"] == 39  # stays shrunk
    srv.set_faults(shrink_bucket_to=None)
    clock.now += 1.0
    assert sandbox_call(srv, "GET", "/jobs")[1]["meta"]["token_count"] == 999


def test_malformed_json_after_applying(srv):
    srv.set_faults(malformed_json_rate=1.0)
    s, raw = _raw_post(
        srv, f"/jobs/{srv.job_id}/nodes/{NODE_ID}", {"latitude": 40.1, "longitude": -77.1}
    )
    assert s == 200
    with pytest.raises(ValueError):
        json.loads(raw)
    assert NODE_ID in srv.store.data[srv.job_id].nodes


def test_latency_and_path_filter(srv):
    srv.set_faults(latency_ms=1, path_filter="/photos")
    assert sandbox_call(srv, "GET", "/jobs")[0] == 200
    assert "latency_ms" not in srv.stats["faults"]["counts"]
    assert sandbox_call(srv, "GET", f"/jobs/{srv.job_id}/photos")[0] == 200
    assert srv.stats["faults"]["counts"]["latency_ms"] == 1


def test_fault_settings_are_validated(srv):
    with pytest.raises(ValueError):
        srv.set_faults(error_rate=2)
    with pytest.raises(ValueError):
        srv.set_faults(nonsense=1)
    with pytest.raises(ValueError):
        srv.set_faults(storm_429="many")


def _admin(srv, method, body=None, token=None):
    req = urllib.request.Request(
        srv.root_url + "/__admin/faults",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"X-Admin-Token": token if token is not None else srv.admin_token},
    )
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_admin_route_sets_and_clears_faults(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=0, admin_token="secret-admin")
    assert _admin(srv, "POST", {"storm_429": 1}, token="wrong")[0] == 403
    assert _admin(srv, "POST", {"storm_429": 1}, token="")[0] == 403
    s, body = _admin(srv, "POST", {"storm_429": 1, "latency_ms": 0})
    assert s == 200 and body["settings"]["storm_429"] == 1
    assert sandbox_call(srv, "GET", "/")[0] == 429
    assert sandbox_call(srv, "GET", "/")[0] == 200
    assert _admin(srv, "POST", {"error_rate": 5})[0] == 400
    assert _admin(srv, "POST", {"error_rate": 1})[0] == 200
    assert sandbox_call(srv, "GET", "/jobs")[0] == 500
    s, body = _admin(srv, "DELETE")
    assert s == 200 and body["settings"] == {}
    assert sandbox_call(srv, "GET", "/jobs")[0] == 200
    s, body = _admin(srv, "GET")
    assert body["counts"]["error_rate"] == 1


def test_faults_from_constructor(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=0, faults={"storm_429": 2})
    assert [sandbox_call(srv, "GET", "/")[0] for _ in range(3)] == [429, 429, 200]
