"""Sandbox authentication, general rate limit, token bucket, costs, stats."""

from __future__ import annotations

import time

import pytest

from plugin.sandbox.limits import RateLimiter
from tests.sandbox_fixtures import sandbox_call

pytestmark = pytest.mark.sandbox


def test_auth_middleware_shapes(sandbox):
    s, body = sandbox_call(sandbox, "GET", "/jobs", api_key=None)
    assert (s, body) == (400, {"error": "MISSING API KEY"})
    s, body = sandbox_call(sandbox, "GET", "/jobs", api_key="wrong-key")
    assert (s, body) == (401, {"error": "INVALID API KEY"})
    s, body = sandbox_call(sandbox, "GET", "/", api_key="")
    assert (s, body) == (400, {"error": "MISSING API KEY"})


def test_general_limit_rejects_second_call_within_interval(sandbox_factory):
    srv = sandbox_factory(general_interval_ms=60000)  # 60 s: the second call is surely too soon
    assert sandbox_call(srv, "GET", "/")[0] == 200
    s, body = sandbox_call(srv, "GET", "/jobs")
    assert (s, body) == (429, {"error": "GENERAL RATE LIMIT EXCEEDED"})
    assert srv.stats["429"]["general"] == 1
    assert srv.stats["429"]["token"] == 0


def test_general_limit_logic_with_fake_arrivals():
    lim = RateLimiter(general_interval_s=0.05)
    assert lim.general_ok("k", 100.000)
    assert not lim.general_ok("k", 100.030)  # too soon
    assert not lim.general_ok("k", 100.049)  # still measured from the last accepted call
    assert lim.general_ok("k", 100.050)
    assert lim.general_ok("other", 100.051)  # per key
    assert lim.counts["429_general"] == 2


def test_time_scale_divides_interval_and_period():
    from plugin.sandbox import SandboxServer

    srv = SandboxServer(time_scale=60, general_interval_ms=50)
    assert srv.limiter.refill_period_s == pytest.approx(1.0)
    assert srv.limiter.general_interval_s == pytest.approx(0.05 / 60)


def test_token_bucket_costs_meta_and_429(sandbox_factory):
    srv = sandbox_factory(sample_nodes=10, bucket_size=25, general_interval_ms=0)
    before = int(time.time() * 1000)
    path = f"/jobs/{srv.job_id}/nodes"
    s, body = sandbox_call(srv, "GET", path)
    assert s == 200 and body["meta"]["token_count"] == 24
    refill = body["meta"]["last_refill_time"]
    assert before - 5 <= refill <= int(time.time() * 1000) + 5
    s, body = sandbox_call(srv, "GET", "/")
    assert body["meta"]["token_count"] == 24  # GET / is free
    s, body = sandbox_call(srv, "POST", path, body={"latitude": 40, "longitude": -77})
    assert s == 200 and body["meta"]["token_count"] == 14  # POST costs 10
    s, body = sandbox_call(srv, "POST", path, body={"latitude": 1})  # failed calls are not charged
    assert s == 400 and body["meta"]["token_count"] == 14
    nid = body and sandbox_call(srv, "GET", path)[1]["data"][0]["id"]
    s, body = sandbox_call(srv, "DELETE", f"{path}/{nid}")
    assert s == 200 and body["meta"]["token_count"] == 3  # GET 1 + DELETE 10
    s, body = sandbox_call(srv, "POST", path, body={"latitude": 40, "longitude": -77})
    assert s == 429
    assert body["status"] == "error" and body["type"] == "token_rate_limit_exceeded"
    assert body["meta"] == {"token_count": 3, "last_refill_time": refill}
    s, body = sandbox_call(srv, "GET", "/models")  # costs 100
    assert s == 429 and body["type"] == "token_rate_limit_exceeded"
    s, body = sandbox_call(srv, "GET", path, query={"limit": "1"})
    assert s == 200 and body["meta"]["token_count"] == 2
    st = srv.stats
    assert st["429"] == {"general": 0, "token": 2}
    (w,) = st["windows"]
    assert w["granted"] == 25 and w["spent"] == 23 and w["refill_time"] == refill


def test_bucket_resets_to_full_after_period(sandbox_factory):
    srv = sandbox_factory(bucket_size=30, time_scale=600, general_interval_ms=0)  # period 0.1 s
    s, body = sandbox_call(srv, "GET", "/users/whoami")
    first = body["meta"]["last_refill_time"]
    deadline = time.time() + 10
    while True:
        time.sleep(0.12)
        s, body = sandbox_call(srv, "GET", "/users/whoami")
        if body["meta"]["last_refill_time"] != first or time.time() > deadline:
            break
    assert body["meta"]["last_refill_time"] >= first + 100
    assert body["meta"]["token_count"] == 29  # reset to full, then this call
    assert len(srv.stats["windows"]) >= 2


def test_model_paths_cost_1000_each(sandbox_factory):
    srv = sandbox_factory(bucket_size=2500, general_interval_ms=0)
    s, body = sandbox_call(srv, "GET", "/models/katapult_default", query={"paths": "name,buttons"})
    assert s == 200 and body["meta"]["token_count"] == 500
    s, body = sandbox_call(srv, "GET", "/models/katapult_default", query={"paths": "name"})
    assert s == 429 and body["type"] == "token_rate_limit_exceeded"


def test_admin_stats_route(sandbox):
    import json
    import urllib.error
    import urllib.request

    sandbox_call(sandbox, "GET", "/jobs")
    req = urllib.request.Request(sandbox.root_url + "/__admin/stats")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    assert exc.value.code == 403
    req = urllib.request.Request(
        sandbox.root_url + "/__admin/stats", headers={"X-Admin-Token": sandbox.admin_token}
    )
    with urllib.request.urlopen(req) as resp:
        stats = json.load(resp)
    assert stats["requests"] >= 1 and stats["windows"][0]["spent"] >= 1
    assert set(stats["429"]) == {"general", "token"}


def test_costs_and_refill_period_are_configurable(sandbox_factory):
    srv = sandbox_factory(
        sample_nodes=10,
        general_interval_ms=0,
        bucket_size=100,
        refill_period_s=3600,
        costs={"listNodes": 7, "getWelcome": 2, "model_path": 30},
    )
    assert srv.limiter.refill_period_s == 3600
    s, body = sandbox_call(srv, "GET", f"/jobs/{srv.job_id}/nodes")
    assert body["meta"]["token_count"] == 93
    s, body = sandbox_call(srv, "GET", "/")
    assert body["meta"]["token_count"] == 91
    s, body = sandbox_call(srv, "GET", "/models/katapult_default", query={"paths": "name,buttons"})
    assert body["meta"]["token_count"] == 31
    s, body = sandbox_call(srv, "GET", "/users")  # not overridden: 1
    assert body["meta"]["token_count"] == 30


def test_bad_cost_overrides_are_refused():
    from plugin.sandbox import SandboxServer

    with pytest.raises(ValueError):
        SandboxServer(costs={"noSuchOperation": 1})
    with pytest.raises(ValueError):
        SandboxServer(costs={"listNodes": -1})


def test_refill_now_and_admin_refill(sandbox_factory):
    import urllib.request

    srv = sandbox_factory(general_interval_ms=0, bucket_size=50)
    sandbox_call(srv, "POST", "/jobs", body={"name": "a", "model": "m"})
    assert sandbox_call(srv, "GET", "/users")[1]["meta"]["token_count"] == 39
    srv.refill_now()
    assert sandbox_call(srv, "GET", "/users")[1]["meta"]["token_count"] == 49
    req = urllib.request.Request(
        srv.root_url + "/__admin/refill",
        method="POST",
        data=b"",
        headers={"X-Admin-Token": srv.admin_token},
    )
    with urllib.request.urlopen(req) as resp:
        assert resp.status == 200
    assert sandbox_call(srv, "GET", "/users")[1]["meta"]["token_count"] == 49
    assert [w["granted"] for w in srv.stats["windows"]] == [50, 50, 50]


def test_extra_keys_member_and_refused_users(sandbox_factory):
    srv = sandbox_factory(
        general_interval_ms=0,
        extra_keys={
            "member-key": "member",
            "gone-key": "INVALID USER",
            "no-key": "PERMISSION DENIED",
        },
    )
    assert sandbox_call(srv, "GET", "/", api_key="gone-key") == (403, {"error": "INVALID USER"})
    assert sandbox_call(srv, "GET", "/", api_key="no-key") == (403, {"error": "PERMISSION DENIED"})
    s, body = sandbox_call(srv, "GET", "/users/whoami", api_key="member-key")
    me = body["data"]["uid"]
    assert s == 200 and me != srv.store.me
    s, body = sandbox_call(srv, "GET", "/users", api_key="member-key")
    assert s == 403 and body["type"] == "forbidden"
    assert sandbox_call(srv, "GET", f"/users/{me}", api_key="member-key")[0] == 200
    assert sandbox_call(srv, "GET", f"/users/{srv.store.me}", api_key="member-key")[0] == 403
    assert sandbox_call(srv, "GET", "/users")[0] == 200
    # each key has its own bucket
    a = sandbox_call(srv, "GET", "/users/whoami", api_key="member-key")[1]["meta"]["token_count"]
    b = sandbox_call(srv, "GET", "/users/whoami")[1]["meta"]["token_count"]
    assert (a, b) == (9997, 9998)
    with pytest.raises(ValueError):
        from plugin.sandbox import SandboxServer

        SandboxServer(extra_keys={"k": "superuser"})


def test_stats_and_logs_never_show_the_key(sandbox_factory, capsys):
    srv = sandbox_factory(api_key="very-secret-key", general_interval_ms=0, verbose=True)
    sandbox_call(srv, "GET", "/jobs", api_key="very-secret-key")
    assert "very-secret-key" not in repr(srv.stats)
    err = capsys.readouterr().err
    assert "api_key=***" in err and "very-secret-key" not in err
