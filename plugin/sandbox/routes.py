"""The v3 route table: method + path pattern -> operation, token cost, handler."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import unquote

from .errors import ApiError
from .store import Store


@dataclass
class Ctx:
    """What a handler sees of one request."""

    store: Store
    params: dict[str, str]
    query: dict[str, str]
    body: Any  # parsed JSON object for JSON routes, bytes for uploads
    content_type: str
    root_url: str
    uid: str | None = None  # the caller (None: the main sandbox user)
    admin: bool = True  # company admin?


@dataclass
class Route:
    method: str
    pattern: re.Pattern
    operation: str
    cost: int | Callable[[Ctx], int]
    handler: Callable[[Ctx], Any]
    body: str = "none"  # "none" | "json" | "jpeg"
    writes: bool = False


def _pat(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")


def _restricted(message: str) -> Callable[[Ctx], Any]:
    def handler(ctx: Ctx) -> Any:
        raise ApiError(403, "extended_access_required", message)

    return handler


MODEL_PATH_COST = 1000  # per requested path of GET /models/{key}?paths=...


def _model_cost(ctx: Ctx) -> int:
    return MODEL_PATH_COST * len(Store.parse_model_paths(ctx.query.get("paths")))


def _q(ctx: Ctx, name: str) -> str | None:
    return ctx.query.get(name)


J = "/jobs/{job_id}"
P = J + "/photos/{photo_id}"
C = J + "/connections/{connection_id}"

_TABLE: list[tuple] = [
    # method, path, operationId, cost, handler, body
    ("GET", "/", "getWelcome", 0, lambda c: None, "none"),
    (
        "GET",
        "/jobs",
        "listJobs",
        1,
        lambda c: c.store.list_jobs(
            _q(c, "includeArchived"),
            _q(c, "metadataFilter"),
            _q(c, "list"),
            _q(c, "last_updated"),
            _q(c, "limit"),
        ),
        "none",
    ),
    ("POST", "/jobs", "createJob", 10, lambda c: c.store.create_job(c.body), "json"),
    ("GET", J, "getJob", 1, lambda c: c.store.get_job(c.params["job_id"], _q(c, "paths")), "none"),
    ("POST", J, "updateJob", 10, lambda c: c.store.update_job(c.params["job_id"], c.body), "json"),
    (
        "POST",
        J + "/raw",
        "writeRawJobData",
        10,
        _restricted("Raw job writes require extended API access, which is disabled in production"),
        "json",
    ),
    (
        "GET",
        J + "/status",
        "getJobStatus",
        1,
        lambda c: c.store.job_status(c.params["job_id"]),
        "none",
    ),
    (
        "POST",
        J + "/status",
        "updateJobStatus",
        10,
        lambda c: c.store.set_job_status(c.params["job_id"], c.body),
        "json",
    ),
    (
        "GET",
        J + "/nodes",
        "listNodes",
        1,
        lambda c: c.store.list_nodes(c.params["job_id"], _q(c, "last_updated"), _q(c, "limit")),
        "none",
    ),
    (
        "POST",
        J + "/nodes",
        "createNode",
        10,
        lambda c: c.store.create_node(c.params["job_id"], c.body),
        "json",
    ),
    (
        "GET",
        J + "/nodes/{node_id}",
        "getNode",
        1,
        lambda c: c.store.get_node(c.params["job_id"], c.params["node_id"]),
        "none",
    ),
    (
        "POST",
        J + "/nodes/{node_id}",
        "updateNode",
        10,
        lambda c: c.store.upsert_node(
            c.params["job_id"], c.params["node_id"], c.body, _q(c, "onlyIfExists")
        ),
        "json",
    ),
    (
        "DELETE",
        J + "/nodes/{node_id}",
        "deleteNode",
        10,
        lambda c: c.store.delete_node(c.params["job_id"], c.params["node_id"]),
        "none",
    ),
    (
        "POST",
        J + "/nodes/{node_id}/photos",
        "uploadPhotoToNode",
        10,
        lambda c: c.store.upload_photo(
            c.params["job_id"],
            c.body,
            c.content_type,
            _q(c, "filename"),
            node_id=c.params["node_id"],
            association_value=_q(c, "association_value"),
        ),
        "jpeg",
    ),
    (
        "GET",
        J + "/connections",
        "listConnections",
        1,
        lambda c: c.store.list_connections(c.params["job_id"]),
        "none",
    ),
    (
        "POST",
        J + "/connections",
        "createConnection",
        10,
        lambda c: c.store.create_connection(c.params["job_id"], c.body),
        "json",
    ),
    (
        "GET",
        C,
        "getConnection",
        1,
        lambda c: c.store.get_connection(c.params["job_id"], c.params["connection_id"]),
        "none",
    ),
    (
        "POST",
        C,
        "updateConnection",
        10,
        lambda c: c.store.upsert_connection(
            c.params["job_id"], c.params["connection_id"], c.body, _q(c, "onlyIfExists")
        ),
        "json",
    ),
    (
        "DELETE",
        C,
        "deleteConnection",
        10,
        lambda c: c.store.delete_connection(c.params["job_id"], c.params["connection_id"]),
        "none",
    ),
    (
        "GET",
        C + "/sections",
        "listSections",
        1,
        lambda c: c.store.list_sections(c.params["job_id"], c.params["connection_id"]),
        "none",
    ),
    (
        "POST",
        C + "/sections",
        "createSection",
        10,
        lambda c: c.store.create_section(c.params["job_id"], c.params["connection_id"], c.body),
        "json",
    ),
    (
        "GET",
        C + "/sections/{section_id}",
        "getSection",
        1,
        lambda c: c.store.get_section(
            c.params["job_id"], c.params["connection_id"], c.params["section_id"]
        ),
        "none",
    ),
    (
        "POST",
        C + "/sections/{section_id}",
        "updateSection",
        10,
        lambda c: c.store.upsert_section(
            c.params["job_id"],
            c.params["connection_id"],
            c.params["section_id"],
            c.body,
            _q(c, "onlyIfExists"),
        ),
        "json",
    ),
    (
        "DELETE",
        C + "/sections/{section_id}",
        "deleteSection",
        10,
        lambda c: c.store.delete_section(
            c.params["job_id"], c.params["connection_id"], c.params["section_id"]
        ),
        "none",
    ),
    (
        "POST",
        C + "/sections/{section_id}/photos",
        "uploadPhotoToSection",
        10,
        lambda c: c.store.upload_photo(
            c.params["job_id"],
            c.body,
            c.content_type,
            _q(c, "filename"),
            section=(c.params["connection_id"], c.params["section_id"]),
            association_value=_q(c, "association_value"),
        ),
        "jpeg",
    ),
    (
        "GET",
        J + "/photos",
        "listPhotos",
        1,
        lambda c: c.store.list_photos(c.params["job_id"]),
        "none",
    ),
    (
        "POST",
        J + "/photos",
        "uploadPhoto",
        10,
        lambda c: c.store.upload_photo(
            c.params["job_id"], c.body, c.content_type, _q(c, "filename")
        ),
        "jpeg",
    ),
    (
        "GET",
        P,
        "getPhoto",
        1,
        lambda c: c.store.get_photo(c.params["job_id"], c.params["photo_id"]),
        "none",
    ),
    (
        "GET",
        P + "/url",
        "getPhotoUrl",
        1,
        lambda c: c.store.photo_url(
            c.params["job_id"],
            c.params["photo_id"],
            _q(c, "file_size"),
            _q(c, "file_type"),
            c.root_url,
        ),
        "none",
    ),
    (
        "POST",
        P + "/associate",
        "associatePhoto",
        10,
        lambda c: c.store.associate_photo(c.params["job_id"], c.params["photo_id"], c.body),
        "json",
    ),
    (
        "GET",
        P + "/photo_elements",
        "listPhotoElements",
        1,
        lambda c: c.store.list_elements(c.params["job_id"], c.params["photo_id"]),
        "none",
    ),
    (
        "POST",
        P + "/photo_elements",
        "createPhotoElement",
        10,
        lambda c: c.store.create_element(c.params["job_id"], c.params["photo_id"], c.body),
        "json",
    ),
    (
        "GET",
        P + "/photo_elements/{element_id}",
        "getPhotoElement",
        1,
        lambda c: c.store.get_element(
            c.params["job_id"], c.params["photo_id"], c.params["element_id"]
        ),
        "none",
    ),
    (
        "POST",
        P + "/photo_elements/{element_id}",
        "updatePhotoElement",
        10,
        lambda c: c.store.upsert_element(
            c.params["job_id"],
            c.params["photo_id"],
            c.params["element_id"],
            c.body,
            _q(c, "onlyIfExists"),
        ),
        "json",
    ),
    (
        "DELETE",
        P + "/photo_elements/{element_id}",
        "deletePhotoElement",
        10,
        lambda c: c.store.delete_element(
            c.params["job_id"], c.params["photo_id"], c.params["element_id"]
        ),
        "none",
    ),
    (
        "GET",
        P + "/calibration_anchors",
        "listCalibrationAnchors",
        1,
        lambda c: c.store.list_anchors(c.params["job_id"], c.params["photo_id"]),
        "none",
    ),
    (
        "POST",
        P + "/calibration_anchors",
        "createCalibrationAnchor",
        10,
        lambda c: c.store.create_anchor(c.params["job_id"], c.params["photo_id"], c.body),
        "json",
    ),
    (
        "GET",
        P + "/calibration_anchors/{anchor_id}",
        "getCalibrationAnchor",
        1,
        lambda c: c.store.get_anchor(
            c.params["job_id"], c.params["photo_id"], c.params["anchor_id"]
        ),
        "none",
    ),
    (
        "POST",
        P + "/calibration_anchors/{anchor_id}",
        "updateCalibrationAnchor",
        10,
        lambda c: c.store.upsert_anchor(
            c.params["job_id"],
            c.params["photo_id"],
            c.params["anchor_id"],
            c.body,
            _q(c, "onlyIfExists"),
        ),
        "json",
    ),
    (
        "DELETE",
        P + "/calibration_anchors/{anchor_id}",
        "deleteCalibrationAnchor",
        10,
        lambda c: c.store.delete_anchor(
            c.params["job_id"], c.params["photo_id"], c.params["anchor_id"]
        ),
        "none",
    ),
    (
        "GET",
        J + "/traces",
        "listTraces",
        1,
        lambda c: c.store.list_traces(c.params["job_id"]),
        "none",
    ),
    (
        "POST",
        J + "/traces",
        "createTrace",
        10,
        lambda c: c.store.create_trace(c.params["job_id"], c.body),
        "json",
    ),
    (
        "GET",
        J + "/traces/{trace_id}",
        "getTrace",
        1,
        lambda c: c.store.get_trace(c.params["job_id"], c.params["trace_id"]),
        "none",
    ),
    (
        "POST",
        J + "/traces/{trace_id}",
        "updateTrace",
        10,
        lambda c: c.store.upsert_trace(
            c.params["job_id"], c.params["trace_id"], c.body, _q(c, "onlyIfExists")
        ),
        "json",
    ),
    (
        "DELETE",
        J + "/traces/{trace_id}",
        "deleteTrace",
        10,
        lambda c: c.store.delete_trace(c.params["job_id"], c.params["trace_id"]),
        "none",
    ),
    ("GET", "/models", "listModels", 100, lambda c: c.store.list_models(), "none"),
    (
        "GET",
        "/models/{modelKey}",
        "getModel",
        _model_cost,
        lambda c: c.store.get_model(c.params["modelKey"], Store.parse_model_paths(_q(c, "paths"))),
        "none",
    ),
    ("GET", "/users", "listUsers", 1, lambda c: c.store.list_users(c.admin), "none"),
    ("GET", "/users/whoami", "whoAmI", 1, lambda c: c.store.whoami(c.uid), "none"),
    (
        "GET",
        "/users/{user_id}",
        "getUser",
        1,
        lambda c: c.store.get_user(c.params["user_id"], c.uid, c.admin),
        "none",
    ),
    (
        "GET",
        "/users/{user_id}/active_state",
        "getUserActiveState",
        1,
        _restricted("User active state requires extended API access"),
        "none",
    ),
    (
        "POST",
        "/users/{user_id}/active_state",
        "setUserActiveState",
        10,
        _restricted("User active state requires extended API access"),
        "json",
    ),
    (
        "GET",
        "/companies/{company_id}/tracked_actions",
        "listTrackedActions",
        1,
        lambda c: c.store.list_tracked_actions(c.params["company_id"], c.query),
        "none",
    ),
    (
        "GET",
        "/companies/{company_id}/action_models",
        "getActionModels",
        1,
        lambda c: c.store.get_action_models(c.params["company_id"]),
        "none",
    ),
]

ROUTES: list[Route] = [
    Route(m, _pat(p), op, cost, h, body, writes=m in ("POST", "DELETE"))
    for m, p, op, cost, h, body in _TABLE
]

# Reserved (501 NOT IMPLEMENTED): jobs cannot be deleted through v3, only archived.
RESERVED: list[tuple[str, re.Pattern]] = [("DELETE", _pat(J))]


OPERATIONS = {r.operation for r in ROUTES}

_TRIO = {"attributes", "add_attributes", "remove_attributes"}
_JOB = {"name", "model", "map_styles", "metadata", "sharing"}
_ELEMENT = {
    "element_type",
    "pixel_selection",
    "manual_height",
    "attributes",
    "parent_id",
    "trace_id",
}
# Body fields each JSON operation understands (from openapi.yaml); others are refused so a
# client never believes a field was stored when it was not.
BODY_FIELDS: dict[str, set[str]] = {
    "createJob": _JOB,
    "updateJob": _JOB,
    "updateJobStatus": {"status"},
    "createNode": {"latitude", "longitude"} | _TRIO,
    "updateNode": {"latitude", "longitude"} | _TRIO,
    "createConnection": {"node_id_1", "node_id_2", "breakpoints"} | _TRIO,
    "updateConnection": {"node_id_1", "node_id_2", "breakpoints"} | _TRIO,
    "createSection": {"make_midpoint", "latitude", "longitude"} | _TRIO,
    "updateSection": {"latitude", "longitude"} | _TRIO,
    "associatePhoto": {"node_id", "connection_id", "section_id", "association_value"},
    "createPhotoElement": _ELEMENT,
    "updatePhotoElement": _ELEMENT,
    "createCalibrationAnchor": {"pixel_selection", "height"},
    "updateCalibrationAnchor": {"pixel_selection", "height"},
    "createTrace": {"trace_type", "attributes"},
    "updateTrace": {"trace_type", "attributes"},
}


def check_body_fields(route: Route, body: dict) -> None:
    """400 ``invalid_field`` naming any body field the operation does not know."""
    allowed = BODY_FIELDS.get(route.operation)
    if allowed is None:
        return
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            400,
            "invalid_field",
            f"Unknown field(s) {', '.join(unknown)} for {route.operation}; "
            f"allowed: {', '.join(sorted(allowed))}",
        )


def cost_of(route: Route, ctx: Ctx, overrides: dict[str, int]) -> int:
    """Token cost of one call; ``overrides`` maps operationId (or ``model_path``) to tokens."""
    if route.operation == "getModel":
        per_path = overrides.get("model_path", overrides.get("getModel", MODEL_PATH_COST))
        return per_path * len(Store.parse_model_paths(ctx.query.get("paths")))
    if route.operation in overrides:
        return overrides[route.operation]
    return route.cost(ctx) if callable(route.cost) else route.cost


def match(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """(route, path params, path_known). ``path_known`` is True when another method matches."""
    known = False
    for route in ROUTES:
        m = route.pattern.match(path)
        if m:
            if route.method == method:
                return route, {k: unquote(val) for k, val in m.groupdict().items()}, True
            known = True
    return None, {}, known


def is_reserved(method: str, path: str) -> bool:
    return any(m == method and p.match(path) for m, p in RESERVED)
