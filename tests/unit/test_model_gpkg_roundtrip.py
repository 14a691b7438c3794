"""Load -> save -> diff through a REAL GeoPackage (GDAL/OGR, as QGIS writes it): zero operations.

Complements the SQLite simulation in test_model_properties.py with the actual
driver (field subtypes, text handling, WKB doubles). No qgis import.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugin.model.diff import diff_entity
from plugin.model.entities import build_snapshot
from plugin.model.flatten import flatten, geometry, schema_for

from .test_model_properties import lats, lons, wild_attribute_lists

ogr = pytest.importorskip("osgeo.ogr")
ogr.UseExceptions()

OGR_TYPE = {
    "bool": ogr.OFTInteger,
    "int": ogr.OFTInteger64,
    "real": ogr.OFTReal,
    "text": ogr.OFTString,
}


def gpkg_round_trip(kind, entities, schema, nodes_by_id):
    """Write features with OGR into a fresh GeoPackage, read them back: [(row, geom)]."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "job.gpkg")
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
        gtype = ogr.wkbLineString if kind == "connection" else ogr.wkbPoint
        layer = ds.CreateLayer(kind, geom_type=gtype)
        for spec in schema:
            fd = ogr.FieldDefn(spec.name, OGR_TYPE[spec.kind])
            if spec.kind == "bool":
                fd.SetSubType(ogr.OFSTBoolean)
            layer.CreateField(fd)
        defn = layer.GetLayerDefn()
        for ent in entities:
            feat = ogr.Feature(defn)
            row = flatten(kind, ent, schema)
            for i, spec in enumerate(schema):
                value = row[spec.name]
                if value is None:
                    feat.SetFieldNull(i)
                elif spec.kind == "bool":
                    feat.SetField(i, int(value))
                elif spec.kind == "int":
                    feat.SetFieldInteger64(i, value)
                else:
                    feat.SetField(i, value)
            coords = geometry(kind, ent, nodes_by_id)
            if coords is not None:
                g = ogr.Geometry(gtype)
                for x, y in [coords] if kind != "connection" else coords:
                    g.AddPoint_2D(x, y)
                feat.SetGeometry(g)
            layer.CreateFeature(feat)
        ds = None
        ds = ogr.Open(path)
        layer = ds.GetLayer(0)
        out = []
        for feat in layer:
            row = {}
            for i, spec in enumerate(schema):
                if not feat.IsFieldSetAndNotNull(i):
                    row[spec.name] = None
                elif spec.kind == "bool":
                    row[spec.name] = bool(feat.GetFieldAsInteger(i))
                elif spec.kind == "int":
                    row[spec.name] = feat.GetFieldAsInteger64(i)
                elif spec.kind == "real":
                    row[spec.name] = feat.GetFieldAsDouble(i)
                else:
                    row[spec.name] = feat.GetFieldAsString(i)
            g = feat.GetGeometryRef()
            if g is None:
                geom = None
            elif kind == "connection":
                geom = [(p[0], p[1]) for p in g.GetPoints()]
            else:
                geom = (g.GetX(), g.GetY())
            out.append((row, geom))
        ds = None
        return out


@settings(
    max_examples=int(os.environ.get("KP_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(lats, lons, wild_attribute_lists), min_size=1, max_size=4), st.data())
def test_real_geopackage_round_trip_plans_zero_operations(specs, data):
    nodes = [
        {"id": f"-Node{i:016d}", "latitude": la, "longitude": lo, "attributes": attrs}
        for i, (la, lo, attrs) in enumerate(specs)
    ]
    conns = [
        {
            "id": "-Conn0000000000000000",
            "node_id_1": nodes[0]["id"],
            "node_id_2": nodes[-1]["id"],
            "breakpoints": data.draw(st.lists(st.tuples(lats, lons).map(list), max_size=3)),
            "attributes": data.draw(wild_attribute_lists),
        }
    ]
    snap = build_snapshot(nodes, conns, [])
    for kind in ("node", "connection"):
        ents = list(snap.entities(kind).values())
        schema = schema_for(kind, ents)
        back = gpkg_round_trip(kind, ents, schema, snap.nodes)
        for ent, (row, geom) in zip(ents, back):
            assert diff_entity(kind, ent, row, geom, schema) is None, (kind, ent, row)


def test_real_geopackage_round_trip_of_the_sample_job():
    from .model_samples import job

    snap = build_snapshot(*job())
    for kind in ("node", "connection", "section"):
        ents = list(snap.entities(kind).values())
        schema = schema_for(kind, ents)
        back = gpkg_round_trip(kind, ents, schema, snap.nodes)
        assert len(back) == len(ents)
        for ent, (row, geom) in zip(ents, back):
            assert diff_entity(kind, ent, row, geom, schema) is None
