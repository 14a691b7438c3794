"""Write a drawn pole line into a job's layers as one undo step (nothing is sent)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorDataProvider,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

try:  # Qt5 builds; Qt6 builds of QGIS take QMetaType types
    from qgis.PyQt.QtCore import QVariant

    TEXT_TYPE, BOOL_TYPE = QVariant.String, QVariant.Bool
except (ImportError, AttributeError):  # pragma: no cover - Qt6
    from qgis.PyQt.QtCore import QMetaType

    TEXT_TYPE, BOOL_TYPE = QMetaType.Type.QString, QMetaType.Type.Bool

from .. import geo
from ..api.ids import new_push_id
from ..layers import topology
from .job_layers import JobLayers

LonLat = Tuple[float, float]
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
SYSTEM_FIELDS = ("kp_id", "node_id_1", "node_id_2", "connection_id", "kp_photos", "kp_sync")


def tr(text: str) -> str:
    """Translate in the ``PoleLine`` context."""
    return QCoreApplication.translate("PoleLine", text)


class PoleLineError(Exception):
    """A pole line that cannot be written; ``str()`` names the item and the fix."""


@dataclass
class PlannedPole:
    """One pole of a drawing: a new pole at ``lonlat`` or an existing node."""

    lonlat: LonLat
    node_fid: Optional[int] = None
    node_kp_id: Optional[str] = None

    @property
    def is_new(self) -> bool:
        return self.node_fid is None

    def same_as(self, other: PlannedPole) -> bool:
        """Same existing node, or (for new poles) the same spot."""
        if self.node_fid is not None or other.node_fid is not None:
            return self.node_fid == other.node_fid
        return geo.geodesic_distance_m(self.lonlat, other.lonlat) < geo.SAME_SPOT_M


@dataclass
class WriteResult:
    """What was added: Katapult ids and (temporary) feature ids."""

    node_ids: List[str] = field(default_factory=list)
    node_fids: List[int] = field(default_factory=list)
    connection_ids: List[str] = field(default_factory=list)
    connection_fids: List[int] = field(default_factory=list)
    #: Katapult id of every pole of the drawing, in order (new and reused)
    pole_ids: List[str] = field(default_factory=list)


def new_kp_id() -> str:
    """A client-chosen Katapult id for a new item (20-char push id)."""
    return new_push_id()


def editability_problem(layer: Optional[QgsVectorLayer], needs: int) -> Optional[str]:
    """Why ``layer`` cannot take the edits in ``needs`` (provider capabilities), or None."""
    if layer is None:
        return tr("The job has no such layer; reload the job.")
    if layer.readOnly():
        return tr("Layer '{name}' is read-only; make it editable in Layer Properties or "
                  "save a writable copy.").format(name=layer.name())
    caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
    if (int(caps) & needs) != needs:
        return tr("Layer '{name}' cannot add features (its data source does not allow it); "
                  "save it as a GeoPackage first.").format(name=layer.name())
    return None


def ensure_editable(layer: QgsVectorLayer) -> Optional[str]:
    """Start editing ``layer`` if needed; return None or the reason it cannot be edited."""
    problem = editability_problem(layer, QgsVectorDataProvider.AddFeatures)
    if problem:
        return problem
    if not layer.isEditable() and not layer.startEditing():
        return tr("Could not start editing layer '{name}'; check that its file is writable "
                  "and not locked by another program.").format(name=layer.name())
    return None


def parse_attributes(text: str) -> Dict[str, str]:
    """``"pole_height=45; proposed=true"`` → ``{"pole_height": "45", "proposed": "true"}``.

    Raises :class:`PoleLineError` naming the bad entry.
    """
    values: Dict[str, str] = {}
    for raw in (text or "").replace("\n", ";").split(";"):
        item = raw.strip()
        if not item:
            continue
        if "=" not in item:
            raise PoleLineError(tr("Default attribute '{item}' is not name=value; "
                                   "write it like pole_height=45.").format(item=item))
        name, value = (part.strip() for part in item.split("=", 1))
        if not name:
            raise PoleLineError(tr("Default attribute '{item}' has no name before '='.")
                                .format(item=item))
        if name in SYSTEM_FIELDS or name == "fid":
            raise PoleLineError(tr("'{name}' is managed by the plugin and cannot be a default "
                                   "attribute; remove it.").format(name=name))
        values[name] = value
    return values


def _to_wgs(layer: QgsVectorLayer) -> QgsCoordinateTransform:
    return QgsCoordinateTransform(WGS84, layer.crs(), QgsProject.instance())


def _converted(layer: QgsVectorLayer, name: str, value: Any) -> Any:
    fld = layer.fields().field(name)
    is_bool = fld.type() == BOOL_TYPE or "bool" in fld.typeName().lower()
    if is_bool and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "1", "y"):
            return True
        if lowered in ("false", "no", "0", "n", ""):
            return False
    try:
        return fld.convertCompatible(value)
    except ValueError as exc:
        raise PoleLineError(tr("Value '{value}' does not fit field '{name}' of layer '{layer}' "
                               "({type}); fix the default attribute.").format(
            value=value, name=name, layer=layer.name(), type=fld.typeName())) from exc


def _ensure_fields(layer: QgsVectorLayer, values: Dict[str, Any]) -> List[str]:
    """Add a text field for every name in ``values`` the layer lacks; return the added names."""
    added = []
    for name in values:
        if layer.fields().indexFromName(name) < 0:
            if not layer.addAttribute(QgsField(name, TEXT_TYPE)):
                raise PoleLineError(tr("Layer '{layer}' has no field '{name}' and it cannot be "
                                       "added; add it in Layer Properties.").format(
                    layer=layer.name(), name=name))
            added.append(name)
    return added


def _feature(layer: QgsVectorLayer, geometry: QgsGeometry, values: Dict[str, Any]) -> QgsFeature:
    feat = QgsFeature(layer.fields())
    feat.setGeometry(geometry)
    for name, value in values.items():
        if value is None or value == "":
            continue
        feat.setAttribute(name, _converted(layer, name, value))
    return feat


def check_poles(poles: Sequence[PlannedPole]) -> None:
    """Refuse spans from a pole to itself and the same span twice in one drawing."""
    seen = set()
    for a, b in zip(poles[:-1], poles[1:]):
        if a.same_as(b):
            raise PoleLineError(tr("A span cannot connect a pole to itself; "
                                   "click somewhere else for the next pole."))
        if a.node_fid is not None and b.node_fid is not None:
            key = frozenset((a.node_fid, b.node_fid))
            if key in seen:
                raise PoleLineError(tr("The drawing makes the same span twice; "
                                       "remove the last pole (Backspace)."))
            seen.add(key)


def existing_span_between(connections: QgsVectorLayer, id_a: str, id_b: str) -> bool:
    """True if ``connections`` already has a span between nodes ``id_a`` and ``id_b``."""
    from qgis.core import QgsExpression, QgsFeatureRequest

    a, b = QgsExpression.quotedString(id_a), QgsExpression.quotedString(id_b)
    expr = (f'("node_id_1" = {a} AND "node_id_2" = {b}) OR '
            f'("node_id_1" = {b} AND "node_id_2" = {a})')
    request = QgsFeatureRequest().setFilterExpression(expr)
    request.setFlags(QgsFeatureRequest.NoGeometry).setLimit(1)
    return any(True for _ in connections.getFeatures(request))


def write_pole_line(
    layers: JobLayers,
    poles: Sequence[PlannedPole],
    node_values: Optional[Dict[str, Any]] = None,
    connection_values: Optional[Dict[str, Any]] = None,
    text: Optional[str] = None,
) -> WriteResult:
    """Add the new poles and the spans between consecutive poles, as one undo step.

    Each layer gets one edit command; the commands are linked so undoing either
    layer undoes both (:mod:`plugin.layers.topology`). Nothing is sent to the server.
    """
    nodes, conns = layers.nodes, layers.connections
    if nodes is None or conns is None:
        raise PoleLineError(tr("The job needs both a nodes and a connections layer to draw "
                               "pole lines; reload the job."))
    check_poles(poles)
    for a, b in zip(poles[:-1], poles[1:]):
        if a.node_kp_id and b.node_kp_id and existing_span_between(conns, a.node_kp_id,
                                                                    b.node_kp_id):
            raise PoleLineError(tr("There is already a span between poles {a} and {b}; "
                                   "remove the last pole (Backspace).").format(
                a=a.node_kp_id, b=b.node_kp_id))
    new_poles = [p for p in poles if p.is_new]
    spans = list(zip(poles[:-1], poles[1:]))
    if not new_poles and not spans:
        return WriteResult(pole_ids=[p.node_kp_id or "" for p in poles])
    for layer in ((nodes, conns) if spans else (nodes,)):
        problem = ensure_editable(layer)
        if problem:
            raise PoleLineError(problem)
    node_values = {k: v for k, v in (node_values or {}).items() if v not in (None, "")}
    connection_values = {k: v for k, v in (connection_values or {}).items()
                         if v not in (None, "")}
    label = text or tr("Draw pole line")
    result = WriteResult()
    pushed: List[QgsVectorLayer] = []
    try:
        if new_poles:
            nodes.beginEditCommand(label)
            pushed.append(nodes)
            _ensure_fields(nodes, node_values)
            to_layer = _to_wgs(nodes)
            for pole in new_poles:
                kp_id = new_kp_id()
                point = to_layer.transform(QgsPointXY(*pole.lonlat))
                feat = _feature(nodes, QgsGeometry.fromPointXY(point),
                                dict(node_values, kp_id=kp_id))
                if not nodes.addFeature(feat):
                    raise PoleLineError(tr("Layer '{layer}' refused a new pole; check its "
                                           "constraints.").format(layer=nodes.name()))
                pole.node_kp_id = kp_id
                pole.node_fid = feat.id()
                result.node_ids.append(kp_id)
                result.node_fids.append(feat.id())
        if spans:
            conns.beginEditCommand(label)
            pushed.append(conns)
            _ensure_fields(conns, connection_values)
            to_layer = _to_wgs(conns)
            for a, b in spans:
                kp_id = new_kp_id()
                line = QgsGeometry.fromPolylineXY([to_layer.transform(QgsPointXY(*a.lonlat)),
                                                   to_layer.transform(QgsPointXY(*b.lonlat))])
                values = dict(connection_values, kp_id=kp_id, node_id_1=a.node_kp_id,
                              node_id_2=b.node_kp_id)
                feat = _feature(conns, line, values)
                if not conns.addFeature(feat):
                    raise PoleLineError(tr("Layer '{layer}' refused a new span; check its "
                                           "constraints.").format(layer=conns.name()))
                result.connection_ids.append(kp_id)
                result.connection_fids.append(feat.id())
    except Exception:
        for layer in pushed:
            layer.destroyEditCommand()
        for pole in new_poles:
            pole.node_fid = pole.node_kp_id = None
        raise
    for layer in pushed:
        layer.endEditCommand()
    topology.link_top_commands(pushed)
    result.pole_ids = [p.node_kp_id or "" for p in poles]
    return result
