"""Shared helpers for the sync tests and bench: sandbox + client, random edits, expected state.

Also a tiny CLI used by the SIGKILL test::

    python -m tests.unit.test_sync_support drain JOURNAL BASE_URL JOB_ID TIME_SCALE
"""

from __future__ import annotations

import copy
import random
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

from plugin.api.client import KatapultClient
from plugin.api.pacing import Governor
from plugin.model.apply import apply_change
from plugin.model.entities import build_snapshot, nodes_by_id
from plugin.model.flatten import flatten, geometry, schema_for
from plugin.model.ids import new_push_id
from plugin.sync.journal import Journal

API_KEY = "demo-key"


def start_sandbox(**kw: Any):
    """A started SandboxServer (time_scale 60 unless given)."""
    from plugin.sandbox import SandboxServer

    kw.setdefault("time_scale", 60)
    kw.setdefault("port", 0)
    return SandboxServer(**kw).start()


VOLATILE = ("last_updated", "_created", "photos")


def make_client(base_url: str, time_scale: float = 60.0, **kw: Any) -> KatapultClient:
    """A client whose governor matches a sandbox running at ``time_scale``."""
    gov = Governor(
        min_interval_s=0.055 / time_scale,
        refill_period_s=60.0 / time_scale,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
    )
    kw.setdefault("timeout", (2.0, 5.0))
    return KatapultClient(base_url, kw.pop("api_key", API_KEY), governor=gov, **kw)


def fetch(client: KatapultClient, job_id: str) -> Tuple[list, list]:
    """Nodes and connections (with sections) as the server lists them."""
    return client.list_nodes(job_id), client.list_connections(job_id)


def base_rows(nodes: list, connections: list) -> list:
    """kp_base rows exactly like layers/ writes them."""
    rows = [("node", n["id"], None, n) for n in nodes]
    for c in connections:
        rows.append(("connection", c["id"], None, {k: v for k, v in c.items() if k != "sections"}))
        for sid, s in (c.get("sections") or {}).items():
            rows.append(("section", sid, c["id"], dict(s, id=sid)))
    return rows


def comparable(snapshot) -> Dict[str, dict]:
    """{kind: {key: entity without volatile fields}} of a model Snapshot."""
    out: Dict[str, dict] = {}
    for kind in ("node", "connection", "section"):
        ents = {}
        for key, e in snapshot.entities(kind).items():
            e = {
                k: v
                for k, v in e.items()
                if k not in VOLATILE and k != "sections" and not k.startswith("_raw")
            }
            if kind == "connection":
                e["breakpoints"] = [list(map(float, p)) for p in (e.get("breakpoints") or [])]
            ents[key] = e
        out[kind] = ents
    return out


@dataclass
class EditSet:
    """A working copy after random edits, in the shape diff_job takes."""

    working: Dict[str, dict]
    new_items: Dict[str, list]
    schemas: Dict[str, list]
    edits: int = 0
    touched: set = field(default_factory=set)
    kinds: Dict[str, int] = field(default_factory=dict)


def _simple_fields(schema, entity) -> List:
    """Fields holding a single scalar instance (safe to edit as plain values)."""
    out = []
    attrs = entity.get("attributes") or {}
    for spec in schema:
        if spec.attribute is None:
            continue
        inst = attrs.get(spec.attribute)
        if isinstance(inst, dict) and len(inst) == 1:
            (value,) = inst.values()
            if (
                isinstance(value, (str, int, float, bool))
                and not isinstance(value, bool)
                and spec.kind in ("text", "int", "real")
            ):
                out.append(spec)
    return out


def _new_value(spec, i: int) -> Any:
    if spec.kind == "int":
        return 1000 + i
    if spec.kind == "real":
        return 1000.5 + i
    return f"edit {i}"


def make_edits(snapshot, n_edits: int, seed: int = 7) -> EditSet:
    """Apply ``n_edits`` random user edits (creates, attribute edits, new values, clears,
    moves, breakpoint edits, span re-attachments, deletes) to a working copy of ``snapshot``."""
    rng = random.Random(seed)
    schemas = {
        k: schema_for(k, snapshot.entities(k).values()) for k in ("node", "connection", "section")
    }
    by_id = nodes_by_id(snapshot.nodes.values())
    working: Dict[str, dict] = {k: {} for k in ("node", "connection", "section")}
    for kind in working:
        for key, e in snapshot.entities(kind).items():
            working[kind][key] = (flatten(kind, e, schemas[kind]), geometry(kind, e, by_id))
    new_items: Dict[str, list] = {k: [] for k in working}
    es = EditSet(working, new_items, schemas)
    deleted_nodes: set = set()

    def bump(kind: str, key: Any, what: str) -> None:
        es.edits += 1
        es.touched.add((kind, key))
        es.kinds[what] = es.kinds.get(what, 0) + 1

    def live_nodes() -> List[str]:
        return sorted(k for k in working["node"])

    def new_node_rows() -> List[dict]:
        return [r for r, _g in new_items["node"]]

    for i in range(n_edits * 4):
        if es.edits >= n_edits:
            break
        choice = rng.random()
        if choice < 0.12:  # create node
            lon, lat = -77.0 + rng.random() * 0.01, 40.1 + rng.random() * 0.01
            row = {"kp_id": new_push_id(), "kp_photos": 0, "kp_sync": ""}
            spec = next((s for s in schemas["node"] if s.attribute == "node_type"), None)
            if spec is not None:
                row[spec.name] = "pole"
            new_items["node"].append((row, (lon, lat)))
            bump("node", row["kp_id"], "create node")
        elif choice < 0.18:  # create span between two nodes (new ones included)
            ends = live_nodes() + [r["kp_id"] for r in new_node_rows()]
            a, b = rng.sample(ends, 2)
            pa = working["node"].get(a, (None, None))[1] or next(
                g for r, g in new_items["node"] if r["kp_id"] == a
            )
            pb = working["node"].get(b, (None, None))[1] or next(
                g for r, g in new_items["node"] if r["kp_id"] == b
            )
            row = {"kp_id": new_push_id(), "node_id_1": a, "node_id_2": b, "kp_sync": ""}
            mid = ((pa[0] + pb[0]) / 2 + 0.0001, (pa[1] + pb[1]) / 2)
            new_items["connection"].append((row, [pa, mid, pb]))
            bump("connection", row["kp_id"], "create span")
        elif choice < 0.22 and working["connection"]:  # create section on an existing span
            cid = rng.choice(sorted(working["connection"]))
            line = working["connection"][cid][1]
            if not line:
                continue
            p = line[0]
            row = {"kp_id": new_push_id(), "connection_id": cid, "kp_photos": 0, "kp_sync": ""}
            new_items["section"].append((row, (p[0] + 0.00005, p[1] + 0.00005)))
            bump("section", row["kp_id"], "create section")
        elif choice < 0.42:  # attribute edit on an existing single-instance value
            kind = rng.choice(["node", "node", "connection"])
            if not working[kind]:
                continue
            key = rng.choice(sorted(working[kind], key=str))
            fields = _simple_fields(schemas[kind], snapshot.entities(kind)[key])
            if not fields:
                continue
            spec = rng.choice(fields)
            row, geom = working[kind][key]
            row = dict(row)
            row[spec.name] = _new_value(spec, i)
            working[kind][key] = (row, geom)
            bump(kind, key, "attribute edit")
        elif choice < 0.54:  # new attribute value (field empty on this entity)
            kind = rng.choice(["node", "connection", "section"])
            if not working[kind]:
                continue
            key = rng.choice(sorted(working[kind], key=str))
            row, geom = working[kind][key]
            empty = [
                s
                for s in schemas[kind]
                if s.attribute and row.get(s.name) is None and s.kind in ("text", "int", "real")
            ]
            if not empty:
                continue
            spec = rng.choice(empty)
            row = dict(row)
            row[spec.name] = _new_value(spec, i)
            working[kind][key] = (row, geom)
            bump(kind, key, "new attribute value")
        elif choice < 0.58:  # clear an attribute
            kind = "node"
            key = rng.choice(sorted(working[kind]))
            fields = _simple_fields(schemas[kind], snapshot.entities(kind)[key])
            if not fields:
                continue
            spec = rng.choice(fields)
            row, geom = working[kind][key]
            row = dict(row)
            row[spec.name] = None
            working[kind][key] = (row, geom)
            bump(kind, key, "clear attribute")
        elif choice < 0.72:  # move a node or a section
            kind = "node" if rng.random() < 0.8 or not working["section"] else "section"
            key = rng.choice(sorted(working[kind], key=str))
            row, geom = working[kind][key]
            if geom is None:
                continue
            working[kind][key] = (
                row,
                (geom[0] + rng.uniform(-1e-4, 1e-4), geom[1] + rng.uniform(-1e-4, 1e-4)),
            )
            bump(kind, key, "move")
        elif choice < 0.84:  # breakpoint edit: add or move an interior vertex
            if not working["connection"]:
                continue
            key = rng.choice(sorted(working["connection"]))
            row, geom = working["connection"][key]
            if not geom:
                continue
            geom = list(geom)
            if len(geom) > 2 and rng.random() < 0.5:
                j = rng.randrange(1, len(geom) - 1)
                geom[j] = (geom[j][0] + 1e-5, geom[j][1] - 1e-5)
            else:
                a, b = geom[0], geom[1]
                geom.insert(1, ((a[0] + b[0]) / 2 + 2e-5, (a[1] + b[1]) / 2))
            working["connection"][key] = (row, geom)
            bump("connection", key, "breakpoint edit")
        elif choice < 0.88 and working["connection"]:  # re-attach a span end
            key = rng.choice(sorted(working["connection"]))
            row, geom = working["connection"][key]
            others = [
                n for n in live_nodes() if n not in (row.get("node_id_1"), row.get("node_id_2"))
            ]
            if not others:
                continue
            row = dict(row)
            row["node_id_2"] = rng.choice(others)
            working["connection"][key] = (row, geom)
            bump("connection", key, "re-attach span end")
        elif choice < 0.94 and working["connection"]:  # delete a span
            key = rng.choice(sorted(working["connection"]))
            del working["connection"][key]
            for skey in [k for k in working["section"] if k[0] == key]:
                del working["section"][skey]
            new_items["section"] = [
                (r, g) for r, g in new_items["section"] if r["connection_id"] != key
            ]
            bump("connection", key, "delete span")
        else:  # delete a node (and the spans on it, as the user would)
            candidates = [n for n in live_nodes() if n not in deleted_nodes]
            if len(candidates) < 5:
                continue
            key = rng.choice(candidates)
            del working["node"][key]
            deleted_nodes.add(key)
            bump("node", key, "delete node")
            for ckey in sorted(working["connection"]):
                r = working["connection"][ckey][0]
                if key in (r.get("node_id_1"), r.get("node_id_2")):
                    del working["connection"][ckey]
                    for skey in [k for k in working["section"] if k[0] == ckey]:
                        del working["section"][skey]
                    new_items["section"] = [
                        (r, g) for r, g in new_items["section"] if r["connection_id"] != ckey
                    ]
                    bump("connection", ckey, "delete span")
            dead = {
                r["kp_id"]
                for r, _ in new_items["connection"]
                if key in (r["node_id_1"], r["node_id_2"])
            }
            new_items["connection"] = [
                (r, g) for r, g in new_items["connection"] if r["kp_id"] not in dead
            ]
            new_items["section"] = [
                (r, g) for r, g in new_items["section"] if r["connection_id"] not in dead
            ]
    return es


def expected_state(snapshot, changes) -> Dict[str, dict]:
    """Base with every planned change applied exactly once (model.apply), comparable form."""
    ents = {k: copy.deepcopy(snapshot.entities(k)) for k in ("node", "connection", "section")}
    for c in changes:
        key = (c.connection_id, c.entity_id) if c.kind == "section" else c.entity_id
        if c.method == "DELETE":
            ents[c.kind].pop(key, None)
            if c.kind == "connection":
                for skey in [k for k in ents["section"] if k[0] == c.entity_id]:
                    del ents["section"][skey]
            continue
        ents[c.kind][key] = apply_change(ents[c.kind].get(key), c)
    # rebuild as a snapshot so both sides are normalised the same way
    conns = []
    for cid, conn in ents["connection"].items():
        conn = dict(conn)
        conn["sections"] = {
            sid: {k: v for k, v in s.items() if k != "connection_id"}
            for (c2, sid), s in ents["section"].items()
            if c2 == cid
        }
        conns.append(conn)
    return comparable(build_snapshot(list(ents["node"].values()), conns))


def server_state(client: KatapultClient, job_id: str) -> Dict[str, dict]:
    nodes, conns = fetch(client, job_id)
    return comparable(build_snapshot(nodes, conns))


def diff_states(expected: Dict[str, dict], actual: Dict[str, dict]) -> List[str]:
    """Human-readable differences (empty = equal)."""
    out = []
    for kind in expected:
        e, a = expected[kind], actual.get(kind, {})
        for key in sorted(set(e) - set(a), key=str):
            out.append(f"missing {kind} {key}")
        for key in sorted(set(a) - set(e), key=str):
            out.append(f"unexpected {kind} {key}")
        for key in sorted(set(e) & set(a), key=str):
            if e[key] != a[key]:
                fields = sorted(
                    k for k in set(e[key]) | set(a[key]) if e[key].get(k) != a[key].get(k)
                )
                out.append(
                    f"{kind} {key} differs in {fields}: expected "
                    f"{ {k: e[key].get(k) for k in fields} } "
                    f"got { {k: a[key].get(k) for k in fields} }"
                )
    return out


def drain_cli(argv: List[str]) -> int:
    """Drain a journal against a sandbox (the process the SIGKILL test kills).

    Prints ``READY`` once imported and connected to the journal, so the killer
    can aim its SIGKILL at the drain rather than at interpreter start-up.
    """
    from plugin.sync.executor import Executor

    path, base_url, job_id, scale = argv[0], argv[1], argv[2], float(argv[3])
    client = make_client(base_url, scale)
    journal = Journal(path)
    journal.counts()
    print("READY", flush=True)
    result = Executor(journal, client, job_id, backoff_s=0.01, max_backoff_s=0.05).run()
    print(result.status, result.done, result.failed, flush=True)
    return 0 if result.status == "drained" else 3


def load_snapshot(journal: Journal, client: KatapultClient, job_id: str):
    """Fetch the job, write kp_base (replace all) and return the Snapshot."""
    nodes, conns = fetch(client, job_id)
    journal.set_base(base_rows(nodes, conns), replace_all=True)
    return build_snapshot(nodes, conns)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "drain":
        sys.exit(drain_cli(sys.argv[2:]))
    print(__doc__)
    sys.exit(2)
