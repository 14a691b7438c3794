"""kp_base from the server's item texts (``JobData.raw_texts``) equals kp_base from encoding.

``base_rows`` stores each item's JSON text as sent when the client delivered it; the
rows must be the same rows, equal in meaning, as without the texts (connections
without ``sections``, each section its own row with ``id``), and a text that cannot
be shown exact is encoded instead.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.api.client import KatapultClient, loads_keeping_item_texts
from plugin.api.pacing import Governor
from plugin.layers.geopackage import (
    JobData,
    base_rows,
    read_base,
    split_connection_text,
    write_job_gpkg,
)
from plugin.layers.load_task import fetch_job
from plugin.model.entities import build_snapshot

SPELLINGS = [
    {"separators": (",", ":")},  # the sandbox's (ASCII, compact)
    {"separators": (",", ":"), "ensure_ascii": False},  # like JSON.stringify
    {"indent": 2, "ensure_ascii": False},
    {},
]


def delivered(items, spelling):
    """What the client returns for a list response with ``raw=True``: (items, texts)."""
    body = json.dumps({"status": "success", "data": items, "meta": {}}, **spelling)
    data = loads_keeping_item_texts(body)["data"]
    return data, data.texts


def generated_job(nodes=40, seed=5):
    from plugin.sandbox.generator import generate_sample_job, seed_world
    from plugin.sandbox.store import Store

    store = Store(seed=seed)
    seed_world(store, seed)
    job_id = generate_sample_job(store, nodes, seed)
    return (
        json.loads(str(store.list_nodes(job_id, None, None))),
        json.loads(str(store.list_connections(job_id))),
        json.loads(str(store.list_photos(job_id))),
    )


NODE = {"id": "-N1", "latitude": 40.0, "longitude": -80.0, "attributes": {}}
NODE2 = {"id": "-N2", "latitude": 40.1, "longitude": -80.1, "attributes": {}}
SEC = {"latitude": 40.05, "longitude": -80.05, "multi_attributes": {"note": {"a": "x"}}}
ODD_CONNECTIONS = [
    # sections in every position, with and without their own id, empty, odd values
    {"id": "-C01", "node_id_1": "-N1", "node_id_2": "-N2", "sections": {"midpoint_section": SEC}},
    {
        "sections": {"s1": SEC, "s2": dict(SEC, id="s2")},
        "id": "-C02",
        "node_id_1": "-N1",
        "node_id_2": "-N2",
        "breakpoints": [[40.02, -80.02]],
    },
    {"id": "-C03", "sections": {}, "node_id_1": "-N1", "node_id_2": "-N2"},
    {"id": "-C04", "node_id_1": "-N1", "node_id_2": "-N2"},
    {
        "id": "-C05",
        "node_id_1": "-N1",
        "node_id_2": "-N2",
        "sections": {"s": dict(SEC, id="")},
        "attributes": {"note": {"x": "sections"}},
    },  # the word as a value: encoded
    {
        "id": "-C06",
        "node_id_1": "-N1",
        "node_id_2": "-N2",
        "sections": {"s": SEC},
        "attributes": {"sections": {"x": 1}},
    },  # a nested key named sections: encoded
    {
        "id": "-C07",
        "node_id_1": "-N1",
        "node_id_2": "-N2",
        "sections": {"s": {}},
        "attributes": {"owner": {"x": 'Zoë 漢 "q" \\ /'}},
    },
    {"id": "-C08", "node_id_1": "-N1", "node_id_2": "-N3", "sections": {"s": SEC}},  # orphan
    {"id": "-C01", "node_id_1": "-N2", "node_id_2": "-N1", "sections": {}},  # duplicate id
    {"id": "-C09", "node_id_1": "-N1", "node_id_2": "-N2", "sections": [SEC]},
    {"id": "-C10", "node_id_1": "-N1", "node_id_2": "-N2", "sections": {"s": SEC, "t": 5}},
    "not an object",
]


def meaning(rows):
    return [(kind, entity_id, parent, json.loads(data)) for kind, entity_id, parent, data in rows]


def rows_for(nodes, conns, photos, raw_texts=None):
    snap = build_snapshot(nodes, conns, photos)
    job = JobData("-J", "J", nodes, conns, photos, raw_texts=raw_texts)
    return base_rows(job, snap)


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("which", ["generated", "odd"])
def test_base_rows_equal_in_meaning_with_and_without_texts(which, spelling):
    if which == "generated":
        nodes, conns, photos = generated_job()
        assert sum(len(c.get("sections") or {}) for c in conns) > 0
    else:
        nodes = [NODE, NODE2, dict(NODE, attributes={"n": {"i": "é\n"}}), "bad"]
        conns, photos = copy.deepcopy(ODD_CONNECTIONS), [{"id": "-P1", "x": {"y": [1]}}]
    nodes, node_texts = delivered(nodes, spelling)
    conns, conn_texts = delivered(conns, spelling)
    photos, photo_texts = delivered(photos, spelling)
    plain = rows_for(nodes, conns, photos)
    texts = {"node": node_texts, "connection": conn_texts, "photo": photo_texts}
    raw = rows_for(nodes, conns, photos, texts)
    assert meaning(raw) == meaning(plain)
    assert len({(k, p, i) for k, i, p, _ in raw}) == len(raw)  # no key twice
    if spelling.get("indent"):
        # the texts themselves were stored (indented text; encoding is compact)
        sent = set(node_texts) | set(photo_texts)
        assert all(data in sent for kind, _i, _p, data in raw if kind in ("node", "photo"))
        assert sum("\n" in data for kind, _i, _p, data in raw if kind == "connection") > 0
        assert sum("\n" in data for kind, _i, _p, data in raw if kind == "section") > 0


def test_misaligned_texts_are_ignored():
    nodes, texts = delivered([NODE, NODE2], {"indent": 1})
    rows = rows_for(nodes, [], [], {"node": texts[:1]})
    assert meaning(rows) == meaning(rows_for(nodes, [], []))
    assert all("\n" not in data for *_rest, data in rows)  # encoded, not the texts


def test_split_connection_text_refuses_what_it_cannot_show():
    conn = {"id": "c", "sections": {"s": {"a": 1}}}
    assert split_connection_text('{"id":"c","sections":{"s":{"a":1}}}', conn) == (
        '{"id":"c"}',
        {"s": '{"a":1}'},
    )
    assert split_connection_text('{"sections":{"s":{"a":1}},"id":"c"}', conn)[0] == '{"id":"c"}'
    # escaped key spelling, a second literal occurrence, sections not an object
    assert split_connection_text('{"id":"c","section\\u0073":{"s":{"a":1}}}', conn) is None
    assert split_connection_text('{"id":"c","x":"sections","sections":{"s":{"a":1}}}', conn) is None
    assert split_connection_text('{"id":"c","sections":[]}', {"id": "c", "sections": []}) is None


CONN_KEYS = st.sampled_from(["id", "node_id_1", "a", "sections", "b", "x y", "é"])
VALUES = st.recursive(
    st.none() | st.integers() | st.text(max_size=6) | st.sampled_from(["sections", '"s"']),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4) | CONN_KEYS, inner, max_size=3)
    ),
    max_leaves=10,
)
SECTIONS = st.dictionaries(
    st.text(max_size=5),
    st.dictionaries(st.text(max_size=4) | CONN_KEYS, VALUES, max_size=3),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(
    members=st.lists(st.tuples(CONN_KEYS, VALUES), max_size=5),
    sections=SECTIONS,
    where=st.integers(min_value=0, max_value=5),
    spelling=st.sampled_from(SPELLINGS),
)
def test_split_connection_text_is_exact_when_it_answers(members, sections, where, spelling):
    members = [(k, v) for k, v in members if k != "sections"]
    members.insert(min(where, len(members)), ("sections", sections))
    conn = dict(members)
    text = json.dumps(conn, **spelling)
    split = split_connection_text(text, conn)
    if split is None:  # refused only for a reason it names
        assert text.count('"sections"') != 1 or "\\u" in text
        return
    conn_text, section_texts = split
    assert json.loads(conn_text) == {k: v for k, v in conn.items() if k != "sections"}
    assert set(section_texts) == set(sections)
    for key, section_text in section_texts.items():
        assert json.loads(section_text) == sections[key]


@pytest.fixture
def job_sandbox(sandbox_factory):
    return sandbox_factory(sample_nodes=60, seed=4, time_scale=60)


def test_fetch_job_carries_texts_and_kp_base_matches_encoding(job_sandbox, tmp_path):
    client = KatapultClient(
        job_sandbox.base_url,
        job_sandbox.api_key,
        governor=Governor(min_interval_s=0.002, refill_period_s=1.0),
        configure_session=lambda s: setattr(s, "trust_env", False),
    )
    data = fetch_job(client, job_sandbox.job_id)
    assert set(data.raw_texts) == {"node", "connection", "photo"}
    for kind, items in (
        ("node", data.nodes),
        ("connection", data.connections),
        ("photo", data.photos),
    ):
        assert [json.loads(t) for t in data.raw_texts[kind]] == list(items)
    with_texts, without = str(tmp_path / "raw.gpkg"), str(tmp_path / "plain.gpkg")
    write_job_gpkg(data, with_texts)
    data.raw_texts = None
    write_job_gpkg(data, without)
    for kind in ("node", "connection", "section", "photo"):
        ours, theirs = read_base(with_texts, kind), read_base(without, kind)
        assert ours == theirs and len(ours) > 0, kind
