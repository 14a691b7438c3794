"""Sample-job generator: determinism by seed, exact sizes, realism like real-data.md."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter

import pytest

from plugin.sandbox.exif import jpeg_info
from plugin.sandbox.generator import CENTER, generate_sample_job, render_recipe, seed_world
from plugin.sandbox.store import Store

PUSH_RE = re.compile(r"^[A-Za-z0-9_-]{20}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _make(n, seed=1):
    store = Store(seed=seed)
    seed_world(store, seed)
    jid = generate_sample_job(store, n, seed)
    return store, jid


def _dump(store, jid):
    jd = store.data[jid]
    return json.dumps(
        [
            list(jd.nodes.values()),
            list(jd.connections.values()),
            list(jd.photos.values()),
            jd.recipes,
            jd.traces,
            jd.elements,
            jd.anchors,
            store.jobs[jid],
        ],
        sort_keys=True,
    )


def _metres(lat1, lon1, lat2, lon2):
    k = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lat2 - lat1) * 111320.0, (lon2 - lon1) * 111320.0 * k)


@pytest.fixture(scope="module")
def job():
    store, jid = _make(1500, seed=4)
    return store, jid, store.data[jid]


def test_deterministic_by_seed():
    a, ja = _make(300, seed=5)
    b, jb = _make(300, seed=5)
    c, jc = _make(300, seed=6)
    assert ja == jb and _dump(a, ja) == _dump(b, jb)
    assert _dump(a, ja) != _dump(c, jc)


@pytest.mark.parametrize("n", [10, 11, 200, 2001])
def test_exact_node_count(n):
    store, jid = _make(n)
    assert len(store.data[jid].nodes) == n


def test_ids_look_like_firebase_and_uuids(job):
    store, jid, jd = job
    assert PUSH_RE.match(jid)
    for nid in jd.nodes:
        assert PUSH_RE.match(nid) and nid.startswith("-")
    for cid, c in jd.connections.items():
        assert PUSH_RE.match(cid)
        for sid in c["sections"]:
            assert sid == "midpoint_section" or PUSH_RE.match(sid)
    assert all(UUID_RE.match(pid) for pid in jd.photos)
    ids = list(jd.nodes) + list(jd.connections) + list(jd.photos)
    assert len(ids) == len(set(ids))


def test_street_grid_near_carlisle_with_realistic_spans(job):
    _, _, jd = job
    for n in jd.nodes.values():
        assert _metres(CENTER[0], CENTER[1], n["latitude"], n["longitude"]) < 5000
    aerial = [c for c in jd.connections.values() if c["button"] == "aerial"]
    assert len(aerial) > 500
    for c in aerial:
        a, b = jd.nodes[c["node_id_1"]], jd.nodes[c["node_id_2"]]
        d = _metres(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        assert 29.0 <= d <= 61.0, d
    types = Counter(next(iter(n["attributes"]["node_type"].values())) for n in jd.nodes.values())
    assert types["pole"] / len(jd.nodes) > 0.7
    assert types["reference"] + types["house"] > 10
    assert types["existing anchor"] + types["new anchor"] > 10
    buttons = Counter(c["button"] for c in jd.connections.values())
    assert {"aerial", "ref", "anchor"} <= set(buttons)
    ctypes = {
        next(iter(c["attributes"]["connection_type"].values())) for c in jd.connections.values()
    }
    assert {"aerial cable", "reference"} <= ctypes


def test_breakpoints_and_midpoint_sections(job):
    _, _, jd = job
    with_bp = [c for c in jd.connections.values() if c.get("breakpoints")]
    assert 0.03 < len(with_bp) / len(jd.connections) < 0.3
    for c in with_bp:
        for lat, lon in c["breakpoints"]:  # latitude first
            assert 39 < lat < 41 and -78 < lon < -76
    mids = [
        c["sections"]["midpoint_section"]
        for c in jd.connections.values()
        if "midpoint_section" in c["sections"]
    ]
    assert len(mids) > 100
    assert all("multi_attributes" in s and "attributes" not in s for s in mids)
    assert any(s["multi_attributes"] for s in mids)
    assert any(len(c["sections"]) > 1 for c in jd.connections.values())


def test_loosely_typed_attributes_like_real_data(job):
    _, _, jd = job
    poles = [n for n in jd.nodes.values() if "pole" in n["attributes"]["node_type"].values()]
    heights = [n["attributes"]["pole_height"]["one"] for n in poles]
    assert any(isinstance(h, str) for h in heights) and any(isinstance(h, int) for h in heights)
    assert all(isinstance(n["attributes"]["scid"]["auto_button"], str) for n in poles)
    tags = [
        n["attributes"]["pole_tag"]["multi_added"] for n in poles if "pole_tag" in n["attributes"]
    ]
    assert tags and all({"company", "owner", "tagtext"} <= set(t) for t in tags)
    vps = [
        n["attributes"]["vantage_point"]["auto_button"]
        for n in poles
        if "vantage_point" in n["attributes"]
    ]
    assert vps and all({"latitude", "longitude"} == set(v) for v in vps)
    keys = {k for n in jd.nodes.values() for inst in n["attributes"].values() for k in inst}
    assert {
        "one",
        "value",
        "auto_button",
        "multi_added",
        "-Imported",
        "assessment",
        "auto_calced",
    } <= keys
    assert any(len(n["attributes"].get("note", {})) >= 2 for n in jd.nodes.values())
    assert any("flag_for_review" in n["attributes"] for n in poles)
    assert any(n["attributes"].get("field_completed") == {"value": True} for n in poles)
    for n in poles:
        (tb,) = n["attributes"]["time_bucket"].values()
        assert tb["start"] < tb["stop"] and tb["uid"]
        assert n["_created"]["method"] in ("desktop", "mobile", "api")
        assert n["last_updated"].endswith("Z")


def test_photos_and_associations_consistent(job):
    _, _, jd = job
    assert len(jd.photos) > 300
    for n in jd.nodes.values():
        photos = n.get("photos", {})
        assert sum(1 for v in photos.values() if v["association"] == "main") <= 1
        for pid in photos:
            assert jd.photos[pid]["associated_locations"] == {n["id"]: "node"}
    orphans = [p for p in jd.photos.values() if not p["associated_locations"]]
    assert orphans
    sec_photos = [p for p in jd.photos.values() if "section" in p["associated_locations"].values()]
    assert sec_photos
    rec = jd.photos[sec_photos[0]["id"]]
    assert rec["status"] == "upload_complete" and isinstance(rec["date_taken"], int)
    assert jd.traces and jd.elements and jd.anchors


def test_photo_exif_matches_node_position_and_time(job):
    _, _, jd = job
    checked = 0
    for n in list(jd.nodes.values())[:300]:
        for pid in n.get("photos", {}):
            data = render_recipe(jd.recipes[pid])
            info = jpeg_info(data)
            rec = jd.photos[pid]
            assert len(data) == rec["original_size"]
            assert _metres(info["latitude"], info["longitude"], n["latitude"], n["longitude"]) < 10
            (tb,) = n["attributes"]["time_bucket"].values()
            assert tb["start"] // 1000 <= info["date_taken"] <= tb["stop"] // 1000
            assert info["date_taken"] == rec["date_taken"]
            assert (
                info["camera_make"] == rec["camera_make"]
                and info["camera_model"] == rec["camera_model"]
            )
            assert (info["image_width"], info["image_height"]) == (
                rec["image_width"],
                rec["image_height"],
            )
            checked += 1
    assert checked > 50
    when = dt.datetime.fromtimestamp(rec["date_taken"], dt.timezone.utc)
    assert when.year == 2026


def test_extra_jobs_and_world(job):
    store, jid, _ = job
    assert len(store.jobs) == 3
    assert {j["status"] for j in store.jobs.values()} == {"active", "archived"}
    assert (
        store.me in store.users and store.models and store.tracked_actions and store.action_models
    )


def test_generator_rejects_out_of_range_sizes():
    from plugin.sandbox import SandboxServer

    for n in (5, 50001, -1):
        with pytest.raises(ValueError):
            SandboxServer(sample_nodes=n)
