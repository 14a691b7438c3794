"""Body validation and the entity attribute trio (remove -> attributes -> add)."""

from __future__ import annotations

import copy
from typing import Any, Callable

from .errors import ApiError, invalid_field
from .ids import is_valid_instance_id

_BAD_NAME_CHARS = set(".$#[]/")


def is_number(value: Any) -> bool:
    """True for int/float but not bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_object(body: dict, field: str, required: bool = False) -> dict | None:
    """Return ``body[field]`` if it is an object (or absent and optional)."""
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, dict):
        raise invalid_field(f"{field} must be an object, got {_type_name(value)}")
    return value


def check_string(body: dict, field: str, allow_null: bool = False) -> str | None:
    """Return ``body[field]`` if it is a string (absent -> None)."""
    if field not in body:
        return None
    value = body[field]
    if value is None and allow_null:
        return None
    if not isinstance(value, str):
        raise invalid_field(f"{field} must be a string, got {_type_name(value)}")
    return value


def check_lat_lon(body: dict, required: bool) -> tuple[float | None, float | None]:
    """Validate ``latitude``/``longitude`` (numbers in range)."""
    out = []
    for field, limit in (("latitude", 90.0), ("longitude", 180.0)):
        if field not in body:
            if required:
                raise ApiError(400, "missing_required_field", f"Missing required field: {field}")
            out.append(None)
            continue
        value = body[field]
        if not is_number(value):
            raise invalid_field(f"{field} must be a number, got {_type_name(value)}")
        if not -limit <= float(value) <= limit:
            raise invalid_field(f"{field} {value!r} is out of range [-{limit:g}, {limit:g}]")
        out.append(float(value))
    return out[0], out[1]


def check_breakpoints(value: Any) -> list | None:
    """Validate ``breakpoints``: list of ``[lat, lon]`` number pairs; None/[] clears."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise invalid_field("breakpoints must be an array of [latitude, longitude] pairs")
    for i, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2 and all(is_number(v) for v in pair)):
            raise invalid_field(
                f"breakpoints[{i}] must be a [latitude, longitude] pair of numbers, got {pair!r}"
            )
        if not (-90 <= pair[0] <= 90 and -180 <= pair[1] <= 180):
            raise invalid_field(f"breakpoints[{i}] = {pair!r} is out of range (latitude first)")
    return [[float(a), float(b)] for a, b in value] or None


def check_attribute_name(name: str, where: str) -> None:
    if not name or any(c in _BAD_NAME_CHARS for c in name):
        raise invalid_field(
            f"{where}: attribute name {name!r} is empty or contains one of . $ # [ ] /"
        )


def check_trio(body: dict) -> None:
    """Type-check ``remove_attributes``, ``attributes`` and ``add_attributes``."""
    if "remove_attributes" in body:
        ra = body["remove_attributes"]
        if not isinstance(ra, list) or not all(isinstance(x, str) for x in ra):
            raise invalid_field("remove_attributes must be an array of attribute names (strings)")
    if "attributes" in body:
        attrs = body["attributes"]
        if not isinstance(attrs, dict):
            raise invalid_field(
                "attributes must be an entity attribute list {name: {instance_id: value}}"
            )
        for name, instances in attrs.items():
            check_attribute_name(name, "attributes")
            if instances is None:
                continue
            if not isinstance(instances, dict):
                raise invalid_field(
                    f"attributes.{name} must be an object {{instance_id: value}} or null, "
                    f"got {_type_name(instances)}"
                )
            for iid in instances:
                if not is_valid_instance_id(iid):
                    raise ApiError(
                        400,
                        "invalid_id",
                        f"attributes.{name}: instance id {iid!r} must be 1-256 chars "
                        "of [A-Za-z0-9_-]",
                    )
    if "add_attributes" in body:
        add = body["add_attributes"]
        if not isinstance(add, dict):
            raise invalid_field("add_attributes must be a flat map {name: value}")
        for name, value in add.items():
            check_attribute_name(name, "add_attributes")
            if value is None:
                raise invalid_field(
                    f"add_attributes.{name} is null; use remove_attributes or attributes to remove"
                )


def apply_trio(current: dict | None, body: dict, new_instance_id: Callable[[], str]) -> dict:
    """New attribute list: ``remove_attributes``, then ``attributes``, then ``add_attributes``."""
    attrs = copy.deepcopy(current) if current else {}
    for name in body.get("remove_attributes") or []:
        attrs.pop(name, None)
    for name, instances in (body.get("attributes") or {}).items():
        if instances is None:
            attrs.pop(name, None)
            continue
        target = attrs.setdefault(name, {})
        if not isinstance(target, dict):
            target = attrs[name] = {}
        for iid, value in instances.items():
            if value is None:
                target.pop(iid, None)
            else:
                target[iid] = copy.deepcopy(value)
        if not target:
            attrs.pop(name, None)
    for name, value in (body.get("add_attributes") or {}).items():
        target = attrs.setdefault(name, {})
        if not isinstance(target, dict):
            target = attrs[name] = {}
        target[new_instance_id()] = copy.deepcopy(value)
    return attrs


def apply_flat(current: dict, updates: dict, reserved: set[str] = frozenset()) -> None:
    """Merge a flat map into ``current`` in place; ``null`` removes a key."""
    for key, value in updates.items():
        if key in reserved:
            raise invalid_field(f"attribute name {key!r} is reserved on this resource")
        check_attribute_name(key, "attributes")
        if value is None:
            current.pop(key, None)
        else:
            current[key] = copy.deepcopy(value)


def check_pixel_selection(value: Any, field: str = "pixel_selection") -> dict:
    if not isinstance(value, dict):
        raise invalid_field(f"{field} must be an object {{percentX, percentY}}")
    for k in ("percentX", "percentY"):
        if k not in value or not is_number(value[k]):
            raise invalid_field(f"{field}.{k} must be a number")
        if not 0.0 <= value[k] <= 1.0:
            raise invalid_field(
                f"{field}.{k} = {value[k]!r} must be a fraction of the image between 0 and 1"
            )
    return {"percentX": value["percentX"], "percentY": value["percentY"]}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
