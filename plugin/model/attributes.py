"""Entity attribute lists ``{name: {instance_id: value}}`` <-> one flat field value per name.

Display (what a layer field shows):

* no instances -> ``None`` (NULL);
* one instance holding a scalar -> the value itself with its JSON type
  (``"45"`` stays the string ``"45"``, ``45`` stays int, ``true`` stays bool);
* one instance holding an object -> readable text: ``pole_tag``-like objects
  (with ``tagtext``) -> the tag text; ``time_bucket``-like objects (``start`` and
  ``stop`` in epoch ms) -> an ISO-8601 interval ``start/stop``; any other object
  or list -> compact JSON with sorted keys;
* several instances -> the text of each value joined with ``" | "`` in
  instance-key order (plain string sort, so deterministic).

Write-back (:func:`plan_attribute_change`) returns the part of an update body
for one attribute, using ONLY ``attributes`` (never ``add_attributes``, so a
retried request cannot duplicate an instance, and never ``remove_attributes``
because ``attributes: {name: null}`` does the same in the same map):

* unchanged (equal after the field kind's conversion) -> ``None``;
* cleared (``None`` or ``""``) -> ``{name: null}`` (attribute removed);
* no base instance -> ``{name: {<new push id>: value}}``;
* one scalar instance -> the same instance id, the new value coerced to the JSON
  type of the base value when it parses as that type (base ``"45"`` + 50 ->
  ``"50"``; base ``45`` + ``"50"`` -> ``50``; base ``45`` + ``"5O"`` -> ``"5O"``);
* one object instance -> the same instance id with: the parsed object when the
  text is a JSON object; else for a ``pole_tag``-like object a copy with
  ``tagtext`` replaced; for a ``time_bucket``-like object a copy with the parsed
  interval; anything else raises :class:`AttributeEditError` (nothing is
  written silently as text in place of an object);
* several instances -> the new text is split on ``" | "``; same number of parts:
  the instances whose text changed are updated pairwise (same ids); another
  number: parts equal to an existing instance's text keep that instance, the
  other old instances are nulled and the remaining parts are written under new
  push ids.
"""

from __future__ import annotations

import copy
import json
import math
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Mapping

from .ids import new_push_id

MULTI_SEPARATOR = " | "
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FIELD_KINDS = ("bool", "int", "real", "text")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


class AttributeEditError(ValueError):
    """A field value that cannot be written back to an attribute (message names the fix)."""


class FieldValueError(ValueError):
    """A value that does not fit a field kind."""


# ---------------------------------------------------------------- display


def _ms_to_iso(ms: Any) -> str:
    dt = datetime.fromtimestamp(float(ms) / 1000.0, tz=timezone.utc)
    if 1000 <= dt.year:  # same text as strftime below, several times faster
        text = (
            f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T"
            f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
        )
    else:  # keep the platform's strftime spelling of years before 1000
        text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    frac = int(round(float(ms))) % 1000
    if frac:
        text += f".{frac:03d}"
    return text + "Z"


def _iso_to_ms(text: str) -> int:
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_pole_tag(obj: Any) -> bool:
    """True for a ``pole_tag``-like object (has a scalar ``tagtext``)."""
    return (
        (type(obj) is dict or isinstance(obj, Mapping))
        and "tagtext" in obj
        and not isinstance(obj["tagtext"], (Mapping, list))
    )


def _time_bucket_text(obj: Any) -> str | None:
    """``start/stop`` as ISO-8601 for a ``time_bucket``-like object, else None."""
    if type(obj) is not dict and not isinstance(obj, Mapping):
        return None
    start, stop = obj.get("start"), obj.get("stop")
    if not (_is_number(start) and _is_number(stop)):
        return None
    try:
        return f"{_ms_to_iso(start)}/{_ms_to_iso(stop)}"
    except (OverflowError, OSError, ValueError):
        return None


def is_time_bucket(obj: Any) -> bool:
    """True for a ``time_bucket``-like object (numeric ``start`` and ``stop`` in epoch ms)."""
    return _time_bucket_text(obj) is not None


_PROBE = {"b": [1.5, -0.0, 10**20, 'é\u2028"', None, True], "a": {"x": 1e300}}


def json_encoder(*, sort_keys: bool = False, ensure_ascii: bool = True) -> Callable[[Any], str]:
    """A compact JSON encoder ``fn(value) -> str`` (separators ``,`` and ``:``) built once.

    Same text as ``json.JSONEncoder`` with these options; for bulk work it reuses one
    C encoder instead of building one per call (falls back to ``JSONEncoder.encode``
    where the interpreter's C encoder differs). Values must not be circular (JSON
    data from the server never is).
    """
    plain = json.JSONEncoder(
        separators=(",", ":"),
        sort_keys=sort_keys,
        ensure_ascii=ensure_ascii,
        check_circular=False,
    )
    try:
        from json import encoder as json_c

        iterencode = json_c.c_make_encoder(
            None,
            plain.default,
            json_c.c_encode_basestring_ascii if ensure_ascii else json_c.c_encode_basestring,
            None,
            ":",
            ",",
            sort_keys,
            False,
            True,
        )

        def encode(value: Any) -> str:
            if type(value) is dict or type(value) is list:
                return "".join(iterencode(value, 0))
            return plain.encode(value)

        if encode(_PROBE) != plain.encode(_PROBE):
            return plain.encode
        return encode
    except Exception:  # noqa: BLE001 - no usable C encoder here: the plain one
        return plain.encode


# One encoder for every call (json.dumps builds a new one per call with these options).
_COMPACT = json_encoder(sort_keys=True, ensure_ascii=False)


def compact_json(value: Any) -> str:
    """Compact, deterministic JSON (sorted keys, unicode kept)."""
    return _COMPACT(value)


def object_text(obj: Any) -> str:
    """Readable text for an object or list value."""
    if is_pole_tag(obj):
        tag = obj["tagtext"]
        return "" if tag is None else scalar_text(tag)
    text = _time_bucket_text(obj)
    if text is not None:
        return text
    return compact_json(obj)


def format_float(value: float) -> str:
    """Shortest text that reads back as the same float (``45.0``, ``37.9``, ``1e+20``)."""
    return repr(float(value))


def scalar_text(value: Any) -> str:
    """Text of a scalar the way a user reads it: JSON-style ``true``/``false``, ``""`` for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, str):
        return value
    return object_text(value)


def value_text(value: Any) -> str:
    """Readable text of one instance value (scalar or object)."""
    if type(value) is str:
        return value
    if type(value) in (dict, list) or isinstance(value, (Mapping, list)):
        return object_text(value)
    return scalar_text(value)


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def display_value(instances: Mapping[str, Any] | None) -> Any:
    """The flat display value of one attribute's instances (see module docstring)."""
    if not instances or (type(instances) is not dict and not isinstance(instances, Mapping)):
        return None
    if len(instances) == 1:
        for value in instances.values():
            if type(value) in _SCALAR_TYPES or isinstance(value, (bool, int, float, str)):
                return value
            return object_text(value)
    return MULTI_SEPARATOR.join(value_text(instances[k]) for k in sorted(instances))


# ---------------------------------------------------------------- field kinds


def _value_kind(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if INT64_MIN <= value <= INT64_MAX else "text"
    if isinstance(value, float):
        return "real" if math.isfinite(value) else "text"
    return "text"


_PLAIN_TYPES = frozenset((str, bool, int, float))
_BOOL_ONLY = frozenset((bool,))
_NUMBER_TYPES = frozenset((int, float))


def infer_field_kind(values: Iterable[Any]) -> str:
    """Field kind for a column of display values: bool | int | real | text (mixed -> text).

    ``None`` values are ignored; ints with floats give ``real``; ints outside
    int64 and non-finite floats give ``text``; no values at all give ``text``.
    """
    if type(values) is not list:
        values = list(values)
    types = set(map(type, values))
    types.discard(type(None))
    if not types or (str in types and types <= _PLAIN_TYPES):
        return "text"  # fast paths, same answers as the loop below (a str always gives text)
    if types == _BOOL_ONLY:
        return "bool"
    if types <= _NUMBER_TYPES:  # exact int/float only: ranges checked in C loops
        ints = [v for v in values if type(v) is int] if float in types else None
        if float in types:
            floats = [v for v in values if type(v) is float]
            if not all(map(math.isfinite, floats)):
                return "text"
        else:
            ints = [v for v in values if v is not None]
        if ints and not (INT64_MIN <= min(ints) and max(ints) <= INT64_MAX):
            return "text"
        return "real" if float in types else "int"
    kinds = set()
    for v in values:
        k = _value_kind(v)
        if k is not None:
            kinds.add(k)
            if k == "text":
                return "text"
    if not kinds:
        return "text"
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"int", "real"}:
        return "real"
    return "text"


def to_field_value(value: Any, kind: str) -> Any:
    """Convert a display (or user-entered) value to what a ``kind`` field stores.

    Raises :class:`FieldValueError` when the value cannot be represented.
    """
    if value is None:
        return None
    if kind == "text":
        return storable_text(value if isinstance(value, str) else value_text(value))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if _is_number(value) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise FieldValueError(f"{value!r} is not a yes/no value")
    if kind == "int":
        if isinstance(value, bool):
            raise FieldValueError(f"{value!r} is not a whole number")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise FieldValueError(f"{value!r} is not a whole number")
    if kind == "real":
        if _is_number(value):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise FieldValueError(f"{value!r} is not a number")
    raise ValueError(f"unknown field kind {kind!r}")


def storable_text(text: str) -> str:
    """``text`` as a GeoPackage text field can hold it: NUL characters removed (OGR would cut
    the value there) and lone surrogates (not UTF-8 encodable) replaced by U+FFFD."""
    if text.isascii() and "\x00" not in text:
        return text
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


def same_field_value(a: Any, b: Any, kind: str | None) -> bool:
    """True when two values are equal once stored in a ``kind`` field (None = compare as is)."""
    if kind is not None:
        try:
            a = to_field_value(a, kind)
        except FieldValueError:
            pass
        try:
            b = to_field_value(b, kind)
        except FieldValueError:
            pass
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


# ---------------------------------------------------------------- write-back


def coerce_like(base_value: Any, new: Any) -> Any:
    """``new`` in the JSON type of ``base_value`` when it parses as that type, else as is."""
    if base_value is None or new is None:
        return new
    if isinstance(base_value, bool):
        if isinstance(new, bool):
            return new
        if _is_number(new) and new in (0, 1):
            return bool(new)
        if isinstance(new, str):
            low = new.strip().lower()  # JSON booleans only: "0"/"no" stay text
            return True if low == "true" else False if low == "false" else new
        return new
    if isinstance(base_value, int):
        if isinstance(new, bool):
            return new
        if isinstance(new, int):
            return new
        if isinstance(new, float):
            return int(new) if new.is_integer() else new
        if isinstance(new, str):
            try:
                return int(new.strip())
            except ValueError:
                pass
            try:
                f = float(new.strip())
                return f if math.isfinite(f) else new
            except ValueError:
                return new
        return new
    if isinstance(base_value, float):
        if _is_number(new):
            return float(new)
        if isinstance(new, str):
            try:
                f = float(new.strip())
                return f if math.isfinite(f) else new
            except ValueError:
                return new
        return new
    if isinstance(base_value, str):
        return new if isinstance(new, str) else value_text(new)
    return new


def edit_object(name: str, base_obj: Any, new: Any) -> Any:
    """The new object for an object-valued instance edited as ``new`` (text or object)."""
    if isinstance(new, (Mapping, list)):
        return copy.deepcopy(new)
    text = new if isinstance(new, str) else value_text(new)
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped)
        except ValueError as exc:
            if not is_pole_tag(base_obj):
                raise AttributeEditError(
                    f"Attribute {name!r}: {text!r} is not valid JSON ({exc}); "
                    f"enter the object as JSON, e.g. {compact_json(base_obj)}"
                ) from None
        else:
            if isinstance(parsed, (dict, list)):
                return parsed
    if is_pole_tag(base_obj):
        out = copy.deepcopy(dict(base_obj))
        out["tagtext"] = text
        return out
    if is_time_bucket(base_obj):
        start, sep, stop = stripped.partition("/")
        try:
            if not sep:
                raise ValueError
            out = copy.deepcopy(dict(base_obj))
            out["start"], out["stop"] = _iso_to_ms(start), _iso_to_ms(stop)
            return out
        except ValueError:
            raise AttributeEditError(
                f"Attribute {name!r}: {text!r} is not a time interval; enter it as "
                f"START/STOP in ISO-8601, e.g. {object_text(base_obj)}"
            ) from None
    raise AttributeEditError(
        f"Attribute {name!r} holds an object; enter it as JSON, e.g. {compact_json(base_obj)}"
    )


def edit_instance(name: str, base_value: Any, new: Any) -> Any:
    """New value for one existing instance, keeping the base value's type/shape where possible."""
    if isinstance(base_value, (Mapping, list)):
        return edit_object(name, base_value, new)
    return coerce_like(base_value, new)


def _identical(a: Any, b: Any) -> bool:
    """Deep equality that tells bool from int and int from float (JSON type kept)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b))
    return a == b


def same_json(a: Any, b: Any) -> bool:
    """Deep equality of JSON values keeping types apart (``"45"`` != ``45``, ``1`` != ``True``)."""
    return _identical(a, b)


def _is_cleared(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def plan_attribute_change(
    name: str,
    base_instances: Mapping[str, Any] | None,
    new_value: Any,
    *,
    kind: str | None = None,
    new_id: Callable[[], str] = new_push_id,
) -> Dict[str, Any] | None:
    """Body part (``{"attributes": {name: ...}}``) turning ``base_instances`` into ``new_value``.

    ``kind`` is the field kind the value went through (bool|int|real|text); it
    decides what counts as unchanged. Returns ``None`` when nothing changes.
    Raises :class:`AttributeEditError` for a value that cannot be written.
    """
    base = dict(base_instances or {})
    old_display = display_value(base)
    if kind is None:
        kind = infer_field_kind([old_display])
    if same_field_value(old_display, new_value, kind):
        return None
    if _is_cleared(new_value):
        return {"attributes": {name: None}} if base else None
    if kind in ("bool", "int", "real"):
        try:  # e.g. a GeoPackage boolean read back as 0/1 is written as a JSON boolean
            new_value = to_field_value(new_value, kind)
        except FieldValueError:
            pass
    if not base:
        value = copy.deepcopy(new_value)
        return {"attributes": {name: {new_id(): value}}}
    if len(base) == 1:
        ((iid, old),) = base.items()
        value = edit_instance(name, old, new_value)
        if _identical(value, old):
            return None
        return {"attributes": {name: {iid: value}}}
    return _plan_multi(name, base, new_value, new_id)


def _plan_multi(name: str, base: Dict[str, Any], new_value: Any, new_id: Callable[[], str]):
    keys = sorted(base)
    old_texts = [value_text(base[k]) for k in keys]
    text = new_value if isinstance(new_value, str) else value_text(new_value)
    parts = text.split(MULTI_SEPARATOR)
    patch: Dict[str, Any] = {}
    if len(parts) == len(keys):
        for key, old_text, part in zip(keys, old_texts, parts):
            if part != old_text:
                value = edit_instance(name, base[key], part)
                if not _identical(value, base[key]):
                    patch[key] = value
    else:
        patch = _match_parts(name, base, keys, old_texts, parts, new_id)
        if patch is None:
            # Keeping the matching instances would not show the parts in the typed
            # order (display sorts by instance id): replace every instance instead;
            # new push ids are time ordered, so they sort in typed order.
            patch = {k: None for k in keys}
            for part in parts:
                if part != "":
                    patch[new_id()] = _new_part_value(name, base, part)
    if not patch:
        return None
    return {"attributes": {name: patch}}


def _new_part_value(name: str, base: Mapping[str, Any], part: str) -> Any:
    """Value for a new instance typed as ``part`` next to the ``base`` instances: objects
    when they all are objects, their scalar type when they all share one, else text."""
    types = {type(v) for v in base.values()}
    example = next(iter(base.values()))
    if len(types) != 1 and not all(isinstance(v, Mapping) for v in base.values()):
        return part
    if isinstance(example, (Mapping, list)):
        if is_pole_tag(example) and not part.strip().startswith("{"):
            return {"tagtext": part}
        return edit_object(name, example, part)
    return coerce_like(example, part)


def _match_parts(name, base, keys, old_texts, parts, new_id) -> Dict[str, Any] | None:
    """Keep instances whose text equals a part, null the rest, add the others; None if the
    resulting instance order would not show the parts in the typed order."""
    unused = list(range(len(keys)))
    result: List[tuple] = []  # (key, text) in typed order
    patch: Dict[str, Any] = {}
    for part in parts:
        match = next((i for i in unused if old_texts[i] == part), None)
        if match is not None:
            unused.remove(match)
            result.append((keys[match], part))
        elif part != "":
            key = new_id()
            value = _new_part_value(name, base, part)
            patch[key] = value
            result.append((key, value_text(value)))
    for i in unused:
        patch[keys[i]] = None
    if [t for _, t in sorted(result)] != [t for _, t in result]:
        return None
    return patch


def merge_body_parts(parts: Iterable[Mapping[str, Any] | None]) -> Dict[str, Any]:
    """Merge several body parts (``attributes``/``remove_attributes``/other keys) into one body."""
    body: Dict[str, Any] = {}
    for part in parts:
        if not part:
            continue
        for key, value in part.items():
            if key == "attributes":
                body.setdefault("attributes", {}).update(value)
            elif key == "remove_attributes":
                body.setdefault("remove_attributes", []).extend(value)
            else:
                body[key] = value
    return body


def apply_attribute_trio(
    attributes: Mapping[str, Mapping[str, Any]] | None,
    body: Mapping[str, Any],
    *,
    new_id: Callable[[], str] = new_push_id,
) -> Dict[str, Dict[str, Any]]:
    """The attribute list after a write body, with the server's order of application.

    ``remove_attributes`` (names) first, then ``attributes`` (``null`` removes a
    name or an instance, other instances are set), then ``add_attributes`` (each
    value under a fresh instance id). A name left without instances disappears.
    """
    out = {k: dict(v) for k, v in (attributes or {}).items()}
    for name in body.get("remove_attributes") or []:
        out.pop(name, None)
    for name, instances in (body.get("attributes") or {}).items():
        if instances is None:
            out.pop(name, None)
            continue
        if not isinstance(instances, Mapping):
            raise ValueError(f"attributes.{name} must be a map of instance ids or null")
        current = out.setdefault(name, {})
        for iid, value in instances.items():
            if value is None:
                current.pop(iid, None)
            else:
                current[iid] = copy.deepcopy(value)
        if not current:
            out.pop(name, None)
    for name, value in (body.get("add_attributes") or {}).items():
        if value is not None:
            out.setdefault(name, {})[new_id()] = copy.deepcopy(value)
    return out
