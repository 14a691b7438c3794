"""Helpers for the photo tests: a job journal from the sandbox, photo files near nodes."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random

from plugin.api.client import KatapultClient
from plugin.api.pacing import Governor
from plugin.geo import geodesic_distance_m
from plugin.sandbox.jpeg import make_jpeg
from plugin.sync.journal import Journal


def client_for(sandbox) -> KatapultClient:
    """A client paced for the sandbox's ``time_scale`` (see docs/contracts.md)."""
    scale = getattr(sandbox, "time_scale", 60.0)
    return KatapultClient(
        sandbox.base_url,
        sandbox.api_key,
        governor=Governor(min_interval_s=0.055 / scale, refill_period_s=60.0 / scale),
    )


def base_rows(client: KatapultClient, job_id: str) -> list[tuple]:
    """``kp_base`` rows of the job as three GETs return it (what the loader stores)."""
    rows = [("node", n["id"], None, n) for n in client.list_nodes(job_id)]
    for conn in client.list_connections(job_id):
        sections = conn.get("sections") or {}
        rows.append(
            ("connection", conn["id"], None, {k: v for k, v in conn.items() if k != "sections"})
        )
        for sid, sec in sections.items():
            rows.append(("section", sid, conn["id"], {**sec, "id": sid}))
    rows += [("photo", p["id"], None, p) for p in client.list_photos(job_id)]
    return rows


def make_job_journal(client: KatapultClient, job_id: str, path: str) -> Journal:
    journal = Journal(path, create=True)
    journal.set_base(base_rows(client, job_id), replace_all=True)
    return journal


def isolated_nodes(nodes: list[dict], min_gap_m: float) -> list[dict]:
    """Nodes with no other node within ``min_gap_m`` (a photo near one is near no other)."""
    out = []
    for node in nodes:
        lon, lat = float(node["longitude"]), float(node["latitude"])
        nearest = min(
            (
                geodesic_distance_m((lon, lat), (float(o["longitude"]), float(o["latitude"])))
                for o in nodes
                if o is not node
            ),
            default=1e9,
        )
        if nearest >= min_gap_m:
            out.append(node)
    return out


def offset(lon: float, lat: float, metres: float, bearing_deg: float) -> tuple[float, float]:
    north = metres * math.cos(math.radians(bearing_deg))
    east = metres * math.sin(math.radians(bearing_deg))
    return lon + east / (111_320.0 * math.cos(math.radians(lat))), lat + north / 111_320.0


def write_photos_near(
    folder,
    nodes: list[dict],
    count: int,
    seed: int = 7,
    max_offset_m: float = 5.0,
    with_time: bool = True,
) -> dict[str, str]:
    """``count`` JPEGs with EXIF GPS metres from ``nodes`` (round robin); path → node id.

    Every second photo also carries a capture time inside the node's first time bucket.
    """
    rng = random.Random(seed)
    expected = {}
    for i in range(count):
        node = nodes[i % len(nodes)]
        lon, lat = offset(
            float(node["longitude"]),
            float(node["latitude"]),
            rng.uniform(0.5, max_offset_m),
            rng.uniform(0, 360),
        )
        taken = None
        buckets = (node.get("attributes") or {}).get("time_bucket") or {}
        if with_time and i % 2 and buckets:
            first = next(iter(buckets.values()))
            taken = dt.datetime.fromtimestamp(
                (first["start"] + first["stop"]) / 2000.0, dt.timezone.utc
            )
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        data = make_jpeg(
            48 + i,
            32,
            colour,
            lat=lat,
            lon=lon,
            taken=taken,
            make="Katapult Test",
            model=f"Cam {i}",
        )
        path = folder / f"IMG_{i:04d}.JPG"
        path.write_bytes(data)
        expected[str(path)] = node["id"]
    return expected


def server_blobs(sandbox, job_id: str) -> dict[str, str]:
    """``{photo_id: sha256}`` of every uploaded photo the sandbox holds for the job."""
    jd = sandbox.store.data[job_id]
    return {pid: hashlib.sha256(blob).hexdigest() for pid, blob in jd.blobs.items()}
