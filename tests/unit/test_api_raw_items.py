"""The client's opt-in raw item texts: ``loads_keeping_item_texts`` and ``list_*(raw=True)``.

Property: for arbitrary JSON arrays of objects (unicode, escapes, nesting, any of the
stdlib's spellings), each item's text slice parses back to the item and the whole
value equals ``json.loads``. Over real HTTP the sandbox's lists come back equal with
and without ``raw=True``.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.api.client import KatapultClient, RawList, loads_keeping_item_texts
from plugin.api.pacing import Governor

KEYS = st.text(
    alphabet=st.sampled_from(list('ab"\\/\n\t{}[],: é漢😀\x00\x1fsections')), max_size=8
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | KEYS
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
OBJECTS = st.lists(st.dictionaries(KEYS, VALUES, max_size=6), max_size=6)
SPELLINGS = st.sampled_from(
    [
        {"separators": (",", ":")},
        {"separators": (",", ":"), "ensure_ascii": False},
        {},
        {"indent": 2, "ensure_ascii": False},
        {"indent": "\t"},
    ]
)


@settings(max_examples=300, deadline=None)
@given(items=OBJECTS, spelling=SPELLINGS, meta=st.dictionaries(KEYS, SCALARS, max_size=3))
def test_item_texts_parse_back_to_the_items(items, spelling, meta):
    text = json.dumps({"status": "success", "data": items, "meta": meta}, **spelling)
    body = loads_keeping_item_texts(text)
    assert body == json.loads(text)
    data = body["data"]
    assert isinstance(data, RawList) and type(data.texts) is list
    assert len(data.texts) == len(data) == len(items)
    for item, item_text in zip(data, data.texts):
        assert json.loads(item_text) == item
        assert item_text in text  # a slice of what was sent, not a re-encoding
    assert list(data) == items


@pytest.mark.parametrize(
    "text",
    [
        '{"status":"success","data":[]}',
        ' {\n "data" : [ {"a" : 1} ,\t{"b":[1, {"c":"]"}]} ] ,"meta":{}}\n',
        '{"data":[1,"x",null,[2],{"k":"\\u00e9\\n"}],"status":"success"}',
        '{"data":[{"a":1}],"data":{"x":1}}',  # repeated key: the last one wins
        '{"data":{"x":1}}',
        '{"status":"success"}',
        "[1,2]",
        '"text"',
        '{"data":[NaN, Infinity]}',
    ],
)
def test_same_value_as_json_loads(text):
    body = loads_keeping_item_texts(text)
    expected = json.loads(text)
    assert json.dumps(body) == json.dumps(expected)
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(expected, dict) and isinstance(expected.get("data"), list):
        assert isinstance(data, RawList)
        assert [json.dumps(json.loads(t)) for t in data.texts] == [json.dumps(v) for v in data]
    else:
        assert not isinstance(data, RawList)


@pytest.mark.parametrize(
    "text",
    ['{"data":[1,]}', '{"data":[1 2]}', '{"data":[{"a":1}]', '{"data":[]} x', "", '{"data":[01]}'],
)
def test_invalid_json_raises_like_json_loads(text):
    with pytest.raises(ValueError) as ours:
        loads_keeping_item_texts(text)
    with pytest.raises(ValueError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)


def test_raw_list_is_a_plain_list_with_texts():
    items = RawList([{"a": 1}], ['{"a": 1}'])
    assert items == [{"a": 1}] and isinstance(items, list)
    assert items.texts == ['{"a": 1}']
    assert RawList().texts == []


@pytest.mark.sandbox
def test_list_routes_with_raw_texts_over_http(sandbox):
    client = KatapultClient(
        sandbox.base_url,
        sandbox.api_key,
        governor=Governor(min_interval_s=0.001, refill_period_s=1.0),
        configure_session=lambda s: setattr(s, "trust_env", False),
    )
    job = sandbox.job_id
    for method in (client.list_nodes, client.list_connections, client.list_photos):
        plain = method(job)
        raw = method(job, raw=True)
        assert type(plain) is list and not hasattr(plain, "texts")
        assert isinstance(raw, RawList) and raw == plain and len(plain) > 0
        assert [json.loads(t) for t in raw.texts] == plain
    # the other arguments still work with raw=True
    newest = client.list_nodes(job, limit=2, raw=True)
    assert len(newest) == len(newest.texts) == 2
