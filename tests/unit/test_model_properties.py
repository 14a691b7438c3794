"""Property tests (hypothesis) for the model: lossless load -> save -> diff, and safe write-back.

The GeoPackage round trip is simulated with a real SQLite table (a GeoPackage is
SQLite): BOOLEAN/INTEGER/REAL/TEXT columns chosen from the field kinds, values
read back as SQLite returns them (booleans as 0/1, reals as float64).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plugin.model.apply import apply_change
from plugin.model.attributes import (
    MULTI_SEPARATOR,
    AttributeEditError,
    apply_attribute_trio,
    display_value,
    plan_attribute_change,
    same_field_value,
    same_json,
    value_text,
)
from plugin.model.diff import diff_entity, diff_job
from plugin.model.entities import build_snapshot
from plugin.model.flatten import fits_kind, flatten, geometry, schema_for

SETTINGS = settings(
    max_examples=int(os.environ.get("KP_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SQL_TYPE = {"bool": "BOOLEAN", "int": "INTEGER", "real": "REAL", "text": "TEXT"}

# ---------------------------------------------------------------- strategies

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
# Anything JSON can carry, incl. NUL and lone surrogates (GeoPackage/OGR cannot store them).
wild_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=8)
numeric_strings = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
    st.sampled_from(["45", "37.9", "004", "-0", "1e3", " 5", "true", "false", ""]),
)
strings = st.one_of(
    safe_text, numeric_strings, st.sampled_from(["a | b", "poteau déjà vu", "電柱"])
)
ints = st.one_of(st.integers(-(2**31), 2**31), st.integers(-(2**70), 2**70))
floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
scalars = st.one_of(strings, ints, floats, st.booleans(), st.none())
json_leaf = st.one_of(safe_text, st.integers(-(2**53), 2**53), floats, st.booleans(), st.none())
json_values = st.recursive(
    json_leaf,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(safe_text, kids, min_size=1, max_size=3)
    ),
    max_leaves=6,
)
pole_tags = st.fixed_dictionaries(
    {"tagtext": safe_text, "company": safe_text, "owner": st.booleans()}
)
time_buckets = st.fixed_dictionaries(
    {
        "start": st.integers(0, 4_000_000_000_000),
        "stop": st.integers(0, 4_000_000_000_000),
        "uid": safe_text,
    }
)
objects = st.one_of(
    pole_tags, time_buckets, st.dictionaries(safe_text, json_values, min_size=1, max_size=3)
)
values = st.one_of(scalars, scalars, objects)

FIXED_INSTANCE_IDS = [
    "one",
    "value",
    "button_added",
    "multi_added",
    "auto_button",
    "button_calced",
    "auto_calced",
    "assessment",
    "-Imported",
]
push_like = st.text(
    alphabet="-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    min_size=20,
    max_size=20,
)
instance_ids = st.one_of(st.sampled_from(FIXED_INSTANCE_IDS), push_like, safe_text)
instances = st.dictionaries(instance_ids, values, min_size=1, max_size=4)
attr_names = st.one_of(
    st.sampled_from(
        [
            "note",
            "pole_height",
            "done",
            "kp_id",
            "fid",
            "Note",
            "GEOM",
            "pole_tag",
            "scid",
            "hauteur_du_poteau_é",
            "電柱",
            "kp_sync",
            "connection_id",
            "node_id_1",
            "",
        ]
    ),
    safe_text,
)
attribute_lists = st.dictionaries(attr_names, instances, max_size=6)
wild_strings = st.one_of(strings, wild_text)
wild_values = st.one_of(
    values, wild_strings, st.dictionaries(wild_text, wild_text, min_size=1, max_size=2)
)
wild_attribute_lists = st.dictionaries(
    st.one_of(attr_names, wild_text),
    st.dictionaries(st.one_of(instance_ids, wild_text), wild_values, min_size=1, max_size=3),
    max_size=6,
)
lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


@st.composite
def jobs(draw):
    """(nodes, connections) lists shaped like the list routes return them."""
    n = draw(st.integers(1, 4))
    nodes = [
        {
            "id": f"-Node{i:016d}",
            "latitude": draw(lats),
            "longitude": draw(lons),
            "attributes": draw(wild_attribute_lists),
        }
        for i in range(n)
    ]
    conns = []
    for j in range(draw(st.integers(0, 3))):
        sections = {}
        for k in range(draw(st.integers(0, 2))):
            sid = "midpoint_section" if k == 0 else f"-Sect{j}{k:015d}"
            key = "multi_attributes" if draw(st.booleans()) else "attributes"
            sections[sid] = {
                "latitude": draw(lats),
                "longitude": draw(lons),
                key: draw(attribute_lists),
            }
        conns.append(
            {
                "id": f"-Conn{j:016d}",
                "node_id_1": nodes[draw(st.integers(0, n - 1))]["id"],
                "node_id_2": nodes[draw(st.integers(0, n - 1))]["id"],
                "breakpoints": draw(
                    st.one_of(st.none(), st.lists(st.tuples(lats, lons).map(list), max_size=3))
                ),
                "attributes": draw(attribute_lists),
                "sections": sections,
            }
        )
    return nodes, conns


# ---------------------------------------------------------------- GeoPackage simulation


def ogr_text(value):
    """What OGR's GeoPackage driver keeps of a text value: it cuts at NUL; UTF-8 only."""
    if isinstance(value, str):
        value.encode("utf-8")  # raises on lone surrogates, as writing the layer would
        return value.split("\x00")[0]
    return value


def sqlite_round_trip(rows, schema):
    """Write rows into an SQLite table typed from the schema and read them back (text as OGR
    stores it)."""
    con = sqlite3.connect(":memory:")
    cols = [f'"c{i}" {SQL_TYPE[s.kind]}' for i, s in enumerate(schema)]
    con.execute(f"CREATE TABLE t (fid INTEGER PRIMARY KEY, {', '.join(cols)})")
    marks = ", ".join("?" for _ in schema)
    con.executemany(
        f"INSERT INTO t VALUES (NULL, {marks})",
        [[ogr_text(row[s.name]) for s in schema] for row in rows],
    )
    out = []
    for rec in con.execute("SELECT * FROM t ORDER BY fid"):
        row = {}
        for spec, value in zip(schema, rec[1:]):
            if spec.kind == "bool" and value is not None:
                value = bool(value)
            row[spec.name] = value
        out.append(row)
    con.close()
    return out


def geom_round_trip(geom):
    """Geometry through float64 (WKB stores doubles)."""
    if geom is None:
        return None
    if isinstance(geom, tuple):
        return (float(geom[0]), float(geom[1]))
    return [(float(x), float(y)) for x, y in geom]


# ---------------------------------------------------------------- properties


@SETTINGS
@given(jobs())
def test_load_save_diff_plans_zero_operations(job):
    nodes, conns = job
    snap = build_snapshot(nodes, conns, [])
    schemas, working = {}, {}
    for kind in ("node", "connection", "section"):
        ents = snap.entities(kind)
        schema = schema_for(kind, ents.values())
        schemas[kind] = schema
        keys = list(ents)
        rows = sqlite_round_trip([flatten(kind, ents[k], schema) for k in keys], schema)
        working[kind] = {}
        for key, row in zip(keys, rows):
            geom = geom_round_trip(geometry(kind, ents[key], snap.nodes))
            working[kind][key] = (row, geom)
            assert diff_entity(kind, ents[key], row, geom, schema) is None, (kind, key, row)
    assert diff_job(snap, working, schemas) == []


def _kinds_for(display):
    return [k for k in ("bool", "int", "real", "text") if fits_kind(display, k)]


@st.composite
def edits(draw):
    """(attribute name, base instances or None, field kind, edited field value)."""
    base = draw(st.one_of(st.none(), instances))
    kind = draw(st.sampled_from(_kinds_for(display_value(base))))
    if kind == "bool":
        new = draw(st.one_of(st.booleans(), st.none()))
    elif kind == "int":
        new = draw(st.one_of(st.integers(-(2**63), 2**63 - 1), st.none()))
    elif kind == "real":
        new = draw(st.one_of(floats, st.none()))
    elif base and len(base) > 1 and draw(st.booleans()):
        # edit the joined text: some parts kept, some changed, some added/removed
        part = st.one_of(
            st.sampled_from([value_text(v) for v in base.values()]),
            safe_text.filter(lambda t: t != "" and "|" not in t),
        )
        parts = draw(st.lists(part, min_size=1, max_size=5))
        assume(all(p != "" and "|" not in p for p in parts))
        new = MULTI_SEPARATOR.join(parts)
    else:
        new = draw(st.one_of(strings, st.none(), objects.map(json.dumps)))
    name = draw(attr_names)
    return name, base, kind, new


def _equivalent(shown, typed, kind):
    if same_field_value(shown, typed, kind):
        return True
    try:
        a, b = float(str(shown).strip()), float(str(typed).strip())
        return a == b or (math.isnan(a) and math.isnan(b))
    except ValueError:
        pass
    return str(shown).strip().lower() == str(typed).strip().lower()


def _has_objects(base):
    return any(isinstance(v, (dict, list)) for v in (base or {}).values())


@SETTINGS
@given(edits())
def test_planned_trio_yields_edit_without_duplicates(edit):
    name, base, kind, new = edit
    counter = itertools.count()
    new_id = lambda: f"-Znew{next(counter):015d}"  # noqa: E731 - sorts after test ids
    try:
        part = plan_attribute_change(name, base, new, kind=kind, new_id=new_id)
    except AttributeEditError as exc:
        assert _has_objects(base), exc  # only object values may refuse free text
        assert repr(name) in str(exc)
        return
    start = {name: dict(base)} if base else {}
    if part is None:
        # nothing to send: either no value at all, or the edit equals base's value
        assert base or new is None or new == ""
        return
    assert set(part) == {"attributes"}  # never add_attributes / remove_attributes
    after = apply_attribute_trio(start, part, new_id=new_id)
    # a retry of the same body changes nothing (no duplicate instance)
    assert apply_attribute_trio(after, part, new_id=new_id) == after
    cleared = new is None or new == ""
    if cleared:
        assert name not in after
        return
    inst = after[name]
    if not base or len(base) == 1:
        assert len(inst) == 1
        if base:
            assert set(inst) == set(base)  # same instance id
    else:
        parts = (new if isinstance(new, str) else value_text(new)).split(MULTI_SEPARATOR)
        expected = len(parts) if len(parts) == len(base) else len([p for p in parts if p])
        assert len(inst) == expected
    # the edited value is what the entity now shows (up to number formatting / JSON layout)
    shown = display_value(inst)
    if isinstance(new, str) and new.strip().startswith("{") and len(inst) == 1:
        try:
            parsed = json.loads(new)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            assert same_json(next(iter(inst.values())), parsed) or _equivalent(shown, new, kind)
            return
    if isinstance(new, str) and len(inst) > 1:
        for s_part, n_part in zip(shown.split(MULTI_SEPARATOR), new.split(MULTI_SEPARATOR)):
            assert _equivalent(s_part, n_part, "text"), (shown, new)
    else:
        assert _equivalent(shown, new, kind), (shown, new)
    # converged: planning the same edit against the new state sends nothing
    assert plan_attribute_change(name, inst, new, kind=kind, new_id=new_id) is None


@SETTINGS
@given(attribute_lists, lats, lons)
def test_new_entity_body_recreates_the_row(attrs, lat, lon):
    """A new feature's upsert body, applied server-like, flattens back to the same row."""
    entity = {"id": "-Orig0000000000000000", "latitude": lat, "longitude": lon, "attributes": attrs}
    snap = build_snapshot([entity])
    ent = snap.nodes[entity["id"]]
    schema = schema_for("node", [ent])
    row = dict(flatten("node", ent, schema), kp_id=None)
    counter = itertools.count()
    change = diff_entity(
        "node", None, row, (lon, lat), schema, instance_id=lambda: f"-I{next(counter):018d}"
    )
    created = apply_change(None, change)
    again = flatten("node", created, schema)
    for spec in schema:
        if spec.attribute is not None and row[spec.name] != "":  # "" on a new feature = no value
            assert same_field_value(again[spec.name], row[spec.name], spec.kind) or _equivalent(
                again[spec.name], row[spec.name], spec.kind
            ), spec


# ---------------------------------------------------------------- merge properties


@st.composite
def node_versions(draw):
    """A base node and a random edit of it (attribute set/remove/add-instance, move)."""
    base = {
        "id": "-Node0000000000000000",
        "latitude": draw(lats),
        "longitude": draw(lons),
        "attributes": draw(attribute_lists),
    }

    def mutate(entity):
        out = json.loads(json.dumps(entity))
        for _ in range(draw(st.integers(0, 3))):
            op = draw(st.sampled_from(["set", "remove", "add", "move"]))
            names = sorted(out["attributes"])
            if op == "move":
                out["latitude"] = draw(lats)
            elif op == "set" and names:
                name = draw(st.sampled_from(names))
                iid = draw(st.sampled_from(sorted(out["attributes"][name])))
                out["attributes"][name][iid] = draw(values)
            elif op == "remove" and names:
                del out["attributes"][draw(st.sampled_from(names))]
            else:
                name = draw(attr_names)
                out["attributes"].setdefault(name, {})[draw(instance_ids)] = draw(values)
        return out

    return base, mutate(base), mutate(base)


def _same_state(a, b):
    """Same attributes, and positions equal within the merge tolerance (1e-9 degrees)."""
    return (
        abs(a["latitude"] - b["latitude"]) <= 1e-9
        and abs(a["longitude"] - b["longitude"]) <= 1e-9
        and same_json(a["attributes"], b["attributes"])
    )


@SETTINGS
@given(node_versions())
def test_merge_properties(versions):
    from plugin.model.merge import merge_entity

    base, local, remote = versions
    # one side unchanged -> the other side wins, no conflict
    res = merge_entity("node", base, local, base)
    assert not res.conflicts and _same_state(res.merged, local)
    res = merge_entity("node", base, base, remote)
    assert not res.conflicts and _same_state(res.merged, remote)
    # the same change on both sides is no conflict
    res = merge_entity("node", base, local, json.loads(json.dumps(local)))
    assert not res.conflicts and _same_state(res.merged, local)
    # conflicts are symmetric, and resolving all as mine/theirs gives a full side where they clash
    a = merge_entity("node", base, local, remote)
    b = merge_entity("node", base, remote, local)
    assert [c.field for c in a.conflicts] == [c.field for c in b.conflicts]
    mine, theirs = a.resolve(default="mine"), a.resolve(default="theirs")
    for c in a.conflicts:
        if c.attribute is not None:
            assert same_json(
                mine["attributes"].get(c.attribute), local["attributes"].get(c.attribute)
            )
            assert same_json(
                theirs["attributes"].get(c.attribute), remote["attributes"].get(c.attribute)
            )
    # without conflicts, every component equals one side's version
    if not a.conflicts:
        merged = a.merged["attributes"]
        for name in set(local["attributes"]) | set(remote["attributes"]) | set(base["attributes"]):
            lv, rv, bv = (e["attributes"].get(name) for e in (local, remote, base))
            if same_json(lv, bv):
                assert same_json(merged.get(name), rv)
            elif same_json(rv, bv):
                assert same_json(merged.get(name), lv)
