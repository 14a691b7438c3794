"""Bench: the pure model on a 20,000-node / 20,000-connection / 10,000-section job.

Each step is printed as a ratio to a baseline measured in the same run:
``json.loads`` of the same job's JSON (the parse every pull pays anyway).
Steps: normalise (build_snapshot), schema + flatten + geometry of every
entity, diff_job of an unchanged working copy, diff_job with 1,000 edits
(planned operations printed; must equal the edited entities).

    .venv/bin/python -m tests.bench.bench_model
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plugin.model.diff import diff_job  # noqa: E402
from plugin.model.entities import build_snapshot  # noqa: E402
from plugin.model.flatten import flatten, geometry, schema_for  # noqa: E402

N_NODES, N_CONNECTIONS, N_SECTIONS, N_EDITS = 20000, 20000, 10000, 1000


def make_job(seed: int = 1):
    rnd = random.Random(seed)
    nodes = []
    for i in range(N_NODES):
        nodes.append(
            {
                "id": f"-Node{i:016d}",
                "latitude": 40.0 + rnd.random() / 10,
                "longitude": -77.0 - rnd.random() / 10,
                "button": "aerial",
                "last_updated": "2026-05-01T13:22:10Z",
                "attributes": {
                    "node_type": {f"-T{i:018d}": rnd.choice(["pole", "reference", "new anchor"])},
                    "scid": {"auto_button": f"{i:04d}"},
                    "pole_height": {"one": str(rnd.choice([35, 40, 45]))},
                    "done": {"value": rnd.random() < 0.5},
                    "pole_tag": {
                        "multi_added": {"tagtext": f"{i}", "company": "Power Co", "owner": False}
                    },
                    "note": {"-A0000000000000000001": "a note", "-A0000000000000000002": "another"},
                },
                "photos": {f"p{i}": {"association": True}},
            }
        )
    conns = []
    for i in range(N_CONNECTIONS):
        sections = {}
        if i < N_SECTIONS:
            sections["midpoint_section"] = {
                "latitude": 40.05,
                "longitude": -77.05,
                "multi_attributes": {"note": {"-N0000000000000000001": "tree contact"}},
            }
        conns.append(
            {
                "id": f"-Conn{i:016d}",
                "node_id_1": nodes[i]["id"],
                "node_id_2": nodes[(i + 1) % N_NODES]["id"],
                "attributes": {"connection_type": {"button_added": "aerial cable"}},
                "breakpoints": [[40.01, -77.01]] if i % 3 == 0 else None,
                "sections": sections,
            }
        )
    return nodes, conns


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    nodes, conns = make_job()
    payload = json.dumps({"nodes": nodes, "connections": conns})
    t_base, parsed = timed(lambda: json.loads(payload))
    t_norm, snap = timed(lambda: build_snapshot(parsed["nodes"], parsed["connections"], []))

    def flat_all():
        schemas = {
            k: schema_for(k, snap.entities(k).values()) for k in ("node", "connection", "section")
        }
        working = {
            k: {
                key: (flatten(k, e, schemas[k]), geometry(k, e, snap.nodes))
                for key, e in snap.entities(k).items()
            }
            for k in schemas
        }
        return schemas, working

    t_flat, (schemas, working) = timed(flat_all)
    t_diff0, unchanged = timed(lambda: diff_job(snap, working, schemas))
    rnd = random.Random(2)
    for key in rnd.sample(sorted(working["node"]), N_EDITS):
        row, geom = working["node"][key]
        working["node"][key] = (dict(row, pole_height="50"), geom)
    t_diff1, edited = timed(lambda: diff_job(snap, working, schemas))
    print(f"baseline json.loads of the job: {t_base:.3f} s")
    print(f"normalise (build_snapshot):       {t_norm / t_base:.2f}x baseline")
    print(f"schema + flatten + geometry:      {t_flat / t_base:.2f}x baseline")
    print(
        f"diff_job, unchanged copy:         {t_diff0 / t_base:.2f}x baseline ({len(unchanged)} ops)"
    )
    print(
        f"diff_job, {N_EDITS} edits:            {t_diff1 / t_base:.2f}x baseline "
        f"({len(edited)} ops planned, minimum {N_EDITS})"
    )


if __name__ == "__main__":
    main()
