"""The "Draw pole line" map tool.

Left click places a pole (a click on an existing node reuses it); every pole after
the first gets a span to the previous one. Backspace removes the last pole, Esc
cancels, right click or Enter finishes. With auto-spacing on, the clicks draw a
route instead: poles are proposed along it, finishing once shows the preview and
finishing again writes it. Span lengths are shown live, measured geodesically on
WGS84 in the ``katapult/units`` setting. A finished drawing is one undo step on
the nodes and connections layers; nothing is sent to the server.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointLocator,
    QgsPointXY,
    QgsProject,
    QgsTolerance,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsMapToolEdit, QgsRubberBand, QgsSnapIndicator
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from .. import geo
from ..qgis_log import log
from .job_layers import JobLayers, job_layers_for
from .options_widget import PoleLineOptions
from .span_labels import SpanLabels
from .writer import (
    PlannedPole,
    PoleLineError,
    WriteResult,
    ensure_editable,
    existing_span_between,
    write_pole_line,
)

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def tr(text: str) -> str:
    """Translate in the ``PoleLine`` context."""
    return QCoreApplication.translate("PoleLine", text)


def _alive(layers: JobLayers) -> bool:
    """False once one of the job's layers was deleted (removed from the project)."""
    return all(not sip.isdeleted(layer) for layer in layers.all())


@dataclass
class Click:
    """One click of a drawing: a WGS84 position, maybe an existing node."""

    lonlat: Tuple[float, float]
    node_fid: Optional[int] = None
    node_kp_id: Optional[str] = None

    def pole(self) -> PlannedPole:
        return PlannedPole(self.lonlat, self.node_fid, self.node_kp_id)

    def same_as(self, other: Click) -> bool:
        return self.pole().same_as(other.pole())


class PoleLineMapTool(QgsMapToolEdit):
    """Map tool drawing poles and spans into a Katapult job's layers."""

    #: emitted with the :class:`WriteResult` after a drawing was written
    drawn = pyqtSignal(object)

    def __init__(self, canvas: QgsMapCanvas, options: Optional[PoleLineOptions] = None,
                 layers: Optional[JobLayers] = None) -> None:
        super().__init__(canvas)
        self.options = options if options is not None else PoleLineOptions()
        self.fixed_layers = layers
        self.clicks: List[Click] = []
        self.cursor: Optional[Click] = None
        self.previewing = False
        self.messages: List[Tuple[str, int]] = []
        self._layers: Optional[JobLayers] = None
        self._bands: dict = {}
        self._labels: Optional[SpanLabels] = None
        self._snap_indicator = QgsSnapIndicator(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # -- feedback ----------------------------------------------------------------
    def say(self, text: str, level=Qgis.Info) -> None:
        """Message bar (through ``messageEmitted``) and the Katapult log."""
        self.messages.append((text, int(level)))
        log(text, level)
        self.messageEmitted.emit(text, level)

    # -- layers and coordinates ------------------------------------------------
    def job_layers(self) -> Optional[JobLayers]:
        """The job being drawn into: given explicitly, else the current layer's job."""
        if self.fixed_layers is not None and _alive(self.fixed_layers):
            return self.fixed_layers
        return job_layers_for(self.canvas().currentLayer())

    def _to_wgs(self) -> QgsCoordinateTransform:
        return QgsCoordinateTransform(self.canvas().mapSettings().destinationCrs(), WGS84,
                                      QgsProject.instance())

    def _to_map(self) -> QgsCoordinateTransform:
        return QgsCoordinateTransform(WGS84, self.canvas().mapSettings().destinationCrs(),
                                      QgsProject.instance())

    def map_point(self, lonlat: Tuple[float, float]) -> QgsPointXY:
        """A WGS84 position in the canvas CRS."""
        return self._to_map().transform(QgsPointXY(*lonlat))

    def _node_click(self, fid: int) -> Optional[Click]:
        nodes = self._layers.nodes if self._layers else None
        if nodes is None:
            return None
        feat = nodes.getFeature(fid)
        if not feat.isValid() or not feat.hasGeometry():
            return None
        point = QgsCoordinateTransform(nodes.crs(), WGS84, QgsProject.instance()).transform(
            feat.geometry().asPoint())
        kp_id = feat["kp_id"] if nodes.fields().indexFromName("kp_id") >= 0 else None
        if not kp_id:
            self.say(tr("Pole {fid} of layer '{layer}' has no kp_id, so a span cannot refer "
                        "to it; a new pole is placed instead.").format(fid=fid,
                                                                       layer=nodes.name()),
                     Qgis.Warning)
            return None
        return Click((point.x(), point.y()), fid, str(kp_id))

    def _match(self, pixel) -> QgsPointLocator.Match:
        """Snapping as configured for the project; with snapping off, the vertex search
        radius (Settings › Digitizing) around the click on the nodes layer."""
        utils = self.canvas().snappingUtils()
        if utils.config().enabled():
            return utils.snapToMap(pixel)
        nodes = self._layers.nodes if self._layers else None
        if nodes is None:
            return QgsPointLocator.Match()
        # the canvas' locators work in the canvas CRS
        locator = utils.locatorForLayer(nodes)
        radius = QgsTolerance.vertexSearchRadius(self.canvas().mapSettings())
        return locator.nearestVertex(self.toMapCoordinates(pixel), radius)

    def click_at(self, pixel, map_point: Optional[QgsPointXY] = None,
                 match: Optional[QgsPointLocator.Match] = None) -> Click:
        """The click for a canvas pixel: a reused node, a snapped point or the raw point."""
        match = match if match is not None else self._match(pixel)
        nodes = self._layers.nodes if self._layers else None
        if match.isValid() and nodes is not None and match.layer() is not nodes:
            # e.g. the end vertex of a span, which sits on its node: look for that node
            at_node = self.canvas().snappingUtils().locatorForLayer(nodes).nearestVertex(
                match.point(), self.canvas().mapUnitsPerPixel())
            if at_node.isValid():
                match = at_node
        if match.isValid() and nodes is not None and match.layer() is nodes:
            node = self._node_click(match.featureId())
            if node is not None:
                return node
        if match.isValid() and self.canvas().snappingUtils().config().enabled():
            point = match.point()  # snapped to another layer's vertex or segment
        else:
            point = map_point if map_point is not None else self.toMapCoordinates(pixel)
        wgs = self._to_wgs().transform(point)
        return Click((wgs.x(), wgs.y()))

    # -- events ----------------------------------------------------------------
    def canvasMoveEvent(self, e) -> None:
        if self._layers is not None and not _alive(self._layers):
            self.cancel()  # the job's layers were removed while drawing
            self._layers = None
        self._layers = self._layers or self.job_layers()
        if self._layers is None:
            return
        match = self._match(e.pos())
        self._snap_indicator.setMatch(match)
        if self.clicks and not self.previewing:
            self.cursor = self.click_at(e.pos(), e.mapPoint(), match)
            self.refresh()

    def canvasReleaseEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.RightButton:
            self.finish()
        elif e.button() == Qt.MouseButton.LeftButton:
            if self._layers is not None and not _alive(self._layers):
                self.cancel()
                self._layers = None
            if not self.clicks:
                self._use_job(self.job_layers())
                if not self._check_layers():
                    return
            self.add_click(self.click_at(e.pos(), e.mapPoint()))

    def keyPressEvent(self, e) -> None:
        key = e.key()
        if not self.clicks:
            e.ignore()
            return
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.remove_last()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
            self.say(tr("Pole line cancelled; nothing was added."))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        else:
            e.ignore()
            return
        e.accept()

    def activate(self) -> None:
        super().activate()
        self._use_job(self.job_layers())

    def _use_job(self, layers: Optional[JobLayers]) -> None:
        if layers is not None and layers is not self._layers:
            self.options.use_layer_pick_lists(layers.nodes, layers.connections)
        self._layers = layers

    def deactivate(self) -> None:
        self.cancel()
        self._snap_indicator.setMatch(QgsPointLocator.Match())
        super().deactivate()

    # -- drawing state ---------------------------------------------------------
    def _check_layers(self) -> bool:
        if self._layers is None or self._layers.nodes is None or self._layers.connections is None:
            self.say(tr("Select a layer of the Katapult job to draw in (its nodes or "
                        "connections layer) first."), Qgis.Warning)
            return False
        for layer in (self._layers.nodes, self._layers.connections):
            problem = ensure_editable(layer)
            if problem:
                self.say(problem, Qgis.Warning)
                return False
        return True

    def add_click(self, click: Click) -> bool:
        """Add a pole (or route vertex); refuse zero-length and self spans."""
        if self.clicks and click.same_as(self.clicks[-1]):
            if click.node_fid is not None:
                self.say(tr("A span cannot connect a pole to itself; click another pole or an "
                            "empty spot."), Qgis.Warning)
            else:
                self.say(tr("Same spot as the previous pole: no zero-length span was made."),
                         Qgis.Warning)
            return False
        if not self.options.auto_spacing() and self.clicks:
            last = self.clicks[-1]
            if last.node_fid is not None and click.node_fid is not None:
                pairs = {frozenset((a.node_fid, b.node_fid))
                         for a, b in zip(self.clicks[:-1], self.clicks[1:])}
                if frozenset((last.node_fid, click.node_fid)) in pairs or existing_span_between(
                        self._layers.connections, last.node_kp_id, click.node_kp_id):
                    self.say(tr("There is already a span between these two poles; click "
                                "another spot."), Qgis.Warning)
                    return False
        self.previewing = False
        self.clicks.append(click)
        self.cursor = None
        self.refresh()
        return True

    def remove_last(self) -> None:
        """Backspace: drop the last pole (or leave the preview)."""
        if self.previewing:
            self.previewing = False
        elif self.clicks:
            self.clicks.pop()
        self.refresh()

    def cancel(self) -> None:
        """Esc: forget the drawing."""
        self.clicks.clear()
        self.cursor = None
        self.previewing = False
        self.refresh()

    def planned(self, with_cursor: bool = False) -> Tuple[List[PlannedPole], List[float],
                                                          List[int]]:
        """Poles of the drawing, each span's length (m) and the spans over the maximum."""
        clicks = list(self.clicks)
        if with_cursor and self.cursor is not None and not self.previewing:
            clicks.append(self.cursor)
        max_span = self.options.max_span_m()
        if not self.options.auto_spacing():
            poles = [c.pole() for c in clicks]
        else:
            if not clicks:
                return [], [], []
            plan = geo.plan_spacing([c.lonlat for c in clicks], self.options.spacing_m(),
                                    max_span, self.options.spacing_mode())
            poles = [clicks[i].pole() if i is not None else PlannedPole(p)
                     for p, i in zip(plan.poles, plan.route_index)]
        lengths = [geo.geodesic_distance_m(a.lonlat, b.lonlat) for a, b in zip(poles, poles[1:])]
        too_long = [i for i, d in enumerate(lengths) if max_span and d > max_span + 1e-6]
        return poles, lengths, too_long

    def span_labels(self) -> List[str]:
        """The live length labels as shown on the canvas."""
        return self._labels.texts() if self._labels is not None else []

    def finish(self) -> Optional[WriteResult]:
        """Enter / right click: write the drawing (auto-spacing: preview first)."""
        poles, lengths, too_long = self.planned()
        if not poles:
            return None
        if self.options.auto_spacing() and not self.previewing and len(poles) > 1:
            self.previewing = True
            self.refresh()
            units = self.options.units()
            text = tr("Preview: {poles} poles, {spans} spans, longest {longest}. Enter or right "
                      "click adds them, Backspace goes back to the route, Esc cancels.").format(
                poles=sum(1 for p in poles if p.is_new), spans=len(lengths),
                longest=geo.format_length(max(lengths), units))
            if too_long:
                text += " " + tr("{n} span(s) are longer than the maximum of {max}.").format(
                    n=len(too_long), max=geo.format_length(self.options.max_span_m(), units))
            self.say(text, Qgis.Warning if too_long else Qgis.Info)
            return None
        try:
            node_values = self.options.node_values()
            result = write_pole_line(self._layers, poles, node_values,
                                     self.options.connection_values())
        except PoleLineError as exc:
            self.say(str(exc), Qgis.Warning)
            return None
        units = self.options.units()
        if not result.node_ids and not result.connection_ids:
            self.say(tr("Nothing to add: a single existing pole makes no span."))
            self.cancel()
            return result
        text = tr("Added {poles} pole(s) and {spans} span(s) ({length}); they are sent on "
                  "Push.").format(poles=len(result.node_ids), spans=len(result.connection_ids),
                                  length=geo.format_length(sum(lengths), units))
        if too_long:
            text += " " + tr("{n} span(s) are longer than the maximum of {max}.").format(
                n=len(too_long), max=geo.format_length(self.options.max_span_m(), units))
        self.say(text, Qgis.Warning if too_long else Qgis.Success)
        self.cancel()
        self.drawn.emit(result)
        return result

    # -- rubber bands --------------------------------------------------------------
    def _band(self, name: str, geometry_type, color: QColor, width: float = 2.0,
              icon=None, style=Qt.PenStyle.SolidLine) -> QgsRubberBand:
        band = self._bands.get(name)
        if band is None:
            band = QgsRubberBand(self.canvas(), geometry_type)
            band.setColor(color)
            band.setWidth(int(round(width)))
            band.setLineStyle(style)
            if icon is not None:
                band.setIcon(icon)
                band.setIconSize(9)
                band.setFillColor(QColor(255, 255, 255))
                band.setStrokeColor(color)
            self._bands[name] = band
        return band

    def refresh(self) -> None:
        """Redraw rubber bands and labels from the drawing state."""
        poles, lengths, too_long = self.planned(with_cursor=True)
        units = self.options.units()
        route = self._band("route", QgsWkbTypes.LineGeometry, QColor(120, 120, 120, 200), 1.5,
                           style=Qt.PenStyle.DashLine)
        line = self._band("spans", QgsWkbTypes.LineGeometry, QColor(0, 90, 220, 220), 2.5)
        warn = self._band("too_long", QgsWkbTypes.LineGeometry, QColor(220, 0, 0, 230), 3.5)
        new = self._band("new_poles", QgsWkbTypes.PointGeometry, QColor(0, 90, 220),
                         icon=QgsRubberBand.IconType.ICON_CIRCLE)
        old = self._band("reused_poles", QgsWkbTypes.PointGeometry, QColor(0, 160, 60),
                         icon=QgsRubberBand.IconType.ICON_BOX)
        for band in (route, line, warn):
            band.reset(QgsWkbTypes.LineGeometry)
        for band in (new, old):
            band.reset(QgsWkbTypes.PointGeometry)
        points = [self.map_point(p.lonlat) for p in poles]
        if self.options.auto_spacing() and len(self.clicks) > 0:
            route_pts = [self.map_point(c.lonlat) for c in self.clicks]
            if self.cursor is not None and not self.previewing:
                route_pts.append(self.map_point(self.cursor.lonlat))
            route.setToGeometry(QgsGeometry.fromPolylineXY(route_pts), None)
        if len(points) > 1:
            line.setToGeometry(QgsGeometry.fromPolylineXY(points), None)
        if too_long:
            warn.setToGeometry(QgsGeometry.fromMultiPolylineXY(
                [[points[i], points[i + 1]] for i in too_long]), None)
        for pole, point in zip(poles, points):
            (new if pole.is_new else old).addPoint(point, True)
        if self._labels is None:
            self._labels = SpanLabels(self.canvas())
        max_text = geo.format_length(self.options.max_span_m(), units)
        labels = []
        for i, length in enumerate(lengths):
            a, b = points[i], points[i + 1]
            mid = QgsPointXY((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0)
            text = geo.format_length(length, units)
            if i in too_long:
                text = tr("{length} > max {max}").format(length=text, max=max_text)
            labels.append((mid, text, i in too_long))
        self._labels.set_labels(labels)

    def clean(self) -> None:
        """Remove the canvas items (call before dropping the tool)."""
        for band in self._bands.values():
            self.canvas().scene().removeItem(band)
        self._bands.clear()
        if self._labels is not None:
            self.canvas().scene().removeItem(self._labels)
            self._labels = None

