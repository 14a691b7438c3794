"""QA rules on small hand-built jobs shaped like real Katapult data."""
from __future__ import annotations

from plugin.geo import geodesic_distance_m
from plugin.model.entities import build_snapshot
from plugin.qa.rules import (
    RULES,
    QaConfig,
    job_from_snapshot,
    point_to_polyline_m,
    run_qa,
)

LAT, LON = 40.2010, -77.1890
M_LAT = 1 / 110_540.0  # degrees of latitude per metre (about)


def pole(nid, dlat_m=0.0, scid="001", **attrs):
    a = {"node_type": {"-Mtype00000000000000": "pole"}}
    if scid is not None:
        a["scid"] = {"auto_button": scid}
    a.setdefault("pole_height", {"one": "45"})
    a.setdefault("pole_class", {"one": "4"})
    for k, v in attrs.items():
        if v is None:
            a.pop(k, None)
        else:
            a[k] = v
    return {"id": nid, "latitude": LAT + dlat_m * M_LAT, "longitude": LON, "attributes": a,
            "photos": {"p-" + nid: {"association": "main"}}}


def span(cid, n1, n2, **extra):
    return {"id": cid, "node_id_1": n1, "node_id_2": n2,
            "attributes": {"connection_type": {"button_added": "aerial cable"}}, **extra}


def rules_of(issues):
    return sorted({(i.rule, i.entity_id) for i in issues})


def qa(nodes, conns=(), **cfg):
    return run_qa(job_from_snapshot(build_snapshot(list(nodes), list(conns), [])), QaConfig(**cfg))


def test_clean_line_has_no_findings():
    nodes = [pole("-Npole00000000000001", 0, "001"), pole("-Npole00000000000002", 40, "002")]
    assert qa(nodes, [span("-Cspan00000000000001", nodes[0]["id"], nodes[1]["id"])]) == []


def test_missing_type_and_fields_name_the_feature():
    n = pole("-Npole00000000000001", scid=None, pole_height=None)
    bare = {"id": "-Nbare00000000000001", "latitude": LAT, "longitude": LON + 0.01}
    found = qa([n, bare])
    assert ("node_missing_type", "-Nbare00000000000001") in rules_of(found)
    msg = next(i.message for i in found if i.rule == "pole_missing_fields")
    assert "-Npole00000000000001" in msg and "scid" in msg and "pole_height" in msg
    assert "pole_class" not in msg


def test_duplicate_scid_and_too_close():
    a, b = pole("-Npole00000000000001", 0, "007"), pole("-Npole00000000000002", 0.5, "007")
    found = rules_of(qa([a, b]))
    assert ("duplicate_scid", a["id"]) in found and ("duplicate_scid", b["id"]) in found
    assert ("poles_too_close", a["id"]) in found
    # 2 m apart with a 1 m limit: fine
    c = pole("-Npole00000000000003", 2.0, "008")
    assert not any(r == "poles_too_close" for r, _ in rules_of(qa([a, c])))


def test_span_length_thresholds_are_geodesic_and_configurable():
    a, b = pole("-Npole00000000000001", 0, "001"), pole("-Npole00000000000002", 120, "002")
    s = span("-Cspan00000000000001", a["id"], b["id"])
    length = geodesic_distance_m((LON, a["latitude"]), (LON, b["latitude"]))
    assert 119 < length < 121
    assert ("span_too_long", s["id"]) in rules_of(qa([a, b], [s]))
    assert qa([a, b], [s], max_span_m=130) == []
    short = qa([a, b], [s], max_span_m=500, min_span_m=125)
    assert rules_of(short) == [("span_too_short", s["id"])]


def test_span_missing_node_and_pole_without_span():
    a = pole("-Npole00000000000001")
    s = span("-Cspan00000000000001", a["id"], "-Ngone00000000000000")
    found = qa([a], [s])
    assert ("span_missing_node", s["id"]) in rules_of(found)
    assert "-Ngone00000000000000" in next(i.message for i in found if i.rule == "span_missing_node")
    lonely = pole("-Npole00000000000009", 500)
    assert ("pole_without_span", lonely["id"]) in rules_of(qa([a, lonely], [s]))


def test_section_far_from_span():
    a, b = pole("-Npole00000000000001", 0, "001"), pole("-Npole00000000000002", 40, "002")
    near = {"latitude": LAT + 20 * M_LAT, "longitude": LON, "multi_attributes": {}}
    far = {"latitude": LAT + 20 * M_LAT, "longitude": LON + 0.0002, "multi_attributes": {}}
    s = span("-Cspan00000000000001", a["id"], b["id"],
             sections={"midpoint_section": near, "-Ssec000000000000001": far})
    found = [i for i in qa([a, b], [s]) if i.rule == "section_far_from_span"]
    assert [i.entity_id for i in found] == ["-Ssec000000000000001"]
    assert found[0].parent_id == s["id"]


def test_flagged_photos_and_picklist():
    flagged = pole("-Npole00000000000001", flag_for_review={"value": True})
    nophoto = pole("-Npole00000000000002", 40, "002")
    nophoto["photos"] = {}
    nomain = pole("-Npole00000000000003", 80, "003")
    nomain["photos"] = {"x": {"association": True}}
    odd = pole("-Npole00000000000004", 120, "004", node_type={"a": "telephone booth"})
    conns = [span(f"-Cspan0000000000000{i}", f"-Npole0000000000000{i}", f"-Npole0000000000000{i+1}")
             for i in (1, 2, 3)]
    found = rules_of(qa([flagged, nophoto, nomain, odd], conns))
    assert ("flagged_for_review", flagged["id"]) in found
    assert ("pole_without_photos", nophoto["id"]) in found
    assert ("pole_without_main", nomain["id"]) in found
    assert ("value_not_in_picklist", odd["id"]) in found


def test_disabled_rules_and_rule_table():
    bare = {"id": "-Nbare00000000000001", "latitude": LAT, "longitude": LON}
    assert qa([bare], disabled_rules=("node_missing_type",)) == []
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == 13


def test_point_to_polyline():
    line = [(LON, LAT), (LON, LAT + 100 * M_LAT)]
    assert point_to_polyline_m((LON, LAT + 50 * M_LAT), line) < 0.01
    d = point_to_polyline_m((LON + 10 / 85_000, LAT + 50 * M_LAT), line)
    assert 9 < d < 11
