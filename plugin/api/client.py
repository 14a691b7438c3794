"""KatapultClient: one method per Katapult Pro API v3 operation, paced by a Governor.

Every named method goes through :meth:`KatapultClient.request`, which the sync executor
may also call directly with a journaled ``(verb, path, body)``. Methods return the
response envelope's ``data``. Errors are the typed exceptions of :mod:`.errors`; no
exception text, log record or chained traceback carries the API key.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import math
import re
from typing import Any, Callable, Iterable
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter

from . import costs
from .errors import (
    KatapultError,
    ProtocolError,
    RateLimitError,
    ServerError,
    TransportError,
    UnknownOutcomeError,
    ValidationError,
    error_from_envelope,
)
from .ids import path_id_problem
from .masking import install_logging_filter, mask_secrets, register_secret
from .pacing import CancelToken, Governor

DEFAULT_BASE_URL = "https://katapultpro.com/api/v3"
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_UPLOAD_ASSOCIATION = {"true": "true", "main": "main", True: "true"}
_FILE_SIZES = ("full", "extra_large", "large", "small", "tiny")
_FILE_TYPES = ("webp", "jpg")
_UNSET = object()


class RawList(list):
    """A list response's items (parsed, as a plain list) plus ``texts``: each item's JSON
    text exactly as the server sent it (``texts[i]`` parses to ``self[i]``).

    Returned by the list methods called with ``raw=True`` when ``data`` is a JSON array.
    """

    __slots__ = ("texts",)

    def __init__(self, items: Iterable[Any] = (), texts: Iterable[str] = ()) -> None:
        super().__init__(items)
        self.texts: list[str] = list(texts)


_SCAN_ONCE = _json.JSONDecoder().scan_once  # the stdlib decoder json.loads uses (C when built)
_SCANSTRING = _json.decoder.scanstring
_WS = re.compile(r"[ \t\n\r]*").match
_WS_CHARS = " \t\n\r"


def _split_array(s: str, i: int) -> tuple[RawList, int]:
    """The JSON array starting at ``s[i] == "["`` as a RawList; returns it and the end index."""
    out = RawList()
    items, texts = out, out.texts
    scan, ws = _SCAN_ONCE, _WS
    i = ws(s, i + 1).end()
    if s[i] == "]":
        return out, i + 1
    while True:
        value, end = scan(s, i)
        items.append(value)
        texts.append(s[i:end])
        c = s[end]
        if c in _WS_CHARS:
            end = ws(s, end).end()
            c = s[end]
        if c == ",":
            i = end + 1
            if s[i] in _WS_CHARS:
                i = ws(s, i).end()
            continue
        if c == "]":
            return out, end + 1
        raise ValueError(f"expected ',' or ']' at {end}")


def _walk_envelope(s: str) -> Any:
    ws = _WS
    i = ws(s, 0).end()
    if s[i] != "{":
        return _json.loads(s)
    body: dict = {}
    i = ws(s, i + 1).end()
    if s[i] == "}":
        i += 1
    else:
        while True:
            if s[i] != '"':
                raise ValueError(f"expected a key at {i}")
            key, i = _SCANSTRING(s, i + 1)
            i = ws(s, i).end()
            if s[i] != ":":
                raise ValueError(f"expected ':' at {i}")
            i = ws(s, i + 1).end()
            if key == "data" and s[i] == "[":
                value, i = _split_array(s, i)
            else:
                value, i = _SCAN_ONCE(s, i)
            body[key] = value  # a repeated key: the last one wins, as in json.loads
            i = ws(s, i).end()
            if s[i] == ",":
                i = ws(s, i + 1).end()
                continue
            if s[i] == "}":
                i += 1
                break
            raise ValueError(f"expected ',' or '}}' at {i}")
    if ws(s, i).end() != len(s):
        raise ValueError("extra data")
    return body


def loads_keeping_item_texts(text: str) -> Any:
    """``json.loads(text)``, except that a top-level object's ``data`` array becomes a
    :class:`RawList` carrying each item's exact JSON text.

    Items are decoded one by one with the stdlib decoder (``JSONDecoder.scan_once``), so
    each text slice is exactly what produced its item; the value is equal to what
    ``json.loads`` returns. Anything the walk does not expect (e.g. invalid JSON) is
    left to ``json.loads``: same result, or the same error.
    """
    try:
        return _walk_envelope(text)
    except (StopIteration, ValueError, IndexError):
        return _json.loads(text)


def check_jpeg(data: object, what: str = "the photo") -> bytes:
    """Return ``data`` as bytes if it is a complete JPEG (SOI and EOI markers), else raise."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise ValidationError(f"{what.capitalize()} must be JPEG bytes, not "
                              f"{type(data).__name__}", type="invalid_file_type")
    if not data:
        raise ValidationError(f"{what.capitalize()} is empty (0 bytes)",
                              type="invalid_file_type")
    if not data.startswith(b"\xff\xd8\xff"):
        kind = _sniff(data)
        raise ValidationError(f"{what.capitalize()} is not a JPEG image ({kind})",
                              type="invalid_file_type",
                              hint="convert it to JPEG before uploading.")
    tail = data.rstrip(b"\x00\r\n\t ")
    if not tail.endswith(b"\xff\xd9"):
        raise ValidationError(f"{what.capitalize()} is an incomplete JPEG (the end-of-image "
                              "marker is missing; the file may be truncated)",
                              type="invalid_file_type",
                              hint="copy the photo again from the camera or card.")
    return data


def _sniff(data: bytes) -> str:
    signatures = [(b"\x89PNG", "it is a PNG image"), (b"GIF8", "it is a GIF image"),
                  (b"RIFF", "it is a RIFF/WebP file"), (b"%PDF", "it is a PDF document"),
                  (b"II*\x00", "it is a TIFF image"), (b"MM\x00*", "it is a TIFF image"),
                  (b"PK\x03\x04", "it is a ZIP archive")]
    for magic, text in signatures:
        if data.startswith(magic):
            return text
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "it is a HEIC image"
    return f"it starts with bytes {data[:4].hex(' ')}"


class KatapultClient:
    """Talks to one Katapult Pro API v3 server with one API key.

    ``timeout`` is ``(connect, read)`` seconds. ``session`` replaces the pooled
    ``requests.Session``; ``configure_session(session)`` is called once with the session so
    QGIS code can set proxies (``session.proxies``) and a CA bundle (``session.verify``).
    ``max_retries`` bounds retries of safe requests after 5xx / transport failures and
    after general 429s; ``max_token_retries`` bounds waits for a refill after token 429s.
    """

    def __init__(self, base_url: str = DEFAULT_BASE_URL, api_key: str | None = None, *,
                 governor: Governor | None = None, timeout: tuple[float, float] = (5.0, 60.0),
                 session: requests.Session | None = None,
                 configure_session: Callable[[requests.Session], None] | None = None,
                 max_retries: int = 4, max_token_retries: int = 5,
                 user_agent: str = "katapult-qgis") -> None:
        base_url = str(base_url or "").strip().rstrip("/")
        if not re.match(r"^https?://[^/\s?#]+", base_url):
            raise ValueError(f"The server URL {mask_secrets(base_url)!r} is not an http(s) URL; "
                             f"use e.g. {DEFAULT_BASE_URL}")
        if "?" in base_url or "#" in base_url:
            raise ValueError("The server URL must not contain a query ('?') or fragment ('#')")
        self.base_url = base_url
        self._api_key = api_key or None
        register_secret(self._api_key)
        install_logging_filter()
        self.governor = governor if governor is not None else Governor()
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.max_token_retries = max(0, int(max_token_retries))
        self.last_meta: dict | None = None
        self._own_session = session is None
        self.session = session if session is not None else self._new_session()
        self.session.headers.setdefault("User-Agent", user_agent)
        self.session.headers["Accept"] = "application/json"
        if configure_session is not None:
            configure_session(self.session)

    @staticmethod
    def _new_session() -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.verify = True
        return session

    def configure_session(self, hook: Callable[[requests.Session], None]) -> None:
        """Apply ``hook(session)`` (proxies, CA bundle) to the live session."""
        hook(self.session)

    def close(self) -> None:
        """Close pooled connections (only of a session this client created)."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> KatapultClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KatapultClient({self.base_url!r}, api_key=***)"

    # ------------------------------------------------------------------ core
    def request(self, verb: str, path: str, *, params: dict | None = None,
                json: Any = None, data: bytes | None = None, content_type: str | None = None,
                cost: int | None = None, idempotent: bool | None = None,
                lane: str = "interactive", cancel: CancelToken | None = None,
                raw_items: bool = False) -> Any:
        """Send one API request through the governor; return the envelope's ``data``.

        With ``raw_items`` a ``data`` array comes back as a :class:`RawList` (items plus
        each item's JSON text as sent; see :func:`loads_keeping_item_texts`).

        ``path`` is relative to the base URL (``/jobs/X/nodes/Y``, already quoted).
        ``cost`` and ``idempotent`` default to the operation table. Retries: token 429 →
        wait for the refill; general 429 → back-off; 5xx and transport failures → back-off
        only if the request is safe to repeat, else :class:`UnknownOutcomeError`.
        """
        verb = verb.upper()
        path = "/" + str(path).lstrip("/") if path not in ("", "/") else "/"
        shown = mask_secrets(path)
        if "api_key" in (params or {}):
            raise ValueError("Do not pass api_key as a parameter; the client adds it")
        if cost is None:
            cost = costs.cost_of(verb, path, params)
        if idempotent is None:
            idempotent = costs.is_idempotent(verb, path)
        query = _encode_params(params)
        if self._api_key:
            query.append(("api_key", self._api_key))
        headers = {}
        body: bytes | None = None
        if json is not None:
            if data is not None:
                raise ValueError("Pass either json or data, not both")
            body = _dump_json(json, verb, shown)
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = bytes(data)
            headers["Content-Type"] = content_type or "application/octet-stream"
        url = self.base_url + path
        transient = general = token = 0
        uncertain = False
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled(f"{verb} {shown}")
            ticket = self.governor.acquire(cost, lane, cancel)
            try:
                response = self.session.request(
                    verb, url, params=query, data=body, headers=headers,
                    timeout=self.timeout, allow_redirects=False)
            except BaseException as exc:
                if not isinstance(exc, requests.RequestException):
                    # Not a network failure (a bug, KeyboardInterrupt, ...): free the slot.
                    self.governor.release(ticket, charged=True)
                    raise
                sent, err = _transport_error(exc, verb, shown, idempotent)
                self.governor.release(ticket, charged=sent)
                if err.__class__ is TransportError and err.reason != "tls" \
                        and transient < self.max_retries:
                    uncertain = uncertain or sent
                    self.governor.backoff(transient)
                    transient += 1
                    continue
                raise err from None
            try:
                result, meta, err = self._interpret(response, verb, shown, raw_items)
            except BaseException:
                self.governor.release(ticket, charged=True, answered=True)
                raise
            finally:
                response.close()
            if meta is not None:
                self.last_meta = meta
                self.governor.observe(meta, ticket)
            elif err is not None and isinstance(err, KatapultError) and err.type and \
                    err.type.isupper():
                # middleware: no route ran, no tokens charged
                self.governor.release(ticket, charged=False, answered=True)
            else:
                self.governor.observe(None, ticket)
            if err is None:
                return result
            if isinstance(err, RateLimitError):
                self.governor.note_rate_limited(err.kind if meta is not None else "general",
                                                cost)
                if err.kind == "token" and meta is not None:
                    if token < self.max_token_retries:
                        token += 1
                        continue
                elif general < self.max_retries:
                    self.governor.backoff(general)
                    general += 1
                    continue
                raise err from None
            retryable = isinstance(err, ServerError) or getattr(err, "_transient", False)
            if retryable:
                if not idempotent:
                    cut = isinstance(err, ProtocolError)
                    raise UnknownOutcomeError(
                        "It is unknown whether Katapult applied the change: the server's "
                        + ("answer was cut off" if cut else "answered with an error"),
                        reason="truncated" if cut else "server_error", status=err.status,
                        type=err.type, server_message=err.server_message, method=verb,
                        path=shown, meta=meta) from None
                if transient < self.max_retries:
                    uncertain = True
                    self.governor.backoff(transient)
                    transient += 1
                    continue
            if uncertain:
                err.retried_after_unknown_outcome = True
            raise err from None

    def _interpret(self, response: requests.Response, verb: str, shown: str,
                   raw_items: bool = False) -> tuple[Any, dict | None, KatapultError | None]:
        """(data, meta, error) from an HTTP response; never raises."""
        status = response.status_code
        common = {"status": status, "method": verb, "path": shown}
        try:
            raw = response.content
        except requests.RequestException:
            err = ProtocolError("The server's answer was cut off before it was complete",
                                hint="try again; if it keeps happening, check the network "
                                     "or proxy.", **common)
            err._transient = True
            return None, None, err
        if 300 <= status < 400:
            where = mask_secrets(response.headers.get("Location", "?"))
            return None, None, ProtocolError(
                f"The server redirected the request to {where}", **common,
                hint="check the server URL in the plugin settings (e.g. https:// instead of "
                     "http://, or a missing /api/v3).")
        ctype = response.headers.get("Content-Type", "")
        promised = response.headers.get("Content-Length", "")
        if promised.isdigit() and not response.headers.get("Content-Encoding") \
                and len(raw) < int(promised):
            err = ProtocolError(
                f"The server's answer was cut off ({len(raw)} of {promised} bytes arrived)",
                hint="try again; if it keeps happening, check the network or proxy.", **common)
            err._transient = True
            return None, None, err
        try:
            text = raw.decode("utf-8")
            body = loads_keeping_item_texts(text) if raw_items else _json.loads(text)
        except (UnicodeDecodeError, ValueError):
            return None, None, self._non_json(raw, ctype, status, common)
        if not isinstance(body, dict):
            return None, None, ProtocolError(
                "The server's answer is JSON but not a Katapult API response", **common,
                hint="check that the server URL points at the Katapult API (…/api/v3).")
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else None
        state = body.get("status")
        if state is None and "error" in body:
            if 200 <= status < 300:
                return None, meta, ProtocolError(
                    "The server reported an error although the request succeeded",
                    type=str(body.get("error")), server_message=str(body.get("error")),
                    **common)
            return None, None, error_from_envelope(status, body, verb, shown)
        if state == "error":
            if 200 <= status < 300:
                return None, meta, ProtocolError(
                    "The server answered 'success' over HTTP but 'error' in its content",
                    type=body.get("type"), server_message=body.get("message"), meta=meta,
                    **common)
            return None, meta, error_from_envelope(status, body, verb, shown)
        if state == "success":
            if not 200 <= status < 300:
                return None, meta, ProtocolError(
                    "The server answered 'success' in its content but failed over HTTP",
                    meta=meta, **common)
            if "data" in body:
                return body["data"], meta, None
            return {k: v for k, v in body.items() if k not in ("status", "meta")}, meta, None
        if status >= 500:
            return None, meta, ServerError(server_message=str(body)[:200], **common)
        return None, meta, ProtocolError(
            "The server's answer is not a Katapult API response (no 'status')", **common,
            hint="check that the server URL points at the Katapult API (…/api/v3).")

    @staticmethod
    def _non_json(raw: bytes, ctype: str, status: int, common: dict) -> KatapultError:
        text = raw.decode("utf-8", "replace").strip()
        is_html = "html" in ctype.lower() or text[:1] == "<"
        snippet = _html_title(text) if is_html else text[:120]
        if status == 429:
            return RateLimitError("Katapult's general rate limit was hit", kind="general",
                                  server_message=snippet or None, **common)
        if status >= 500 and status != 501:
            what = "an HTML error page" if is_html else "a non-JSON error"
            return ServerError(f"The server or a proxy in between answered with {what}",
                               server_message=snippet or None, **common,
                               hint="the server or a gateway is having trouble; "
                                    "try again later.")
        if is_html:
            return ProtocolError(
                "The server answered with an HTML page instead of Katapult data",
                server_message=snippet or None, **common,
                hint="a proxy, firewall or login portal may be in the way, or the server "
                     "URL is wrong; check QGIS's network/proxy settings and the server URL.")
        if not text:
            err = ProtocolError("The server's answer was empty", **common,
                                hint="try again; if it keeps happening, check the network.")
        else:
            err = ProtocolError("The server's answer is not valid JSON (it may be cut off)",
                                server_message=snippet, **common,
                                hint="try again; if it keeps happening, check the network "
                                     "or proxy.")
        if 200 <= status < 300 or status >= 500:
            err._transient = True
        return err

    # ------------------------------------------------------------- helpers
    def _get(self, path: str, params: dict | None = None, *, lane: str, cancel, cost=None,
             raw_items: bool = False):
        return self.request("GET", path, params=params, lane=lane, cancel=cancel, cost=cost,
                            raw_items=raw_items)

    def _post(self, path: str, body: Any, params: dict | None = None, *, lane: str, cancel):
        return self.request("POST", path, params=params, json=body, lane=lane, cancel=cancel)

    def _delete(self, path: str, *, lane: str, cancel):
        return self.request("DELETE", path, lane=lane, cancel=cancel)

    def _upload(self, path: str, jpeg: bytes, params: dict | None, *, lane: str, cancel):
        data = check_jpeg(jpeg)
        return self.request("POST", path, params=params, data=data, content_type="image/jpeg",
                            lane=lane, cancel=cancel)

    # --------------------------------------------------------------- root/jobs
    def get_welcome(self, *, lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /`` (free): a welcome message; checks that the key authenticates."""
        return self._get("/", lane=lane, cancel=cancel)

    def list_jobs(self, include_archived: bool | None = None, metadata_filter: str | dict |
                  None = None, as_list: bool | None = None, last_updated=None,
                  limit: int | None = None, *, lane: str = "interactive",
                  cancel: CancelToken | None = None):
        """``GET /jobs``: jobs visible to the key, newest first.

        ``metadata_filter`` is ``"attr:value,attr2:value2"`` or a dict; ``as_list`` sends
        ``list=true`` (lightweight entries).
        """
        if isinstance(metadata_filter, dict):
            for key, value in metadata_filter.items():
                if any(c in f"{key}{value}" for c in ",:"):
                    raise ValidationError(f"The metadata filter {key}={value!r} contains ',' "
                                          "or ':', which the filter syntax cannot express",
                                          type="invalid_request")
            metadata_filter = ",".join(f"{k}:{v}" for k, v in metadata_filter.items())
        params = {"includeArchived": include_archived, "metadataFilter": metadata_filter,
                  "list": as_list, "last_updated": _timestamp(last_updated),
                  "limit": _limit(limit)}
        return self._get("/jobs", params, lane=lane, cancel=cancel)

    def create_job(self, body: dict, *, lane: str = "interactive",
                   cancel: CancelToken | None = None):
        """``POST /jobs``: create a job (``name`` and ``model`` required). Not retried."""
        body = _body(body, "the new job")
        missing = [k for k in ("name", "model") if not body.get(k)]
        if missing:
            raise ValidationError(f"The new job has no {' or '.join(missing)}",
                                  type="missing_required_field",
                                  hint="give the job a name and a model.")
        return self._post("/jobs", body, lane=lane, cancel=cancel)

    def get_job(self, job_id: str, paths: Iterable[str] | str | None = None, *,
                lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}``: partial job data at ``paths`` (e.g. ``["name","metadata"]``)."""
        params = {"paths": _csv(paths)}
        return self._get(f"/jobs/{_seg(job_id, 'job id')}", params, lane=lane, cancel=cancel)

    def update_job(self, job_id: str, body: dict, *, lane: str = "interactive",
                   cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}``: update name, model, map_styles, metadata or sharing."""
        return self._post(f"/jobs/{_seg(job_id, 'job id')}", _body(body, "the job update"),
                          lane=lane, cancel=cancel)

    def get_job_status(self, job_id: str, *, lane: str = "interactive",
                       cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}/status``."""
        return self._get(f"/jobs/{_seg(job_id, 'job id')}/status", lane=lane, cancel=cancel)

    def update_job_status(self, job_id: str, status: str, *, lane: str = "interactive",
                          cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/status``: ``"active"`` or ``"archived"``."""
        if status not in ("active", "archived"):
            raise ValidationError(f"The job status {status!r} is not 'active' or 'archived'",
                                  type="invalid_field")
        return self._post(f"/jobs/{_seg(job_id, 'job id')}/status", {"status": status},
                          lane=lane, cancel=cancel)

    # ------------------------------------------------------------------ nodes
    def list_nodes(self, job_id: str, last_updated=None, limit: int | None = None, *,
                   lane: str = "interactive", cancel: CancelToken | None = None,
                   raw: bool = False):
        """``GET /jobs/{job_id}/nodes``: nodes newest first; ``last_updated`` = strictly after.

        ``raw=True``: a :class:`RawList` (also each node's JSON text as sent)."""
        params = {"last_updated": _timestamp(last_updated), "limit": _limit(limit)}
        return self._get(f"/jobs/{_seg(job_id, 'job id')}/nodes", params, lane=lane,
                         cancel=cancel, raw_items=raw)

    def create_node(self, job_id: str, body: dict, *, lane: str = "interactive",
                    cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/nodes`` (server-chosen id; not retried — prefer
        :meth:`update_node` with a client id)."""
        body = _body(body, "the new node")
        _check_coords(body, "the new node", required=True)
        return self._post(f"/jobs/{_seg(job_id, 'job id')}/nodes", body, lane=lane,
                          cancel=cancel)

    def get_node(self, job_id: str, node_id: str, *, lane: str = "interactive",
                 cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}/nodes/{node_id}``."""
        return self._get(self._node_path(job_id, node_id), lane=lane, cancel=cancel)

    def update_node(self, job_id: str, node_id: str, body: dict, only_if_exists: bool = False,
                    *, lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/nodes/{node_id}``: upsert (update only if ``only_if_exists``)."""
        body = _body(body, f"node {node_id}")
        _check_coords(body, f"node {node_id}")
        return self._post(self._node_path(job_id, node_id), body,
                          _only_if_exists(only_if_exists), lane=lane, cancel=cancel)

    def delete_node(self, job_id: str, node_id: str, *, lane: str = "interactive",
                    cancel: CancelToken | None = None):
        """``DELETE /jobs/{job_id}/nodes/{node_id}``."""
        return self._delete(self._node_path(job_id, node_id), lane=lane, cancel=cancel)

    def upload_photo_to_node(self, job_id: str, node_id: str, jpeg: bytes,
                             association_value: str = "true", *, lane: str = "interactive",
                             cancel: CancelToken | None = None):
        """``POST .../nodes/{node_id}/photos``: upload JPEG bytes; returns ``{"id": ...}``."""
        params = {"association_value": _upload_association(association_value)}
        return self._upload(self._node_path(job_id, node_id) + "/photos", jpeg, params,
                            lane=lane, cancel=cancel)

    @staticmethod
    def _node_path(job_id: str, node_id: str) -> str:
        return f"/jobs/{_seg(job_id, 'job id')}/nodes/{_seg(node_id, 'node id')}"

    # ------------------------------------------------------------ connections
    def list_connections(self, job_id: str, *, lane: str = "interactive",
                         cancel: CancelToken | None = None, raw: bool = False):
        """``GET /jobs/{job_id}/connections``: all connections with their sections.

        ``raw=True``: a :class:`RawList` (also each connection's JSON text as sent)."""
        return self._get(f"/jobs/{_seg(job_id, 'job id')}/connections", lane=lane,
                         cancel=cancel, raw_items=raw)

    def create_connection(self, job_id: str, body: dict, *, lane: str = "interactive",
                          cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/connections`` (``node_id_1``, ``node_id_2`` required)."""
        body = _body(body, "the new connection")
        for key in ("node_id_1", "node_id_2"):
            if not body.get(key):
                raise ValidationError(f"The new connection has no {key}",
                                      type="missing_required_field",
                                      hint="a connection must join two nodes.")
        _check_breakpoints(body, "the new connection")
        return self._post(f"/jobs/{_seg(job_id, 'job id')}/connections", body, lane=lane,
                          cancel=cancel)

    def get_connection(self, job_id: str, connection_id: str, *, lane: str = "interactive",
                       cancel: CancelToken | None = None):
        """``GET .../connections/{connection_id}`` (with its sections)."""
        return self._get(self._conn_path(job_id, connection_id), lane=lane, cancel=cancel)

    def update_connection(self, job_id: str, connection_id: str, body: dict,
                          only_if_exists: bool = False, *, lane: str = "interactive",
                          cancel: CancelToken | None = None):
        """``POST .../connections/{connection_id}``: upsert; ``breakpoints`` None/[] clears."""
        body = _body(body, f"connection {connection_id}")
        _check_breakpoints(body, f"connection {connection_id}")
        return self._post(self._conn_path(job_id, connection_id), body,
                          _only_if_exists(only_if_exists), lane=lane, cancel=cancel)

    def delete_connection(self, job_id: str, connection_id: str, *,
                          lane: str = "interactive", cancel: CancelToken | None = None):
        """``DELETE .../connections/{connection_id}`` (deletes its sections too)."""
        return self._delete(self._conn_path(job_id, connection_id), lane=lane, cancel=cancel)

    @staticmethod
    def _conn_path(job_id: str, connection_id: str) -> str:
        return (f"/jobs/{_seg(job_id, 'job id')}/connections/"
                f"{_seg(connection_id, 'connection id')}")

    # --------------------------------------------------------------- sections
    def list_sections(self, job_id: str, connection_id: str, *, lane: str = "interactive",
                      cancel: CancelToken | None = None):
        """``GET .../connections/{connection_id}/sections``."""
        return self._get(self._conn_path(job_id, connection_id) + "/sections", lane=lane,
                         cancel=cancel)

    def create_section(self, job_id: str, connection_id: str, body: dict, *,
                       lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST .../sections``: ``{"make_midpoint": True}`` or ``latitude``/``longitude``.

        ``make_midpoint`` overwrites (deletes) an existing midpoint section.
        """
        body = _body(body, "the new section")
        if not body.get("make_midpoint"):
            _check_coords(body, "the new section", required=True,
                          hint="give latitude and longitude, or make_midpoint: true.")
        else:
            _check_coords(body, "the new section")
        return self._post(self._conn_path(job_id, connection_id) + "/sections", body,
                          lane=lane, cancel=cancel)

    def get_section(self, job_id: str, connection_id: str, section_id: str, *,
                    lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET .../sections/{section_id}``."""
        return self._get(self._sec_path(job_id, connection_id, section_id), lane=lane,
                         cancel=cancel)

    def update_section(self, job_id: str, connection_id: str, section_id: str, body: dict,
                       only_if_exists: bool = False, *, lane: str = "interactive",
                       cancel: CancelToken | None = None):
        """``POST .../sections/{section_id}``: upsert."""
        body = _body(body, f"section {section_id}")
        _check_coords(body, f"section {section_id}")
        return self._post(self._sec_path(job_id, connection_id, section_id), body,
                          _only_if_exists(only_if_exists), lane=lane, cancel=cancel)

    def delete_section(self, job_id: str, connection_id: str, section_id: str, *,
                       lane: str = "interactive", cancel: CancelToken | None = None):
        """``DELETE .../sections/{section_id}``."""
        return self._delete(self._sec_path(job_id, connection_id, section_id), lane=lane,
                            cancel=cancel)

    def upload_photo_to_section(self, job_id: str, connection_id: str, section_id: str,
                                jpeg: bytes, association_value: str = "true", *,
                                lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST .../sections/{section_id}/photos``: upload JPEG bytes to a section."""
        params = {"association_value": _upload_association(association_value)}
        return self._upload(self._sec_path(job_id, connection_id, section_id) + "/photos",
                            jpeg, params, lane=lane, cancel=cancel)

    def _sec_path(self, job_id: str, connection_id: str, section_id: str) -> str:
        return (self._conn_path(job_id, connection_id) +
                f"/sections/{_seg(section_id, 'section id')}")

    # ----------------------------------------------------------------- photos
    def list_photos(self, job_id: str, *, lane: str = "interactive",
                    cancel: CancelToken | None = None, raw: bool = False):
        """``GET /jobs/{job_id}/photos``: photo records.

        ``raw=True``: a :class:`RawList` (also each record's JSON text as sent)."""
        return self._get(f"/jobs/{_seg(job_id, 'job id')}/photos", lane=lane, cancel=cancel,
                         raw_items=raw)

    def upload_photo(self, job_id: str, jpeg: bytes, *, lane: str = "interactive",
                     cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/photos``: upload JPEG bytes without association."""
        return self._upload(f"/jobs/{_seg(job_id, 'job id')}/photos", jpeg, None, lane=lane,
                            cancel=cancel)

    def get_photo(self, job_id: str, photo_id: str, *, lane: str = "interactive",
                  cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}/photos/{photo_id}``: the photo record (not the bytes)."""
        return self._get(self._photo_path(job_id, photo_id), lane=lane, cancel=cancel)

    def get_photo_url(self, job_id: str, photo_id: str, file_size: str | None = None,
                      file_type: str | None = None, *, lane: str = "interactive",
                      cancel: CancelToken | None = None):
        """``GET .../photos/{photo_id}/url``: ``{"url": signed URL valid 7 days}``."""
        if file_size is not None and file_size not in _FILE_SIZES:
            raise ValidationError(f"The photo size {file_size!r} is not one of "
                                  f"{', '.join(_FILE_SIZES)}", type="invalid_field")
        if file_type is not None and file_type not in _FILE_TYPES:
            raise ValidationError(f"The photo file type {file_type!r} is not one of "
                                  f"{', '.join(_FILE_TYPES)}", type="invalid_field")
        params = {"file_size": file_size, "file_type": file_type}
        return self._get(self._photo_path(job_id, photo_id) + "/url", params, lane=lane,
                         cancel=cancel)

    def associate_photo(self, job_id: str, photo_id: str, association_value: Any = True, *,
                        node_id: str | None = None, connection_id: str | None = None,
                        section_id: str | None = None, lane: str = "interactive",
                        cancel: CancelToken | None = None):
        """``POST .../photos/{photo_id}/associate`` to a node (``node_id``) or a section
        (``connection_id`` + ``section_id``); ``association_value`` True, ``"main"`` or
        None (None unassociates)."""
        if association_value is not None and association_value is not True \
                and association_value != "main":
            raise ValidationError(f"The association value {association_value!r} is not "
                                  "true, 'main' or null", type="invalid_field",
                                  hint="use None to unassociate (false is refused).")
        body: dict[str, Any] = {"association_value": association_value}
        if node_id is not None:
            if connection_id is not None or section_id is not None:
                raise ValidationError("A photo is associated with a node OR a section, "
                                      "not both", type="invalid_request")
            _seg(node_id, "node id")
            body["node_id"] = node_id
        elif connection_id is not None and section_id is not None:
            _seg(connection_id, "connection id")
            _seg(section_id, "section id")
            body.update(connection_id=connection_id, section_id=section_id)
        else:
            raise ValidationError("Associating a photo needs a node_id, or both a "
                                  "connection_id and a section_id", type="missing_parameter")
        return self._post(self._photo_path(job_id, photo_id) + "/associate", body, lane=lane,
                          cancel=cancel)

    def unassociate_photo(self, job_id: str, photo_id: str, *, node_id: str | None = None,
                          connection_id: str | None = None, section_id: str | None = None,
                          lane: str = "interactive", cancel: CancelToken | None = None):
        """Remove a photo's association (``associatePhoto`` with ``association_value: null``)."""
        return self.associate_photo(job_id, photo_id, None, node_id=node_id,
                                    connection_id=connection_id, section_id=section_id,
                                    lane=lane, cancel=cancel)

    @staticmethod
    def _photo_path(job_id: str, photo_id: str) -> str:
        return f"/jobs/{_seg(job_id, 'job id')}/photos/{_seg(photo_id, 'photo id')}"

    # --------------------------------------------------------- photo elements
    def list_photo_elements(self, job_id: str, photo_id: str, *, lane: str = "interactive",
                            cancel: CancelToken | None = None):
        """``GET .../photos/{photo_id}/photo_elements``."""
        return self._get(self._photo_path(job_id, photo_id) + "/photo_elements", lane=lane,
                         cancel=cancel)

    def create_photo_element(self, job_id: str, photo_id: str, body: dict, *,
                             lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST .../photo_elements`` (``element_type`` required)."""
        body = _body(body, "the new photo element")
        if not body.get("element_type"):
            raise ValidationError("The new photo element has no element_type",
                                  type="missing_required_field")
        return self._post(self._photo_path(job_id, photo_id) + "/photo_elements", body,
                          lane=lane, cancel=cancel)

    def get_photo_element(self, job_id: str, photo_id: str, element_id: str, *,
                          lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET .../photo_elements/{element_id}``."""
        return self._get(self._element_path(job_id, photo_id, element_id), lane=lane,
                         cancel=cancel)

    def update_photo_element(self, job_id: str, photo_id: str, element_id: str, body: dict,
                             only_if_exists: bool = False, *, lane: str = "interactive",
                             cancel: CancelToken | None = None):
        """``POST .../photo_elements/{element_id}``: update; a missing element is created
        under a new server-chosen id (returned), so only ``only_if_exists=True`` is retried."""
        return self.request("POST", self._element_path(job_id, photo_id, element_id),
                            params=_only_if_exists(only_if_exists),
                            json=_body(body, f"photo element {element_id}"),
                            idempotent=bool(only_if_exists), lane=lane, cancel=cancel)

    def delete_photo_element(self, job_id: str, photo_id: str, element_id: str, *,
                             lane: str = "interactive", cancel: CancelToken | None = None):
        """``DELETE .../photo_elements/{element_id}``."""
        return self._delete(self._element_path(job_id, photo_id, element_id), lane=lane,
                            cancel=cancel)

    def _element_path(self, job_id: str, photo_id: str, element_id: str) -> str:
        return (self._photo_path(job_id, photo_id) +
                f"/photo_elements/{_seg(element_id, 'photo element id')}")

    # ---------------------------------------------------- calibration anchors
    def list_calibration_anchors(self, job_id: str, photo_id: str, *,
                                 lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET .../photos/{photo_id}/calibration_anchors``."""
        return self._get(self._photo_path(job_id, photo_id) + "/calibration_anchors",
                         lane=lane, cancel=cancel)

    def create_calibration_anchor(self, job_id: str, photo_id: str, body: dict, *,
                                  lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST .../calibration_anchors`` (``pixel_selection`` and ``height`` required)."""
        body = _body(body, "the new calibration anchor")
        missing = [k for k in ("pixel_selection", "height") if body.get(k) is None]
        if missing:
            raise ValidationError(f"The new calibration anchor has no {' or '.join(missing)}",
                                  type="missing_required_field")
        return self._post(self._photo_path(job_id, photo_id) + "/calibration_anchors", body,
                          lane=lane, cancel=cancel)

    def get_calibration_anchor(self, job_id: str, photo_id: str, anchor_id: str, *,
                               lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET .../calibration_anchors/{anchor_id}``."""
        return self._get(self._anchor_path(job_id, photo_id, anchor_id), lane=lane,
                         cancel=cancel)

    def update_calibration_anchor(self, job_id: str, photo_id: str, anchor_id: str,
                                  body: dict, only_if_exists: bool = False, *,
                                  lane: str = "interactive", cancel: CancelToken | None = None):
        """``POST .../calibration_anchors/{anchor_id}``: upsert."""
        return self._post(self._anchor_path(job_id, photo_id, anchor_id),
                          _body(body, f"calibration anchor {anchor_id}"),
                          _only_if_exists(only_if_exists), lane=lane, cancel=cancel)

    def delete_calibration_anchor(self, job_id: str, photo_id: str, anchor_id: str, *,
                                  lane: str = "interactive", cancel: CancelToken | None = None):
        """``DELETE .../calibration_anchors/{anchor_id}``."""
        return self._delete(self._anchor_path(job_id, photo_id, anchor_id), lane=lane,
                            cancel=cancel)

    def _anchor_path(self, job_id: str, photo_id: str, anchor_id: str) -> str:
        return (self._photo_path(job_id, photo_id) +
                f"/calibration_anchors/{_seg(anchor_id, 'calibration anchor id')}")

    # ----------------------------------------------------------------- traces
    def list_traces(self, job_id: str, *, lane: str = "interactive",
                    cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}/traces``."""
        return self._get(f"/jobs/{_seg(job_id, 'job id')}/traces", lane=lane, cancel=cancel)

    def create_trace(self, job_id: str, body: dict, *, lane: str = "interactive",
                     cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/traces`` (``trace_type`` required)."""
        body = _body(body, "the new trace")
        if not body.get("trace_type"):
            raise ValidationError("The new trace has no trace_type",
                                  type="missing_required_field")
        return self._post(f"/jobs/{_seg(job_id, 'job id')}/traces", body, lane=lane,
                          cancel=cancel)

    def get_trace(self, job_id: str, trace_id: str, *, lane: str = "interactive",
                  cancel: CancelToken | None = None):
        """``GET /jobs/{job_id}/traces/{trace_id}``."""
        return self._get(self._trace_path(job_id, trace_id), lane=lane, cancel=cancel)

    def update_trace(self, job_id: str, trace_id: str, body: dict,
                     only_if_exists: bool = False, *, lane: str = "interactive",
                     cancel: CancelToken | None = None):
        """``POST /jobs/{job_id}/traces/{trace_id}``: upsert."""
        return self._post(self._trace_path(job_id, trace_id),
                          _body(body, f"trace {trace_id}"), _only_if_exists(only_if_exists),
                          lane=lane, cancel=cancel)

    def delete_trace(self, job_id: str, trace_id: str, *, lane: str = "interactive",
                     cancel: CancelToken | None = None):
        """``DELETE /jobs/{job_id}/traces/{trace_id}``."""
        return self._delete(self._trace_path(job_id, trace_id), lane=lane, cancel=cancel)

    @staticmethod
    def _trace_path(job_id: str, trace_id: str) -> str:
        return f"/jobs/{_seg(job_id, 'job id')}/traces/{_seg(trace_id, 'trace id')}"

    # ------------------------------------------------------------------ models
    def list_models(self, *, lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /models`` (100 tokens): the model keys available to the caller."""
        return self._get("/models", lane=lane, cancel=cancel)

    def get_model(self, model_key: str, paths: Iterable[str] | str, *,
                  lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /models/{modelKey}?paths=...`` (1000 tokens per path, at most 10).

        ``paths`` is required: the full-model fetch is restricted in production.
        """
        items = costs._split_paths(paths)
        if not items:
            raise ValidationError(f"Reading model {model_key!r} needs at least one path "
                                  "(e.g. 'attributes'); the full model cannot be fetched",
                                  type="missing_parameter")
        if len(items) > costs.MODEL_MAX_PATHS:
            raise ValidationError(f"Reading model {model_key!r} asks for {len(items)} paths; "
                                  f"at most {costs.MODEL_MAX_PATHS} are allowed per call",
                                  type="invalid_request", hint="split the paths over calls.")
        return self._get(f"/models/{_seg(model_key, 'model key')}", {"paths": ",".join(items)},
                         lane=lane, cancel=cancel, cost=costs.MODEL_PATH_COST * len(items))

    # ------------------------------------------------------------------- users
    def list_users(self, *, lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /users`` (company admins only)."""
        return self._get("/users", lane=lane, cancel=cancel)

    def who_am_i(self, *, lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /users/whoami``: whose key this is."""
        return self._get("/users/whoami", lane=lane, cancel=cancel)

    def get_user(self, user_id: str, *, lane: str = "interactive",
                 cancel: CancelToken | None = None):
        """``GET /users/{user_id}``."""
        return self._get(f"/users/{_seg(user_id, 'user id')}", lane=lane, cancel=cancel)

    # --------------------------------------------------------------- companies
    def list_tracked_actions(self, company_id: str, uid: str | None = None,
                             job_id: str | None = None, action_id: str | None = None,
                             action_name: str | None = None, value: Any = None,
                             start_time=None, end_time=None, limit: int | None = None, *,
                             lane: str = "interactive", cancel: CancelToken | None = None):
        """``GET /companies/{company_id}/tracked_actions``: newest first, filters ANDed."""
        if limit is not None and (_limit(limit) > 200):
            raise ValidationError(f"The limit {limit} is above 200, the maximum for tracked "
                                  "actions", type="invalid_limit")
        params = {"uid": uid, "job_id": job_id, "action_id": action_id,
                  "action_name": action_name, "value": value,
                  "start_time": _time_bound(start_time), "end_time": _time_bound(end_time),
                  "limit": _limit(limit)}
        return self._get(f"/companies/{_seg(company_id, 'company id')}/tracked_actions",
                         params, lane=lane, cancel=cancel)

    def get_action_models(self, company_id: str, *, lane: str = "interactive",
                          cancel: CancelToken | None = None):
        """``GET /companies/{company_id}/action_models``."""
        return self._get(f"/companies/{_seg(company_id, 'company id')}/action_models",
                         lane=lane, cancel=cancel)


# ---------------------------------------------------------------- module helpers
def _seg(value: object, what: str) -> str:
    """Check an id for a URL path segment and quote it."""
    problem = path_id_problem(value)
    if problem:
        shown = repr(value) if isinstance(value, str) and len(value) < 80 else what
        raise ValidationError(f"The {what} {shown} {problem}", type="invalid_id",
                              hint="ids may use letters, digits, '-' and '_' only.")
    return quote(str(value), safe="-_~")


def _body(body: object, what: str) -> dict:
    if not isinstance(body, dict):
        raise ValidationError(f"The data for {what} must be a JSON object (dict), not "
                              f"{type(body).__name__}", type="invalid_request")
    return body


def _dump_json(value: Any, verb: str, shown: str) -> bytes:
    try:
        return _json.dumps(value, allow_nan=False, ensure_ascii=False,
                           separators=(",", ":")).encode("utf-8")
    except ValueError:
        raise ValidationError("The request contains a number that is not valid JSON "
                              "(NaN or infinity)", type="invalid_field", method=verb,
                              path=shown, hint="fill in or clear the empty numeric "
                              "values.") from None
    except TypeError as exc:
        raise ValidationError(f"The request contains a value JSON cannot carry ({exc})",
                              type="invalid_field", method=verb, path=shown) from None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _check_coord_pair(lat: object, lon: object, what: str) -> None:
    for name, value, limit in (("latitude", lat, 90.0), ("longitude", lon, 180.0)):
        if not _is_number(value):
            raise ValidationError(f"The {name} of {what} is {value!r}, not a number",
                                  type="invalid_field",
                                  hint="coordinates must be decimal degrees (WGS 84).")
        if not -limit <= value <= limit:
            raise ValidationError(
                f"The {name} of {what} is {value}, outside -{limit:g}..{limit:g}",
                type="invalid_field",
                hint="coordinates must be decimal degrees (WGS 84); latitude and longitude "
                     "may be swapped or the layer's CRS may be wrong.")


def _check_coords(body: dict, what: str, required: bool = False, hint: str | None = None
                  ) -> None:
    has_lat, has_lon = "latitude" in body, "longitude" in body
    if required and not (has_lat and has_lon):
        raise ValidationError(f"{what.capitalize()} has no "
                              f"{'latitude' if not has_lat else 'longitude'}",
                              type="missing_required_field",
                              hint=hint or "give the item a location.")
    if has_lat:
        _check_coord_pair(body["latitude"], body.get("longitude", 0.0), what)
    if has_lon:
        _check_coord_pair(body.get("latitude", 0.0), body["longitude"], what)


def _check_breakpoints(body: dict, what: str) -> None:
    points = body.get("breakpoints")
    if points is None:
        return
    if not isinstance(points, (list, tuple)):
        raise ValidationError(f"The breakpoints of {what} must be a list of "
                              "[latitude, longitude] pairs", type="invalid_field")
    for i, point in enumerate(points):
        if not isinstance(point, (list, tuple)) or len(point) != 2:
            raise ValidationError(f"Breakpoint {i + 1} of {what} is {point!r}, not a "
                                  "[latitude, longitude] pair", type="invalid_field")
        _check_coord_pair(point[0], point[1], f"breakpoint {i + 1} of {what}")


def _encode_params(params: dict | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out.append((key, str(value)))
    return out


def _only_if_exists(flag: bool) -> dict:
    return {"onlyIfExists": "true"} if flag else {}


def _upload_association(value: object) -> str:
    try:
        return _UPLOAD_ASSOCIATION[value]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValidationError(f"The upload association value {value!r} is not 'true' or "
                              "'main'", type="invalid_field") from None


def _csv(values: Iterable[str] | str | None) -> str | None:
    if values is None:
        return None
    if isinstance(values, str):
        return values or None
    items = [str(v) for v in values]
    return ",".join(items) or None


def _limit(limit: object) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError(f"The limit {limit!r} is not a positive whole number",
                              type="invalid_limit")
    return limit


def _timestamp(value: object) -> str | None:
    """``last_updated`` as ISO-8601 (datetimes are converted; naive ones taken as UTC)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_RE.match(value.strip()):
        return value.strip()
    raise ValidationError(f"The time {value!r} is not an ISO-8601 date/time",
                          type="invalid_timestamp")


def _time_bound(value: object) -> str | None:
    """Tracked-action bounds: ISO-8601 or Unix seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    return _timestamp(value)


def _html_title(text: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if match:
        return " ".join(match.group(1).split())[:120]
    stripped = re.sub(r"<[^>]+>", " ", text)
    return " ".join(stripped.split())[:120]


def _transport_error(exc: requests.RequestException, verb: str, shown: str,
                     idempotent: bool) -> tuple[bool, TransportError]:
    """(request possibly sent, error) for a requests exception; texts are masked."""
    common = {"method": verb, "path": shown}
    chain = _exception_chain(exc)
    names = {type(e).__name__ for e in chain}
    detail = mask_secrets(_short_reason(chain))
    if isinstance(exc, requests.exceptions.SSLError):
        return False, TransportError("The secure (TLS) connection to the Katapult server "
                                     "failed", reason="tls", server_message=detail, **common)
    not_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or bool(
        names & {"NewConnectionError", "ConnectTimeoutError", "NameResolutionError",
                 "LocationParseError", "ProxyError"}) or isinstance(
        exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema))
    if isinstance(exc, requests.exceptions.ProxyError):
        not_sent = True
    timeout = isinstance(exc, requests.exceptions.Timeout)
    reason = "timeout" if timeout else "unreachable"
    if not_sent:
        summary = ("The connection to the Katapult server timed out" if timeout else
                   "The Katapult server could not be reached")
        return False, TransportError(summary, reason=reason, server_message=detail, **common)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        reason, summary = "truncated", "The server's answer was cut off"
    elif timeout:
        summary = "The Katapult server did not answer in time"
    else:
        summary = "The connection to the Katapult server broke during the request"
    if idempotent:
        return True, TransportError(summary, reason=reason, server_message=detail, **common)
    return True, UnknownOutcomeError(summary + "; it is unknown whether the change was applied",
                                     reason=reason, server_message=detail, **common)


def _exception_chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 12:
        e = todo.pop()
        if e in seen:
            continue
        seen.append(e)
        for attr in ("reason", "__cause__", "__context__"):
            nxt = getattr(e, attr, None)
            if isinstance(nxt, BaseException):
                todo.append(nxt)
        for arg in getattr(e, "args", ()):
            if isinstance(arg, BaseException):
                todo.append(arg)
    return seen


def _short_reason(chain: list[BaseException]) -> str:
    for e in reversed(chain):
        if isinstance(e, OSError) and (e.strerror or e.args):
            return e.strerror or str(e.args[-1])
    return type(chain[-1]).__name__ if chain else ""
