"""Matching by GPS and time buckets; batch planning; item photo index; thumbnail cache."""

from __future__ import annotations

import math
import os

import pytest

from plugin.geo import geodesic_distance_m
from plugin.photos.index import (
    format_date_taken,
    main_count,
    photos_of,
    picker_rows,
    with_association,
)
from plugin.photos.jpeg_check import check_jpeg_bytes
from plugin.photos.matching import (
    Candidate,
    Matcher,
    PhotoClues,
    buckets_from_attributes,
)
from plugin.photos.planning import KnownUpload, UploadTarget, format_duration, plan_batch
from plugin.photos.thumbs import ThumbCache
from plugin.sandbox.jpeg import make_jpeg

LAT0, LON0 = 40.107, -77.028


def offset(lon, lat, east_m, north_m):
    return (lon + east_m / (111_320.0 * math.cos(math.radians(lat))), lat + north_m / 111_320.0)


def nodes():
    # a line of poles 60 m apart, each with a 2-minute time bucket
    out = []
    for i in range(5):
        lon, lat = offset(LON0, LAT0, 60.0 * i, 0)
        start = 1_700_000_000_000 + i * 600_000
        out.append(
            Candidate(
                f"-node{i:015d}", lon, lat, "node", f"P{i}", buckets=[(start, start + 120_000)]
            )
        )
    return out


def test_geodesic_distance_is_metres():
    lon, lat = offset(LON0, LAT0, 0, 100)
    assert geodesic_distance_m((LON0, LAT0), (lon, lat)) == pytest.approx(100, rel=0.01)


def test_gps_picks_nearest_within_threshold():
    m = Matcher(nodes(), max_distance_m=20)
    lon, lat = offset(LON0, LAT0, 62, 5)
    result = m.match(PhotoClues("a.jpg", lon, lat))
    assert result.item_id == "-node000000000000001" and result.method == "gps"
    assert result.distance_m == pytest.approx(math.hypot(2, 5), abs=0.3)
    assert "m from P1" in result.evidence and result.level in ("high", "medium")


def test_far_photo_is_listed_not_guessed():
    m = Matcher(nodes(), max_distance_m=20)
    lon, lat = offset(LON0, LAT0, 30, 40)
    result = m.match(PhotoClues("far.jpg", lon, lat))
    assert result.item_id is None and result.confidence == 0
    assert "limit 20 m" in result.evidence


def test_ambiguous_gps_gets_low_confidence():
    m = Matcher(nodes(), max_distance_m=40)
    lon, lat = offset(LON0, LAT0, 29.5, 0)  # halfway between P0 and P1
    result = m.match(PhotoClues("mid.jpg", lon, lat))
    assert result.item_id is not None and result.level == "low"
    assert "almost as close" in result.evidence


def test_time_bucket_match_and_agreement():
    cands = nodes()
    m = Matcher(cands, max_distance_m=20)
    inside = cands[3].buckets[0][0] + 30_000
    t = m.match(PhotoClues("t.jpg", None, None, inside))
    assert t.item_id == cands[3].item_id and t.method == "time" and "time window" in t.evidence
    lon, lat = offset(cands[3].lon, cands[3].lat, 3, 0)
    both = m.match(PhotoClues("b.jpg", lon, lat, inside))
    assert both.method == "gps+time" and both.confidence > max(t.confidence, 0.85)


def test_disagreeing_clues_are_not_guessed():
    cands = nodes()
    m = Matcher(cands, max_distance_m=20)
    result = m.match(PhotoClues("x.jpg", cands[0].lon, cands[0].lat, cands[4].buckets[0][0] + 1000))
    assert result.item_id is None and "disagree" in result.evidence
    assert set(result.alternatives[:2]) == {cands[0].item_id, cands[4].item_id}


def test_time_slack_and_no_clues():
    cands = nodes()
    m = Matcher(cands, time_slack_s=60)
    near = cands[2].buckets[0][1] + 30_000
    result = m.match(PhotoClues("s.jpg", None, None, near))
    assert result.item_id == cands[2].item_id and result.level == "low"
    assert m.match(PhotoClues("n.jpg")).item_id is None
    assert "no GPS" in m.match(PhotoClues("n.jpg")).evidence
    off = Matcher(cands, use_time=False).match(
        PhotoClues("t.jpg", None, None, cands[2].buckets[0][0])
    )
    assert off.item_id is None


def test_buckets_from_loose_attributes():
    attrs = {
        "time_bucket": {
            "a": {"start": 1584366709987, "stop": 1584366772084, "uid": "u"},
            "b": {"start": "1584366800", "stop": None},
            "c": "junk",
            "d": {},
        }
    }
    assert buckets_from_attributes(attrs) == [
        (1584366709987, 1584366772084),
        (1584366800000, 1584366800000),
    ]
    assert buckets_from_attributes({}) == [] and buckets_from_attributes(None) == []


def test_plan_batch_costs_refusals_and_known():
    good = [check_jpeg_bytes(make_jpeg(8 + i, 8), f"/p/{i}.jpg") for i in range(4)]
    dup = check_jpeg_bytes(make_jpeg(8, 8), "/p/copy.jpg")
    bad = check_jpeg_bytes(b"nope", "/p/bad.jpg")
    target = UploadTarget("node", "-n1", association="true", label="P1")
    targets = {c.path: target for c in good + [dup]}
    targets[good[3].path] = None
    known = {
        good[1].sha256: KnownUpload("done", "pid-1"),
        good[2].sha256: KnownUpload("sent", None, "op-2"),
    }
    plan = plan_batch(
        good + [dup, bad], targets, known, estimate_seconds=lambda cost: cost / 10 * 0.5
    )
    assert [u.check.path for u in plan.uploads] == ["/p/0.jpg"]
    assert [u.check.path for u in plan.resumed] == ["/p/2.jpg"]
    reasons = dict(plan.skipped)
    assert "already uploaded" in reasons["/p/1.jpg"] and "no item chosen" in reasons["/p/3.jpg"]
    assert "same content" in reasons["/p/copy.jpg"]
    assert plan.refused[0][0] == "/p/bad.jpg"
    assert plan.token_cost == 20 and plan.seconds == pytest.approx(1.0)
    assert "20 tokens" in plan.summary()


def test_targets_validate_and_paths():
    assert UploadTarget.job().path("J") == "/jobs/J/photos"
    assert UploadTarget("section", "S", "C").path("J") == "/jobs/J/connections/C/sections/S/photos"
    with pytest.raises(ValueError):
        UploadTarget("node", None)
    with pytest.raises(ValueError):
        UploadTarget("node", "n", association="false")
    assert (
        format_duration(0.2) == "under 1 s"
        and format_duration(75) == "1 min 15 s"
        and format_duration(3 * 3600 + 60) == "3 h 1 min"
    )


def test_index_main_first_and_one_main():
    records = {
        "a": {
            "id": "a",
            "filename": "a.jpg",
            "date_taken": 200,
            "camera_make": "Apple",
            "camera_model": "Apple iPhone 12",
        },
        "b": {"id": "b", "filename": "b.jpg", "date_taken": 100},
        "c": {"id": "c", "filename": "c.jpg"},
    }
    item = {
        "id": "n",
        "photos": {
            "a": {"association": True},
            "b": {"association": True},
            "c": {"association": "main"},
        },
    }
    entries = photos_of(item, records)
    assert [e.photo_id for e in entries] == ["c", "b", "a"] and entries[0].is_main
    assert entries[2].camera == "Apple iPhone 12"
    new = with_association(item, "a", "main")
    assert main_count(new) == 1 and new["photos"]["a"]["association"] == "main"
    assert "photos" not in with_association({"photos": {"a": {"association": True}}}, "a", None)
    rows = picker_rows({**records, "z": {"id": "z", "filename": "z.jpg"}}, [item], exclude=["a"])
    assert rows[0][0]["id"] == "z" and rows[0][1] is False and all(r[1] for r in rows[1:])
    assert format_date_taken(1584366709) == "2020-03-16 13:51" and format_date_taken(None) == ""


def test_thumb_cache_roundtrip_and_prune(tmp_path):
    cache = ThumbCache(str(tmp_path / "thumbs"))
    assert cache.get("03e35fde-c41d", "small") is None
    path = cache.put("03e35fde-c41d", "small", b"x" * 100)
    assert cache.get("03e35fde-c41d", "small") == path and path.endswith(
        os.path.join("small", "03e35fde-c41d.jpg")
    )
    assert cache.get("03e35fde-c41d", "large") is None
    cache.put("../evil", "tiny", b"y" * 100)
    assert all(str(tmp_path) in p for p in [cache.path_for("../evil", "tiny")])
    with pytest.raises(ValueError):
        cache.path_for("a", "huge")
    os.utime(path, (1, 1))
    assert cache.prune(max_bytes=150) == 1 and cache.get("03e35fde-c41d", "small") is None
    cache.forget("../evil")
    assert cache.total_bytes() == 0


def test_download_errors_never_show_the_signed_url():
    import http.server
    import threading

    from plugin.photos.batch import DownloadError, download

    class Gone(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(403)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Gone)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/files/p.jpg?sig=SECRETSIG"
        with pytest.raises(DownloadError) as err:
            download(None, url)
        assert "403" in str(err.value) and "SECRETSIG" not in str(err.value)
        with pytest.raises(DownloadError) as err:
            download(None, "http://127.0.0.1:1/files/p.jpg?sig=SECRETSIG")
        assert "SECRETSIG" not in str(err.value) and err.value.__cause__ is None
    finally:
        server.shutdown()
        server.server_close()
