"""Pick-lists from a Katapult model's ``attributes`` path (pure; no qgis).

``GET /models/{key}?paths=attributes`` costs 1000 tokens, so the GUI asks first
and the result is cached in the job's kp_meta (``pick_lists``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

MODEL_PATH = "attributes"
MODEL_PATH_COST = 1000


def _values(raw: Any) -> List[str]:
    out: List[str] = []
    items = raw.values() if isinstance(raw, Mapping) else raw if isinstance(raw, list) else []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("value", item.get("name"))
        if item is None or isinstance(item, (Mapping, list)):
            continue
        text = str(item)
        if text not in out:
            out.append(text)
    return out


def pick_lists_from_model(data: Any) -> Dict[str, List[str]]:
    """``{attribute: [allowed values]}`` from the model data at ``attributes``.

    Accepts the response of ``get_model(key, "attributes")`` (``{"attributes": {...}}``)
    or the attributes map itself. Every pick-list group of an attribute
    (``picklists: {group: [...]}``) contributes, in order, without duplicates.
    """
    attrs = data.get(MODEL_PATH, data) if isinstance(data, Mapping) else {}
    out: Dict[str, List[str]] = {}
    if not isinstance(attrs, Mapping):
        return out
    for name, spec in attrs.items():
        if not isinstance(spec, Mapping):
            continue
        groups = spec.get("picklists")
        values: List[str] = []
        if isinstance(groups, Mapping):
            for group in groups.values():
                for value in _values(group):
                    if value not in values:
                        values.append(value)
        elif isinstance(groups, list):
            values = _values(groups)
        if values:
            out[str(name)] = values
    return out
