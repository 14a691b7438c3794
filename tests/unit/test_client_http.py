"""KatapultClient over real HTTP against the sandbox: every method, errors, retries, pacing.

The sandbox runs in-process on 127.0.0.1 (``sandbox`` / ``sandbox_factory`` fixtures,
time_scale=60: a refill window lasts 1 s). No test asserts wall-clock times.
"""
from __future__ import annotations

import logging
import threading
import traceback

import pytest
import requests

from plugin.api import errors as E  # noqa: N812
from plugin.api.client import KatapultClient
from plugin.api.ids import new_client_id
from plugin.api.pacing import CancelToken, Governor
from plugin.sandbox import make_jpeg

pytestmark = pytest.mark.sandbox

SCALE = 60.0


def scaled_governor(**kw) -> Governor:
    kw.setdefault("backoff_base_s", 0.01)
    kw.setdefault("backoff_max_s", 0.1)
    return Governor(min_interval_s=0.055 / SCALE, refill_period_s=60.0 / SCALE, **kw)


def no_env_proxies(session: requests.Session) -> None:
    session.trust_env = False  # the hook QGIS uses for its proxy/CA settings


def make_client(server, key=None, **kw) -> KatapultClient:
    kw.setdefault("governor", scaled_governor())
    kw.setdefault("configure_session", no_env_proxies)
    return KatapultClient(server.base_url, server.api_key if key is None else key, **kw)


@pytest.fixture
def client(sandbox):
    with make_client(sandbox) as c:
        yield c


@pytest.fixture
def jpeg() -> bytes:
    return make_jpeg(32, 24, (200, 40, 40))


def requests_seen(server) -> int:
    """Requests the sandbox answered, once its counter is settled (it counts after sending)."""
    last = server.stats["requests"]
    while True:
        threading.Event().wait(0.05)
        now = server.stats["requests"]
        if now == last:
            return now
        last = now


# ---------------------------------------------------------------- root, users, companies
def test_welcome_whoami_users(client, sandbox):
    assert "Welcome" in client.get_welcome()["message"]
    assert client.last_meta["token_count"] > 0
    me = client.who_am_i()
    assert me["uid"] == sandbox.store.me and me["user_group"] == sandbox.store.company_id
    users = client.list_users()
    assert me["uid"] in {u["uid"] for u in users}
    assert client.get_user(me["uid"])["uid"] == me["uid"]
    with pytest.raises(E.NotFoundError):
        client.get_user("nobody-at-all-here-0000")


def test_companies(client, sandbox):
    company = sandbox.store.company_id
    groups = client.get_action_models(company)
    action = groups[0]["actions"][0]
    records = client.list_tracked_actions(company, limit=3)
    assert 0 < len(records) <= 3
    filtered = client.list_tracked_actions(company, action_id=action["action_id"], limit=200)
    assert filtered and all(r["action_id"] == action["action_id"] for r in filtered)
    with pytest.raises(E.ValidationError):
        client.list_tracked_actions(company, limit=201)


def test_models(client):
    models = client.list_models()
    key = sorted(models)[0]
    before = client.last_meta["token_count"]
    part = client.get_model(key, ["attributes"])
    assert "attributes" in part
    assert before - client.last_meta["token_count"] == 1000
    with pytest.raises(E.ValidationError, match="at least one path"):
        client.get_model(key, [])
    with pytest.raises(E.ValidationError, match="at most 10"):
        client.get_model(key, [f"p{i}" for i in range(11)])


# --------------------------------------------------------------------------- jobs
def test_jobs_lifecycle(client, sandbox):
    jobs = client.list_jobs()
    assert sandbox.job_id in {j["id"] for j in jobs}
    assert len(client.list_jobs(limit=1)) == 1
    assert client.list_jobs(as_list=True)
    created = client.create_job({"name": "Client test job", "model": "katapult_default",
                                 "metadata": {"city": "Testville"}})
    job_id = created["id"]
    got = client.get_job(job_id, paths=["name", "metadata"])
    assert got["name"] == "Client test job" and got["metadata"]["city"] == "Testville"
    client.update_job(job_id, {"metadata": {"city": "Elsewhere"}})
    assert client.get_job(job_id, "metadata")["metadata"]["city"] == "Elsewhere"
    assert [j["id"] for j in client.list_jobs(metadata_filter={"city": "Elsewhere"})] == [job_id]
    assert client.get_job_status(job_id)["status"] == "active"
    client.update_job_status(job_id, "archived")
    assert job_id not in {j["id"] for j in client.list_jobs()}
    assert job_id in {j["id"] for j in client.list_jobs(include_archived=True)}
    client.update_job_status(job_id, "active")
    newest = client.list_jobs(last_updated="2000-01-01T00:00:00Z", limit=1)
    assert newest[0]["id"] == job_id
    with pytest.raises(E.ValidationError):
        client.update_job_status(job_id, "deleted")
    with pytest.raises(E.ValidationError):
        client.create_job({"name": "no model"})


def test_reserved_operation_is_501(client, sandbox):
    with pytest.raises(E.NotImplementedByServer) as info:
        client.request("DELETE", f"/jobs/{sandbox.job_id}")
    assert info.value.status == 501 and "does not implement" in str(info.value)


# -------------------------------------------------------------------------- nodes
def test_nodes(client, sandbox):
    job = sandbox.job_id
    nodes = client.list_nodes(job)
    assert len(nodes) == 10
    assert len(client.list_nodes(job, limit=3)) == 3
    created = client.create_node(job, {"latitude": 40.1, "longitude": -77.0,
                                       "add_attributes": {"node_type": "pole"}})
    node_id = created["id"]
    assert client.get_node(job, node_id)["latitude"] == 40.1
    since = client.list_nodes(job, last_updated=nodes[0]["last_updated"])
    assert node_id in {n["id"] for n in since}
    my_id = new_client_id()
    up = client.update_node(job, my_id, {"latitude": 40.2, "longitude": -77.1,
                                         "attributes": {"scid": {"one": "7"}}})
    assert up["id"] == my_id
    client.update_node(job, my_id, {"attributes": {"scid": {"one": "8"}}}, only_if_exists=True)
    assert client.get_node(job, my_id)["attributes"]["scid"] == {"one": "8"}
    with pytest.raises(E.NotFoundError):
        client.update_node(job, new_client_id(), {"latitude": 1, "longitude": 2},
                           only_if_exists=True)
    assert client.delete_node(job, my_id)["id"] == my_id
    with pytest.raises(E.NotFoundError) as info:
        client.get_node(job, my_id)
    assert info.value.path == f"/jobs/{job}/nodes/{my_id}"
    with pytest.raises(E.ValidationError) as bad:
        client.update_node(job, "tooShort", {"latitude": 1, "longitude": 2})
    assert bad.value.type == "invalid_id" and bad.value.status == 400


def test_upload_photo_to_node_and_associations(client, sandbox, jpeg):
    job = sandbox.job_id
    node = client.list_nodes(job, limit=1)[0]["id"]
    photo = client.upload_photo_to_node(job, node, jpeg, association_value="main")["id"]
    record = client.get_photo(job, photo)
    assert record["id"] == photo
    assert client.get_node(job, node)["photos"][photo]["association"] == "main"
    client.unassociate_photo(job, photo, node_id=node)
    assert photo not in (client.get_node(job, node).get("photos") or {})
    client.associate_photo(job, photo, True, node_id=node)
    assert client.get_node(job, node)["photos"][photo]["association"] is True


# -------------------------------------------------------------- connections/sections
def test_connections_and_sections(client, sandbox, jpeg):
    job = sandbox.job_id
    a, b = (n["id"] for n in client.list_nodes(job, limit=2))
    conn = client.create_connection(job, {"node_id_1": a, "node_id_2": b,
                                          "breakpoints": [[40.1, -77.0], [40.2, -77.1]]})
    cid = conn["id"]
    assert client.get_connection(job, cid)["breakpoints"] == [[40.1, -77.0], [40.2, -77.1]]
    client.update_connection(job, cid, {"breakpoints": []}, only_if_exists=True)
    assert not client.get_connection(job, cid).get("breakpoints")
    assert cid in {c["id"] for c in client.list_connections(job)}
    mid = client.create_section(job, cid, {"make_midpoint": True})
    assert mid["id"] == "midpoint_section"
    sec = client.create_section(job, cid, {"latitude": 40.15, "longitude": -77.05})
    sid = sec["id"]
    assert {s["id"] for s in client.list_sections(job, cid)} >= {sid, "midpoint_section"}
    client.update_section(job, cid, sid, {"add_attributes": {"note": "tree"}})
    got = client.get_section(job, cid, sid)
    notes = got.get("attributes") or got.get("multi_attributes")
    assert list(notes["note"].values()) == ["tree"]
    photo = client.upload_photo_to_section(job, cid, sid, jpeg)["id"]
    client.associate_photo(job, photo, "main", connection_id=cid, section_id=sid)
    assert client.delete_section(job, cid, sid)["id"] == sid
    assert client.delete_connection(job, cid)["id"] == cid
    with pytest.raises(E.NotFoundError):
        client.get_connection(job, cid)


# --------------------------------------------------- photos, elements, anchors, traces
def test_photos_elements_anchors_traces(client, sandbox, jpeg):
    job = sandbox.job_id
    photo = client.upload_photo(job, jpeg)["id"]
    assert photo in {p["id"] for p in client.list_photos(job)}
    url = client.get_photo_url(job, photo, file_size="small", file_type="jpg")["url"]
    image = requests.get(url, timeout=10)
    assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"

    el = client.create_photo_element(job, photo, {"element_type": "attachment",
                                                  "pixel_selection": {"percentX": 0.5,
                                                                      "percentY": 0.2}})
    eid = el["id"]
    assert eid in {e["id"] for e in client.list_photo_elements(job, photo)}
    client.update_photo_element(job, photo, eid, {"manual_height": "25-6"})
    assert client.get_photo_element(job, photo, eid)["manual_height"] == "25-6"
    # A missing element is created under a new server id (v3 reference): use the answer's id.
    made = client.update_photo_element(job, photo, new_client_id(), {"element_type": "wire"})
    assert client.delete_photo_element(job, photo, made["id"])["id"] == made["id"]
    client.delete_photo_element(job, photo, eid)

    anchor = client.create_calibration_anchor(job, photo, {
        "pixel_selection": {"percentX": 0.1, "percentY": 0.9}, "height": 12.5})
    aid = anchor["id"]
    assert aid in {x["id"] for x in client.list_calibration_anchors(job, photo)}
    client.update_calibration_anchor(job, photo, aid, {"height": 13.0}, only_if_exists=True)
    assert client.get_calibration_anchor(job, photo, aid)["height"] == 13.0
    client.delete_calibration_anchor(job, photo, aid)
    with pytest.raises(E.ValidationError):
        client.create_calibration_anchor(job, photo, {"height": 1})

    trace = client.create_trace(job, {"trace_type": "equipment", "attributes": {"x": 1}})
    tid = trace["id"]
    assert tid in {t["id"] for t in client.list_traces(job)}
    client.update_trace(job, tid, {"attributes": {"y": 2}})
    assert client.get_trace(job, tid)["id"] == tid
    assert client.delete_trace(job, tid)["id"] == tid


# -------------------------------------------------------------------- bad input
def test_bad_input_rejected_before_sending(client, sandbox):
    job = sandbox.job_id
    seen = requests_seen(sandbox)
    bad_calls = [
        (lambda: client.get_node(job, "abc/def"), "invalid_id"),
        (lambda: client.get_node("job?x=1", "n"), "invalid_id"),
        (lambda: client.get_node(job, ""), "invalid_id"),
        (lambda: client.create_node(job, {"latitude": 95, "longitude": 0}), "invalid_field"),
        (lambda: client.create_node(job, {"latitude": 40, "longitude": -181}), "invalid_field"),
        (lambda: client.create_node(job, {"latitude": "40", "longitude": 1}), "invalid_field"),
        (lambda: client.create_node(job, {"latitude": 40}), "missing_required_field"),
        (lambda: client.update_node(job, new_client_id(), {"latitude": float("nan"),
                                                           "longitude": 1}), "invalid_field"),
        (lambda: client.update_node(job, new_client_id(), {"attributes": {"h": float("inf")}}),
         "invalid_field"),
        (lambda: client.update_node(job, new_client_id(), {"x": object()}), "invalid_field"),
        (lambda: client.update_node(job, new_client_id(), ["not", "a", "dict"]),
         "invalid_request"),
        (lambda: client.update_connection(job, new_client_id(), {"breakpoints": [[91, 0]]}),
         "invalid_field"),
        (lambda: client.update_connection(job, new_client_id(), {"breakpoints": [[1, 2, 3]]}),
         "invalid_field"),
        (lambda: client.create_section(job, new_client_id(), {}), "missing_required_field"),
        (lambda: client.upload_photo(job, b"\x89PNG\r\n\x1a\n...."), "invalid_file_type"),
        (lambda: client.upload_photo(job, b"\xff\xd8\xff\xe0 truncated"), "invalid_file_type"),
        (lambda: client.upload_photo(job, b""), "invalid_file_type"),
        (lambda: client.upload_photo(job, "not bytes"), "invalid_file_type"),
        (lambda: client.upload_photo_to_node(job, new_client_id(), make_jpeg(8, 8), "false"),
         "invalid_field"),
        (lambda: client.associate_photo(job, "p", False, node_id="n"), "invalid_field"),
        (lambda: client.associate_photo(job, "p", True), "missing_parameter"),
        (lambda: client.associate_photo(job, "p", True, node_id="n", connection_id="c",
                                        section_id="s"), "invalid_request"),
        (lambda: client.list_nodes(job, limit=0), "invalid_limit"),
        (lambda: client.list_nodes(job, limit=True), "invalid_limit"),
        (lambda: client.list_nodes(job, last_updated="yesterday"), "invalid_timestamp"),
        (lambda: client.get_photo_url(job, "p", file_size="huge"), "invalid_field"),
    ]
    for call, etype in bad_calls:
        with pytest.raises(E.ValidationError) as info:
            call()
        assert info.value.type == etype, (etype, str(info.value))
        assert str(info.value)[0].isupper() and str(info.value).rstrip().endswith(".")
    assert requests_seen(sandbox) == seen  # nothing reached the server


def test_server_validation_errors_are_typed(client, sandbox):
    job = sandbox.job_id
    with pytest.raises(E.ValidationError) as info:
        client.request("POST", f"/jobs/{job}/photos", data=b"not a jpeg",
                       content_type="image/png")
    assert info.value.type == "invalid_file_type" and info.value.meta is not None
    with pytest.raises(E.NotFoundError):
        client.list_nodes("-NoSuchJobAnywhere000")


# ------------------------------------------------------------------ auth and masking
def test_wrong_and_missing_key(sandbox_factory):
    server = sandbox_factory(api_key="right-key-12345", seed=2, time_scale=SCALE)
    with make_client(server, key="wrong-key-ZZ9-plural-Z") as bad:
        with pytest.raises(E.AuthError) as info:
            bad.who_am_i()
    err = info.value
    assert (err.status, err.type, err.meta) == (401, "INVALID API KEY", None)
    assert "wrong-key-ZZ9-plural-Z" not in str(err) + repr(err) + (err.path or "")
    with make_client(server, key="") as nokey:
        with pytest.raises(E.AuthError) as info:
            nokey.get_welcome()
    assert info.value.status == 400 and info.value.type == "MISSING API KEY"


def test_key_appears_nowhere(sandbox_factory, caplog):
    key = "SeCrEt-Key-4242-abcdef"
    server = sandbox_factory(api_key=key, sample_nodes=10, seed=3, time_scale=SCALE)
    texts = []
    with caplog.at_level(logging.DEBUG):
        with make_client(server) as c:
            c.list_nodes(server.job_id, limit=1)
            for call in (lambda: c.get_node(server.job_id, "-NoSuchNode0000000000"),
                         lambda: c.request("DELETE", f"/jobs/{server.job_id}")):
                try:
                    call()
                except E.KatapultError as exc:
                    texts += [str(exc), repr(exc), "".join(traceback.format_exception(
                        type(exc), exc, exc.__traceback__))]
            server.set_faults(storm_429=100)
            try:
                KatapultClient(server.base_url, key, governor=scaled_governor(),
                               max_retries=1, configure_session=no_env_proxies).get_welcome()
            except E.RateLimitError as exc:
                texts.append("".join(traceback.format_exception(type(exc), exc,
                                                                exc.__traceback__)))
            server.clear_faults()
        # an unreachable server: requests' own message carries the URL with the key
        dead = KatapultClient(f"http://127.0.0.1:{_free_port()}/api/v3", key, max_retries=0,
                              governor=scaled_governor(), configure_session=no_env_proxies)
        with pytest.raises(E.TransportError) as info:
            dead.get_welcome()
        exc = info.value
        texts += [str(exc), repr(exc), "".join(traceback.format_exception(
            type(exc), exc, exc.__traceback__))]
        assert exc.reason == "unreachable" and exc.__cause__ is None
    assert len(texts) >= 7
    assert "urllib3" in caplog.text or "127.0.0.1" in caplog.text  # the HTTP layer did log
    for text in [*texts, caplog.text]:
        assert key not in text
    assert "api_key=***" in caplog.text


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ pacing and retries
def test_token_bucket_paced_without_429(sandbox_factory):
    server = sandbox_factory(sample_nodes=10, seed=4, time_scale=SCALE, bucket_size=100)
    with make_client(server) as c:
        node = c.list_nodes(server.job_id, limit=1)[0]["id"]
        for i in range(25):  # 250 tokens through a 100-token bucket: three windows
            c.update_node(server.job_id, node, {"attributes": {"scid": {"one": str(i)}}},
                          lane="bulk")
        stats = server.stats
        # Token 429s: none. (General 429s are not asserted: at time_scale 60 the general
        # limit's 5 ms margin shrinks to 83 us, below the in-process server's scheduling
        # jitter; any that happen are retried. bench_governor measures them out of process.)
        assert stats["429"]["token"] == 0
        assert len(stats["windows"]) >= 3
        assert c.governor.stats.waits >= 2
        assert c.governor.stats.rate_limited["token"] == 0


def test_bucket_shrinks_mid_run(sandbox_factory):
    server = sandbox_factory(sample_nodes=10, seed=4, time_scale=SCALE, bucket_size=200)
    with make_client(server) as c:
        node = c.list_nodes(server.job_id, limit=1)[0]["id"]
        for i in range(30):
            if i == 5:
                server.set_faults(shrink_bucket_to=60)
            c.update_node(server.job_id, node, {"attributes": {"scid": {"one": str(i)}}})
        windows = server.stats["windows"]
    assert server.stats["429"]["token"] == 0
    assert any(w["granted"] == 60 for w in windows)
    assert [w.first_count for w in c.governor.stats.windows][-1] == 60


def test_token_429_after_drain_waits_for_refill(sandbox):
    with make_client(sandbox) as c:
        c.get_welcome()
        sandbox.set_faults(drain_bucket=True)
        nodes = c.list_nodes(sandbox.job_id, limit=1)  # 429 token -> wait to refill -> ok
    assert len(nodes) == 1
    assert c.governor.stats.rate_limited_token == 1
    assert sandbox.stats["429"]["token"] == 1


def test_general_429_backoff_then_success(sandbox):
    sandbox.set_faults(storm_429=3)
    with make_client(sandbox) as c:
        assert c.who_am_i()["uid"]
    assert c.governor.stats.rate_limited_general == 3 and c.governor.stats.backoffs == 3


def test_general_429_gives_up_after_max_retries(sandbox):
    sandbox.set_faults(storm_429=50)
    with make_client(sandbox, max_retries=2) as c:
        with pytest.raises(E.RateLimitError) as info:
            c.who_am_i()
    assert info.value.kind == "general" and info.value.status == 429


def test_5xx_retried_for_safe_requests_only(sandbox):
    job = sandbox.job_id
    with make_client(sandbox, max_retries=3) as c:
        node = c.list_nodes(job, limit=1)[0]["id"]
        sandbox.set_faults(error_rate=1.0)
        before = requests_seen(sandbox)
        with pytest.raises(E.ServerError):
            c.get_node(job, node)
        assert requests_seen(sandbox) - before == 4            # 1 + 3 retries
        before = requests_seen(sandbox)
        with pytest.raises(E.UnknownOutcomeError) as info:
            c.create_node(job, {"latitude": 40, "longitude": -77})
        assert requests_seen(sandbox) - before == 1            # a plain create: never retried
        assert info.value.status == 500 and "created twice" in str(info.value)
        sandbox.set_faults(error_rate=0.3)
        c.max_retries = 12  # 0.3**13: the fault RNG cannot fail every attempt
        for i in range(10):  # upserts at a client id ride through intermittent 500s
            c.update_node(job, node, {"attributes": {"scid": {"one": f"r{i}"}}})
        assert c.governor.stats.backoffs > 3
        assert c.get_node(job, node)["attributes"]["scid"] == {"one": "r9"}


def test_dropped_connection_after_write(sandbox):
    job = sandbox.job_id
    with make_client(sandbox, max_retries=2) as c:
        count = len(c.list_nodes(job))
        sandbox.set_faults(drop_after_write_rate=1.0)
        with pytest.raises(E.UnknownOutcomeError) as info:
            c.create_node(job, {"latitude": 40, "longitude": -77})
        assert info.value.reason in ("unreachable", "truncated")
        my_id = new_client_id()
        with pytest.raises(E.TransportError) as info:
            c.update_node(job, my_id, {"latitude": 40, "longitude": -77})
        assert not isinstance(info.value, E.UnknownOutcomeError)  # safe: it was retried
        sandbox.clear_faults()
        assert len(c.list_nodes(job)) == count + 2             # create applied once, upsert once
        assert c.get_node(job, my_id)["id"] == my_id


def test_truncated_json(sandbox):
    job = sandbox.job_id
    with make_client(sandbox, max_retries=1) as c:
        sandbox.set_faults(malformed_json_rate=1.0)
        with pytest.raises(E.ProtocolError) as info:
            c.list_nodes(job)
        assert info.value.status == 200 and "not valid JSON" in str(info.value)
        with pytest.raises(E.UnknownOutcomeError):
            c.create_node(job, {"latitude": 40, "longitude": -77})
        sandbox.set_faults(malformed_json_rate=0.3)
        c.max_retries = 12
        for _ in range(5):
            c.get_welcome()  # intermittent truncation of a GET is retried


def test_read_timeout(sandbox):
    job = sandbox.job_id
    with make_client(sandbox, max_retries=1, timeout=(2.0, 0.2)) as c:
        sandbox.set_faults(latency_ms=600)
        with pytest.raises(E.TransportError) as info:
            c.list_nodes(job)
        assert info.value.reason == "timeout"
        assert not isinstance(info.value, E.UnknownOutcomeError)
        with pytest.raises(E.UnknownOutcomeError) as info:
            c.create_node(job, {"latitude": 40, "longitude": -77})
        assert info.value.reason == "timeout"
        sandbox.clear_faults()


def test_cancel_while_waiting_for_refill(sandbox_factory):
    server = sandbox_factory(sample_nodes=10, seed=5, time_scale=1.0, bucket_size=30)
    gov = Governor(min_interval_s=0.055, refill_period_s=60.0)
    token = CancelToken()
    with make_client(server, governor=gov) as c:
        node = c.list_nodes(server.job_id, limit=1)[0]["id"]
        c.update_node(server.job_id, node, {"attributes": {}})
        c.update_node(server.job_id, node, {"attributes": {}})
        threading.Timer(0.2, token.cancel).start()
        with pytest.raises(E.CancelledError):  # would wait ~60 s for the refill
            c.update_node(server.job_id, node, {"attributes": {}}, lane="bulk", cancel=token)
    assert server.stats["429"]["token"] == 0


def test_configure_session_hook_applies_proxy_and_ca(sandbox):
    applied = {}

    def hook(session):
        session.trust_env = False
        session.proxies = {}
        session.verify = True
        applied["session"] = session

    with make_client(sandbox, configure_session=hook) as c:
        assert applied["session"] is c.session
        assert c.get_welcome()
    adapter = c.session.get_adapter("https://katapultpro.com")
    assert adapter._pool_maxsize >= 4 and c.session.verify is True


def test_interactive_read_goes_ahead_of_waiting_bulk_writes(sandbox_factory):
    # A 300-token bucket, refill every 10 s: the bulk writer soon waits for the refill,
    # keeping the interactive reserve; a click's read must not wait behind it.
    server = sandbox_factory(sample_nodes=10, seed=6, time_scale=6.0, bucket_size=300)
    gov = Governor.for_time_scale(6.0)
    stop = CancelToken()
    outcome = []
    with make_client(server, governor=gov) as c:
        job = server.job_id
        node = c.list_nodes(job, limit=1)[0]["id"]

        def bulk_writer():
            try:
                for i in range(100):
                    c.update_node(job, node, {"attributes": {"scid": {"one": str(i)}}},
                                  lane="bulk", cancel=stop)
            except E.CancelledError:
                outcome.append("cancelled")

        writer = threading.Thread(target=bulk_writer)
        writer.start()
        try:
            # until the writer is held for the refill (balance below cost + reserve)
            while writer.is_alive() and not (gov.waiting()["bulk"] == 1 and gov.balance
                                             is not None and gov.balance < 10 + 15):
                threading.Event().wait(0.01)
            window = c.last_meta["last_refill_time"]
            assert c.get_node(job, node)["id"] == node     # interactive: served at once,
            assert c.last_meta["last_refill_time"] == window  # in the same window
            assert gov.waiting()["bulk"] == 1             # while the writer still waits
        finally:
            stop.cancel()
            writer.join(10)
    assert outcome == ["cancelled"] and server.stats["429"]["token"] == 0
