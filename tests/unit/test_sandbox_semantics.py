"""Sandbox route semantics over real HTTP (plain urllib)."""

from __future__ import annotations

import time

import pytest

from plugin.sandbox import make_jpeg
from tests.sandbox_fixtures import sandbox_call

pytestmark = pytest.mark.sandbox

CID = "client-node-0000000000001"


@pytest.fixture
def srv(sandbox_factory):
    return sandbox_factory(sample_nodes=10, seed=3, general_interval_ms=0)


@pytest.fixture
def api(srv):
    def call(method, path, **kw):
        return sandbox_call(srv, method, path, **kw)

    return call


def J(srv, tail=""):
    return f"/jobs/{srv.job_id}{tail}"


def ok(resp):
    status, body = resp
    assert status == 200, body
    assert body["status"] == "success"
    assert set(body["meta"]) == {"token_count", "last_refill_time"}
    return body["data"]


def err(resp, status, type_):
    s, body = resp
    assert s == status, body
    assert body["status"] == "error" and body["type"] == type_, body
    assert body["message"]
    assert "token_count" in body["meta"]
    return body


# ---------------------------------------------------------------- welcome, jobs
def test_welcome_is_free(api):
    s, body = api("GET", "/")
    assert s == 200 and body["status"] == "success" and "Welcome" in body["message"]
    first = body["meta"]["token_count"]
    s, body = api("GET", "/")
    assert body["meta"]["token_count"] == first


def test_create_update_get_job_and_status(api, srv):
    err(api("POST", "/jobs", body={"name": "x"}), 400, "missing_required_field")
    err(api("POST", "/jobs", body={"name": 5, "model": "m"}), 400, "invalid_field")
    job = ok(
        api(
            "POST",
            "/jobs",
            body={
                "name": "New job",
                "model": "katapult_default",
                "metadata": {"city": "Carlisle"},
                "sharing": {"-Other": "read"},
            },
        )
    )
    jid = job["id"]
    assert job["name"] == "New job" and job["job_creator"] == "katapult_default"
    assert job["sharing"]["-Other"] == "read" and job["sharing"][srv.store.company_id] == "write"
    assert ok(api("GET", "/jobs/" + jid)) == {"id": jid}
    got = ok(api("GET", "/jobs/" + jid, query={"paths": "name,metadata,status"}))
    assert got == {
        "id": jid,
        "name": "New job",
        "metadata": {"city": "Carlisle"},
        "status": "active",
    }
    err(api("GET", "/jobs/" + jid, query={"paths": "nodes"}), 400, "invalid_request")
    upd = ok(api("POST", "/jobs/" + jid, body={"metadata": {"city": None, "status": "done"}}))
    assert upd["metadata"] == {"status": "done"}
    err(api("POST", "/jobs/" + jid, body={"sharing": {"x": "admin"}}), 400, "invalid_field")
    assert ok(api("GET", f"/jobs/{jid}/status")) == {"id": jid, "status": "active"}
    err(api("POST", f"/jobs/{jid}/status", body={"status": "gone"}), 400, "invalid_field")
    err(api("POST", f"/jobs/{jid}/status", body={}), 400, "missing_required_field")
    assert (
        ok(api("POST", f"/jobs/{jid}/status", body={"status": "archived"}))["status"] == "archived"
    )
    err(api("GET", "/jobs/nope-nope-nope-nope-nope"), 404, "not_found")


def test_list_jobs_filters_order_and_limit(api, srv):
    all_active = ok(api("GET", "/jobs"))
    ids = [j["id"] for j in all_active]
    assert srv.job_id in ids
    stamps = [j["last_updated"] for j in all_active]
    assert stamps == sorted(stamps, reverse=True)
    assert all(j["status"] == "active" for j in all_active)
    with_arch = ok(api("GET", "/jobs", query={"includeArchived": "true"}))
    assert len(with_arch) == len(all_active) + 1
    assert any(j["status"] == "archived" for j in with_arch)
    carlisle = ok(api("GET", "/jobs", query={"metadataFilter": "city:Carlisle"}))
    assert [j["id"] for j in carlisle] == [srv.job_id]
    two = ok(api("GET", "/jobs", query={"metadataFilter": "city:Carlisle,job_type:audit"}))
    assert two == []
    lst = ok(api("GET", "/jobs", query={"list": "true", "metadataFilter": "city:Nowhere"}))
    assert len(lst) == len(all_active) and "metadata" not in lst[0]
    assert len(ok(api("GET", "/jobs", query={"limit": "1"}))) == 1
    err(api("GET", "/jobs", query={"limit": "0"}), 400, "invalid_request")
    err(api("GET", "/jobs", query={"limit": "abc"}), 400, "invalid_request")
    err(api("GET", "/jobs", query={"last_updated": "yesterday"}), 400, "invalid_request")
    newest = all_active[0]["last_updated"]
    assert ok(api("GET", "/jobs", query={"last_updated": newest})) == []
    ok(api("POST", "/jobs/" + ids[-1], body={"name": "touched"}))
    changed = ok(api("GET", "/jobs", query={"last_updated": newest}))
    assert [j["id"] for j in changed] == [ids[-1]]


# ---------------------------------------------------------------- nodes
def test_node_create_upsert_trio_and_delete(api, srv):
    err(api("POST", J(srv, "/nodes"), body={"latitude": 40.2}), 400, "missing_required_field")
    err(
        api("POST", J(srv, "/nodes"), body={"latitude": "40.2", "longitude": -77.1}),
        400,
        "invalid_field",
    )
    err(
        api("POST", J(srv, "/nodes"), body={"latitude": 140, "longitude": -77.1}),
        400,
        "invalid_field",
    )
    err(
        api(
            "POST", J(srv, "/nodes"), body={"latitude": 40.2, "longitude": -77.1, "attributes": []}
        ),
        400,
        "invalid_field",
    )
    err(
        api(
            "POST",
            J(srv, "/nodes"),
            body={"latitude": 40.2, "longitude": -77.1, "attributes": {"note": "flat"}},
        ),
        400,
        "invalid_field",
    )
    node = ok(
        api(
            "POST",
            J(srv, "/nodes"),
            body={
                "latitude": 40.2,
                "longitude": -77.19,
                "attributes": {"node_type": {"abc": "pole"}},
                "add_attributes": {"scid": "001", "note": "n1"},
            },
        )
    )
    assert len(node["id"]) == 20
    assert node["attributes"]["node_type"] == {"abc": "pole"}
    ((iid, val),) = node["attributes"]["scid"].items()
    assert val == "001" and len(iid) == 20
    assert node["last_updated"].endswith("Z")
    nid = node["id"]
    # remove -> attributes -> add, in that order, within one write
    body = {
        "remove_attributes": ["scid"],
        "attributes": {
            "scid": {"fixed": "002"},
            "node_type": None,
            "note": {list(node["attributes"]["note"])[0]: None},
        },
        "add_attributes": {"note": "n2"},
    }
    upd = ok(api("POST", J(srv, "/nodes/" + nid), body=body))
    assert upd["attributes"]["scid"] == {"fixed": "002"}
    assert "node_type" not in upd["attributes"]
    assert list(upd["attributes"]["note"].values()) == ["n2"]
    assert upd["last_updated"] > node["last_updated"]
    assert upd["latitude"] == 40.2
    # remove then add the same name in one call keeps only the added value
    upd = ok(
        api(
            "POST",
            J(srv, "/nodes/" + nid),
            body={"remove_attributes": ["note"], "add_attributes": {"note": "only"}},
        )
    )
    assert list(upd["attributes"]["note"].values()) == ["only"]
    assert ok(api("GET", J(srv, "/nodes/" + nid))) == upd
    assert ok(api("DELETE", J(srv, "/nodes/" + nid))) == {"id": nid}
    err(api("GET", J(srv, "/nodes/" + nid)), 404, "not_found")
    err(api("DELETE", J(srv, "/nodes/" + nid)), 404, "not_found")


def test_upsert_creates_at_client_id_and_id_rules(api, srv):
    err(
        api("POST", J(srv, "/nodes/short"), body={"latitude": 40, "longitude": -77}),
        400,
        "invalid_id",
    )
    err(
        api("POST", J(srv, "/nodes/" + "a" * 257), body={"latitude": 40, "longitude": -77}),
        400,
        "invalid_id",
    )
    err(
        api(
            "POST", J(srv, "/nodes/bad.chars.in.this.id.x"), body={"latitude": 40, "longitude": -77}
        ),
        400,
        "invalid_id",
    )
    err(
        api(
            "POST",
            J(srv, "/nodes/" + CID),
            query={"onlyIfExists": "true"},
            body={"latitude": 40, "longitude": -77},
        ),
        404,
        "not_found",
    )
    err(
        api("POST", J(srv, "/nodes/" + CID), body={"add_attributes": {"a": 1}}),
        400,
        "missing_required_field",
    )
    n1 = ok(api("POST", J(srv, "/nodes/" + CID), body={"latitude": 40.1, "longitude": -77.1}))
    assert n1["id"] == CID
    again = ok(api("POST", J(srv, "/nodes/" + CID), body={"latitude": 40.1, "longitude": -77.1}))
    assert again["id"] == CID and len(srv.store.data[srv.job_id].nodes) == 11
    moved = ok(
        api(
            "POST",
            J(srv, "/nodes/" + CID),
            query={"onlyIfExists": "true"},
            body={"longitude": -77.2},
        )
    )
    assert moved["longitude"] == -77.2 and moved["latitude"] == 40.1
    # unique in the job: a connection may not reuse a node's id
    other = next(iter(srv.store.data[srv.job_id].nodes))
    err(
        api("POST", J(srv, "/connections/" + CID), body={"node_id_1": CID, "node_id_2": other}),
        400,
        "invalid_id",
    )
    err(
        api("POST", J(srv, "/nodes/" + CID), query={"onlyIfExists": "maybe"}, body={}),
        400,
        "invalid_request",
    )
    err(
        api("POST", J(srv, "/nodes/" + CID), body={"attributes": {"x": {"bad id!": 1}}}),
        400,
        "invalid_id",
    )


def test_list_nodes_last_updated_and_limit(api, srv):
    nodes = ok(api("GET", J(srv, "/nodes")))
    assert len(nodes) == 10
    stamps = [n["last_updated"] for n in nodes]
    assert stamps == sorted(stamps, reverse=True)
    assert len(ok(api("GET", J(srv, "/nodes"), query={"limit": "3"}))) == 3
    assert [n["id"] for n in ok(api("GET", J(srv, "/nodes"), query={"limit": "3"}))] == [
        n["id"] for n in nodes[:3]
    ]
    assert ok(api("GET", J(srv, "/nodes"), query={"last_updated": stamps[0]})) == []
    after = ok(api("GET", J(srv, "/nodes"), query={"last_updated": stamps[3]}))
    assert [n["id"] for n in after] == [n["id"] for n in nodes[:3]]
    # the same instant written with an offset is honoured
    t = stamps[0].replace("Z", "+00:00")
    assert ok(api("GET", J(srv, "/nodes"), query={"last_updated": t})) == []
    victim = nodes[-1]["id"]
    ok(api("POST", J(srv, "/nodes/" + victim), body={"add_attributes": {"note": "edited"}}))
    changed = ok(api("GET", J(srv, "/nodes"), query={"last_updated": stamps[0]}))
    assert [n["id"] for n in changed] == [victim]
    for bad in ("2026-13-01T00:00:00Z", "not a date", ""):
        err(api("GET", J(srv, "/nodes"), query={"last_updated": bad}), 400, "invalid_request")
    for bad in ("0", "-1", "1.5", "x"):
        err(api("GET", J(srv, "/nodes"), query={"limit": bad}), 400, "invalid_request")


def test_node_delete_leaves_connections(api, srv):
    conns = ok(api("GET", J(srv, "/connections")))
    c = conns[0]
    ok(api("DELETE", J(srv, "/nodes/" + c["node_id_1"])))
    still = ok(api("GET", J(srv, "/connections/" + c["id"])))
    assert still["node_id_1"] == c["node_id_1"]


# ---------------------------------------------------------------- connections and sections
def _two_nodes(api, srv):
    a = ok(api("POST", J(srv, "/nodes"), body={"latitude": 40.2000, "longitude": -77.1900}))["id"]
    b = ok(api("POST", J(srv, "/nodes"), body={"latitude": 40.2004, "longitude": -77.1900}))["id"]
    return a, b


def test_connections_breakpoints_and_delete(api, srv):
    a, b = _two_nodes(api, srv)
    err(api("POST", J(srv, "/connections"), body={"node_id_1": a}), 400, "missing_required_field")
    err(
        api(
            "POST",
            J(srv, "/connections"),
            body={"node_id_1": a, "node_id_2": "-Nmissing000000000000"},
        ),
        400,
        "invalid_field",
    )
    for bad in ([[40.2]], [[40.2, "x"]], "40,77", [[140.0, -77.0]], [{"lat": 1, "lon": 2}]):
        err(
            api(
                "POST",
                J(srv, "/connections"),
                body={"node_id_1": a, "node_id_2": b, "breakpoints": bad},
            ),
            400,
            "invalid_field",
        )
    c = ok(
        api(
            "POST",
            J(srv, "/connections"),
            body={
                "node_id_1": a,
                "node_id_2": b,
                "breakpoints": [[40.2002, -77.1901]],
                "add_attributes": {"connection_type": "aerial cable"},
            },
        )
    )
    assert c["breakpoints"] == [[40.2002, -77.1901]] and c["sections"] == {}
    cid = c["id"]
    kept = ok(api("POST", J(srv, "/connections/" + cid), body={"add_attributes": {"note": "x"}}))
    assert kept["breakpoints"] == [[40.2002, -77.1901]]
    cleared = ok(api("POST", J(srv, "/connections/" + cid), body={"breakpoints": []}))
    assert "breakpoints" not in cleared
    ok(
        api(
            "POST",
            J(srv, "/connections/" + cid),
            body={"breakpoints": [[40.2001, -77.19], [40.2003, -77.19]]},
        )
    )
    assert "breakpoints" not in ok(
        api("POST", J(srv, "/connections/" + cid), body={"breakpoints": None})
    )
    sec = ok(api("POST", J(srv, f"/connections/{cid}/sections"), body={"make_midpoint": True}))
    ok(api("DELETE", J(srv, "/connections/" + cid)))
    err(api("GET", J(srv, "/connections/{}/sections/{}".format(cid, sec["id"]))), 404, "not_found")
    err(api("GET", J(srv, "/connections/" + cid)), 404, "not_found")
    cc = "client-conn-0000000000001"
    err(
        api(
            "POST",
            J(srv, "/connections/" + cc),
            query={"onlyIfExists": "true"},
            body={"node_id_1": a, "node_id_2": b},
        ),
        404,
        "not_found",
    )
    assert (
        ok(api("POST", J(srv, "/connections/" + cc), body={"node_id_1": a, "node_id_2": b}))["id"]
        == cc
    )


def test_sections_midpoint_overwrite_and_upsert(api, srv):
    a, b = _two_nodes(api, srv)
    cid = ok(api("POST", J(srv, "/connections"), body={"node_id_1": a, "node_id_2": b}))["id"]
    path = J(srv, f"/connections/{cid}/sections")
    err(api("POST", path, body={"latitude": 40.2}), 400, "missing_required_field")
    err(api("POST", path, body={"make_midpoint": "yes"}), 400, "invalid_field")
    m1 = ok(api("POST", path, body={"make_midpoint": True, "add_attributes": {"note": "first"}}))
    assert m1["id"] == "midpoint_section"
    assert m1["latitude"] == pytest.approx(40.2002) and m1["longitude"] == pytest.approx(-77.19)
    m2 = ok(api("POST", path, body={"make_midpoint": True}))
    assert m2["id"] == "midpoint_section" and m2["attributes"] == {}
    conn = ok(api("GET", J(srv, "/connections/" + cid)))
    assert list(conn["sections"]) == ["midpoint_section"]
    assert "multi_attributes" in conn["sections"]["midpoint_section"]
    free = ok(
        api(
            "POST",
            path,
            body={"latitude": 40.2001, "longitude": -77.19, "add_attributes": {"h": "22-1"}},
        )
    )
    assert len(free["id"]) == 20 and list(free["attributes"]["h"].values()) == ["22-1"]
    sid = "client-section-000000001"
    err(
        api(
            "POST",
            f"{path}/{sid}",
            query={"onlyIfExists": "true"},
            body={"latitude": 1, "longitude": 2},
        ),
        404,
        "not_found",
    )
    err(
        api("POST", "{}/{}".format(path, "short"), body={"latitude": 1, "longitude": 2}),
        400,
        "invalid_id",
    )
    s = ok(
        api(
            "POST",
            f"{path}/{sid}",
            body={"latitude": 40.2003, "longitude": -77.19, "attributes": {"note": {"one": "x"}}},
        )
    )
    assert s["id"] == sid and s["attributes"] == {"note": {"one": "x"}}
    upd = ok(
        api(
            "POST",
            "{}/{}".format(path, "midpoint_section"),
            body={"add_attributes": {"note": "mid"}},
        )
    )
    assert list(upd["attributes"]["note"].values()) == ["mid"]
    listed = ok(api("GET", path))
    assert {x["id"] for x in listed} == {"midpoint_section", free["id"], sid}
    assert ok(api("DELETE", f"{path}/{sid}")) == {"id": sid}
    err(api("GET", f"{path}/{sid}"), 404, "not_found")
    # midpoint follows breakpoints
    ok(api("POST", J(srv, "/connections/" + cid), body={"breakpoints": [[40.2002, -77.1910]]}))
    m3 = ok(api("POST", path, body={"make_midpoint": True}))
    assert m3["longitude"] == pytest.approx(-77.1910, abs=1e-6)


# ---------------------------------------------------------------- photos
def test_photo_upload_records_exif_and_url(api, srv):
    nid = next(iter(srv.store.data[srv.job_id].nodes))
    taken = 1780000000
    jpeg = make_jpeg(
        64, 48, (200, 10, 10), lat=40.2, lon=-77.19, taken=taken, make="Acme", model="Cam 9"
    )
    err(
        api(
            "POST",
            J(srv, f"/nodes/{nid}/photos"),
            raw=b"\x89PNG\r\n\x1a\n" + b"0" * 50,
            content_type="image/jpeg",
        ),
        400,
        "invalid_file_type",
    )
    err(
        api("POST", J(srv, f"/nodes/{nid}/photos"), raw=jpeg[:-2], content_type="image/jpeg"),
        400,
        "invalid_file_type",
    )
    err(
        api(
            "POST",
            J(srv, f"/nodes/{nid}/photos"),
            raw=jpeg,
            content_type="application/json",
        ),
        400,
        "invalid_file_type",
    )
    err(
        api(
            "POST",
            J(srv, f"/nodes/{nid}/photos"),
            raw=jpeg,
            content_type="image/jpeg",
            query={"association_value": "false"},
        ),
        400,
        "invalid_request",
    )
    err(
        api(
            "POST", J(srv, "/nodes/-Nnope0000000000000/photos"), raw=jpeg, content_type="image/jpeg"
        ),
        404,
        "not_found",
    )
    before = time.time() * 1000
    pid = ok(
        api(
            "POST",
            J(srv, f"/nodes/{nid}/photos"),
            raw=jpeg,
            content_type="image/jpeg",
            query={"association_value": "main", "filename": "pole 7.jpg"},
        )
    )["id"]
    rec = ok(api("GET", J(srv, "/photos/" + pid)))
    assert rec["filename"] == "pole 7.jpg" and rec["original_size"] == len(jpeg) == rec["size"]
    assert (
        rec["date_taken"] == taken
        and rec["camera_make"] == "Acme"
        and rec["camera_model"] == "Cam 9"
    )
    assert rec["image_width"] == 64 and rec["image_height"] == 48
    assert rec["upload_date"] >= before - 5
    assert rec["associated_locations"] == {nid: "node"}
    node = ok(api("GET", J(srv, "/nodes/" + nid)))
    assert node["photos"][pid] == {"association": "main"}
    plain = ok(
        api(
            "POST", J(srv, "/photos"), raw=make_jpeg(16, 16, (0, 0, 255)), content_type="image/jpeg"
        )
    )["id"]
    prec = ok(api("GET", J(srv, "/photos/" + plain)))
    assert (
        prec["filename"].endswith(".jpg")
        and "date_taken" not in prec
        and prec["associated_locations"] == {}
    )
    assert {p["id"] for p in ok(api("GET", J(srv, "/photos")))} >= {pid, plain}
    url = ok(api("GET", J(srv, f"/photos/{pid}/url")))["url"]
    assert url.startswith(srv.root_url + "/files/")
    import urllib.request

    with urllib.request.urlopen(url) as resp:
        assert resp.headers["Content-Type"] == "image/jpeg" and resp.read() == jpeg
    for size in ("tiny", "small", "large", "extra_large"):
        u = ok(
            api(
                "GET",
                J(srv, f"/photos/{pid}/url"),
                query={"file_size": size, "file_type": "jpg"},
            )
        )["url"]
        with urllib.request.urlopen(u) as resp:
            assert resp.read()[:2] == b"\xff\xd8"
    err(
        api("GET", J(srv, f"/photos/{pid}/url"), query={"file_size": "huge"}),
        400,
        "invalid_request",
    )
    err(
        api("GET", J(srv, f"/photos/{pid}/url"), query={"file_type": "png"}),
        400,
        "invalid_request",
    )
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url.replace("sig=", "sig=0"))
    assert exc.value.code == 403
    err(api("GET", J(srv, "/photos/no-such-photo/url")), 404, "not_found")


def test_generated_photo_bytes_match_record(api, srv):
    from plugin.sandbox.exif import jpeg_info

    photos = ok(api("GET", J(srv, "/photos")))
    assert photos
    rec = photos[0]
    url = ok(api("GET", J(srv, "/photos/{}/url".format(rec["id"]))))["url"]
    import urllib.request

    with urllib.request.urlopen(url) as resp:
        data = resp.read()
    assert len(data) == rec["original_size"]
    info = jpeg_info(data)
    assert info["date_taken"] == rec["date_taken"] and info["camera_make"] == rec["camera_make"]
    ((owner, kind),) = rec["associated_locations"].items()
    if kind == "node":
        node = ok(api("GET", J(srv, "/nodes/" + owner)))
        assert (
            abs(info["latitude"] - node["latitude"]) < 1e-3
            and abs(info["longitude"] - node["longitude"]) < 1e-3
        )
        (tb,) = node["attributes"]["time_bucket"].values()
        assert tb["start"] // 1000 <= info["date_taken"] <= tb["stop"] // 1000 + 1


def test_associate_rules_and_single_main(api, srv):
    nodes = list(srv.store.data[srv.job_id].nodes)
    n1 = nodes[0]
    jp = make_jpeg(16, 16, (1, 2, 3))
    p1 = ok(api("POST", J(srv, "/photos"), raw=jp, content_type="image/jpeg"))["id"]
    p2 = ok(api("POST", J(srv, "/photos"), raw=jp, content_type="image/jpeg"))["id"]
    path = J(srv, f"/photos/{p1}/associate")
    err(api("POST", path, body={"node_id": n1}), 400, "missing_required_field")
    err(api("POST", path, body={"node_id": n1, "association_value": False}), 400, "invalid_request")
    err(api("POST", path, body={"node_id": n1, "association_value": "yes"}), 400, "invalid_request")
    err(api("POST", path, body={"association_value": True}), 400, "invalid_request")
    err(
        api(
            "POST",
            path,
            body={
                "node_id": n1,
                "connection_id": "c",
                "section_id": "s",
                "association_value": True,
            },
        ),
        400,
        "invalid_request",
    )
    err(
        api("POST", path, body={"connection_id": "c", "association_value": True}),
        400,
        "invalid_request",
    )
    err(
        api("POST", path, body={"node_id": "-Nnope0000000000000", "association_value": True}),
        404,
        "not_found",
    )
    err(
        api(
            "POST",
            J(srv, "/photos/nope/associate"),
            body={"node_id": n1, "association_value": True},
        ),
        404,
        "not_found",
    )
    s, body = api("POST", path, body={"node_id": n1, "association_value": "main"})
    assert s == 200 and body["data"] == {}
    ok(
        api(
            "POST",
            J(srv, f"/photos/{p2}/associate"),
            body={"node_id": n1, "association_value": "main"},
        )
    )
    photos = ok(api("GET", J(srv, "/nodes/" + n1)))["photos"]
    assert photos[p2] == {"association": "main"} and photos[p1] == {"association": True}
    assert sum(1 for v in photos.values() if v["association"] == "main") == 1
    ok(api("POST", path, body={"node_id": n1, "association_value": None}))
    assert p1 not in ok(api("GET", J(srv, "/nodes/" + n1))).get("photos", {})
    assert ok(api("GET", J(srv, "/photos/" + p1)))["associated_locations"] == {}
    # sections
    a, b = _two_nodes(api, srv)
    cid = ok(api("POST", J(srv, "/connections"), body={"node_id_1": a, "node_id_2": b}))["id"]
    ok(api("POST", J(srv, f"/connections/{cid}/sections"), body={"make_midpoint": True}))
    ok(
        api(
            "POST",
            path,
            body={
                "connection_id": cid,
                "section_id": "midpoint_section",
                "association_value": True,
            },
        )
    )
    sec = ok(api("GET", J(srv, f"/connections/{cid}/sections/midpoint_section")))
    assert sec["photos"] == {p1: {"association": True}}
    up = ok(
        api(
            "POST",
            J(srv, f"/connections/{cid}/sections/midpoint_section/photos"),
            raw=jp,
            content_type="image/jpeg",
            query={"association_value": "main"},
        )
    )["id"]
    sec = ok(api("GET", J(srv, f"/connections/{cid}/sections/midpoint_section")))
    assert sec["photos"][up] == {"association": "main"} and sec["photos"][p1] == {
        "association": True
    }


# ---------------------------------------------------------------- elements, anchors, traces
def test_photo_elements_anchors_traces(api, srv):
    pid = ok(
        api("POST", J(srv, "/photos"), raw=make_jpeg(16, 16, (9, 9, 9)), content_type="image/jpeg")
    )["id"]
    tr = ok(
        api(
            "POST",
            J(srv, "/traces"),
            body={"trace_type": "cable", "attributes": {"company": "Telco"}},
        )
    )
    assert tr["_trace_type"] == "cable" and tr["company"] == "Telco"
    err(api("POST", J(srv, "/traces"), body={}), 400, "missing_required_field")
    tid = "client-trace-00000000001"
    assert ok(api("POST", J(srv, "/traces/" + tid), body={"trace_type": "guy"}))["id"] == tid
    upd = ok(
        api(
            "POST",
            J(srv, "/traces/" + tid),
            body={"attributes": {"company": "X", "cable_type": None}},
        )
    )
    assert upd["company"] == "X" and upd["_trace_type"] == "guy"
    err(
        api("POST", J(srv, "/traces/" + tid), body={"attributes": {"_trace_type": "x"}}),
        400,
        "invalid_field",
    )
    ep = J(srv, f"/photos/{pid}/photo_elements")
    err(api("POST", ep, body={}), 400, "missing_required_field")
    err(
        api("POST", ep, body={"element_type": "attachment", "pixel_selection": {"percentX": "a"}}),
        400,
        "invalid_field",
    )
    err(
        api("POST", ep, body={"element_type": "attachment", "manual_height": "tall"}),
        400,
        "invalid_field",
    )
    err(
        api("POST", ep, body={"element_type": "attachment", "trace_id": "-Nnope"}),
        400,
        "invalid_field",
    )
    top = ok(
        api(
            "POST",
            ep,
            body={
                "element_type": "pole_top",
                "pixel_selection": {"percentX": 0.5, "percentY": 0.1},
            },
        )
    )
    el = ok(
        api(
            "POST",
            ep,
            body={
                "element_type": "attachment",
                "manual_height": "25-6",
                "parent_id": top["id"],
                "trace_id": tr["id"],
                "attributes": {"company": "Telco"},
            },
        )
    )
    assert el["company"] == "Telco" and el["parent_id"] == top["id"]
    assert el["id"] in ok(api("GET", J(srv, "/traces/" + tr["id"])))["items"]
    err(
        api("POST", "{}/{}".format(ep, el["id"]), body={"element_type": "wire"}),
        400,
        "invalid_field",
    )
    upd = ok(
        api(
            "POST",
            "{}/{}".format(ep, el["id"]),
            body={"parent_id": None, "attributes": {"company": None}},
        )
    )
    assert "parent_id" not in upd and "company" not in upd
    err(
        api(
            "POST",
            "{}/{}".format(ep, "client-element-00000001"),
            query={"onlyIfExists": "true"},
            body={},
        ),
        404,
        "not_found",
    )
    made = ok(
        api("POST", "{}/{}".format(ep, "client-element-00000001"), body={"element_type": "wire"})
    )
    assert made["element_type"] == "wire"
    assert {e["id"] for e in ok(api("GET", ep))} == {top["id"], el["id"], made["id"]}
    assert ok(api("GET", "{}/{}".format(ep, top["id"])))["element_type"] == "pole_top"
    assert ok(api("DELETE", "{}/{}".format(ep, el["id"]))) == {"id": el["id"]}
    assert el["id"] not in ok(api("GET", J(srv, "/traces/" + tr["id"])))["items"]
    ap = J(srv, f"/photos/{pid}/calibration_anchors")
    srv.store.data[srv.job_id].photos[pid]["stick_align"] = {"calibrated": True}
    err(api("POST", ap, body={"height": 1.0}), 400, "missing_required_field")
    err(
        api("POST", ap, body={"height": "1", "pixel_selection": {"percentX": 0, "percentY": 0}}),
        400,
        "invalid_field",
    )
    an = ok(
        api(
            "POST", ap, body={"height": 30.5, "pixel_selection": {"percentX": 0.5, "percentY": 0.2}}
        )
    )
    assert "stick_align" not in ok(api("GET", J(srv, "/photos/" + pid)))
    aid = "client-anchor-0000000001"
    assert (
        ok(
            api(
                "POST",
                f"{ap}/{aid}",
                body={"height": 0, "pixel_selection": {"percentX": 0.5, "percentY": 0.9}},
            )
        )["id"]
        == aid
    )
    assert ok(api("POST", "{}/{}".format(ap, an["id"]), body={"height": 31}))["height"] == 31
    assert len(ok(api("GET", ap))) == 2
    assert ok(api("DELETE", f"{ap}/{aid}")) == {"id": aid}
    err(api("GET", f"{ap}/{aid}"), 404, "not_found")
    assert ok(api("DELETE", J(srv, "/traces/" + tid))) == {"id": tid}
    assert tid not in {t["id"] for t in ok(api("GET", J(srv, "/traces")))}


# ------------------------------------------------- models, users, companies, restricted
def test_models_users_companies_and_restricted(api, srv):
    s, body = api("GET", "/models")
    assert s == 200 and "katapult_default" in body["data"]
    t0 = body["meta"]["token_count"]
    err(api("GET", "/models/katapult_default"), 403, "extended_access_required")
    s, body = api("GET", "/models/katapult_default", query={"paths": "attributes/node_type,name"})
    assert s == 200
    assert "pole" in body["data"]["attributes/node_type"]["picklists"]["default"]
    assert body["data"]["name"] == "Katapult Default"
    assert t0 - body["meta"]["token_count"] == 2000
    err(
        api(
            "GET",
            "/models/katapult_default",
            query={"paths": ",".join(f"p{i}" for i in range(11))},
        ),
        400,
        "invalid_request",
    )
    err(api("GET", "/models/nope", query={"paths": "a"}), 404, "not_found")
    me = ok(api("GET", "/users/whoami"))
    assert me["uid"] == srv.store.me and me["user_group"] == srv.store.company_id
    users = ok(api("GET", "/users"))
    assert me["uid"] in {u["uid"] for u in users}
    assert "metadata" in ok(api("GET", "/users/" + me["uid"]))
    err(api("GET", "/users/nobody"), 404, "not_found")
    err(api("GET", "/users/{}/active_state".format(me["uid"])), 403, "extended_access_required")
    err(api("POST", J(srv, "/raw"), body={"nodes/x": None}), 403, "extended_access_required")
    s, body = api("DELETE", J(srv))
    assert s == 501 and body == {"error": "NOT IMPLEMENTED"}
    comp = srv.store.company_id
    groups = ok(api("GET", f"/companies/{comp}/action_models"))
    assert groups and "actions" in groups[0]
    acts = ok(api("GET", f"/companies/{comp}/tracked_actions"))
    ts = [a["timestamp"]["_seconds"] for a in acts]
    assert ts == sorted(ts, reverse=True)
    assert len(ok(api("GET", f"/companies/{comp}/tracked_actions", query={"limit": "5"}))) == 5
    name = acts[0]["action_name"]
    assert all(
        a["action_name"] == name
        for a in ok(api("GET", f"/companies/{comp}/tracked_actions", query={"action_name": name}))
    )
    sub = ok(api("GET", f"/companies/{comp}/tracked_actions", query={"start_time": str(ts[2])}))
    assert len(sub) == 3
    err(
        api("GET", f"/companies/{comp}/tracked_actions", query={"start_time": "soon"}),
        400,
        "invalid_timestamp",
    )
    err(
        api("GET", f"/companies/{comp}/tracked_actions", query={"limit": "0"}),
        400,
        "invalid_limit",
    )
    err(api("GET", "/companies/-Nother/tracked_actions"), 403, "forbidden")


# ---------------------------------------------------------------- bad input
def test_bad_input_never_kills_the_server(api, srv):
    s, body = api("GET", "/no/such/route")
    assert s == 404 and body["type"] == "not_found" and "meta" in body
    s, body = api("PUT", J(srv, "/nodes"))
    assert s == 404 and body["type"] == "not_found"
    err(
        api("POST", J(srv, "/nodes"), raw=b"{not json", content_type="application/json"),
        400,
        "invalid_request",
    )
    err(
        api("POST", J(srv, "/nodes"), raw=b"[1,2]", content_type="application/json"),
        400,
        "invalid_request",
    )
    err(
        api("POST", J(srv, "/nodes"), raw=b"\xff\xfe", content_type="application/json"),
        400,
        "invalid_request",
    )
    small = srv.max_json_bytes
    srv.max_json_bytes = 1000
    try:
        s, body = api(
            "POST", J(srv, "/nodes"), raw=b"{" + b" " * 5000 + b"}", content_type="application/json"
        )
        assert s == 413 and body["type"] == "invalid_request" and "too large" in body["message"]
    finally:
        srv.max_json_bytes = small
    s, body = api("GET", "/nothing", api_key=None)
    assert s == 400 and body == {"error": "MISSING API KEY"}
    assert ok(api("GET", J(srv, "/nodes"), query={"limit": "1"}))


def test_outside_api_prefix_is_404(srv):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(srv.root_url + "/elsewhere")
    assert exc.value.code == 404


def test_unknown_body_fields_are_refused(api, srv):
    s, body = api(
        "POST", J(srv, "/nodes"), body={"latitude": 40, "longitude": -77, "button": "aerial"}
    )
    assert s == 400 and body["type"] == "invalid_field" and "button" in body["message"]
    s, body = api("POST", J(srv, "/traces"), body={"trace_type": "x", "company": "Telco"})
    assert s == 400 and "company" in body["message"]
    s, body = api("POST", "/jobs", body={"name": "n", "model": "m", "nodes": {}})
    assert s == 400 and "nodes" in body["message"]


def test_json_bodies_need_json_content_type(api, srv):
    raw = b'{"latitude": 40, "longitude": -77}'
    s, body = api("POST", J(srv, "/nodes"), raw=raw, content_type="text/plain")
    assert s == 400 and body["type"] == "invalid_request" and "application/json" in body["message"]
    s, body = api("POST", J(srv, "/nodes"), raw=raw, content_type="application/json; charset=utf-8")
    assert s == 200


def test_element_pixel_fractions_and_nesting_loops(api, srv):
    pid = ok(
        api("POST", J(srv, "/photos"), raw=make_jpeg(8, 8, (0, 0, 0)), content_type="image/jpeg")
    )["id"]
    ep = J(srv, f"/photos/{pid}/photo_elements")
    err(
        api(
            "POST",
            ep,
            body={"element_type": "wire", "pixel_selection": {"percentX": 50, "percentY": 20}},
        ),
        400,
        "invalid_field",
    )
    a = ok(api("POST", ep, body={"element_type": "wire"}))["id"]
    b = ok(api("POST", ep, body={"element_type": "wire", "parent_id": a}))["id"]
    c = ok(api("POST", ep, body={"element_type": "wire", "parent_id": b}))["id"]
    err(api("POST", f"{ep}/{a}", body={"parent_id": c}), 400, "invalid_field")
    err(api("POST", f"{ep}/{a}", body={"parent_id": a}), 400, "invalid_field")
    assert ok(api("POST", f"{ep}/{c}", body={"parent_id": a}))["parent_id"] == a


def test_non_standard_json_constants_are_refused(api, srv):
    for raw in (b'{"latitude": NaN, "longitude": 1}', b'{"latitude": Infinity, "longitude": 1}'):
        err(
            api("POST", J(srv, "/nodes"), raw=raw, content_type="application/json"),
            400,
            "invalid_request",
        )
