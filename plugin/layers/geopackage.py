"""One GeoPackage per job: the working copy (layers), the snapshot (``kp_base``), ``kp_meta``.

Layers: ``nodes`` (Point, EPSG:4326), ``connections`` (LineString: node 1 ->
breakpoints -> node 2), ``sections`` (Point, with ``connection_id``) and a
``photos`` attribute table. Field mapping comes from :mod:`plugin.model.flatten`;
this module only turns its plain rows and coordinates into QGIS features and
writes each layer in one batch (OGR groups the inserts in transactions) on one
background thread, while the calling thread maps the next layer (see
:class:`_LayerWriter`).

A span whose node is missing, or a node without coordinates, is still written
(with an empty geometry, so nothing is lost and a later diff does not mistake it
for a local deletion) and listed in the :class:`LoadReport`.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sqlite3
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import (
    Any,
    Callable,
    Deque,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
)

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsVectorFileWriter,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QMetaType, QVariant

from .. import qgis_log
from ..model.attributes import infer_field_kind, json_encoder, to_field_value
from ..model.entities import LoadIssue, Snapshot, build_snapshot
from ..model.flatten import (
    FieldSpec,
    field_name_for,
    flatten,
    geometry,
    schema_and_rows,
)

KINDS = ("node", "connection", "section")
LAYER_NAMES: Dict[str, str] = {"node": "nodes", "connection": "connections", "section": "sections"}
PHOTOS_TABLE = "photos"
SCHEMA_VERSION = "1"
CRS = "EPSG:4326"
# Qgis.WkbType from 3.30 (the only spelling on Qt6 builds); QgsWkbTypes.Type before.
WKB = getattr(Qgis, "WkbType", None) or QgsWkbTypes.Type
WKB_TYPES = {
    "node": WKB.Point,
    "connection": WKB.LineString,
    "section": WKB.Point,
}
if Qgis.versionInt() >= 33800:  # QgsField takes QMetaType from 3.38 (needed on Qt6 builds)
    _TYPE = QMetaType.Type
else:
    _TYPE = QVariant.Type
QT_TYPES = {"bool": _TYPE.Bool, "int": _TYPE.LongLong, "real": _TYPE.Double, "text": _TYPE.String}
OPEN_JOURNAL_STATES = ("pending", "sent", "failed", "held")

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


def tr(text: str) -> str:
    """Translate a user-facing string (context ``KatapultLayers``)."""
    return QCoreApplication.translate("KatapultLayers", text)


class GpkgError(Exception):
    """A job GeoPackage cannot be written or read; ``str()`` says why and what to do."""


class LoadCancelled(Exception):  # noqa: N818 - reads better at the raise site
    """The user cancelled building the GeoPackage."""


@dataclass
class JobData:
    """What the three GETs returned (parsed JSON) plus what kp_meta needs.

    ``raw_texts`` (optional): ``{"node" | "connection" | "photo": texts}`` where
    ``texts[i]`` is the JSON text the server sent for item ``i`` of that list (see
    ``KatapultClient.list_nodes(..., raw=True)``); kp_base then stores those texts
    instead of encoding the parsed items again. A list whose texts do not line up
    with its items (different length, not a list) is encoded as before.
    """

    job_id: str
    name: str
    nodes: Any
    connections: Any
    photos: Any
    server_url: str = ""
    metadata: Optional[dict] = None
    pulled_at: str = ""  # ISO-8601 UTC of the moment the pull started
    raw_texts: Optional[Mapping[str, Sequence[str]]] = None


@dataclass
class LoadReport:
    """What was written and what needs the user's attention."""

    path: str
    job_id: str
    name: str
    counts: Dict[str, int] = field(default_factory=dict)
    not_drawn: Dict[str, List[str]] = field(default_factory=dict)  # kind -> ids without geometry
    issues: List[LoadIssue] = field(default_factory=list)
    part_path: str = ""  # the built file while it still waits for finalize_job_gpkg

    def summary(self) -> str:
        """One paragraph for the message bar / log."""
        parts = [
            tr("{n} nodes, {c} connections, {s} sections, {p} photos").format(
                n=self.counts.get("nodes", 0),
                c=self.counts.get("connections", 0),
                s=self.counts.get("sections", 0),
                p=self.counts.get(PHOTOS_TABLE, 0),
            )
        ]
        for kind, ids in self.not_drawn.items():
            if ids:
                parts.append(
                    tr("{count} {kind}(s) not drawn (missing node or coordinates): {ids}").format(
                        count=len(ids),
                        kind=kind,
                        ids=", ".join(ids[:10]) + (" …" if len(ids) > 10 else ""),
                    )
                )
        if self.issues:
            parts.append(
                tr("{count} data issue(s), see the Katapult log").format(count=len(self.issues))
            )
        return "; ".join(parts)


@contextmanager
def bulk_build():
    """Pause Python's cyclic garbage collector while building large JSON-derived structures.

    The build allocates millions of small dicts and lists and creates no reference
    cycles; the collector would repeatedly traverse the whole parsed job for nothing
    (about a fifth of the build time for a 20,000-node job). Restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def now_iso() -> str:
    """Current UTC time as ISO-8601 with milliseconds and ``Z``."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def safe_file_stem(job_id: str) -> str:
    """A file name stem for a job id (ids are ``[A-Za-z0-9_-]``; anything else becomes ``_``)."""
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", str(job_id)) or "job"
    return stem[:200]


def jobs_folder() -> Path:
    """``<QGIS profile>/katapult/jobs`` (created on demand)."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "katapult" / "jobs"


def default_gpkg_path(job_id: str) -> str:
    """Default working-copy path of a job under the QGIS profile folder."""
    return str(jobs_folder() / f"{safe_file_stem(job_id)}.gpkg")


# ------------------------------------------------------------------ fields and features


def qgs_fields(schema: Sequence[FieldSpec]) -> QgsFields:
    """QgsFields for a model schema (kinds bool/int/real/text -> Bool/LongLong/Double/String)."""
    fields = QgsFields()
    for spec in schema:
        fields.append(QgsField(spec.name, QT_TYPES[spec.kind]))
    return fields


def point_geometry(coords: Optional[Tuple[float, float]]) -> Optional[QgsGeometry]:
    """A point geometry from ``(lon, lat)`` (None stays None)."""
    if coords is None:
        return None
    return QgsGeometry.fromPointXY(QgsPointXY(coords[0], coords[1]))


def line_geometry(coords: Optional[Sequence[Tuple[float, float]]]) -> Optional[QgsGeometry]:
    """A line geometry from ``[(lon, lat), ...]`` (None stays None)."""
    if coords is None:
        return None
    return QgsGeometry.fromPolylineXY([QgsPointXY(x, y) for x, y in coords])


def make_geometry(kind: str, coords: Any) -> Optional[QgsGeometry]:
    """Geometry for ``kind`` from the model's pure coordinates."""
    return line_geometry(coords) if kind == "connection" else point_geometry(coords)


def build_features(
    kind: str,
    entities: Iterable[Mapping[str, Any]],
    schema: Sequence[FieldSpec],
    fields: QgsFields,
    nodes_by_id: Optional[Mapping[str, Mapping]] = None,
    sync_states: Optional[Mapping[Any, str]] = None,
) -> Tuple[List[QgsFeature], List[str]]:
    """Features for ``entities`` and the ids of those that could not be drawn."""
    names = [spec.name for spec in schema]
    features: List[QgsFeature] = []
    not_drawn: List[str] = []
    for entity in entities:
        state = ""
        if sync_states:
            state = sync_states.get(entity.get("id"), "")
        row = flatten(kind, entity, schema, state)
        feature = QgsFeature(fields)
        feature.setAttributes([row.get(name) for name in names])
        geom = make_geometry(kind, geometry(kind, entity, nodes_by_id))
        if geom is None:
            not_drawn.append(str(entity.get("id")))
        else:
            feature.setGeometry(geom)
        features.append(feature)
    return features, not_drawn


def row_features(
    kind: str,
    entities: Sequence[Mapping[str, Any]],
    rows: Sequence[List[Any]],
    fields: QgsFields,
    nodes_by_id: Optional[Mapping[str, Mapping]] = None,
) -> Tuple[List[QgsFeature], List[str]]:
    """Features from ``schema_and_rows`` rows (same order as ``entities``) and the ids of the
    entities that could not be drawn (written with an empty geometry)."""
    features: List[QgsFeature] = []
    not_drawn: List[str] = []
    append = features.append
    if kind == "connection":
        point_xy = QgsPointXY
        polyline = QgsGeometry.fromPolylineXY
        for entity, values in zip(entities, rows):
            feature = QgsFeature(fields)
            feature.setAttributes(values)
            coords = geometry(kind, entity, nodes_by_id)
            if coords is None:
                not_drawn.append(str(entity.get("id")))
            else:
                feature.setGeometry(polyline([point_xy(x, y) for x, y in coords]))
            append(feature)
        return features, not_drawn
    from_point = QgsGeometry.fromPointXY
    point_xy = QgsPointXY
    for entity, values in zip(entities, rows):
        feature = QgsFeature(fields)
        feature.setAttributes(values)
        lat, lon = entity.get("latitude"), entity.get("longitude")
        if lat is None or lon is None:
            not_drawn.append(str(entity.get("id")))
        else:
            feature.setGeometry(from_point(point_xy(float(lon), float(lat))))
        append(feature)
    return features, not_drawn


# ------------------------------------------------------------------ photos table


DUPLICATE = "duplicate id; the first one listed is kept"


def photo_records(raw: Any, issues: List[LoadIssue]) -> Dict[str, Mapping[str, Any]]:
    """``{id: photo}`` from the photos list (first of a duplicate id kept, the rest reported).

    The records are used read-only (photos table, kp_base), so they are not copied.
    """
    out: Dict[str, Mapping[str, Any]] = {}
    items = raw.items() if isinstance(raw, dict) else (("", item) for item in (raw or ()))
    for fallback, photo in items:
        if not isinstance(photo, dict):
            issues.append(LoadIssue("photo", str(fallback) or "?", "is not an object; skipped"))
            continue
        photo_id = str(photo.get("id") or fallback)
        if not photo_id:
            issues.append(LoadIssue("photo", "?", "has no id; skipped"))
        elif photo_id in out:
            issues.append(LoadIssue("photo", photo_id, DUPLICATE))
        else:
            out[photo_id] = photo if photo.get("id") == photo_id else dict(photo, id=photo_id)
    return out


_TEXT = json_encoder(sort_keys=True, ensure_ascii=False)
_SCALARS = (str, int, float, bool, type(None))


def _photo_value(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    return _TEXT(value) if isinstance(value, (dict, list)) else value


def _schema_from_values(values: Mapping[str, list]) -> List[FieldSpec]:
    specs = [FieldSpec("kp_id", None, "text")]
    taken = ["kp_id"]
    for key in sorted(values):
        name = field_name_for(str(key), taken)
        taken.append(name)
        specs.append(FieldSpec(name, str(key), infer_field_kind(values[key])))
    return specs


_CELL_TYPES = {"text": str, "int": int, "real": float, "bool": bool}


def _photo_cell(value: Any, kind: str) -> Any:
    if value is None or (kind == "text" and type(value) is str):
        return value
    try:
        return to_field_value(value, kind)
    except ValueError:
        return str(value)


def photo_table(photos: Sequence[Mapping[str, Any]]) -> Tuple[List[FieldSpec], List[List[Any]]]:
    """Schema and rows of the photos table in one pass (objects become JSON text once)."""
    flat: List[Dict[str, Any]] = []
    values: Dict[str, list] = {}
    scalars = _SCALARS
    for photo in photos:
        cells = {}
        for key, value in photo.items():
            if key != "id":
                if type(value) not in scalars:
                    value = _photo_value(value)
                cells[key] = value
                column = values.get(key)
                if column is None:
                    values[key] = [value]
                else:
                    column.append(value)
        flat.append(cells)
    schema = _schema_from_values(values)
    del values
    # a value already of the field's Python type is stored as is (what _photo_cell returns)
    columns = [(spec.attribute, _CELL_TYPES[spec.kind], spec.kind) for spec in schema[1:]]
    cell = _photo_cell
    rows = []
    for photo, cells in zip(photos, flat):
        row = [photo.get("id")]
        for attribute, fast, kind in columns:
            value = cells.get(attribute)
            row.append(value if value is None or type(value) is fast else cell(value, kind))
        rows.append(row)
    return schema, rows


def photo_schema(photos: Iterable[Mapping[str, Any]]) -> List[FieldSpec]:
    """Fields of the photos table: ``kp_id`` then one per top-level key (objects as JSON text)."""
    values: Dict[str, list] = {}
    for photo in photos:
        for key, value in photo.items():
            if key != "id":
                values.setdefault(key, []).append(_photo_value(value))
    return _schema_from_values(values)


def photo_row(photo: Mapping[str, Any], schema: Sequence[FieldSpec]) -> List[Any]:
    """Attribute values of one photo record in schema order."""
    return [
        photo.get("id")
        if spec.attribute is None
        else _photo_cell(_photo_value(photo.get(spec.attribute)), spec.kind)
        for spec in schema
    ]


# ------------------------------------------------------------------ raw snapshot rows (kp_base)


def _raw_items(raw: Any) -> List[Tuple[str, Mapping]]:
    """(id, dict) pairs from a list response or an id-keyed map, skipping what is not an object."""
    if raw is None:
        return []
    pairs = raw.items() if isinstance(raw, dict) else (("", item) for item in raw)
    out = []
    for fallback, item in pairs:
        if isinstance(item, dict):
            entity_id = str(item.get("id") or fallback)
            if entity_id:
                out.append((entity_id, item))
    return out


_ENCODE = json_encoder()  # ASCII output encodes fastest
_SCAN_ONCE = json.JSONDecoder().scan_once
_SCANSTRING = json.decoder.scanstring
_WS = re.compile(r"[ \t\n\r]*").match
_WS_CHARS = " \t\n\r"


def _texts_for(raw: Any, texts: Optional[Sequence[str]]) -> Optional[Sequence[str]]:
    """``texts`` when they line up one to one with the list ``raw``, else None."""
    if texts is None or not isinstance(raw, list) or len(texts) != len(raw):
        return None
    return texts


def _items_with_texts(raw: Any, texts: Optional[Sequence[str]]):
    """``(id, dict, text | None)`` like :func:`_raw_items`, with each item's JSON text."""
    if texts is None:
        for entity_id, item in _raw_items(raw):
            yield entity_id, item, None
        return
    for item, text in zip(raw, texts):
        if isinstance(item, dict):
            entity_id = str(item.get("id") or "")
            if entity_id:
                yield entity_id, item, text


def _object_members(text: str, i: int) -> Tuple[Dict[str, Tuple[int, int]], int]:
    """``{key: (start, end)}`` of the JSON object at ``text[i] == "{"`` and its end index
    (a repeated key: the last one, as the decoder keeps it)."""
    ws = _WS
    out: Dict[str, Tuple[int, int]] = {}
    i = ws(text, i + 1).end()
    if text[i] == "}":
        return out, i + 1
    while True:
        if text[i] != '"':
            raise ValueError(f"expected a key at {i}")
        key, i = _SCANSTRING(text, i + 1)
        i = ws(text, i).end()
        if text[i] != ":":
            raise ValueError(f"expected ':' at {i}")
        i = ws(text, i + 1).end()
        _value, end = _SCAN_ONCE(text, i)
        out[key] = (i, end)
        i = ws(text, end).end()
        if text[i] == ",":
            i = ws(text, i + 1).end()
            continue
        if text[i] == "}":
            return out, i + 1
        raise ValueError(f"expected ',' or '}}' at {i}")


def split_connection_text(
    text: str, connection: Mapping[str, Any]
) -> Optional[Tuple[str, Dict[str, str]]]:
    """A connection's JSON text without its ``sections`` member, and each section's text.

    ``text`` is the connection's JSON as the server sent it and ``connection`` what it
    parsed to. Returns ``(connection_text, {section key: section text})``, both exact
    slices of ``text`` (meaning: ``connection`` minus ``sections``, and each parsed
    section), or None where that cannot be shown cheaply (then the caller encodes):
    ``sections`` is not an object, or the literal ``"sections"`` does not occur exactly
    once, or the text has ``\\u`` escapes (a key could then be spelled with escapes).
    Without ``\\u`` escapes a key named sections is spelled literally, so the one
    literal occurrence is the top-level key.
    """
    if "sections" not in connection:
        return text, {}
    if "\\u" in text:
        return None
    start = text.find('"sections"')
    if start < 0 or text.find('"sections"', start + 10) >= 0:
        return None
    try:
        ws = _WS
        i = ws(text, start + 10).end()
        if text[i] != ":":
            return None
        i = ws(text, i + 1).end()
        if text[i] != "{":
            return None
        members, end = _object_members(text, i)
        before = start - 1
        while text[before] in _WS_CHARS:
            before -= 1
        if text[before] == ",":  # drop ',"sections":{...}'
            conn_text = text[:before] + text[end:]
        elif text[before] == "{":  # first member: drop '"sections":{...}' and its comma
            after = ws(text, end).end()
            if text[after] == ",":
                end = after + 1
            conn_text = text[:start] + text[end:]
        else:
            return None
    except (StopIteration, ValueError, IndexError):
        return None
    return conn_text, {key: text[a:b] for key, (a, b) in members.items()}


def _section_text(text: Optional[str], section: Mapping[str, Any], section_id: str) -> str:
    """kp_base JSON of a section: its dict plus ``id`` (set when missing)."""
    if text is None:
        data = dict(section)
        data.setdefault("id", section_id)
        return _ENCODE(data)
    if "id" in section:
        return text
    rest = text[1:]  # text starts with "{" (the section is an object)
    id_member = '{"id":' + _ENCODE(section_id)
    if rest.lstrip(_WS_CHARS)[:1] == "}":
        return id_member + "}"
    return id_member + "," + rest


def base_rows(job: JobData, snap: Snapshot) -> List[Tuple[str, str, Optional[str], str]]:
    """``(kind, entity_id, parent_id, json)`` rows: the server's JSON exactly as returned.

    Connections are stored without their ``sections`` key; each section is its own
    row (its dict plus ``id``) with ``parent_id`` = connection id. For duplicate ids
    the occurrence the model kept (the first) is stored. Where ``job.raw_texts`` has
    an item's text as the server sent it, that text is stored (no re-encoding; for a
    connection its text minus the ``sections`` member, see
    :func:`split_connection_text`); otherwise the parsed item is encoded.
    """
    dumps = _ENCODE
    texts = job.raw_texts or {}
    rows: List[Tuple[str, str, Optional[str], str]] = []
    seen = set()
    nodes = snap.nodes
    for entity_id, raw, text in _items_with_texts(
        job.nodes, _texts_for(job.nodes, texts.get("node"))
    ):
        if entity_id in nodes and entity_id not in seen:
            seen.add(entity_id)
            rows.append(("node", entity_id, None, text if text is not None else dumps(raw)))
    seen = set()
    for entity_id, raw, text in _items_with_texts(
        job.connections, _texts_for(job.connections, texts.get("connection"))
    ):
        if entity_id not in snap.connections or entity_id in seen:
            continue
        seen.add(entity_id)
        split = split_connection_text(text, raw) if text is not None else None
        if split is None:
            conn_text = dumps({k: v for k, v in raw.items() if k != "sections"})
            section_texts: Mapping[str, str] = {}
        else:
            conn_text, section_texts = split
        rows.append(("connection", entity_id, None, conn_text))
        sections = raw.get("sections")
        if not isinstance(sections, dict):
            for section_id, section in _raw_items(sections):
                if (entity_id, section_id) in snap.sections:
                    rows.append(
                        ("section", section_id, entity_id, _section_text(None, section, section_id))
                    )
            continue
        for key, section in sections.items():
            if not isinstance(section, dict):
                continue
            section_id = str(section.get("id") or key)
            if section_id and (entity_id, section_id) in snap.sections:
                text = section_texts.get(key) if split is not None else None
                rows.append(
                    ("section", section_id, entity_id, _section_text(text, section, section_id))
                )
    seen = set()
    for entity_id, raw, text in _items_with_texts(
        job.photos, _texts_for(job.photos, texts.get("photo"))
    ):
        if entity_id in snap.photos and entity_id not in seen:
            seen.add(entity_id)
            rows.append(("photo", entity_id, None, text if text is not None else dumps(raw)))
    return rows


# ------------------------------------------------------------------ sqlite tables

KP_TABLES_SQL = (
    # Same columns as sync/journal.py; sections are keyed by (parent_id, entity_id) because
    # ``midpoint_section`` occurs on many spans (see docs/contracts.md).
    "CREATE TABLE IF NOT EXISTS kp_base (kind TEXT NOT NULL, entity_id TEXT NOT NULL, "
    "parent_id TEXT, data TEXT NOT NULL)",
    "CREATE UNIQUE INDEX IF NOT EXISTS kp_base_key ON kp_base "
    "(kind, ifnull(parent_id, ''), entity_id)",
    "CREATE TABLE IF NOT EXISTS kp_meta (key TEXT PRIMARY KEY, value TEXT)",
)


def connect(path: str) -> sqlite3.Connection:
    """An sqlite3 connection to the GeoPackage (autocommit; use ``with con:`` for transactions)."""
    con = sqlite3.connect(path, timeout=30.0)
    con.execute("PRAGMA busy_timeout=30000")
    return con


def ensure_kp_tables(con: sqlite3.Connection) -> None:
    """Create ``kp_base`` and ``kp_meta`` when missing."""
    for sql in KP_TABLES_SQL:
        con.execute(sql)


def write_base_rows(
    con: sqlite3.Connection,
    rows: Iterable[Tuple[str, str, Optional[str], str]],
    replace_all: bool = False,
) -> None:
    """Insert or replace snapshot rows (``data`` already JSON text) in the caller's transaction."""
    if replace_all:
        con.execute("DELETE FROM kp_base")
    con.executemany(
        "INSERT OR REPLACE INTO kp_base (kind, entity_id, parent_id, data) VALUES (?,?,?,?)", rows
    )


def read_base(path: str, kind: str) -> Dict[Any, dict]:
    """Snapshot entities of one kind, keyed like the model (sections by ``(connection_id, id)``)."""
    con = connect(path)
    try:
        out: Dict[Any, dict] = {}
        for entity_id, parent_id, data in con.execute(
            "SELECT entity_id, parent_id, data FROM kp_base WHERE kind=?", (kind,)
        ):
            out[(parent_id, entity_id) if kind == "section" else entity_id] = json.loads(data)
        return out
    finally:
        con.close()


def write_meta(con: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    """Upsert kp_meta keys (non-strings stored as JSON)."""
    con.executemany(
        "INSERT OR REPLACE INTO kp_meta (key, value) VALUES (?, ?)",
        [
            (k, v if isinstance(v, str) or v is None else json.dumps(v, ensure_ascii=False))
            for k, v in values.items()
        ],
    )


def read_meta(path: str) -> Dict[str, str]:
    """All kp_meta keys as text ({} when the table is missing)."""
    con = connect(path)
    try:
        try:
            return dict(con.execute("SELECT key, value FROM kp_meta"))
        except sqlite3.DatabaseError:  # no kp_meta, or not an SQLite file at all
            return {}
    finally:
        con.close()


def schema_to_json(schema: Sequence[FieldSpec]) -> str:
    """Serialise a schema for kp_meta."""
    return json.dumps([[s.name, s.attribute, s.kind] for s in schema], ensure_ascii=False)


def schema_from_json(text: str) -> List[FieldSpec]:
    """Read back :func:`schema_to_json`."""
    return [FieldSpec(name, attribute, kind) for name, attribute, kind in json.loads(text)]


def stored_schema(path: str, kind: str) -> List[FieldSpec]:
    """The field schema the layer of ``kind`` was built with (from kp_meta)."""
    meta = read_meta(path)
    text = meta.get(f"schema_{kind}")
    if not text:
        raise GpkgError(
            tr("{path} has no field schema for {kind}; download the job again.").format(
                path=path, kind=kind
            )
        )
    return schema_from_json(text)


def open_journal_count(path: str) -> int:
    """Operations not yet done in the file's ``kp_journal`` (0 when there is none)."""
    if not os.path.exists(path):
        return 0
    con = connect(path)
    try:
        marks = ",".join("?" * len(OPEN_JOURNAL_STATES))
        return con.execute(
            f"SELECT count(*) FROM kp_journal WHERE state IN ({marks})", OPEN_JOURNAL_STATES
        ).fetchone()[0]
    except sqlite3.DatabaseError:
        return 0
    finally:
        con.close()


def max_last_updated(nodes: Iterable[Mapping[str, Any]]) -> str:
    """Newest ``last_updated`` among nodes ('' when none has one): the next pull's cursor."""
    newest = ""
    for node in nodes:
        value = node.get("last_updated")
        if isinstance(value, str) and value > newest:
            newest = value
    return newest


# ------------------------------------------------------------------ writing


def _writer_options(layer_name: str, first: bool) -> QgsVectorFileWriter.SaveVectorOptions:
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
        if first
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    )
    options.layerOptions = ["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"]
    return options


def write_layer(
    path: str,
    layer_name: str,
    fields: QgsFields,
    wkb_type,
    features: Sequence[QgsFeature],
    first: bool,
    batch_size: int = 50000,
) -> None:
    """Write one layer of ``features`` into the GeoPackage ``path`` (new file if ``first``)."""
    writer = QgsVectorFileWriter.create(
        path,
        fields,
        wkb_type,
        QgsCoordinateReferenceSystem(CRS),
        QgsCoordinateTransformContext(),
        _writer_options(layer_name, first),
    )
    try:
        if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            raise GpkgError(
                tr("Cannot create layer {layer} in {path}: {error}").format(
                    layer=layer_name, path=path, error=writer.errorMessage()
                )
            )
        for start in range(0, len(features), batch_size):
            if not writer.addFeatures(features[start : start + batch_size]):
                raise GpkgError(
                    tr("Cannot write layer {layer} in {path}: {error}").format(
                        layer=layer_name, path=path, error=writer.errorMessage()
                    )
                )
    finally:
        del writer  # closes the layer and flushes OGR's transaction


def write_job_gpkg(
    job: JobData,
    path: Optional[str] = None,
    *,
    progress: Optional[ProgressFn] = None,
    is_cancelled: Optional[CancelFn] = None,
    pick_lists: Optional[Mapping[str, Sequence[str]]] = None,
    finalize: bool = True,
) -> LoadReport:
    """Build the job's GeoPackage from parsed JSON; returns what was written and what was odd.

    The file is built beside the target and moved over it at the end, so a failure or
    a cancel leaves any previous working copy untouched. Refuses to replace a file whose
    journal still holds operations that were not sent (use refresh instead).

    With ``finalize=False`` the new file stays beside the target (``report.part_path``)
    until :func:`finalize_job_gpkg` moves it in: call that on the main thread after the
    job's layers left the project (an open layer keeps a write-ahead log on the old file).
    """
    path = str(path or default_gpkg_path(job.job_id))
    refuse_foreign_file(path, job.job_id)
    _refuse_open_journal(path)
    if pick_lists is None and os.path.exists(path):
        cached = read_meta(path).get("pick_lists")
        pick_lists = json.loads(cached) if cached else None  # keep what the user paid for

    def step(fraction: float, text: str) -> None:
        if is_cancelled is not None and is_cancelled():
            raise LoadCancelled(tr("Loading the job was cancelled."))
        if progress is not None:
            progress(fraction, text)

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = str(Path(path).with_suffix("")) + ".part.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    report = LoadReport(path=path, job_id=job.job_id, name=job.name)
    try:
        with bulk_build():
            _build(job, tmp, report, step, pick_lists)
        step(0.97, tr("Finishing"))
        report.part_path = tmp
        if finalize:
            finalize_job_gpkg(report)
        for issue in report.issues:
            qgis_log.warning(f"{job.name}: {issue}")
        qgis_log.info(f"{job.name} -> {path}: {report.summary()}")
    except BaseException:
        if os.path.exists(tmp):
            try:
                os.remove(tmp)
            except OSError:
                pass
        raise
    return report


class _LayerWriter:
    """Writes layers into one file on a single background thread, in submission order.

    OGR's writes run in C with the GIL released, so the caller builds the next
    layer's rows and features (Python) while the previous layer is written. At
    most ``depth`` layers wait or run at once (bounded memory); a failed write
    raises at the next :meth:`submit` or at :meth:`finish`. The features are
    released on the caller's thread: each QgsFeature destructor drops and retakes
    the GIL, which done by the writer thread would make both threads wait on
    each other.
    """

    def __init__(self, path: str, depth: int = 3) -> None:
        self._path = path
        self._depth = depth
        self._first = True
        self._pending: Deque[Tuple[Future, list]] = deque()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="katapult-gpkg")

    def submit(self, layer_name: str, fields: QgsFields, wkb_type, features: list) -> None:
        """Queue one layer (the first one creates the file); the caller must not reuse
        ``features`` (it is emptied once written)."""
        while len(self._pending) >= self._depth:
            self._pop()
        future = self._pool.submit(
            write_layer, self._path, layer_name, fields, wkb_type, features, self._first
        )
        self._pending.append((future, features))
        self._first = False
        while len(self._pending) > 1 and self._pending[0][0].done():
            self._pop()  # after queueing: the writer is busy while this thread frees features

    def _pop(self) -> None:
        future, features = self._pending.popleft()
        try:
            future.result()
        finally:
            features.clear()  # freed here, on the caller's thread

    def finish(self) -> None:
        """Wait until every queued layer is written (raises the first failure)."""
        while self._pending:
            self._pop()

    def close(self) -> None:
        """Drop what has not started, wait for the running write, end the thread."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for _future, features in self._pending:
            features.clear()
        self._pending.clear()


def _write_base_table(
    path: str, rows: List[Tuple[str, str, Optional[str], str]], index: bool = True
) -> None:
    """Create ``kp_base`` in the new file ``path`` and insert the snapshot rows (``index``:
    also the unique key and ``kp_meta``)."""
    con = connect(path)
    try:
        # The .part file is thrown away on any failure: no rollback journal, no fsync.
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        with con:
            con.execute(KP_TABLES_SQL[0])
            write_base_rows(con, rows)
            if index:
                ensure_kp_tables(con)  # the unique index, built once after the bulk insert
    finally:
        con.close()


def _build(job: JobData, tmp: str, report: LoadReport, step, pick_lists) -> None:
    """Write layers, kp_base and kp_meta of ``job`` into the new file ``tmp``."""
    writer = _LayerWriter(tmp)
    try:
        _build_with(writer, job, tmp, report, step, pick_lists)
    finally:
        writer.close()


def _build_with(
    writer: _LayerWriter, job: JobData, tmp: str, report: LoadReport, step, pick_lists
) -> None:
    step(0.0, tr("Reading job data"))
    issues: List[LoadIssue] = []
    photos = photo_records(job.photos, issues)  # read-only here: no deep copy
    # The photos table first: the writer thread starts while the layers are mapped.
    photo_spec, photo_rows = photo_table(list(photos.values()))
    fields = qgs_fields(photo_spec)
    features = []
    for values in photo_rows:
        feature = QgsFeature(fields)
        feature.setAttributes(values)
        features.append(feature)
    del photo_rows
    writer.submit(PHOTOS_TABLE, fields, WKB.NoGeometry, features)
    report.counts[PHOTOS_TABLE] = len(features)
    del features
    # Nothing below mutates the snapshot or the parsed JSON: share their nested values.
    snap = build_snapshot(job.nodes, job.connections, None, copy=False)
    snap.photos = photos
    snap.issues.extend(issues)
    report.issues = list(snap.issues)
    schemas: Dict[str, List[FieldSpec]] = {}
    for i, kind in enumerate(KINDS):
        step(0.1 + 0.25 * i, tr("Writing {layer}").format(layer=LAYER_NAMES[kind]))
        entities = list(snap.entities(kind).values())
        schema, rows = schema_and_rows(kind, entities)
        schemas[kind] = schema
        fields = qgs_fields(schema)
        features, not_drawn = row_features(kind, entities, rows, fields, snap.nodes)
        del rows
        writer.submit(LAYER_NAMES[kind], fields, WKB_TYPES[kind], features)
        report.counts[LAYER_NAMES[kind]] = len(features)
        report.not_drawn[kind] = not_drawn
        del features
    step(0.85, tr("Writing the snapshot"))
    # While the writer thread writes the last layers (OGR runs without the GIL), kp_base
    # goes into a side file; one INSERT ... SELECT copies it in once the layers are written.
    side = tmp + ".kp_base"
    try:
        if os.path.exists(side):
            os.remove(side)
        _write_base_table(side, base_rows(job, snap), index=False)
        writer.finish()
        _finish_gpkg(tmp, side, job, snap, schemas, photo_spec, pick_lists)
    finally:
        if os.path.exists(side):
            os.remove(side)


def copy_base_table(con: sqlite3.Connection, side: str) -> None:
    """Copy ``kp_base`` from the file ``side`` into ``con``'s database (one statement)."""
    con.execute("ATTACH DATABASE ? AS side", (side,))
    try:
        with con:
            con.execute(KP_TABLES_SQL[0])
            con.execute("INSERT INTO main.kp_base SELECT * FROM side.kp_base")
    finally:
        con.execute("DETACH DATABASE side")


def _finish_gpkg(tmp, side, job, snap, schemas, photo_spec, pick_lists) -> None:
    con = connect(tmp)
    try:
        # The .part file is thrown away on any failure: no rollback journal, no fsync.
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        copy_base_table(con, side)
        with con:
            ensure_kp_tables(con)  # the unique index, built once after the bulk insert
            meta = {
                "job_id": job.job_id,
                "job_name": job.name,
                "server_url": job.server_url,
                "last_pull": job.pulled_at or now_iso(),
                "nodes_cursor": max_last_updated(snap.nodes.values()),
                "schema_version": SCHEMA_VERSION,
                "metadata": job.metadata or {},
                "schema_photo": schema_to_json(photo_spec),
            }
            for kind, schema in schemas.items():
                meta[f"schema_{kind}"] = schema_to_json(schema)
            if pick_lists:
                meta["pick_lists"] = dict(pick_lists)
            write_meta(con, meta)
    finally:
        con.close()


def refuse_foreign_file(path: str, job_id: str) -> None:
    """Raise unless ``path`` is missing or already this job's working copy."""
    if not os.path.exists(path):
        return
    owner = read_meta(path).get("job_id")
    if owner != job_id:
        raise GpkgError(
            tr(
                "{path} is not this job's working copy (it holds {what}); choose another file."
            ).format(path=path, what=owner or tr("no Katapult job"))
        )


def _refuse_open_journal(path: str) -> None:
    pending = open_journal_count(path)
    if pending:
        raise GpkgError(
            tr(
                "{path} still has {n} edit(s) not sent to Katapult; push them or use Refresh "
                "instead of downloading the job again."
            ).format(path=path, n=pending)
        )


def finalize_job_gpkg(report: LoadReport) -> str:
    """Move the built file over the job's GeoPackage (nothing may hold the old one open).

    A write-ahead log left beside the old file is checkpointed and truncated first so it
    can never be replayed into the new file. Returns the final path.
    """
    part = report.part_path
    if not part:
        return report.path
    if not os.path.exists(part):
        raise GpkgError(
            tr("The downloaded copy {part} is gone; download the job again.").format(part=part)
        )
    _refuse_open_journal(report.path)
    wal, shm = report.path + "-wal", report.path + "-shm"
    if os.path.exists(wal) or os.path.exists(shm):
        # Checkpoint; when no one else has the file open, closing removes both side files.
        con = connect(report.path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    if os.path.exists(shm) or (os.path.exists(wal) and os.path.getsize(wal) > 0):
        os.remove(part)
        report.part_path = ""
        raise GpkgError(
            tr(
                "{path} is open in QGIS; remove the job's layers from the "
                "project (or use Refresh layers) before downloading it again."
            ).format(path=report.path)
        )
    os.replace(part, report.path)
    if os.path.exists(wal) and os.path.getsize(wal) == 0:
        os.remove(wal)
    report.part_path = ""
    return report.path
