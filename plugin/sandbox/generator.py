"""Deterministic sample data: a street-grid pole job around Carlisle, PA, plus the
"world" (users, models, action tracking) every sandbox has.

The data imitates real Katapult jobs (see ``real-data.md``): push ids, UUID
photo ids, loosely typed attributes (string numbers, object values, fixed
instance keys, multi-instance notes, ``time_bucket`` windows), midpoint
sections under ``multi_attributes``, ``[lat, lon]`` breakpoints and photos
whose EXIF GPS/time match their node.
"""

from __future__ import annotations

import functools
import math
import random

from ..model.vocabulary import DEFAULT_NODE_TYPES
from .ids import PUSH_CHARS, make_uuid
from .jpeg import make_jpeg, pole_photo
from .store import Store
from .timeutil import iso_from_ms

CENTER = (40.2015, -77.1890)  # Carlisle, PA
BASE_MS = 1772456400000  # 2026-03-02T13:00:00Z: field work starts
PHOTO_W, PHOTO_H = 160, 120
PALETTES = [
    ((135, 190, 235), (90, 60, 30), (60, 120, 50)),
    ((170, 200, 225), (110, 80, 50), (90, 110, 60)),
    ((200, 205, 210), (70, 50, 35), (110, 100, 80)),
    ((120, 170, 230), (100, 70, 40), (70, 130, 70)),
]
CAMERAS = [("Apple", "iPhone 13 Pro"), ("samsung", "SM-G991U"), ("Katapult", "KP Camera 2")]
NOTES = [
    "This is a note",
    "Check for lean",
    "Tree contact on field side",
    "Needs new tag",
    "Guy wire slack",
    "Streetlight attached",
    "Customer drop on back side",
    "Access through yard",
]


class _Ids:
    """Fast, deterministic push ids at synthetic, increasing timestamps."""

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self.rng = rng
        self.ms = start_ms

    def push(self, step: int = 7) -> str:
        self.ms += step
        t = self.ms
        head = "".join(PUSH_CHARS[(t >> (6 * (7 - i))) & 63] for i in range(8))
        r = self.rng.getrandbits(72)
        return head + "".join(PUSH_CHARS[(r >> (6 * i)) & 63] for i in range(12))


def render_recipe(recipe: dict) -> bytes:
    """JPEG bytes of a generated photo (rendered on demand, not stored)."""
    sky, pole, ground = PALETTES[recipe["palette"] % len(PALETTES)]
    return make_jpeg(
        PHOTO_W,
        PHOTO_H,
        pole_photo(PHOTO_W, PHOTO_H, sky, pole, ground),
        lat=recipe["lat"],
        lon=recipe["lon"],
        taken=recipe["taken"],
        make=recipe["make"],
        model=recipe["model"],
    )


@functools.lru_cache(maxsize=64)
def _photo_size(palette: int, make: str, model: str) -> int:
    # The EXIF block has a fixed layout, so the size only depends on palette and camera.
    return len(
        render_recipe(
            {
                "palette": palette,
                "lat": 40.0,
                "lon": -77.0,
                "taken": 1.7e9,
                "make": make,
                "model": model,
            }
        )
    )


# ---------------------------------------------------------------------- world
def seed_world(store: Store, seed: int) -> None:
    """Users, models, action models and tracked actions (no jobs)."""
    rng = random.Random(f"world-{seed}")
    me = store.me
    users = {}
    people = [
        (me, "Sam", "Sandbox", "sam@sandbox.example"),
        ("sandboxUser0000000002", "Riley", "Fielder", "riley@sandbox.example"),
        ("sandboxUser0000000003", "Jordan", "Designer", None),
    ]
    for i, (uid, first, last, email) in enumerate(people):
        users[uid] = {
            "uid": uid,
            "email": email,
            "name": {"first": first, "last": last},
            "last_active": BASE_MS + 86400000 * (30 - i),
            "creation_date": BASE_MS - 86400000 * 400 * (i + 1),
            "metadata": {
                "title": ["Admin", "Field tech", "Engineer"][i],
                "phone": None if i else "555-0100",
            },
        }
    store.users = users
    picklists = {
        "node_type": list(DEFAULT_NODE_TYPES),
        "pole_class": ["H1", "1", "2", "3", "4", "5", "6"],
        "pole_height": [str(h) for h in range(25, 80, 5)],
        "pole_species": ["Southern Pine", "Western Red Cedar", "Douglas Fir", "Steel", "Concrete"],
        "connection_type": [
            "aerial cable",
            "reference",
            "underground cable",
            "down guy",
            "overhead guy",
        ],
    }
    attrs = {
        name: {"attribute_type": "picklist", "picklists": {"default": values}}
        for name, values in picklists.items()
    }
    for b in ("done", "field_completed", "flag_for_review", "proposed", "tracing_complete"):
        attrs[b] = {"attribute_type": "checkbox", "default": False}
    attrs["note"] = {"attribute_type": "textarea", "allow_multiple": True}
    attrs["scid"] = {"attribute_type": "text"}
    attrs["measured_pole_height"] = {"attribute_type": "text", "units": "ft"}
    store.models = {
        "katapult_default": {
            "name": "Katapult Default",
            "attributes": attrs,
            "buttons": {
                "aerial": {"node_type": "pole"},
                "ref": {"node_type": "reference"},
                "anchor": {"node_type": "existing anchor"},
            },
        },
        "sandbox_company": {
            "name": "Sandbox Company Model",
            "attributes": attrs,
            "buttons": {"aerial": {"node_type": "pole"}},
        },
    }
    store.action_models = [
        {
            "id": "-NsandboxGroupFieldA",
            "name": "Field work",
            "actions": [
                {"action_id": "-NsandboxActCollect01", "action_name": "Collected pole"},
                {"action_id": "-NsandboxActPhoto0001", "action_name": "Took photos"},
            ],
        },
        {
            "id": "-NsandboxGroupQCBBBB",
            "name": "Quality control",
            "actions": [{"action_id": "-NsandboxActReview001", "action_name": "Reviewed pole"}],
        },
    ]
    acts = [a for g in store.action_models for a in g["actions"]]
    ids = _Ids(rng, BASE_MS)
    recs = []
    for i in range(40):
        a = acts[i % len(acts)]
        ts = BASE_MS // 1000 + 3600 * i + rng.randrange(600)
        recs.append(
            {
                "id": ids.push(),
                "uid": list(users)[i % 3],
                "user_group": store.company_id,
                "action_id": a["action_id"],
                "action_name": a["action_name"],
                "value": rng.choice([True, 1, "yes"]),
                "order": i,
                "timestamp": {"_seconds": ts, "_nanoseconds": rng.randrange(10**9)},
                "source": rng.choice(["desktop", "mobile", "api"]),
            }
        )
    store.tracked_actions = recs


def _add_job(
    store: Store, job_id: str, name: str, ms: int, metadata: dict, status: str = "active"
) -> None:
    from .store import JobData

    store.jobs[job_id] = {
        "id": job_id,
        "name": name,
        "job_creator": "katapult_default",
        "job_owner": store.company_id,
        "status": status,
        "done": False,
        "map_styles": "default",
        "metadata": metadata,
        "sharing": {store.company_id: "write"},
        "date_created": ms,
        "last_updated": iso_from_ms(ms),
    }
    store.data[job_id] = JobData()


# ---------------------------------------------------------------------- sample job
def generate_sample_job(store: Store, n_nodes: int, seed: int) -> str:
    """Create the sample job with exactly ``n_nodes`` nodes; returns its id."""
    rng = random.Random(f"sample-{seed}-{n_nodes}")
    start = BASE_MS + (seed % 30) * 86400000
    ids = _Ids(rng, start - 86400000 * 3)
    job_id = ids.push()
    archived_id = ids.push()
    other_id = ids.push()
    _add_job(
        store,
        archived_id,
        "Carlisle 2025 audit (archived)",
        start - 86400000 * 200,
        {"city": "Carlisle", "state": "PA", "job_type": "audit"},
        status="archived",
    )
    _add_job(
        store,
        other_id,
        "Boiling Springs extension",
        start - 86400000 * 2,
        {"city": "Boiling Springs", "state": "PA", "job_type": "make ready", "priority": 2},
    )
    _add_job(
        store,
        job_id,
        f"Carlisle PA sample ({n_nodes} nodes, seed {seed})",
        start,
        {
            "city": "Carlisle",
            "state": "PA",
            "job_type": "make ready",
            "utility": "Power Co",
            "project_number": f"{seed * 7 % 100000:05d}",
        },
    )
    _Builder(store, job_id, n_nodes, rng, ids, start).build()
    node_ids = list(store.data[job_id].nodes)
    for i, rec in enumerate(store.tracked_actions):  # most actions happened in the sample job
        if i % 4:
            rec["job_id"] = job_id
            rec["node_id"] = node_ids[(i * 7919) % len(node_ids)]
    return job_id


class _Builder:
    def __init__(
        self, store: Store, job_id: str, n: int, rng: random.Random, ids: _Ids, start_ms: int
    ) -> None:
        self.store, self.job_id, self.n, self.rng, self.ids = store, job_id, n, rng, ids
        # Extra attributes draw from their own stream so the main sequence stays stable.
        self.extra = random.Random(f"extra-{job_id}-{n}")
        self.t = start_ms  # field-work clock (ms)
        self.uids = list(store.users)
        self.nodes: list[dict] = []
        self.conns: list[dict] = []
        self.photos: list[tuple[dict, dict]] = []
        self.scid = 0
        self.photo_no = 0
        lat0 = math.radians(CENTER[0])
        self.m_lat = 1.0 / 111320.0
        self.m_lon = 1.0 / (111320.0 * math.cos(lat0))

    # geometry helpers (metres east/north of the centre)
    def ll(self, x: float, y: float) -> tuple[float, float]:
        return round(CENTER[0] + y * self.m_lat, 8), round(CENTER[1] + x * self.m_lon, 8)

    def build(self) -> None:
        block = 150.0
        s = max(2, int(math.ceil(math.sqrt(self.n / 7.0))) + 1)
        half = s * block / 2.0
        streets = []
        for i in range(s):
            c = (i - (s - 1) / 2.0) * block
            streets.append(("h", c))
            streets.append(("v", c))
        for orient, c in streets:
            if len(self.nodes) >= self.n:
                break
            self.street(orient, c, -half, half)
        self.flush()

    def remaining(self) -> int:
        return self.n - len(self.nodes)

    def street(self, orient: str, c: float, a: float, b: float) -> None:
        rng = self.rng
        side = rng.choice((-1.0, 1.0))
        pos = a + rng.uniform(8, 20)
        prev = None
        first = True
        while pos < b and self.remaining() > 0:
            off = side * (7.0 + rng.uniform(-1.5, 1.5))
            x, y = (pos, c + off) if orient == "h" else (c + off, pos)
            pole = self.pole(x, y)
            if prev is not None:
                self.span(prev, pole, orient, side)
            nxt = pos + rng.uniform(30, 60)
            last = nxt >= b or self.remaining() <= 1
            if (first or last or rng.random() < 0.04) and self.remaining() > 0:
                self.anchor(pole, x, y, orient, side, -1.0 if first else 1.0)
            if rng.random() < 0.07 and self.remaining() > 0:
                self.reference(pole, x, y, orient, side)
            if rng.random() < 0.02 and self.remaining() > 0:
                self.misc(pole, x, y, orient, side)
            prev, first, pos = pole, False, nxt

    # ------------------------------------------------------------------ nodes
    def node(self, x: float, y: float, node_type: str, button: str) -> dict:
        rng = self.rng
        lat, lon = self.ll(x, y)
        self.t += rng.randint(60000, 420000)  # the crew walks on
        created = self.t
        nid = self.ids.push()
        node = {
            "id": nid,
            "latitude": lat,
            "longitude": lon,
            "button": button,
            "_created": {
                "method": rng.choice(["desktop", "mobile", "mobile", "api"]),
                "timestamp": created,
                "uid": rng.choice(self.uids),
            },
            "attributes": {"node_type": {self.ids.push(): node_type}},
        }
        self.nodes.append(node)
        return node

    def time_bucket(self, node: dict) -> tuple[int, int]:
        start = node["_created"]["timestamp"] + self.rng.randint(5000, 60000)
        stop = start + self.rng.randint(40000, 240000)
        node["attributes"]["time_bucket"] = {
            self.ids.push(): {"start": start, "stop": stop, "uid": node["_created"]["uid"]}
        }
        return start, stop

    def pole(self, x: float, y: float) -> dict:
        rng = self.rng
        node = self.node(x, y, "pole", "aerial")
        a = node["attributes"]
        self.scid += 1
        a["scid"] = {"auto_button": f"{self.scid:03d}"}
        height = rng.choice([30, 35, 40, 40, 45, 45, 50, 55])
        a["pole_height"] = {"one": height if rng.random() < 0.1 else str(height)}
        a["pole_class"] = {"one": rng.choice(["1", "2", "3", "4", "4", "5", "H1"])}
        if rng.random() < 0.6:
            a["measured_pole_height"] = {"one": "%.1f" % (height - rng.uniform(5.5, 9.0))}
        if rng.random() < 0.8:
            a["pole_species"] = {
                "one": rng.choice(
                    ["Southern Pine", "Southern Pine", "Western Red Cedar", "Douglas Fir"]
                )
            }
        if rng.random() < 0.7:
            a["pole_tag"] = {
                "multi_added": {
                    "company": rng.choice(["Power Co", "Penn Electric", "Telco"]),
                    "owner": rng.random() < 0.7,
                    "tagtext": f"{rng.randrange(100000):05d} {rng.randrange(100000):05d}",
                }
            }
        done = rng.random() < 0.6
        if done:
            a["done"] = {self.ids.push(): True}
        if done and rng.random() < 0.8:
            a["field_completed"] = {"value": True}
        if rng.random() < 0.05:
            a["flag_for_review"] = {"value": True}
        r = rng.random()
        if r < 0.2:
            a["note"] = {self.ids.push(): rng.choice(NOTES)}
            if r < 0.06:
                a["note"][self.ids.push()] = rng.choice(NOTES)
        if rng.random() < 0.5:
            a["vantage_point"] = {
                "auto_button": {
                    "latitude": round(node["latitude"] + rng.uniform(-1e-4, 1e-4), 7),
                    "longitude": round(node["longitude"] + rng.uniform(-1e-4, 1e-4), 7),
                }
            }
        self.pole_extras(a)
        start, stop = self.time_bucket(node)
        if done or rng.random() < 0.3:
            self.node_photos(node, start, stop, rng.randint(1, 3))
        return node

    def pole_extras(self, a: dict) -> None:
        """Fixed-word instance keys seen in real data: -Imported, assessment, auto_calced."""
        r = self.extra
        if r.random() < 0.15:
            a["company"] = {"-Imported": r.choice(["Power Co", "Penn Electric"])}
        if r.random() < 0.2:
            a["pole_condition"] = {"assessment": r.choice(["good", "fair", "replace"])}
        if r.random() < 0.15:
            a["mr_state"] = {"auto_calced": r.choice(["No MR", "Simple MR", "Complex MR"])}
        if r.random() < 0.05:
            a["proposed"] = {"button_calced": False}

    def anchor(
        self, pole: dict, x: float, y: float, orient: str, side: float, direction: float
    ) -> None:
        rng = self.rng
        d = rng.uniform(6, 9)
        ax, ay = (
            (x + direction * d, y + side * 1.0)
            if orient == "h"
            else (x + side * 1.0, y + direction * d)
        )
        kind = "existing anchor" if rng.random() < 0.8 else "new anchor"
        node = self.node(ax, ay, kind, "anchor")
        if rng.random() < 0.5:
            node["attributes"]["anchor_size"] = {"one": rng.choice(["8", "10", "12"])}
        self.time_bucket(node)
        self.conn(pole, node, "anchor", "down guy")

    def reference(self, pole: dict, x: float, y: float, orient: str, side: float) -> None:
        rng = self.rng
        d = side * rng.uniform(15, 30)
        rx, ry = (
            (x + rng.uniform(-6, 6), y + d) if orient == "h" else (x + d, y + rng.uniform(-6, 6))
        )
        node = self.node(rx, ry, rng.choice(["reference", "reference", "house"]), "ref")
        if rng.random() < 0.3:
            node["attributes"]["note"] = {self.ids.push(): "Service drop"}
        self.conn(pole, node, "ref", "reference")

    def misc(self, pole: dict, x: float, y: float, orient: str, side: float) -> None:
        rng = self.rng
        kind = rng.choice(
            ["handhole", "slack loop", "crossover", "building attachment", "map note"]
        )
        d = side * rng.uniform(8, 14)
        mx, my = (
            (x + rng.uniform(5, 12), y + d) if orient == "h" else (x + d, y + rng.uniform(5, 12))
        )
        node = self.node(mx, my, kind, "aerial" if kind != "handhole" else "UG_poly_path")
        if kind == "handhole":
            c = self.conn(pole, node, "UG_poly_path", "underground cable")
            lat1, lon1 = pole["latitude"], pole["longitude"]
            lat2, lon2 = node["latitude"], node["longitude"]
            c["breakpoints"] = [
                [
                    round(lat1 + (lat2 - lat1) * f + rng.uniform(-2e-5, 2e-5), 8),
                    round(lon1 + (lon2 - lon1) * f + rng.uniform(-2e-5, 2e-5), 8),
                ]
                for f in (0.33, 0.66)
            ]
        elif kind == "map note":
            node["attributes"]["note"] = {self.ids.push(): rng.choice(NOTES)}

    # ------------------------------------------------------------------ connections
    def conn(self, n1: dict, n2: dict, button: str, ctype: str) -> dict:
        c = {
            "id": self.ids.push(),
            "node_id_1": n1["id"],
            "node_id_2": n2["id"],
            "button": button,
            "attributes": {"connection_type": {"button_added": ctype}},
            "sections": {},
        }
        self.conns.append(c)
        return c

    def span(self, p1: dict, p2: dict, orient: str, side: float) -> None:
        rng = self.rng
        c = self.conn(p1, p2, "aerial", "aerial cable")
        lat1, lon1, lat2, lon2 = p1["latitude"], p1["longitude"], p2["latitude"], p2["longitude"]
        if rng.random() < 0.1:
            k = rng.uniform(1.0, 3.0) * side
            dlat, dlon = (k * self.m_lat, 0.0) if orient == "h" else (0.0, k * self.m_lon)
            pts = [0.5] if rng.random() < 0.7 else [0.33, 0.66]
            c["breakpoints"] = [
                [
                    round(lat1 + (lat2 - lat1) * f + dlat, 8),
                    round(lon1 + (lon2 - lon1) * f + dlon, 8),
                ]
                for f in pts
            ]
        if rng.random() < 0.3:
            line = [(lat1, lon1)] + [tuple(b) for b in c.get("breakpoints", [])] + [(lat2, lon2)]
            mid = (
                line[len(line) // 2]
                if len(line) % 2
                else (
                    (line[len(line) // 2 - 1][0] + line[len(line) // 2][0]) / 2,
                    (line[len(line) // 2 - 1][1] + line[len(line) // 2][1]) / 2,
                )
            )
            ma: dict = {}
            if rng.random() < 0.5:
                ma["note"] = {
                    self.ids.push(): rng.choice(["tree contact", "road crossing", "sag looks low"])
                }
            if rng.random() < 0.5:
                ma["midspan_height"] = {"one": f"{rng.randint(18, 28)}-{rng.randint(0, 11)}"}
            sec = {
                "latitude": round(mid[0], 8),
                "longitude": round(mid[1], 8),
                "multi_attributes": ma,
            }
            if rng.random() < 0.3:
                start = p2["_created"]["timestamp"] + 30000
                self.section_photo(c["id"], "midpoint_section", sec, mid, start)
            c["sections"]["midpoint_section"] = sec
        if rng.random() < 0.03:
            sec_id = self.ids.push()
            c["sections"][sec_id] = {
                "latitude": round(lat1 + (lat2 - lat1) / 3, 8),
                "longitude": round(lon1 + (lon2 - lon1) / 3, 8),
                "multi_attributes": {"note": {self.ids.push(): "crossing span"}},
            }

    # ------------------------------------------------------------------ photos
    def photo_record(self, lat: float, lon: float, taken_s: int) -> tuple[dict, dict]:
        rng = self.rng
        self.photo_no += 1
        palette = rng.randrange(len(PALETTES))
        make, model = CAMERAS[rng.randrange(len(CAMERAS))]
        pid = make_uuid(rng)
        rec = {
            "id": pid,
            "filename": f"IMG_{self.photo_no % 10000:04d}.JPG",
            "date_taken": taken_s,
            "camera_make": make,
            "camera_model": model,
            "image_width": PHOTO_W,
            "image_height": PHOTO_H,
            "orientation": 1,
            "original_size": _photo_size(palette, make, model),
            "upload_date": taken_s * 1000 + rng.randint(3600000, 30 * 3600000),
            "uploaded_by": rng.choice(self.uids),
            "status": "upload_complete",
            "associated_locations": {},
        }
        rec["size"] = rec["original_size"]
        recipe = {
            "palette": palette,
            "lat": round(lat + rng.uniform(-4e-5, 4e-5), 7),
            "lon": round(lon + rng.uniform(-4e-5, 4e-5), 7),
            "taken": taken_s,
            "make": make,
            "model": model,
        }
        self.photos.append((rec, recipe))
        return rec, recipe

    def node_photos(self, node: dict, start: int, stop: int, count: int) -> None:
        rng = self.rng
        photos = node.setdefault("photos", {})
        for i in range(count):
            taken = (start + (stop - start) * (i + 1) // (count + 1)) // 1000
            rec, _ = self.photo_record(node["latitude"], node["longitude"], taken)
            photos[rec["id"]] = {"association": "main" if i == 0 else True}
            rec["associated_locations"][node["id"]] = "node"
            if rng.random() < 0.25:
                rec["photofirst_data"] = {
                    "wire": {
                        self.ids.push(): {
                            "_measured_height": str(rng.randint(240, 360)),
                            "company": "Telco",
                        }
                    },
                    "pole_top": {self.ids.push(): {"_measured_height": rng.randint(380, 520)}},
                }
                rec["stick_align"] = {"calibrated": True, "ratio": round(rng.uniform(0.8, 1.2), 4)}
        if rng.random() < 0.03:  # an orphan photo taken at the pole, not associated
            self.photo_record(node["latitude"], node["longitude"], stop // 1000)

    def section_photo(self, cid: str, sid: str, sec: dict, mid: tuple, start_ms: int) -> None:
        rec, _ = self.photo_record(mid[0], mid[1], start_ms // 1000)
        sec["photos"] = {rec["id"]: {"association": "main"}}
        rec["associated_locations"][f"{cid}/{sid}"] = "section"

    # ------------------------------------------------------------------ write into the store
    def flush(self) -> None:
        store, jid, rng = self.store, self.job_id, self.rng
        # last_updated: later edits (office QC) touch nodes after collection, in a shuffled order.
        edit_ms = self.t + 86400000
        order = list(range(len(self.nodes)))
        rng.shuffle(order)
        for rank, idx in enumerate(order):
            self.nodes[idx]["last_updated"] = iso_from_ms(
                edit_ms + rank * 1000 + rng.randrange(1000)
            )
        for node in self.nodes:
            store.put_node(jid, node)
        for c in self.conns:
            c["last_updated"] = iso_from_ms(edit_ms + rng.randrange(len(self.nodes) * 1000 + 1))
            for sec in c["sections"].values():
                sec["last_updated"] = c["last_updated"]
            store.put_connection(jid, c)
        for rec, recipe in self.photos:
            store.put_photo(jid, rec, recipe=recipe)
        self.elements_and_traces()
        store.jobs[jid]["last_updated"] = iso_from_ms(edit_ms + len(self.nodes) * 1000 + 1000)

    def elements_and_traces(self) -> None:
        store, jid, rng = self.store, self.job_id, self.rng
        jd = store.data[jid]
        calibrated = [rec for rec, _ in self.photos if "photofirst_data" in rec][:40]
        for k, rec in enumerate(calibrated):
            pid = rec["id"]
            tid = self.ids.push()
            jd.traces[tid] = {
                "id": tid,
                "_trace_type": "cable",
                "items": {},
                "company": "Telco",
                "cable_type": rng.choice(["Fiber Optic Com", "Power Secondary", "Telco Com"]),
            }
            jd.ids.add(tid)
            top = self.ids.push()
            wire = self.ids.push()
            jd.elements[pid] = {
                top: {
                    "id": top,
                    "element_type": "pole_top",
                    "pixel_selection": {
                        "percentX": 0.5,
                        "percentY": round(rng.uniform(0.05, 0.2), 3),
                    },
                },
                wire: {
                    "id": wire,
                    "element_type": "attachment",
                    "parent_id": top,
                    "trace_id": tid,
                    "pixel_selection": {
                        "percentX": round(rng.uniform(0.3, 0.7), 3),
                        "percentY": round(rng.uniform(0.3, 0.5), 3),
                    },
                    "manual_height": f"{rng.randint(18, 30)}-{rng.randint(0, 11)}",
                    "company": "Telco",
                },
            }
            jd.traces[tid]["items"][wire] = {"photo_id": pid}
            jd.ids.update((top, wire))
            if k % 2 == 0:
                a1, a2 = self.ids.push(), self.ids.push()
                jd.anchors[pid] = {
                    a1: {
                        "id": a1,
                        "pixel_selection": {"percentX": 0.5, "percentY": 0.9},
                        "height": 0.0,
                    },
                    a2: {
                        "id": a2,
                        "pixel_selection": {"percentX": 0.5, "percentY": 0.2},
                        "height": round(rng.uniform(30, 40), 2),
                    },
                }
                jd.ids.update((a1, a2))
