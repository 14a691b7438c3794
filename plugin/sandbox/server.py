"""``SandboxServer``: the HTTP front of the sandbox (stdlib ``http.server``, 127.0.0.1 only)."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import routes
from .errors import ApiError, MiddlewareError
from .faults import Faults
from .limits import RateLimiter
from .store import RawJson, Store

API_PREFIX = "/api/v3"
_API_KEY_RE = re.compile(r"((?:^|[?&])api_key=)[^&\s]*")
# Roles of additional keys: a non-admin company member, or keys the middleware refuses.
EXTRA_KEY_ROLES = ("member", "INVALID USER", "PERMISSION DENIED")
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_UPLOAD_BYTES = 32 * 1024 * 1024


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: SandboxServer

    def server_activate(self) -> None:
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().server_activate()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self._conns_lock:
            self._conns.add(conn)
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close kept-alive client connections so nothing is served after stop()."""
        with self._conns_lock:
            conns = list(self._conns)
            self._conns.clear()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _DroppedError(Exception):
    """The fault injector closed the socket without answering."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY every response would
    # wait ~40 ms for the client's delayed ACK (Nagle).
    disable_nagle_algorithm = True
    timeout = 300  # idle keep-alive connections are closed after 5 minutes
    server_version = "KatapultSandbox/1"
    server: _HTTPServer

    def log_message(self, fmt: str, *args: Any) -> None:  # noqa: D401 - quiet by default
        if self.server.sandbox.verbose:
            super().log_message("%s", _API_KEY_RE.sub(r"\1***", fmt % args))

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    # ------------------------------------------------------------------ plumbing
    def _dispatch(self, method: str) -> None:
        sb = self.server.sandbox
        arrival = sb.limiter.clock()
        try:
            sb._handle(self, method, arrival)
        except _DroppedError:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # the server never dies on a bad request
            sb.last_exception = exc
            if sb.verbose:
                import traceback

                traceback.print_exc()
            try:
                self.send_json(500, {"error": "INTERNAL ERROR"})
            except OSError:
                self.close_connection = True

    def read_body(self, limit: int) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > limit:
                    self.close_connection = True
                    raise ApiError(
                        413,
                        "invalid_request",
                        f"Request body too large (more than {limit} bytes)",
                    )
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise ApiError(
                400, "invalid_request", "Content-Length header is not a number"
            ) from None
        if length > limit:
            self.close_connection = True
            raise ApiError(
                413,
                "invalid_request",
                f"Request body too large ({length} bytes; the limit is {limit} bytes)",
            )
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(
        self, status: int, payload: bytes, content_type: str = "application/json; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        # Counted before the bytes leave, so a client never sees a response the stats miss.
        self.server.sandbox.limiter.count_status(status)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def send_json(self, status: int, obj: Any) -> None:
        self.send_bytes(status, json.dumps(obj, separators=(",", ":")).encode("utf-8"))

    def drop(self) -> None:
        """Close the socket without any response (unknown outcome for the client)."""
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise _DroppedError()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _envelope(data: Any, meta: dict) -> bytes:
    if isinstance(data, RawJson):
        body = '{{"status":"success","data":{},"meta":{}}}'.format(
            data, json.dumps(meta, separators=(",", ":"))
        )
        return body.encode("utf-8")
    return json.dumps(
        {"status": "success", "data": data, "meta": meta}, separators=(",", ":")
    ).encode("utf-8")


def _error(err: ApiError, meta: dict) -> dict:
    return {"status": "error", "message": err.message, "type": err.type, "meta": meta}


class SandboxServer:
    """A local Katapult Pro v3 server with real semantics, faults and sample data.

    ``start()`` returns once the socket accepts; ``stop()`` shuts it down and
    saves ``state_file`` (if given). ``time_scale`` divides the refill period
    (60 s) and the general interval.
    """

    def __init__(
        self,
        api_key: str = "demo-key",
        port: int = 0,
        sample_nodes: int = 0,
        seed: int = 1,
        time_scale: float = 1.0,
        bucket_size: int = 10000,
        general_interval_ms: float = 50,
        refill_period_s: float = 60.0,
        costs: dict[str, int] | None = None,
        extra_keys: dict[str, str] | None = None,
        state_file: str | os.PathLike | None = None,
        admin_token: str | None = None,
        faults: dict | None = None,
        verbose: bool = False,
        max_json_bytes: int = MAX_JSON_BYTES,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if sample_nodes and not 10 <= sample_nodes <= 50000:
            raise ValueError("sample_nodes must be 0 or between 10 and 50000")
        self.api_key = api_key
        self.requested_port = port
        self.sample_nodes = sample_nodes
        self.seed = seed
        self.time_scale = float(time_scale)
        self.state_file = os.fspath(state_file) if state_file else None
        self.admin_token = admin_token or secrets.token_hex(16)
        self.verbose = verbose
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.extra_keys = dict(extra_keys or {})
        for k, role in self.extra_keys.items():
            if role not in EXTRA_KEY_ROLES or not k or k == api_key:
                raise ValueError(
                    f"extra key {k!r}: role must be one of {', '.join(EXTRA_KEY_ROLES)}"
                    " and the key must differ from api_key"
                )
        self.costs = dict(costs or {})
        for op, value in self.costs.items():
            if op not in routes.OPERATIONS and op != "model_path":
                raise ValueError(f"unknown operation {op!r} in costs")
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"cost of {op} must be a non-negative integer")
        if refill_period_s <= 0:
            raise ValueError("refill_period_s must be positive")
        self.store = Store(seed=seed)
        self.limiter = RateLimiter(
            bucket_size=bucket_size,
            refill_period_s=refill_period_s / self.time_scale,
            general_interval_s=general_interval_ms / 1000.0 / self.time_scale,
        )
        self.faults = Faults(seed)
        if faults:
            self.set_faults(**faults)
        self.job_id: str | None = None
        self.port: int | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._saver: threading.Thread | None = None
        self._stopping = threading.Event()
        self.last_exception: BaseException | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + API_PREFIX

    def start(self) -> SandboxServer:
        """Load or generate data, bind 127.0.0.1 and serve in a background thread."""
        from .generator import generate_sample_job, render_recipe, seed_world

        if self._httpd is not None:
            raise RuntimeError("this SandboxServer is already running")

        self.store.render_photo = render_recipe
        loaded = False
        if self.state_file and os.path.exists(self.state_file):
            try:
                with open(self.state_file, encoding="utf-8") as fh:
                    state = json.load(fh)
                self.store.load_state(state["store"])
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(
                    f"state file {self.state_file} is not a sandbox state ({exc!r}); "
                    "move it away or pass another --state file"
                ) from None
            self.job_id = state.get("sample_job_id")
            loaded = True
        if not loaded:
            seed_world(self.store, self.seed)
            if self.sample_nodes:
                self.job_id = generate_sample_job(self.store, self.sample_nodes, self.seed)
        self._httpd = _HTTPServer(("127.0.0.1", self.requested_port), _Handler)
        self._httpd.sandbox = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="katapult-sandbox",
            daemon=True,
        )
        self._thread.start()
        if self.state_file:
            self.save_state()
            self._saver = threading.Thread(
                target=self._autosave, name="katapult-sandbox-save", daemon=True
            )
            self._saver.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and save the state file."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd.close_connections()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self.state_file:
            self.save_state()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def save_state(self) -> None:
        """Write all data to ``state_file`` atomically (JSON)."""
        if not self.state_file:
            return
        with self.store.lock:
            state = {"sample_job_id": self.job_id, "store": self.store.to_state()}
            self.store.dirty = False
            text = json.dumps(state, separators=(",", ":"))
        tmp = self.state_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, self.state_file)

    def _autosave(self) -> None:
        # Save at most once a second, and never spend more than ~20 % of the time saving.
        pause = 1.0
        while not self._stopping.wait(pause):
            if self.store.dirty:
                t0 = time.monotonic()
                try:
                    self.save_state()
                except OSError as exc:
                    print(f"sandbox: cannot save state: {exc}", file=sys.stderr)
                pause = max(1.0, 5 * (time.monotonic() - t0))

    # ------------------------------------------------------------------ faults and stats
    def set_faults(self, **faults: Any) -> dict:
        """Set faults (see ``faults.FAULT_FIELDS``); ``None`` clears one. Returns the settings."""
        settings = self.faults.update(**faults)
        self._apply_fault_side_effects()
        return settings

    def clear_faults(self) -> None:
        self.faults.clear()
        self.limiter.shrink_to = None

    def _apply_fault_side_effects(self) -> None:
        self.limiter.shrink_to = self.faults.get("shrink_bucket_to")
        if self.faults.get("drain_bucket"):
            self.limiter.drain(self.api_key)
            self.faults.update(drain_bucket=None)
            self.faults.count("drain_bucket")

    def refill_now(self) -> None:
        """Reset every key's bucket to full now (also ``POST /__admin/refill``)."""
        self.limiter.refill_now()

    @property
    def stats(self) -> dict:
        """Per refill window tokens granted/spent, 429s by kind, request counts, fault hits."""
        snap = self.limiter.snapshot()
        snap["faults"] = self.faults.snapshot()
        return snap

    # ------------------------------------------------------------------ request handling
    def _handle(self, h: _Handler, method: str, arrival: float) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if path.startswith("/__admin/"):
            return self._admin(h, method, path)
        if path.startswith("/files/") and method == "GET":
            return self._file(h, path, query)
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            h.read_body(self.max_upload_bytes)
            h.send_json(
                404,
                {
                    "status": "error",
                    "message": f"Not found: {method} {path} (the API lives under {API_PREFIX})",
                    "type": "not_found",
                },
            )
            return
        sub = path[len(API_PREFIX) :] or "/"
        if len(sub) > 1 and sub.endswith("/"):
            sub = sub[:-1]
        key = query.get("api_key")
        try:
            # Middleware: key, general limit, fault storms.
            if not key:
                raise MiddlewareError(400, "MISSING API KEY")
            role = "admin" if key == self.api_key else self.extra_keys.get(key)
            if role is None:
                raise MiddlewareError(401, "INVALID API KEY")
            if role in ("INVALID USER", "PERMISSION DENIED"):
                raise MiddlewareError(403, role)
            if not self.limiter.general_ok(key, arrival):
                raise MiddlewareError(429, "GENERAL RATE LIMIT EXCEEDED")
            faulty = self.faults.applies(sub)
            if faulty:
                latency = self.faults.get("latency_ms", 0)
                if latency:
                    self.faults.count("latency_ms")
                    time.sleep(latency / 1000.0)
                if self.faults.take_storm() or self.faults.roll("rate_429"):
                    self.limiter.count_general_429()
                    raise MiddlewareError(429, "GENERAL RATE LIMIT EXCEEDED")
        except MiddlewareError as err:
            h.read_body(self.max_upload_bytes)
            h.send_json(err.status, {"error": err.error})
            return
        self._route(h, method, sub, query, key, faulty, role)

    def _route(
        self,
        h: _Handler,
        method: str,
        sub: str,
        query: dict,
        key: str,
        faulty: bool,
        role: str = "admin",
    ) -> None:
        now = self.limiter.clock()
        route, params, known = routes.match(method, sub)
        if route is None:
            h.read_body(self.max_upload_bytes)
            if routes.is_reserved(method, sub):
                h.send_json(501, {"error": "NOT IMPLEMENTED"})
                return
            _, meta = self.limiter.check_tokens(key, 0, now)
            msg = (
                (f"Method {method} is not allowed on {sub}")
                if known
                else (f"Route not found: {method} {sub}")
            )
            h.send_json(404, _error(ApiError(404, "not_found", msg), meta))
            return
        ctx = routes.Ctx(
            self.store,
            params,
            {k: v for k, v in query.items() if k != "api_key"},
            None,
            h.headers.get("Content-Type") or "",
            self.root_url,
            uid=None if role == "admin" else Store.MEMBER_UID,
            admin=role == "admin",
        )
        try:
            limit = self.max_upload_bytes if route.body == "jpeg" else self.max_json_bytes
            raw = h.read_body(limit)
            cost = routes.cost_of(route, ctx, self.costs)
        except ApiError as err:
            _, meta = self.limiter.check_tokens(key, 0, now)
            h.send_json(err.status, _error(err, meta))
            return
        ok, meta = self.limiter.check_tokens(key, cost, now)
        if not ok:
            h.send_json(
                429,
                _error(
                    ApiError(
                        429,
                        "token_rate_limit_exceeded",
                        f"Token rate limit exceeded: this call costs {cost} tokens, "
                        f"{meta['token_count']} left; the bucket refills at last_refill_time + "
                        f"{self.limiter.refill_period_s * 1000:.0f} ms",
                    ),
                    meta,
                ),
            )
            return
        if faulty and self.faults.roll("error_rate"):
            if self.faults.rng.random() < 0.5:
                h.send_json(500, {"error": "INTERNAL ERROR"})
            else:
                h.send_json(
                    500,
                    _error(
                        ApiError(500, "internal_error", "Internal error (injected fault)"),
                        self.limiter.meta(key),
                    ),
                )
            return
        try:
            if route.body == "json":
                ctype = ctx.content_type.split(";")[0].strip().lower()
                if raw.strip() and ctype != "application/json":
                    raise ApiError(
                        400,
                        "invalid_request",
                        "Send JSON bodies with Content-Type: application/json "
                        f"(got {ctx.content_type or 'none'!r})",
                    )
                ctx.body = self._parse_json(raw)
                routes.check_body_fields(route, ctx.body)
            elif route.body == "jpeg":
                ctx.body = raw
            data = route.handler(ctx)
        except ApiError as err:
            h.send_json(err.status, _error(err, self.limiter.meta(key)))
            return
        meta = self.limiter.spend(key, cost)
        if route.operation == "getWelcome":
            payload = json.dumps(
                {
                    "status": "success",
                    "message": "Welcome to the Katapult Pro API V3 (sandbox)",
                    "meta": meta,
                }
            ).encode("utf-8")
        else:
            payload = _envelope(data, meta)
        if faulty and route.writes and self.faults.roll("drop_after_write_rate"):
            self.limiter.count_status(0)
            h.drop()
        if faulty and self.faults.roll("malformed_json_rate"):
            payload = payload[: max(1, len(payload) // 2)]
        h.send_bytes(200, payload)

    @staticmethod
    def _parse_json(raw: bytes) -> dict:
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiError(
                400, "invalid_request", f"The request body is not valid JSON: {exc}"
            ) from None
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_request", "The request body must be a JSON object")
        return body

    def _file(self, h: _Handler, path: str, query: dict) -> None:
        parts = path.split("/")
        # /files/<job>/<photo>/<size>.jpg
        if len(parts) != 5 or not parts[4].endswith(".jpg"):
            h.send_bytes(404, b"not found", "text/plain")
            return
        data = self.store.photo_bytes(
            parts[2], parts[3], parts[4][:-4], query.get("expires", ""), query.get("sig", "")
        )
        if data is None:
            h.send_bytes(
                403,
                b"<Error><Code>AccessDenied</Code><Message>Invalid, expired or unknown "
                b"signed URL</Message></Error>",
                "application/xml",
            )
            return
        h.send_bytes(200, data, "image/jpeg")

    def _admin(self, h: _Handler, method: str, path: str) -> None:
        try:
            raw = h.read_body(self.max_json_bytes)
        except ApiError as err:
            h.send_json(err.status, {"error": err.message})
            return
        if not secrets.compare_digest(h.headers.get("X-Admin-Token") or "", self.admin_token):
            h.send_json(403, {"error": "ADMIN TOKEN REQUIRED (header X-Admin-Token)"})
            return
        if path == "/__admin/stats" and method == "GET":
            h.send_json(200, self.stats)
        elif path == "/__admin/faults" and method == "GET":
            h.send_json(200, self.faults.snapshot())
        elif path == "/__admin/faults" and method in ("POST", "DELETE"):
            try:
                if method == "DELETE":
                    self.clear_faults()
                else:
                    body = self._parse_json(raw)
                    if body.pop("clear", False):
                        self.clear_faults()
                    self.set_faults(**body)
            except (ValueError, ApiError) as exc:
                h.send_json(400, {"error": str(exc)})
                return
            h.send_json(200, self.faults.snapshot())
        elif path == "/__admin/refill" and method == "POST":
            self.limiter.refill_now()
            h.send_json(200, {"refilled": True})
        elif path == "/__admin/save" and method == "POST":
            self.save_state()
            h.send_json(200, {"saved": bool(self.state_file)})
        else:
            h.send_json(404, {"error": f"unknown admin route {method} {path}"})
