"""Photo matching and JPEG checking speed, as ratios to baselines measured in the same run.

* matching: the grid-indexed ``Matcher`` against a brute-force nearest search
  (every photo against every node) on the same synthetic job;
* checking: ``check_jpeg_bytes`` (segment walk + sha256) against hashing alone.
"""

from __future__ import annotations

import math
import os
import random
import time

os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

from plugin.geo import geodesic_distance_m  # noqa: E402
from plugin.photos.jpeg_check import check_jpeg_bytes  # noqa: E402
from plugin.photos.matching import Candidate, Matcher, PhotoClues  # noqa: E402
from plugin.sandbox.jpeg import make_jpeg  # noqa: E402


def _job(n_nodes: int, n_photos: int, seed: int = 1):
    rng = random.Random(seed)
    lat0, lon0 = 40.2, -77.2
    nodes = []
    for i in range(n_nodes):  # a grid of poles about 45 m apart
        row, col = divmod(i, int(math.sqrt(n_nodes)) + 1)
        lat = lat0 + row * 45 / 111_320
        lon = lon0 + col * 45 / (111_320 * math.cos(math.radians(lat0)))
        nodes.append(Candidate(f"n{i}", lon, lat, "node", f"P{i}"))
    photos = []
    for j in range(n_photos):
        node = nodes[rng.randrange(n_nodes)]
        photos.append(PhotoClues(f"p{j}", node.lon + rng.uniform(-4e-5, 4e-5),
                                 node.lat + rng.uniform(-4e-5, 4e-5)))
    return nodes, photos


def _brute(nodes, photos, limit):
    out = []
    for p in photos:
        best = min(nodes, key=lambda c: geodesic_distance_m((p.lon, p.lat), (c.lon, c.lat)))
        dist = geodesic_distance_m((p.lon, p.lat), (best.lon, best.lat))
        out.append(best.item_id if dist <= limit else None)
    return out


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    nodes, photos = _job(1500, 200)
    t_brute, brute = _timed(lambda: _brute(nodes, photos, 20.0))
    matcher = Matcher(nodes, max_distance_m=20.0, use_time=False)
    matcher.match(photos[0])  # one-time imports (translations) out of the timing
    t_grid, matches = _timed(lambda: [m.item_id for m in matcher.match_all(photos)])
    agree = sum(1 for a, b in zip(brute, matches) if a == b) / len(photos)
    print(f"matching 200 photos x 1500 nodes: grid/brute-force time ratio "
          f"{t_grid / t_brute:.4f} (brute force = 1.0); same answer for {agree:.0%} "
          "(differences = ambiguous, not guessed)")

    data = [make_jpeg(320, 240, (i, 90, 200)) for i in range(40)]
    import hashlib

    t_hash, _ = _timed(lambda: [hashlib.sha256(d).hexdigest() for d in data * 25])
    t_check, _ = _timed(lambda: [check_jpeg_bytes(d) for d in data * 25])
    print(f"checking 1000 JPEGs: check/sha256-only time ratio {t_check / t_hash:.2f} "
          "(sha256 alone = 1.0)")


if __name__ == "__main__":
    main()
