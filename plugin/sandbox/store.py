"""In-memory data of the sandbox (jobs, nodes, connections, sections, photos, ...)
and every route's semantics. Thread-safe through one re-entrant lock.

Everything a route does is a ``Store`` method that returns the response
``data`` or raises :class:`ApiError`; HTTP details live in ``server.py``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import math
import random
import threading
import time
from typing import Any, Callable

from . import validate as v
from .errors import ApiError, invalid_field, invalid_request, missing_field, not_found
from .exif import jpeg_info, looks_like_jpeg
from .ids import PushIdMaker, is_valid_resource_id, make_uuid
from .timeutil import iso_from_ms, parse_iso, parse_time_param

JOB_PATHS = (
    "name",
    "job_creator",
    "job_owner",
    "project_folder",
    "project_id",
    "status",
    "done",
    "map_styles",
    "metadata",
    "sharing",
)
FILE_SIZES = ("full", "extra_large", "large", "small", "tiny")
FILE_TYPES = ("webp", "jpg")
URL_LIFETIME_S = 7 * 24 * 3600
_ELEMENT_FIELDS = {
    "id",
    "last_updated",
    "element_type",
    "pixel_selection",
    "manual_height",
    "parent_id",
    "trace_id",
}
_TRACE_FIELDS = {"id", "_trace_type", "items", "trace_type", "last_updated"}


class RawJson(str):
    """Already-serialised JSON placed verbatim into a response envelope."""


class JobData:
    """The contents of one job."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.connections: dict[str, dict] = {}
        self.photos: dict[str, dict] = {}
        self.blobs: dict[str, bytes] = {}  # uploaded image bytes
        self.recipes: dict[str, dict] = {}  # generated photos, rendered on demand
        self.elements: dict[str, dict[str, dict]] = {}  # photo id -> element id -> element
        self.anchors: dict[str, dict[str, dict]] = {}  # photo id -> anchor id -> anchor
        self.traces: dict[str, dict] = {}
        self.ids: set[str] = set()  # every resource id used in the job
        self.node_json: dict[str, str] = {}  # serialisation cache for list routes
        self.node_ms: dict[str, float] = {}


def _now_ms() -> int:
    return int(time.time() * 1000)


class Store:
    """All sandbox data plus the semantics of every route."""

    def __init__(self, seed: int = 1, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.jobs: dict[str, dict] = {}
        self.data: dict[str, JobData] = {}
        self._rng = random.Random(f"store-{seed}")
        self._push = PushIdMaker(random.Random(f"push-{seed}"))
        self._last_ms = 0
        self.secret = hashlib.sha256((f"sandbox-secret-{seed}-{time.time()}").encode()).hexdigest()
        self.company_id = "-NsandboxCompany0001"
        self.me = "sandboxUser0000000001"
        self.users: dict[str, dict] = {}
        self.models: dict[str, dict] = {}
        self.tracked_actions: list[dict] = []
        self.action_models: list[dict] = []
        self.dirty = False
        self.render_photo: Callable[[dict], bytes] | None = None  # set by the generator

    # ------------------------------------------------------------------ helpers
    def stamp(self) -> int:
        """Strictly increasing epoch ms for ``last_updated`` (no two writes share one)."""
        ms = int(self.clock() * 1000)
        if ms <= self._last_ms:
            ms = self._last_ms + 1
        self._last_ms = ms
        return ms

    def new_push_id(self) -> str:
        return self._push.make(int(self.clock() * 1000))

    def _job(self, job_id: str) -> tuple[dict, JobData]:
        job = self.jobs.get(job_id)
        if job is None:
            raise not_found(f"Job {job_id!r}")
        return job, self.data[job_id]

    def _touch_job(self, job: dict, ms: int | None = None) -> None:
        job["last_updated"] = iso_from_ms(ms or self.stamp())
        self.dirty = True

    def _new_id_for(self, jd: JobData, entity_id: str) -> None:
        if not is_valid_resource_id(entity_id):
            raise ApiError(
                400,
                "invalid_id",
                f"Id {entity_id!r} must be 20-256 characters of A-Z, a-z, 0-9, '-' and '_'",
            )
        if entity_id in jd.ids:
            raise ApiError(
                400, "invalid_id", f"Id {entity_id!r} is already used by another item in this job"
            )

    @staticmethod
    def _bool_param(value: str | None, name: str) -> bool:
        if value is None or value == "false":
            return False
        if value == "true":
            return True
        raise invalid_request(f'{name} must be "true" or "false", got {value!r}')

    @staticmethod
    def _filter_recent(
        items: list[tuple[float, Any]], last_updated: str | None, limit: str | None
    ) -> list:
        after = None
        if last_updated is not None:
            try:
                after = parse_iso(last_updated)
            except ValueError:
                raise invalid_request(
                    f"last_updated {last_updated!r} is not an ISO-8601 date/time "
                    "(e.g. 2026-05-01T13:22:10Z)"
                ) from None
        n = None
        if limit is not None:
            try:
                n = int(limit)
            except ValueError:
                n = 0
            if n < 1 or str(n) != limit.strip().lstrip("+"):
                raise invalid_request(f"limit must be a positive integer, got {limit!r}")
        if after is not None:
            items = [it for it in items if it[0] > after]
        items.sort(key=lambda it: it[0], reverse=True)
        if n is not None:
            items = items[:n]
        return [it[1] for it in items]

    # ------------------------------------------------------------------ jobs
    def list_jobs(
        self,
        include_archived: str | None,
        metadata_filter: str | None,
        list_mode: str | None,
        last_updated: str | None,
        limit: str | None,
    ) -> list:
        inc = self._bool_param(include_archived, "includeArchived")
        lst = self._bool_param(list_mode, "list")
        filters = []
        if metadata_filter and not lst:
            for part in metadata_filter.split(","):
                if ":" not in part:
                    raise invalid_request(
                        "metadataFilter must look like attribute:value[,attribute:value], "
                        f"got {metadata_filter!r}"
                    )
                k, _, val = part.partition(":")
                filters.append((k.strip(), val.strip()))
        with self.lock:
            items = []
            for job in self.jobs.values():
                if job["status"] == "archived" and not inc:
                    continue
                md = job.get("metadata") or {}
                if any(
                    str(md.get(k)) != val
                    and not (isinstance(md.get(k), bool) and str(md.get(k)).lower() == val)
                    for k, val in filters
                ):
                    continue
                if lst:
                    entry = {
                        "id": job["id"],
                        "name": job.get("name"),
                        "status": job["status"],
                        "last_updated": job["last_updated"],
                    }
                else:
                    entry = {
                        "id": job["id"],
                        "name": job.get("name"),
                        "status": job["status"],
                        "metadata": copy.deepcopy(md),
                        "permission": "write",
                        "job_owner": job.get("job_owner"),
                        "last_updated": job["last_updated"],
                    }
                items.append((parse_iso(job["last_updated"]), entry))
            return self._filter_recent(items, last_updated, limit)

    def create_job(self, body: dict, job_id: str | None = None) -> dict:
        name = body.get("name")
        if "name" not in body:
            raise missing_field("name")
        if "model" not in body:
            raise missing_field("model")
        self._check_job_body(body)
        if not name.strip():
            raise invalid_field("name must not be empty")
        with self.lock:
            jid = job_id or self.new_push_id()
            ms = self.stamp()
            job = {
                "id": jid,
                "name": name,
                "job_creator": body["model"],
                "job_owner": self.company_id,
                "status": "active",
                "done": False,
                "map_styles": body.get("map_styles", "default"),
                "metadata": {},
                "sharing": {self.company_id: "write"},
                "date_created": ms,
                "last_updated": iso_from_ms(ms),
            }
            v.apply_flat(job["metadata"], body.get("metadata") or {})
            for k, val in (body.get("sharing") or {}).items():
                job["sharing"][k] = val
            self.jobs[jid] = job
            self.data[jid] = JobData()
            self.dirty = True
            return self._job_view(job, JOB_PATHS)

    def _check_job_body(self, body: dict) -> None:
        for f in ("name", "model", "map_styles"):
            v.check_string(body, f)
        v.check_object(body, "metadata")
        sharing = v.check_object(body, "sharing")
        for k, val in (sharing or {}).items():
            if val not in ("read", "write"):
                raise invalid_field(f'sharing.{k} must be "read" or "write", got {val!r}')

    def _job_view(self, job: dict, paths) -> dict:
        out = {"id": job["id"]}
        for p in paths:
            if p in job:
                out[p] = copy.deepcopy(job[p])
        return out

    def get_job(self, job_id: str, paths: str | None) -> dict:
        wanted = []
        if paths:
            wanted = [p.strip() for p in paths.split(",") if p.strip()]
            bad = [p for p in wanted if p not in JOB_PATHS]
            if bad:
                raise invalid_request(
                    "paths {} not allowed; allowed: {}".format(", ".join(bad), ", ".join(JOB_PATHS))
                )
        with self.lock:
            job, _ = self._job(job_id)
            return self._job_view(job, wanted)

    def update_job(self, job_id: str, body: dict) -> dict:
        self._check_job_body(body)
        with self.lock:
            job, _ = self._job(job_id)
            new = copy.deepcopy(job)
            if "name" in body:
                new["name"] = body["name"]
            if "model" in body:
                new["job_creator"] = body["model"]
            if "map_styles" in body:
                new["map_styles"] = body["map_styles"]
            v.apply_flat(new["metadata"], body.get("metadata") or {})
            for k, val in (body.get("sharing") or {}).items():
                new["sharing"][k] = val
            new["sharing"][self.company_id] = "write"
            job.clear()
            job.update(new)
            self._touch_job(job)
            return self._job_view(job, JOB_PATHS)

    def job_status(self, job_id: str) -> dict:
        with self.lock:
            job, _ = self._job(job_id)
            return {"id": job["id"], "status": job["status"]}

    def set_job_status(self, job_id: str, body: dict) -> dict:
        if "status" not in body:
            raise missing_field("status")
        if body["status"] not in ("active", "archived"):
            raise invalid_field(
                'status must be "active" or "archived", got {!r}'.format(body["status"])
            )
        with self.lock:
            job, _ = self._job(job_id)
            job["status"] = body["status"]
            self._touch_job(job)
            return {"id": job["id"], "status": job["status"]}

    # ------------------------------------------------------------------ nodes
    def _cache_node(self, jd: JobData, node: dict) -> None:
        jd.node_json[node["id"]] = json.dumps(node, separators=(",", ":"))
        jd.node_ms[node["id"]] = (
            parse_iso(node["last_updated"]) if node.get("last_updated") else 0.0
        )

    def put_node(self, job_id: str, node: dict) -> None:
        """Insert a ready-made node (generator / state loading)."""
        jd = self.data[job_id]
        jd.nodes[node["id"]] = node
        jd.ids.add(node["id"])
        self._cache_node(jd, node)

    def list_nodes(self, job_id: str, last_updated: str | None, limit: str | None) -> RawJson:
        with self.lock:
            _, jd = self._job(job_id)
            items = [(jd.node_ms[nid], nid) for nid in jd.nodes]
            ids = self._filter_recent(items, last_updated, limit)
            return RawJson("[" + ",".join([jd.node_json[i] for i in ids]) + "]")

    def get_node(self, job_id: str, node_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            node = jd.nodes.get(node_id)
            if node is None:
                raise not_found(f"Node {node_id!r}")
            return copy.deepcopy(node)

    def _check_node_body(self, body: dict, create: bool) -> tuple:
        lat, lon = v.check_lat_lon(body, required=create)
        v.check_trio(body)
        return lat, lon

    def create_node(self, job_id: str, body: dict) -> dict:
        if "remove_attributes" in body:
            v.check_trio({"remove_attributes": body["remove_attributes"]})
        lat, lon = self._check_node_body(body, create=True)
        with self.lock:
            job, jd = self._job(job_id)
            nid = self.new_push_id()
            return self._write_node(job, jd, nid, None, body, lat, lon)

    def upsert_node(
        self, job_id: str, node_id: str, body: dict, only_if_exists: str | None
    ) -> dict:
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            current = jd.nodes.get(node_id)
            if current is None:
                if only:
                    raise not_found(f"Node {node_id!r} (onlyIfExists=true)")
                self._new_id_for(jd, node_id)
            lat, lon = self._check_node_body(body, create=current is None)
            return self._write_node(job, jd, node_id, current, body, lat, lon)

    def _write_node(
        self,
        job: dict,
        jd: JobData,
        nid: str,
        current: dict | None,
        body: dict,
        lat: float | None,
        lon: float | None,
    ) -> dict:
        node = copy.deepcopy(current) if current else {"id": nid}
        if lat is not None:
            node["latitude"] = lat
        if lon is not None:
            node["longitude"] = lon
        node["attributes"] = v.apply_trio(node.get("attributes"), body, self.new_push_id)
        ms = self.stamp()
        node["last_updated"] = iso_from_ms(ms)
        if current is None:
            node.setdefault("_created", {"method": "api", "timestamp": ms, "uid": self.me})
        jd.nodes[nid] = node
        jd.ids.add(nid)
        self._cache_node(jd, node)
        self._touch_job(job, ms)
        return copy.deepcopy(node)

    def delete_node(self, job_id: str, node_id: str) -> dict:
        """Deletes the node only: its connections stay (dangling), as real data shows."""
        with self.lock:
            job, jd = self._job(job_id)
            node = jd.nodes.pop(node_id, None)
            if node is None:
                raise not_found(f"Node {node_id!r}")
            jd.ids.discard(node_id)
            jd.node_json.pop(node_id, None)
            jd.node_ms.pop(node_id, None)
            for pid in node.get("photos") or {}:
                rec = jd.photos.get(pid)
                if rec:
                    rec.get("associated_locations", {}).pop(node_id, None)
            self._touch_job(job)
            return {"id": node_id}

    # ------------------------------------------------------------------ connections
    def put_connection(self, job_id: str, conn: dict) -> None:
        jd = self.data[job_id]
        jd.connections[conn["id"]] = conn
        jd.ids.add(conn["id"])
        for sid in conn.get("sections") or {}:
            if sid != "midpoint_section":
                jd.ids.add(sid)

    def list_connections(self, job_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            return RawJson(json.dumps(list(jd.connections.values()), separators=(",", ":")))

    def get_connection(self, job_id: str, connection_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            conn = jd.connections.get(connection_id)
            if conn is None:
                raise not_found(f"Connection {connection_id!r}")
            return copy.deepcopy(conn)

    def _check_connection_body(self, jd: JobData, body: dict, create: bool) -> None:
        for f in ("node_id_1", "node_id_2"):
            if f not in body:
                if create:
                    raise missing_field(f)
                continue
            nid = body[f]
            if not isinstance(nid, str):
                raise invalid_field(f"{f} must be a string node id")
            if nid not in jd.nodes:
                raise invalid_field(f"{f} {nid!r} is not a node of this job")
        if body.get("node_id_1") is not None and body.get("node_id_1") == body.get("node_id_2"):
            raise invalid_field("node_id_1 and node_id_2 must be different nodes")
        if "breakpoints" in body:
            v.check_breakpoints(body["breakpoints"])
        v.check_trio(body)

    def create_connection(self, job_id: str, body: dict) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            self._check_connection_body(jd, body, create=True)
            return self._write_connection(job, jd, self.new_push_id(), None, body)

    def upsert_connection(
        self, job_id: str, connection_id: str, body: dict, only_if_exists: str | None
    ) -> dict:
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            current = jd.connections.get(connection_id)
            if current is None:
                if only:
                    raise not_found(f"Connection {connection_id!r} (onlyIfExists=true)")
                self._new_id_for(jd, connection_id)
            self._check_connection_body(jd, body, create=current is None)
            return self._write_connection(job, jd, connection_id, current, body)

    def _write_connection(
        self, job: dict, jd: JobData, cid: str, current: dict | None, body: dict
    ) -> dict:
        conn = copy.deepcopy(current) if current else {"id": cid, "sections": {}}
        for f in ("node_id_1", "node_id_2"):
            if f in body:
                conn[f] = body[f]
        conn["attributes"] = v.apply_trio(conn.get("attributes"), body, self.new_push_id)
        if "breakpoints" in body:
            bps = v.check_breakpoints(body["breakpoints"])
            if bps:
                conn["breakpoints"] = bps
            else:
                conn.pop("breakpoints", None)
        ms = self.stamp()
        conn["last_updated"] = iso_from_ms(ms)
        jd.connections[cid] = conn
        jd.ids.add(cid)
        self._touch_job(job, ms)
        return copy.deepcopy(conn)

    def delete_connection(self, job_id: str, connection_id: str) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            conn = jd.connections.pop(connection_id, None)
            if conn is None:
                raise not_found(f"Connection {connection_id!r}")
            jd.ids.discard(connection_id)
            for sid, sec in (conn.get("sections") or {}).items():
                jd.ids.discard(sid)
                self._forget_section_photos(jd, connection_id, sid, sec)
            self._touch_job(job)
            return {"id": connection_id}

    # ------------------------------------------------------------------ sections
    @staticmethod
    def _section_view(sid: str, sec: dict) -> dict:
        out = {"id": sid}
        for k, val in sec.items():
            if k == "multi_attributes":
                out["attributes"] = copy.deepcopy(val)
            else:
                out[k] = copy.deepcopy(val)
        out.setdefault("attributes", {})
        return out

    def _conn(self, jd: JobData, connection_id: str) -> dict:
        conn = jd.connections.get(connection_id)
        if conn is None:
            raise not_found(f"Connection {connection_id!r}")
        return conn

    def list_sections(self, job_id: str, connection_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            conn = self._conn(jd, connection_id)
            return [self._section_view(sid, s) for sid, s in (conn.get("sections") or {}).items()]

    def get_section(self, job_id: str, connection_id: str, section_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            conn = self._conn(jd, connection_id)
            sec = (conn.get("sections") or {}).get(section_id)
            if sec is None:
                raise not_found(f"Section {section_id!r} on connection {connection_id!r}")
            return self._section_view(section_id, sec)

    def _midpoint(self, jd: JobData, conn: dict) -> tuple[float, float]:
        pts = []
        for f in ("node_id_1", "node_id_2"):
            node = jd.nodes.get(conn.get(f))
            if node is None or "latitude" not in node:
                raise invalid_request(
                    "Cannot place a midpoint: node {!r} of connection {!r} does not exist".format(
                        conn.get(f), conn["id"]
                    )
                )
            pts.append((node["latitude"], node["longitude"]))
        line = [pts[0]] + [tuple(p) for p in conn.get("breakpoints") or []] + [pts[1]]
        k = math.cos(math.radians(line[0][0]))
        seg = [math.hypot(b[0] - a[0], (b[1] - a[1]) * k) for a, b in zip(line, line[1:])]
        half = sum(seg) / 2.0
        for (a, b), length in zip(zip(line, line[1:]), seg):
            if half <= length or length == seg[-1]:
                t = half / length if length else 0.0
                t = min(max(t, 0.0), 1.0)
                return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            half -= length
        return line[-1]

    def create_section(self, job_id: str, connection_id: str, body: dict) -> dict:
        if "make_midpoint" in body and not isinstance(body["make_midpoint"], bool):
            raise invalid_field("make_midpoint must be a boolean")
        midpoint = body.get("make_midpoint") is True
        lat, lon = v.check_lat_lon(body, required=not midpoint)
        if "remove_attributes" in body:
            v.check_trio({"remove_attributes": body["remove_attributes"]})
        v.check_trio(body)
        with self.lock:
            job, jd = self._job(job_id)
            conn = self._conn(jd, connection_id)
            if midpoint:
                lat, lon = self._midpoint(jd, conn)
                sid = "midpoint_section"
                old = (conn.get("sections") or {}).get(sid)
                if old is not None:  # overwrite: the old midpoint's data is deleted
                    self._forget_section_photos(jd, connection_id, sid, old)
                    conn["sections"].pop(sid, None)
            else:
                sid = self.new_push_id()
            return self._write_section(job, jd, conn, sid, None, body, lat, lon)

    def upsert_section(
        self,
        job_id: str,
        connection_id: str,
        section_id: str,
        body: dict,
        only_if_exists: str | None,
    ) -> dict:
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            conn = self._conn(jd, connection_id)
            current = (conn.get("sections") or {}).get(section_id)
            if current is None:
                if only:
                    raise not_found(f"Section {section_id!r} (onlyIfExists=true)")
                self._new_id_for(jd, section_id)
            lat, lon = v.check_lat_lon(body, required=current is None)
            v.check_trio(body)
            return self._write_section(job, jd, conn, section_id, current, body, lat, lon)

    def _write_section(
        self,
        job: dict,
        jd: JobData,
        conn: dict,
        sid: str,
        current: dict | None,
        body: dict,
        lat: float | None,
        lon: float | None,
    ) -> dict:
        sec = copy.deepcopy(current) if current else {}
        if lat is not None:
            sec["latitude"] = lat
        if lon is not None:
            sec["longitude"] = lon
        sec["multi_attributes"] = v.apply_trio(sec.get("multi_attributes"), body, self.new_push_id)
        ms = self.stamp()
        sec["last_updated"] = iso_from_ms(ms)
        conn.setdefault("sections", {})[sid] = sec
        conn["last_updated"] = iso_from_ms(ms)
        if sid != "midpoint_section":
            jd.ids.add(sid)
        self._touch_job(job, ms)
        return self._section_view(sid, sec)

    def delete_section(self, job_id: str, connection_id: str, section_id: str) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            conn = self._conn(jd, connection_id)
            sec = (conn.get("sections") or {}).pop(section_id, None)
            if sec is None:
                raise not_found(f"Section {section_id!r} on connection {connection_id!r}")
            jd.ids.discard(section_id)
            self._forget_section_photos(jd, connection_id, section_id, sec)
            ms = self.stamp()
            conn["last_updated"] = iso_from_ms(ms)
            self._touch_job(job, ms)
            return {"id": section_id}

    @staticmethod
    def _section_key(connection_id: str, section_id: str) -> str:
        return f"{connection_id}/{section_id}"

    def _forget_section_photos(
        self, jd: JobData, connection_id: str, section_id: str, sec: dict
    ) -> None:
        for pid in sec.get("photos") or {}:
            rec = jd.photos.get(pid)
            if rec:
                rec.get("associated_locations", {}).pop(
                    self._section_key(connection_id, section_id), None
                )

    # ------------------------------------------------------------------ photos
    def put_photo(
        self, job_id: str, record: dict, blob: bytes | None = None, recipe: dict | None = None
    ) -> None:
        jd = self.data[job_id]
        jd.photos[record["id"]] = record
        jd.ids.add(record["id"])
        if blob is not None:
            jd.blobs[record["id"]] = blob
        if recipe is not None:
            jd.recipes[record["id"]] = recipe

    def list_photos(self, job_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            return RawJson(json.dumps(list(jd.photos.values()), separators=(",", ":")))

    def get_photo(self, job_id: str, photo_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            rec = jd.photos.get(photo_id)
            if rec is None:
                raise not_found(f"Photo {photo_id!r}")
            return copy.deepcopy(rec)

    def upload_photo(
        self,
        job_id: str,
        data: bytes,
        content_type: str | None,
        filename: str | None,
        node_id: str | None = None,
        section: tuple[str, str] | None = None,
        association_value: str | None = None,
    ) -> dict:
        if association_value is None:
            association_value = "true"
        if association_value not in ("true", "main"):
            raise invalid_request(
                f'association_value must be "true" or "main", got {association_value!r}'
            )
        with self.lock:
            job, jd = self._job(job_id)
            target = None
            if node_id is not None:
                target = jd.nodes.get(node_id)
                if target is None:
                    raise not_found(f"Node {node_id!r}")
            elif section is not None:
                conn = self._conn(jd, section[0])
                target = (conn.get("sections") or {}).get(section[1])
                if target is None:
                    raise not_found(f"Section {section[1]!r} on connection {section[0]!r}")
            ctype = (content_type or "").split(";")[0].strip().lower()
            if ctype not in ("image/jpeg", "image/jpg"):
                raise ApiError(
                    400,
                    "invalid_file_type",
                    "Photo uploads must be sent as Content-Type: image/jpeg (got %r)"
                    % (content_type or ""),
                )
            if not looks_like_jpeg(data):
                raise ApiError(
                    400,
                    "invalid_file_type",
                    "The uploaded file is not a JPEG image (no SOI/EOI markers)",
                )
            pid = make_uuid(self._rng)
            ms = self.stamp()
            info = jpeg_info(data)
            rec = {
                "id": pid,
                "filename": filename or f"IMG_{pid[:8].upper()}.jpg",
                "original_size": len(data),
                "size": len(data),
                "upload_date": ms,
                "uploaded_by": self.me,
                "status": "upload_complete",
                "associated_locations": {},
            }
            for k in (
                "camera_make",
                "camera_model",
                "date_taken",
                "image_width",
                "image_height",
                "orientation",
            ):
                if k in info:
                    rec[k] = info[k]
            jd.photos[pid] = rec
            jd.blobs[pid] = bytes(data)
            jd.ids.add(pid)
            if node_id is not None:
                self._associate(
                    jd,
                    pid,
                    target,
                    node_id,
                    "node",
                    True if association_value == "true" else "main",
                )
                self._touch_node(jd, target, ms)
            elif section is not None:
                self._associate(
                    jd,
                    pid,
                    target,
                    self._section_key(*section),
                    "section",
                    True if association_value == "true" else "main",
                )
                self._touch_section(jd, section[0], target, ms)
            self._touch_job(job, ms)
            return {"id": pid}

    def _touch_node(self, jd: JobData, node: dict, ms: int) -> None:
        node["last_updated"] = iso_from_ms(ms)
        self._cache_node(jd, node)

    def _touch_section(self, jd: JobData, connection_id: str, sec: dict, ms: int) -> None:
        sec["last_updated"] = iso_from_ms(ms)
        jd.connections[connection_id]["last_updated"] = iso_from_ms(ms)

    @staticmethod
    def _associate(jd: JobData, pid: str, target: dict, key: str, kind: str, value: Any) -> None:
        photos = target.setdefault("photos", {})
        rec = jd.photos[pid]
        if value is None:
            photos.pop(pid, None)
            if not photos:
                target.pop("photos", None)
            rec.setdefault("associated_locations", {}).pop(key, None)
            return
        if value == "main":
            for other, assoc in photos.items():
                if other != pid and assoc.get("association") == "main":
                    assoc["association"] = True
        photos[pid] = {"association": value}
        rec.setdefault("associated_locations", {})[key] = kind

    def associate_photo(self, job_id: str, photo_id: str, body: dict) -> dict:
        if "association_value" not in body:
            raise missing_field("association_value")
        value = body["association_value"]
        if not (value is None or value is True or value == "main"):
            raise invalid_request(
                'association_value must be true, "main" or null (false is not accepted), '
                f"got {value!r}"
            )
        has_node = "node_id" in body and body["node_id"] is not None
        has_conn = "connection_id" in body and body["connection_id"] is not None
        has_sec = "section_id" in body and body["section_id"] is not None
        if has_node == (has_conn or has_sec) or has_conn != has_sec:
            raise invalid_request("Give node_id alone, or connection_id together with section_id")
        for f in ("node_id", "connection_id", "section_id"):
            if body.get(f) is not None and not isinstance(body[f], str):
                raise invalid_request(f"{f} must be a string")
        with self.lock:
            job, jd = self._job(job_id)
            if photo_id not in jd.photos:
                raise not_found(f"Photo {photo_id!r}")
            ms = self.stamp()
            if has_node:
                node = jd.nodes.get(body["node_id"])
                if node is None:
                    raise not_found("Node {!r}".format(body["node_id"]))
                self._associate(jd, photo_id, node, body["node_id"], "node", value)
                self._touch_node(jd, node, ms)
            else:
                conn = self._conn(jd, body["connection_id"])
                sec = (conn.get("sections") or {}).get(body["section_id"])
                if sec is None:
                    raise not_found(
                        "Section {!r} on connection {!r}".format(
                            body["section_id"], body["connection_id"]
                        )
                    )
                self._associate(
                    jd,
                    photo_id,
                    sec,
                    self._section_key(body["connection_id"], body["section_id"]),
                    "section",
                    value,
                )
                self._touch_section(jd, body["connection_id"], sec, ms)
            self._touch_job(job, ms)
            return {}

    def _sign(self, job_id: str, photo_id: str, size: str, expires: int) -> str:
        msg = f"{job_id}/{photo_id}/{size}/{expires}"
        return hmac.new(self.secret.encode(), msg.encode(), hashlib.sha256).hexdigest()[:32]

    def photo_url(
        self,
        job_id: str,
        photo_id: str,
        file_size: str | None,
        file_type: str | None,
        root_url: str,
    ) -> dict:
        size = file_size or "full"
        ftype = file_type or "webp"
        if size not in FILE_SIZES:
            raise invalid_request(
                "file_size must be one of {}, got {!r}".format(", ".join(FILE_SIZES), size)
            )
        if ftype not in FILE_TYPES:
            raise invalid_request(
                "file_type must be one of {}, got {!r}".format(", ".join(FILE_TYPES), ftype)
            )
        with self.lock:
            _, jd = self._job(job_id)
            if photo_id not in jd.photos:
                raise not_found(f"Photo {photo_id!r}")
            expires = int(self.clock()) + URL_LIFETIME_S
            sig = self._sign(job_id, photo_id, size, expires)
            # Every size and type serves the stored JPEG bytes.
            path = f"/files/{job_id}/{photo_id}/{size}.jpg"
            return {"url": f"{root_url}{path}?expires={expires}&sig={sig}"}

    def photo_bytes(
        self, job_id: str, photo_id: str, size: str, expires: str, sig: str
    ) -> bytes | None:
        """Bytes for a signed file URL, or None when the URL is invalid/expired/gone."""
        try:
            exp = int(expires)
        except (TypeError, ValueError):
            return None
        if exp < self.clock() or not hmac.compare_digest(
            self._sign(job_id, photo_id, size, exp), sig or ""
        ):
            return None
        with self.lock:
            jd = self.data.get(job_id)
            if jd is None or photo_id not in jd.photos:
                return None
            if photo_id in jd.blobs:
                return jd.blobs[photo_id]
            recipe = jd.recipes.get(photo_id)
            if recipe is not None and self.render_photo is not None:
                return self.render_photo(recipe)
            return None

    # ------------------------------------------------------------------ photo elements
    def _photo(self, jd: JobData, photo_id: str) -> dict:
        rec = jd.photos.get(photo_id)
        if rec is None:
            raise not_found(f"Photo {photo_id!r}")
        return rec

    def list_elements(self, job_id: str, photo_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            self._photo(jd, photo_id)
            return copy.deepcopy(list(jd.elements.get(photo_id, {}).values()))

    def get_element(self, job_id: str, photo_id: str, element_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            self._photo(jd, photo_id)
            el = jd.elements.get(photo_id, {}).get(element_id)
            if el is None:
                raise not_found(f"Photo element {element_id!r}")
            return copy.deepcopy(el)

    def _check_element_body(
        self, jd: JobData, photo_id: str, body: dict, element_id: str | None
    ) -> None:
        v.check_string(body, "element_type")
        if "pixel_selection" in body:
            v.check_pixel_selection(body["pixel_selection"])
        mh = v.check_string(body, "manual_height")
        if mh is not None:
            feet, dash, inches = mh.partition("-")
            try:
                ok = feet.strip().isdigit() and (not dash or float(inches) >= 0)
            except ValueError:
                ok = False
            if not ok:
                raise invalid_field(f"manual_height must be feet-inches like 25-6, got {mh!r}")
        parent = v.check_string(body, "parent_id", allow_null=True)
        if parent is not None:
            elements = jd.elements.get(photo_id, {})
            if parent not in elements or parent == element_id:
                raise invalid_field(f"parent_id {parent!r} is not another element of this photo")
            seen, up = set(), parent
            while up is not None and up not in seen:  # refuse nesting loops
                if up == element_id:
                    raise invalid_field(f"parent_id {parent!r} would nest the element in itself")
                seen.add(up)
                up = elements.get(up, {}).get("parent_id")
        trace = v.check_string(body, "trace_id")
        if trace is not None and trace not in jd.traces:
            raise invalid_field(f"trace_id {trace!r} is not a trace of this job")
        attrs = v.check_object(body, "attributes")
        for k in attrs or {}:
            if k in _ELEMENT_FIELDS:
                raise invalid_field(f"attribute name {k!r} is reserved on photo elements")

    def create_element(self, job_id: str, photo_id: str, body: dict) -> dict:
        if "element_type" not in body:
            raise missing_field("element_type")
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            self._check_element_body(jd, photo_id, body, None)
            return self._write_element(job, jd, photo_id, self.new_push_id(), None, body)

    def upsert_element(
        self, job_id: str, photo_id: str, element_id: str, body: dict, only_if_exists: str | None
    ) -> dict:
        """Update; when missing (and not onlyIfExists) a new element is created under a
        NEW server id, as the v3 reference describes (clients must not rely on the id)."""
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            current = jd.elements.get(photo_id, {}).get(element_id)
            if current is None:
                if only:
                    raise not_found(f"Photo element {element_id!r} (onlyIfExists=true)")
                if "element_type" not in body:
                    raise missing_field("element_type")
                self._check_element_body(jd, photo_id, body, None)
                return self._write_element(job, jd, photo_id, self.new_push_id(), None, body)
            if "element_type" in body and body["element_type"] != current.get("element_type"):
                raise invalid_field("element_type can only be set when the element is created")
            self._check_element_body(jd, photo_id, body, element_id)
            return self._write_element(job, jd, photo_id, element_id, current, body)

    def _write_element(
        self, job: dict, jd: JobData, photo_id: str, eid: str, current: dict | None, body: dict
    ) -> dict:
        el = (
            copy.deepcopy(current) if current else {"id": eid, "element_type": body["element_type"]}
        )
        for f in ("pixel_selection", "manual_height"):
            if f in body:
                el[f] = copy.deepcopy(body[f])
        if "parent_id" in body:
            if body["parent_id"] is None:
                el.pop("parent_id", None)
            else:
                el["parent_id"] = body["parent_id"]
        if "trace_id" in body:
            old = el.get("trace_id")
            if old and old in jd.traces:
                jd.traces[old].get("items", {}).pop(eid, None)
            el["trace_id"] = body["trace_id"]
            jd.traces[body["trace_id"]].setdefault("items", {})[eid] = {"photo_id": photo_id}
        v.apply_flat(el, body.get("attributes") or {}, reserved=_ELEMENT_FIELDS)
        ms = self.stamp()
        el["last_updated"] = iso_from_ms(ms)
        jd.elements.setdefault(photo_id, {})[eid] = el
        jd.ids.add(eid)
        self._touch_job(job, ms)
        return copy.deepcopy(el)

    def delete_element(self, job_id: str, photo_id: str, element_id: str) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            el = jd.elements.get(photo_id, {}).pop(element_id, None)
            if el is None:
                raise not_found(f"Photo element {element_id!r}")
            jd.ids.discard(element_id)
            if el.get("trace_id") in jd.traces:
                jd.traces[el["trace_id"]].get("items", {}).pop(element_id, None)
            for other in jd.elements.get(photo_id, {}).values():
                if other.get("parent_id") == element_id:
                    other.pop("parent_id", None)
            self._touch_job(job)
            return {"id": element_id}

    # ------------------------------------------------------------------ calibration anchors
    def list_anchors(self, job_id: str, photo_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            self._photo(jd, photo_id)
            return copy.deepcopy(list(jd.anchors.get(photo_id, {}).values()))

    def get_anchor(self, job_id: str, photo_id: str, anchor_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            self._photo(jd, photo_id)
            a = jd.anchors.get(photo_id, {}).get(anchor_id)
            if a is None:
                raise not_found(f"Calibration anchor {anchor_id!r}")
            return copy.deepcopy(a)

    @staticmethod
    def _check_anchor_body(body: dict, create: bool) -> None:
        if create:
            for f in ("pixel_selection", "height"):
                if f not in body:
                    raise missing_field(f)
        if "pixel_selection" in body:
            v.check_pixel_selection(body["pixel_selection"])
        if "height" in body and not v.is_number(body["height"]):
            raise invalid_field("height must be a number (decimal feet)")

    def create_anchor(self, job_id: str, photo_id: str, body: dict) -> dict:
        self._check_anchor_body(body, create=True)
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            return self._write_anchor(job, jd, photo_id, self.new_push_id(), None, body)

    def upsert_anchor(
        self, job_id: str, photo_id: str, anchor_id: str, body: dict, only_if_exists: str | None
    ) -> dict:
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            current = jd.anchors.get(photo_id, {}).get(anchor_id)
            if current is None:
                if only:
                    raise not_found(f"Calibration anchor {anchor_id!r} (onlyIfExists=true)")
                self._new_id_for(jd, anchor_id)
            self._check_anchor_body(body, create=current is None)
            return self._write_anchor(job, jd, photo_id, anchor_id, current, body)

    def _write_anchor(
        self, job: dict, jd: JobData, photo_id: str, aid: str, current: dict | None, body: dict
    ) -> dict:
        a = copy.deepcopy(current) if current else {"id": aid}
        if "pixel_selection" in body:
            a["pixel_selection"] = v.check_pixel_selection(body["pixel_selection"])
        if "height" in body:
            a["height"] = body["height"]
        ms = self.stamp()
        a["last_updated"] = iso_from_ms(ms)
        jd.anchors.setdefault(photo_id, {})[aid] = a
        jd.ids.add(aid)
        jd.photos[photo_id].pop("stick_align", None)  # changing anchors un-calibrates the photo
        self._touch_job(job, ms)
        return copy.deepcopy(a)

    def delete_anchor(self, job_id: str, photo_id: str, anchor_id: str) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            self._photo(jd, photo_id)
            if jd.anchors.get(photo_id, {}).pop(anchor_id, None) is None:
                raise not_found(f"Calibration anchor {anchor_id!r}")
            jd.ids.discard(anchor_id)
            jd.photos[photo_id].pop("stick_align", None)
            self._touch_job(job)
            return {"id": anchor_id}

    # ------------------------------------------------------------------ traces
    def list_traces(self, job_id: str) -> list:
        with self.lock:
            _, jd = self._job(job_id)
            return copy.deepcopy(list(jd.traces.values()))

    def get_trace(self, job_id: str, trace_id: str) -> dict:
        with self.lock:
            _, jd = self._job(job_id)
            t = jd.traces.get(trace_id)
            if t is None:
                raise not_found(f"Trace {trace_id!r}")
            return copy.deepcopy(t)

    @staticmethod
    def _check_trace_body(body: dict, create: bool) -> None:
        if create and "trace_type" not in body:
            raise missing_field("trace_type")
        v.check_string(body, "trace_type")
        attrs = v.check_object(body, "attributes")
        for k in attrs or {}:
            if k in _TRACE_FIELDS:
                raise invalid_field(f"attribute name {k!r} is reserved on traces")

    def create_trace(self, job_id: str, body: dict) -> dict:
        self._check_trace_body(body, create=True)
        with self.lock:
            job, jd = self._job(job_id)
            return self._write_trace(job, jd, self.new_push_id(), None, body)

    def upsert_trace(
        self, job_id: str, trace_id: str, body: dict, only_if_exists: str | None
    ) -> dict:
        only = self._bool_param(only_if_exists, "onlyIfExists")
        with self.lock:
            job, jd = self._job(job_id)
            current = jd.traces.get(trace_id)
            if current is None:
                if only:
                    raise not_found(f"Trace {trace_id!r} (onlyIfExists=true)")
                self._new_id_for(jd, trace_id)
            self._check_trace_body(body, create=current is None)
            return self._write_trace(job, jd, trace_id, current, body)

    def _write_trace(
        self, job: dict, jd: JobData, tid: str, current: dict | None, body: dict
    ) -> dict:
        t = copy.deepcopy(current) if current else {"id": tid, "items": {}}
        if "trace_type" in body:
            t["_trace_type"] = body["trace_type"]
        v.apply_flat(t, body.get("attributes") or {}, reserved=_TRACE_FIELDS)
        ms = self.stamp()
        t["last_updated"] = iso_from_ms(ms)
        jd.traces[tid] = t
        jd.ids.add(tid)
        self._touch_job(job, ms)
        return copy.deepcopy(t)

    def delete_trace(self, job_id: str, trace_id: str) -> dict:
        with self.lock:
            job, jd = self._job(job_id)
            t = jd.traces.pop(trace_id, None)
            if t is None:
                raise not_found(f"Trace {trace_id!r}")
            jd.ids.discard(trace_id)
            for els in jd.elements.values():
                for el in els.values():
                    if el.get("trace_id") == trace_id:
                        el.pop("trace_id", None)
            self._touch_job(job)
            return {"id": trace_id}

    # ------------------------------------------------------------------ models, users, companies
    def list_models(self) -> dict:
        with self.lock:
            return {k: {"name": m.get("name", k)} for k, m in self.models.items()}

    @staticmethod
    def parse_model_paths(paths: str | None) -> list[str]:
        if paths is None:
            raise ApiError(
                403,
                "extended_access_required",
                "Fetching a full model requires extended API access; "
                "request specific paths instead",
            )
        items = [p.strip().strip("/") for p in paths.split(",") if p.strip().strip("/")]
        if not items:
            raise invalid_request("paths must list at least one model path")
        if len(items) > 10:
            raise invalid_request(f"At most 10 paths per request, got {len(items)}")
        return items

    def get_model(self, key: str, paths: list[str]) -> dict:
        with self.lock:
            model = self.models.get(key)
            if model is None:
                raise not_found(f"Model {key!r}")
            out = {}
            for p in paths:
                node: Any = model
                for part in p.split("/"):
                    node = node.get(part) if isinstance(node, dict) else None
                out[p] = copy.deepcopy(node)
            return out

    MEMBER_UID = "sandboxUser0000000002"

    def whoami(self, uid: str | None = None) -> dict:
        uid = uid or self.me
        u = self.users[uid]
        return {
            "uid": uid,
            "email": u.get("email"),
            "user_group": self.company_id,
            "root_company": self.company_id,
        }

    def list_users(self, admin: bool = True) -> list:
        if not admin:
            raise ApiError(403, "forbidden", "Listing users requires a company admin")
        with self.lock:
            return [
                {k: u.get(k) for k in ("uid", "email", "name", "last_active", "creation_date")}
                for u in self.users.values()
            ]

    def get_user(self, user_id: str, uid: str | None = None, admin: bool = True) -> dict:
        if not admin and user_id != (uid or self.me):
            raise ApiError(
                403, "forbidden", "Reading another user's record requires a company admin"
            )
        with self.lock:
            u = self.users.get(user_id)
            if u is None:
                raise not_found(f"User {user_id!r}")
            return copy.deepcopy(u)

    def _company(self, company_id: str) -> None:
        if company_id != self.company_id:
            raise ApiError(403, "forbidden", f"Company {company_id!r} is not your company")

    def list_tracked_actions(self, company_id: str, q: dict[str, str]) -> list:
        self._company(company_id)
        lo = hi = None
        try:
            if q.get("start_time"):
                lo = parse_time_param(q["start_time"])
            if q.get("end_time"):
                hi = parse_time_param(q["end_time"])
        except ValueError:
            raise ApiError(
                400, "invalid_timestamp", "start_time/end_time must be ISO-8601 or Unix seconds"
            ) from None
        limit = 200
        if "limit" in q:
            try:
                limit = int(q["limit"])
            except ValueError:
                limit = 0
            if limit < 1:
                raise ApiError(
                    400,
                    "invalid_limit",
                    "limit must be a positive integer, got {!r}".format(q["limit"]),
                )
            limit = min(limit, 200)
        out = []
        with self.lock:
            for rec in sorted(
                self.tracked_actions, key=lambda r: r["timestamp"]["_seconds"], reverse=True
            ):
                ms = rec["timestamp"]["_seconds"] * 1000.0
                if lo is not None and ms < lo or hi is not None and ms > hi:
                    continue
                if any(
                    k in q and str(rec.get(k)) != q[k]
                    for k in ("uid", "job_id", "action_id", "action_name", "value")
                ):
                    continue
                out.append(copy.deepcopy(rec))
                if len(out) >= limit:
                    break
        return out

    def get_action_models(self, company_id: str) -> list:
        self._company(company_id)
        return copy.deepcopy(self.action_models)

    # ------------------------------------------------------------------ persistence
    def to_state(self) -> dict:
        """Everything as JSON-able data (image bytes base64)."""
        with self.lock:
            jobs = {}
            for jid, job in self.jobs.items():
                jd = self.data[jid]
                jobs[jid] = {
                    "job": job,
                    "nodes": list(jd.nodes.values()),
                    "connections": list(jd.connections.values()),
                    "photos": list(jd.photos.values()),
                    "blobs": {k: base64.b64encode(b).decode() for k, b in jd.blobs.items()},
                    "recipes": jd.recipes,
                    "elements": jd.elements,
                    "anchors": jd.anchors,
                    "traces": jd.traces,
                }
            return {
                "version": 1,
                "secret": self.secret,
                "company_id": self.company_id,
                "me": self.me,
                "users": self.users,
                "models": self.models,
                "tracked_actions": self.tracked_actions,
                "action_models": self.action_models,
                "last_ms": self._last_ms,
                "jobs": jobs,
            }

    def load_state(self, state: dict) -> None:
        """Replace all data with a :meth:`to_state` snapshot."""
        with self.lock:
            self.secret = state["secret"]
            self.company_id = state["company_id"]
            self.me = state["me"]
            self.users = state["users"]
            self.models = state["models"]
            self.tracked_actions = state["tracked_actions"]
            self.action_models = state["action_models"]
            self._last_ms = max(self._last_ms, state.get("last_ms", 0))
            self.jobs, self.data = {}, {}
            for jid, js in state["jobs"].items():
                self.jobs[jid] = js["job"]
                self.data[jid] = JobData()
                for n in js["nodes"]:
                    self.put_node(jid, n)
                for c in js["connections"]:
                    self.put_connection(jid, c)
                jd = self.data[jid]
                for p in js["photos"]:
                    self.put_photo(jid, p)
                jd.blobs = {k: base64.b64decode(b) for k, b in js["blobs"].items()}
                jd.recipes = js["recipes"]
                jd.elements = js["elements"]
                jd.anchors = js["anchors"]
                jd.traces = js["traces"]
                for group in (jd.elements, jd.anchors):
                    for items in group.values():
                        jd.ids.update(items)
                jd.ids.update(jd.traces)
            self.dirty = False
