"""The v3 operation table: verb, path, token cost and retry safety of every operation.

Token costs are copied from ``x-token-cost`` in Katapult's ``openapi.yaml`` (a test keeps
them in step); the shipped plugin never reads the spec at run time. Costs are only the
plan: the governor always trusts the ``meta`` the server returns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# getModel: ``x-token-cost: "9900 (full) | 1000 per path (max 10)"``.
MODEL_PATH_COST = 1000
MODEL_FULL_COST = 9900
MODEL_MAX_PATHS = 10


@dataclass(frozen=True)
class MethodSpec:
    """One API operation.

    ``idempotent`` means repeating the request after an unknown outcome cannot do harm
    (GET, DELETE, upserts at an id chosen by the client, "set" operations).
    ``restricted`` operations are off in production: the client has no method for them.
    """

    operation_id: str
    name: str | None
    verb: str
    path: str
    cost: int
    idempotent: bool
    restricted: bool = False
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.sub(r"\\\{[a-zA-Z_]+\\\}", r"[^/]+", re.escape(self.path))
        object.__setattr__(self, "regex", re.compile("^" + pattern + "$"))


def _s(op, name, verb, path, cost, idempotent, restricted=False):
    return MethodSpec(op, name, verb, path, cost, idempotent, restricted)


J = "/jobs/{job_id}"
C = J + "/connections/{connection_id}"
S = C + "/sections/{section_id}"
P = J + "/photos/{photo_id}"

METHODS: tuple[MethodSpec, ...] = (
    _s("getWelcome", "get_welcome", "GET", "/", 0, True),
    _s("listJobs", "list_jobs", "GET", "/jobs", 1, True),
    _s("createJob", "create_job", "POST", "/jobs", 10, False),
    _s("getJob", "get_job", "GET", J, 1, True),
    _s("updateJob", "update_job", "POST", J, 10, True),
    _s("writeRawJobData", None, "POST", J + "/raw", 10, False, restricted=True),
    _s("getJobStatus", "get_job_status", "GET", J + "/status", 1, True),
    _s("updateJobStatus", "update_job_status", "POST", J + "/status", 10, True),
    _s("listNodes", "list_nodes", "GET", J + "/nodes", 1, True),
    _s("createNode", "create_node", "POST", J + "/nodes", 10, False),
    _s("getNode", "get_node", "GET", J + "/nodes/{node_id}", 1, True),
    _s("updateNode", "update_node", "POST", J + "/nodes/{node_id}", 10, True),
    _s("deleteNode", "delete_node", "DELETE", J + "/nodes/{node_id}", 10, True),
    _s("uploadPhotoToNode", "upload_photo_to_node", "POST", J + "/nodes/{node_id}/photos",
       10, False),
    _s("listConnections", "list_connections", "GET", J + "/connections", 1, True),
    _s("createConnection", "create_connection", "POST", J + "/connections", 10, False),
    _s("getConnection", "get_connection", "GET", C, 1, True),
    _s("updateConnection", "update_connection", "POST", C, 10, True),
    _s("deleteConnection", "delete_connection", "DELETE", C, 10, True),
    _s("listSections", "list_sections", "GET", C + "/sections", 1, True),
    _s("createSection", "create_section", "POST", C + "/sections", 10, False),
    _s("getSection", "get_section", "GET", S, 1, True),
    _s("updateSection", "update_section", "POST", S, 10, True),
    _s("deleteSection", "delete_section", "DELETE", S, 10, True),
    _s("uploadPhotoToSection", "upload_photo_to_section", "POST", S + "/photos", 10, False),
    _s("listPhotos", "list_photos", "GET", J + "/photos", 1, True),
    _s("uploadPhoto", "upload_photo", "POST", J + "/photos", 10, False),
    _s("getPhoto", "get_photo", "GET", P, 1, True),
    _s("getPhotoUrl", "get_photo_url", "GET", P + "/url", 1, True),
    _s("associatePhoto", "associate_photo", "POST", P + "/associate", 10, True),
    _s("listPhotoElements", "list_photo_elements", "GET", P + "/photo_elements", 1, True),
    _s("createPhotoElement", "create_photo_element", "POST", P + "/photo_elements", 10, False),
    _s("getPhotoElement", "get_photo_element", "GET", P + "/photo_elements/{element_id}", 1,
       True),
    # Not an id-keeping upsert: a missing element is created under a NEW random id (v3
    # reference), so only the update-only form (onlyIfExists=true) is safe to repeat.
    _s("updatePhotoElement", "update_photo_element", "POST",
       P + "/photo_elements/{element_id}", 10, False),
    _s("deletePhotoElement", "delete_photo_element", "DELETE",
       P + "/photo_elements/{element_id}", 10, True),
    _s("listCalibrationAnchors", "list_calibration_anchors", "GET",
       P + "/calibration_anchors", 1, True),
    _s("createCalibrationAnchor", "create_calibration_anchor", "POST",
       P + "/calibration_anchors", 10, False),
    _s("getCalibrationAnchor", "get_calibration_anchor", "GET",
       P + "/calibration_anchors/{anchor_id}", 1, True),
    _s("updateCalibrationAnchor", "update_calibration_anchor", "POST",
       P + "/calibration_anchors/{anchor_id}", 10, True),
    _s("deleteCalibrationAnchor", "delete_calibration_anchor", "DELETE",
       P + "/calibration_anchors/{anchor_id}", 10, True),
    _s("listTraces", "list_traces", "GET", J + "/traces", 1, True),
    _s("createTrace", "create_trace", "POST", J + "/traces", 10, False),
    _s("getTrace", "get_trace", "GET", J + "/traces/{trace_id}", 1, True),
    _s("updateTrace", "update_trace", "POST", J + "/traces/{trace_id}", 10, True),
    _s("deleteTrace", "delete_trace", "DELETE", J + "/traces/{trace_id}", 10, True),
    _s("listModels", "list_models", "GET", "/models", 100, True),
    # Cost per requested path; the full-model fetch (9900) is restricted and not offered.
    _s("getModel", "get_model", "GET", "/models/{modelKey}", MODEL_PATH_COST, True),
    _s("listUsers", "list_users", "GET", "/users", 1, True),
    _s("whoAmI", "who_am_i", "GET", "/users/whoami", 1, True),
    _s("getUser", "get_user", "GET", "/users/{user_id}", 1, True),
    _s("getUserActiveState", None, "GET", "/users/{user_id}/active_state", 1, True,
       restricted=True),
    _s("setUserActiveState", None, "POST", "/users/{user_id}/active_state", 10, False,
       restricted=True),
    _s("listTrackedActions", "list_tracked_actions", "GET",
       "/companies/{company_id}/tracked_actions", 1, True),
    _s("getActionModels", "get_action_models", "GET", "/companies/{company_id}/action_models",
       1, True),
)

BY_OPERATION: dict[str, MethodSpec] = {m.operation_id: m for m in METHODS}
BY_NAME: dict[str, MethodSpec] = {m.name: m for m in METHODS if m.name}
RESTRICTED = frozenset(m.operation_id for m in METHODS if m.restricted)


def match(verb: str, path: str) -> MethodSpec | None:
    """The operation a concrete request (``"POST"``, ``"/jobs/X/nodes/Y"``) belongs to."""
    verb = verb.upper()
    path = "/" + path.split("?", 1)[0].strip("/")
    # Literal segments win over parameters (``/users/whoami`` before ``/users/{user_id}``).
    best: MethodSpec | None = None
    for spec in METHODS:
        if spec.verb == verb and spec.regex.match(path):
            if best is None or spec.path.count("{") < best.path.count("{"):
                best = spec
    return best


def cost_of(verb: str, path: str, params: dict | None = None) -> int:
    """Planned token cost of a request (unknown routes: GET 1, others 10)."""
    spec = match(verb, path)
    if spec is None:
        return 1 if verb.upper() == "GET" else 10
    if spec.operation_id == "getModel":
        paths = (params or {}).get("paths")
        count = len(_split_paths(paths))
        return MODEL_PATH_COST * count if count else MODEL_FULL_COST
    return spec.cost


def is_idempotent(verb: str, path: str) -> bool:
    """Whether repeating the request after an unknown outcome is safe."""
    spec = match(verb, path)
    if spec is None:
        return verb.upper() in ("GET", "DELETE", "HEAD", "OPTIONS")
    return spec.idempotent


def _split_paths(paths) -> list[str]:
    if not paths:
        return []
    if isinstance(paths, str):
        return [p for p in (s.strip() for s in paths.split(",")) if p]
    return [str(p) for p in paths if str(p).strip()]
