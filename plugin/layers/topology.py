"""Keep spans glued to their poles while editing, and tie cross-layer edits into one undo step.

* A moved node moves the ends of its spans (``node_id_1`` → first vertex,
  ``node_id_2`` → last vertex); sections on a changed span keep their relative
  position along it.
* Deleting a node asks whether to delete its spans and their sections too;
  deleting a span deletes its sections (the server does the same).
* Dragging a span's end onto another node re-attaches it (``node_id_1`` /
  ``node_id_2`` updated); dragging it into empty space, or onto the span's other
  node, puts it back on its own node and says why.
* :class:`UndoLinker` links the commands made for one user action on several
  layers' undo stacks: undoing (or redoing) any of them undoes (redoes) all.

Only layers carrying the ``katapult/kind`` custom property are touched. Signal
handlers only queue work; it runs once the user's command is on the undo stack
(the stack's ``indexChanged``), so a vertex-tool drag or a multi-feature delete
is handled as one step and undo/redo of linked steps never re-triggers fixes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QObject, QTimer, pyqtSignal

from .. import geo
from ..qgis_log import log

KIND_PROPERTY = "katapult/kind"
JOB_PROPERTY = "katapult/job_id"
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
#: how close (metres) a dragged span end must be to a node to attach to it
ATTACH_TOLERANCE_M = 0.25
#: a span end further than this (metres) from its node is "not on it"
GLUE_TOLERANCE_M = 0.001


def tr(text: str) -> str:
    """Translate in the ``Topology`` context."""
    return QCoreApplication.translate("Topology", text)


def _address(command) -> int:
    return int(sip.unwrapinstance(command)) if command is not None else 0


# --------------------------------------------------------------------------- undo linking
@dataclass
class _StackState:
    layer: QgsVectorLayer
    index: int = 0
    addrs: List[int] = field(default_factory=list)


class UndoLinker(QObject):
    """Ties commands on several layers' undo stacks into one undo/redo step.

    ``stepped(layer_id, kind, linked)`` is emitted after every change of a watched
    stack: ``kind`` is ``"push"``, ``"undo"``, ``"redo"`` or ``"clear"``; ``linked``
    is True when the step belonged to a linked group (its partners were undone or
    redone with it) or happened while the linker itself was moving stacks.
    """

    stepped = pyqtSignal(str, str, bool)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._states: Dict[str, _StackState] = {}
        self._groups: List[List[Tuple[str, int]]] = []
        self._busy = 0

    @property
    def busy(self) -> bool:
        """True while the linker is undoing/redoing partner commands."""
        return self._busy > 0

    def watch(self, layer: QgsVectorLayer) -> None:
        """Follow ``layer``'s undo stack (idempotent)."""
        lid = layer.id()
        if lid in self._states and self._states[lid].layer is layer:
            return
        state = _StackState(layer)
        self._refresh(state)
        self._states[lid] = state
        stack = layer.undoStack()
        stack.indexChanged.connect(lambda idx, lid=lid: self._on_index(lid, idx))
        layer.destroyed.connect(lambda _=None, lid=lid: self._forget(lid))

    def _forget(self, lid: str) -> None:
        self._states.pop(lid, None)
        self._groups = [g for g in self._groups if all(m[0] != lid for m in g)]

    def link_top(self, layers: Iterable[QgsVectorLayer]) -> None:
        """Link the newest command of each layer's stack into one step."""
        members = []
        for layer in layers:
            self.watch(layer)
            stack = layer.undoStack()
            if stack.index() > 0:
                members.append((layer.id(), _address(stack.command(stack.index() - 1))))
        if len(members) > 1:
            self._groups.append(members)

    def link(self, members: Sequence[Tuple[QgsVectorLayer, int]]) -> None:
        """Link explicit ``(layer, command address)`` pairs into one step."""
        for layer, _ in members:
            self.watch(layer)
        group = [(layer.id(), addr) for layer, addr in members if addr]
        if len(group) > 1:
            self._groups.append(group)

    def top_address(self, layer: QgsVectorLayer) -> int:
        """Address of the newest command on ``layer``'s stack (0 if none)."""
        stack = layer.undoStack()
        return _address(stack.command(stack.index() - 1)) if stack.index() > 0 else 0

    def group_of(self, lid: str, addr: int) -> Optional[List[Tuple[str, int]]]:
        """The linked group containing command ``addr`` of layer ``lid``, if any."""
        for group in self._groups:
            if (lid, addr) in group:
                return group
        return None

    def _refresh(self, state: _StackState) -> None:
        stack = state.layer.undoStack()
        state.index = stack.index()
        state.addrs = [_address(stack.command(i)) for i in range(stack.count())]

    def _on_index(self, lid: str, idx: int) -> None:
        state = self._states.get(lid)
        if state is None:
            return
        old_index, old_addrs = state.index, state.addrs
        self._refresh(state)
        new_addrs = state.addrs
        if not new_addrs and old_addrs:
            kind = "clear"
        elif new_addrs == old_addrs and idx < old_index:
            kind = "undo"
        elif new_addrs == old_addrs and idx > old_index:
            kind = "redo"
        elif new_addrs == old_addrs:
            return
        else:
            kind = "push"
        if kind in ("push", "clear"):
            # a push drops the redo tail; a clear (commit, rollback) drops everything
            gone = set(old_addrs[old_index:]) if kind == "push" else set(old_addrs)
            if gone:
                self._groups = [g for g in self._groups
                                if not any(m[0] == lid and m[1] in gone for m in g)]
        if self.busy:
            self.stepped.emit(lid, kind, True)
            return
        linked = False
        if kind == "undo":
            for addr in reversed(old_addrs[idx:old_index]):
                group = self.group_of(lid, addr)
                if group:
                    linked = True
                    self._move_partners(group, (lid, addr), undo=True)
        elif kind == "redo":
            for addr in old_addrs[old_index:idx]:
                group = self.group_of(lid, addr)
                if group:
                    linked = True
                    self._move_partners(group, (lid, addr), undo=False)
        self.stepped.emit(lid, kind, linked)

    def _move_partners(self, group, origin, undo: bool) -> None:
        order = list(reversed(group)) if undo else list(group)
        self._busy += 1
        try:
            for member in order:
                if member == origin:
                    continue
                state = self._states.get(member[0])
                if state is None:
                    continue
                stack = state.layer.undoStack()
                if undo:
                    ok = (stack.index() > 0
                          and _address(stack.command(stack.index() - 1)) == member[1])
                    if ok:
                        stack.undo()
                else:
                    ok = (stack.index() < stack.count()
                          and _address(stack.command(stack.index())) == member[1])
                    if ok:
                        stack.redo()
                if not ok:
                    log(tr("Could not {what} the linked change on layer '{layer}': it has other "
                           "edits on top; use that layer's own undo.").format(
                        what=tr("undo") if undo else tr("redo"), layer=state.layer.name()),
                        Qgis.Warning)
        finally:
            self._busy -= 1


_LINKER: Optional[UndoLinker] = None


def undo_linker() -> UndoLinker:
    """The process-wide linker shared by the pole line tool and the topology keepers."""
    global _LINKER
    if _LINKER is None or sip.isdeleted(_LINKER):
        _LINKER = UndoLinker()
    return _LINKER


def link_top_commands(layers: Iterable[QgsVectorLayer]) -> None:
    """Make the newest command of each of ``layers`` one undo step."""
    undo_linker().link_top(list(layers))


# --------------------------------------------------------------------------- the keeper
def _end_points(geom: QgsGeometry) -> Optional[Tuple[QgsPointXY, QgsPointXY, int]]:
    """First point, last point and last vertex index of a (multi)line, or None."""
    if geom is None or geom.isEmpty():
        return None
    count = geom.constGet().nCoordinates()
    if count < 2:
        return None
    return QgsPointXY(geom.vertexAt(0)), QgsPointXY(geom.vertexAt(count - 1)), count - 1


def _line_coords(geom: QgsGeometry) -> List[QgsPointXY]:
    return [QgsPointXY(v) for v in geom.vertices()]


ConfirmDelete = Callable[[List[str], int, int], bool]


def ask_delete_spans(node_ids: List[str], spans: int, sections: int) -> bool:
    """Default question for a deleted node: delete its spans (and sections) too?"""
    from qgis.PyQt.QtWidgets import QApplication, QMessageBox

    names = ", ".join(node_ids[:5]) + (" …" if len(node_ids) > 5 else "")
    text = tr("The deleted pole(s) {names} have {spans} span(s) with {sections} section(s). "
              "Delete those spans and sections too? (No leaves them in place; Push will then "
              "report spans whose pole is missing.)").format(names=names, spans=spans,
                                                              sections=sections)
    answer = QMessageBox.question(QApplication.activeWindow(), tr("Delete spans too?"), text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


class TopologyKeeper(QObject):
    """Keeps one job's spans glued to its poles while its layers are edited."""

    #: (message, Qgis.MessageLevel) for the message bar
    message = pyqtSignal(str, int)

    def __init__(self, nodes: QgsVectorLayer, connections: QgsVectorLayer,
                 sections: Optional[QgsVectorLayer] = None,
                 confirm_delete: Optional[ConfirmDelete] = None,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        for layer, kind in ((nodes, "node"), (connections, "connection"), (sections, "section")):
            if layer is not None and layer.customProperty(KIND_PROPERTY) != kind:
                raise ValueError(f"layer {layer.name()!r} is not a Katapult {kind} layer "
                                 f"(custom property {KIND_PROPERTY} != {kind!r})")
        self.nodes, self.connections, self.sections = nodes, connections, sections
        self.confirm_delete: ConfirmDelete = confirm_delete or ask_delete_spans
        self.linker = undo_linker()
        self._applying = 0
        self._moved_nodes: Set[int] = set()
        self._deleted_nodes: Dict[int, str] = {}
        self._changed_spans: Set[int] = set()
        self._rekeyed_spans: Set[int] = set()
        self._deleted_spans: Dict[int, str] = {}
        self._node_ids: Dict[int, str] = {}
        self._span_geoms: Dict[int, QgsGeometry] = {}
        self._span_ids: Dict[int, str] = {}
        # indexes: node id -> span fids, span id -> section fids (no query per edit)
        self._span_ends: Dict[int, Tuple[str, str]] = {}
        self._spans_by_node: Dict[str, Set[int]] = {}
        self._section_span: Dict[int, str] = {}
        self._sections_by_span: Dict[str, Set[int]] = {}
        self._connections = []
        self._rebuild_queued = False
        self.rebuild_caches()
        self._attach()

    # -- wiring -------------------------------------------------------------
    def layers(self) -> List[QgsVectorLayer]:
        return [lyr for lyr in (self.nodes, self.connections, self.sections) if lyr is not None]

    def _connect(self, signal, slot, owner: Optional[QObject] = None) -> None:
        signal.connect(slot)
        self._connections.append((owner, signal, slot))

    def _attach(self) -> None:
        n, c = self.nodes, self.connections
        self._connect(n.geometryChanged, self._node_geometry_changed, n)
        self._connect(n.featureDeleted, self._node_deleted, n)
        self._connect(n.featureAdded, self._node_added, n)
        self._connect(n.attributeValueChanged, self._node_attribute_changed, n)
        self._connect(c.geometryChanged, self._span_geometry_changed, c)
        self._connect(c.featureDeleted, self._span_deleted, c)
        self._connect(c.featureAdded, self._span_added, c)
        self._connect(c.attributeValueChanged, self._span_attribute_changed, c)
        if self.sections is not None:
            sec = self.sections
            self._connect(sec.featureAdded, self._section_added, sec)
            self._connect(sec.featureDeleted, self._section_deleted, sec)
            self._connect(sec.attributeValueChanged, self._section_attribute_changed, sec)
        for layer in self.layers():
            self.linker.watch(layer)
            self._connect(layer.afterCommitChanges, self.rebuild_caches, layer)
            self._connect(layer.afterRollBack, self.rebuild_caches, layer)
            self._connect(layer.editingStarted, self._data_may_have_changed, layer)
            # a pull (plugin.layers.refresh) writes through the provider, then repaints
            self._connect(layer.repaintRequested, self._data_may_have_changed, layer)
        self._connect(self.linker.stepped, self._stepped, self.linker)

    def detach(self) -> None:
        """Stop following the layers."""
        for owner, signal, slot in self._connections:
            if owner is not None and sip.isdeleted(owner):
                continue
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._connections.clear()

    def _data_may_have_changed(self, *_args) -> None:
        """Re-read the caches soon, when no layer holds unsaved edits (then the layers
        are exactly what the caches must mirror)."""
        if self._rebuild_queued:
            return
        self._rebuild_queued = True
        QTimer.singleShot(0, self._rebuild_if_clean)

    def _rebuild_if_clean(self) -> None:
        self._rebuild_queued = False
        if sip.isdeleted(self) or not self._connections:
            return
        if any(sip.isdeleted(lyr) for lyr in self.layers()):
            return
        if not any(lyr.isModified() for lyr in self.layers()):
            self.rebuild_caches()

    def rebuild_caches(self) -> None:
        """Re-read node ids and span geometries (after commit fids change)."""
        self._node_ids = {f.id(): f["kp_id"] for f in self.nodes.getFeatures(
            QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
            .setSubsetOfAttributes(["kp_id"], self.nodes.fields()))}
        self._span_geoms, self._span_ids = {}, {}
        self._span_ends, self._spans_by_node = {}, {}
        for f in self.connections.getFeatures(QgsFeatureRequest().setSubsetOfAttributes(
                ["kp_id", "node_id_1", "node_id_2"], self.connections.fields())):
            self._span_geoms[f.id()] = QgsGeometry(f.geometry())
            self._span_ids[f.id()] = f["kp_id"]
            self._index_span(f.id(), f["node_id_1"], f["node_id_2"])
        self._section_span, self._sections_by_span = {}, {}
        if self.sections is not None:
            for f in self.sections.getFeatures(QgsFeatureRequest().setFlags(
                    QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(
                    ["connection_id"], self.sections.fields())):
                self._index_section(f.id(), f["connection_id"])

    def _index_span(self, fid: int, n1, n2) -> None:
        self._unindex_span(fid)
        ends = (str(n1) if n1 else "", str(n2) if n2 else "")
        self._span_ends[fid] = ends
        for node in ends:
            if node:
                self._spans_by_node.setdefault(node, set()).add(fid)

    def _unindex_span(self, fid: int) -> None:
        for node in self._span_ends.pop(fid, ()):
            fids = self._spans_by_node.get(node)
            if fids is not None:
                fids.discard(fid)
                if not fids:
                    del self._spans_by_node[node]

    def _index_section(self, fid: int, span_id) -> None:
        self._unindex_section(fid)
        if span_id:
            self._section_span[fid] = str(span_id)
            self._sections_by_span.setdefault(str(span_id), set()).add(fid)

    def _unindex_section(self, fid: int) -> None:
        span_id = self._section_span.pop(fid, None)
        if span_id is not None:
            fids = self._sections_by_span.get(span_id)
            if fids is not None:
                fids.discard(fid)
                if not fids:
                    del self._sections_by_span[span_id]

    def _section_added(self, fid: int) -> None:
        feat = self.sections.getFeature(fid)
        if feat.isValid():
            self._index_section(fid, feat["connection_id"])

    def _section_deleted(self, fid: int) -> None:
        self._unindex_section(fid)

    def _section_attribute_changed(self, fid: int, idx: int, value) -> None:
        if self.sections.fields().at(idx).name() == "connection_id":
            self._index_section(fid, value)

    # -- signal handlers: queue only --------------------------------------
    def _node_geometry_changed(self, fid: int, _geom: QgsGeometry) -> None:
        if not self._applying:
            self._moved_nodes.add(fid)

    def _node_deleted(self, fid: int) -> None:
        kp_id = self._node_ids.pop(fid, None)
        if not self._applying and kp_id:
            self._deleted_nodes[fid] = kp_id
        self._moved_nodes.discard(fid)

    def _node_added(self, fid: int) -> None:
        feat = self.nodes.getFeature(fid)
        if feat.isValid():
            self._node_ids[fid] = feat["kp_id"]

    def _node_attribute_changed(self, fid: int, idx: int, value) -> None:
        if self.nodes.fields().at(idx).name() == "kp_id":
            self._node_ids[fid] = value

    def _span_geometry_changed(self, fid: int, geom: QgsGeometry) -> None:
        if self._applying:
            return
        self._changed_spans.add(fid)

    def _span_deleted(self, fid: int) -> None:
        kp_id = self._span_ids.pop(fid, None)
        self._span_geoms.pop(fid, None)
        self._unindex_span(fid)
        self._changed_spans.discard(fid)
        if not self._applying and kp_id:
            self._deleted_spans[fid] = kp_id

    def _span_added(self, fid: int) -> None:
        feat = self.connections.getFeature(fid)
        if feat.isValid():
            self._span_geoms[fid] = QgsGeometry(feat.geometry())
            self._span_ids[fid] = feat["kp_id"]
            self._index_span(fid, feat["node_id_1"], feat["node_id_2"])

    def _span_attribute_changed(self, fid: int, idx: int, value) -> None:
        name = self.connections.fields().at(idx).name()
        if name == "kp_id":
            self._span_ids[fid] = value
        elif name in ("node_id_1", "node_id_2"):
            n1, n2 = self._span_ends.get(fid, ("", ""))
            self._index_span(fid, value if name == "node_id_1" else n1,
                             value if name == "node_id_2" else n2)
            if not self._applying:
                self._rekeyed_spans.add(fid)  # edited in a form: move the end to that pole

    # -- after a step lands on an undo stack ------------------------------
    def _stepped(self, lid: str, kind: str, linked: bool) -> None:
        if lid not in {lyr.id() for lyr in self.layers()} or self._applying:
            return
        if kind == "clear":
            self._drop_pending()
            return
        if linked:
            self._drop_pending()
            return
        layer = next(lyr for lyr in self.layers() if lyr.id() == lid)
        self.process(origin=layer)

    def _drop_pending(self) -> None:
        for fid in list(self._changed_spans):
            feat = self.connections.getFeature(fid)
            if feat.isValid():
                self._span_geoms[fid] = QgsGeometry(feat.geometry())
        self._moved_nodes.clear()
        self._deleted_nodes.clear()
        self._changed_spans.clear()
        self._deleted_spans.clear()
        self._rekeyed_spans.clear()

    def process(self, origin: Optional[QgsVectorLayer] = None) -> None:
        """Apply the queued fixes now, linked to ``origin``'s newest command."""
        moved, deleted = set(self._moved_nodes), dict(self._deleted_nodes)
        changed, deleted_spans = set(self._changed_spans), dict(self._deleted_spans)
        rekeyed = set(self._rekeyed_spans)
        self._moved_nodes.clear()
        self._deleted_nodes.clear()
        self._changed_spans.clear()
        self._deleted_spans.clear()
        self._rekeyed_spans.clear()
        if not (moved or deleted or changed or deleted_spans or rekeyed):
            return
        members: List[Tuple[QgsVectorLayer, int]] = []
        if origin is not None:
            members.append((origin, self.linker.top_address(origin)))
        self._applying += 1
        try:
            span_changes: Dict[int, QgsGeometry] = {}
            attr_changes: Dict[int, Dict[str, str]] = {}
            notes: List[str] = []
            if moved:
                self._follow_nodes(moved, span_changes)
            if rekeyed:
                self._follow_new_ids(rekeyed, span_changes, notes)
            if changed:
                self._check_span_ends(changed - set(span_changes), span_changes, attr_changes,
                                      notes)
            spans_to_delete: Dict[int, str] = {}
            if deleted:
                spans_to_delete = self._spans_of_deleted_nodes(deleted)
            sections_to_delete = self._sections_of(list(spans_to_delete.values())
                                                   + list(deleted_spans.values()))
            reshaped = dict(span_changes)
            for fid in changed - set(span_changes):  # e.g. a breakpoint moved by the user
                feat = self.connections.getFeature(fid)
                if feat.isValid() and feat.hasGeometry():
                    reshaped[fid] = QgsGeometry(feat.geometry())
            section_moves = self._section_moves(reshaped)
            self._apply(self.connections, tr("Keep spans on their poles"), members,
                        geometries=span_changes, attributes=attr_changes,
                        deletions=list(spans_to_delete))
            self._apply(self.sections, tr("Keep sections on their spans"), members,
                        geometries=section_moves, deletions=sections_to_delete)
            for fid, geom in span_changes.items():
                self._span_geoms[fid] = QgsGeometry(geom)
            for fid in changed - set(span_changes):
                feat = self.connections.getFeature(fid)
                if feat.isValid():
                    self._span_geoms[fid] = QgsGeometry(feat.geometry())
            if deleted_spans and sections_to_delete:
                notes.append(tr("Deleted {n} section(s) of the deleted span(s) with them.")
                             .format(n=len(sections_to_delete)))
            for note in notes:
                log(note, Qgis.Info)
                self.message.emit(note, int(Qgis.Info))
        finally:
            self._applying -= 1
        if len(members) > 1:
            self.linker.link(members)

    # -- the fixes -----------------------------------------------------------
    def _transform(self, src: QgsVectorLayer, dst: Optional[QgsVectorLayer]):
        crs = dst.crs() if dst is not None else WGS84
        return QgsCoordinateTransform(src.crs(), crs, QgsProject.instance())

    def _spans_touching(self, kp_ids: Sequence[str]) -> List:
        fids: Set[int] = set()
        for kp in kp_ids:
            fids |= self._spans_by_node.get(str(kp), set())
        if not fids:
            return []
        return list(self.connections.getFeatures(QgsFeatureRequest().setFilterFids(
            sorted(fids))))

    def _node_point(self, kp_id: str) -> Optional[QgsPointXY]:
        """Position of node ``kp_id`` in the connections layer's CRS."""
        if not kp_id:
            return None
        expr = f'"kp_id" = {QgsExpression.quotedString(kp_id)}'
        for feat in self.nodes.getFeatures(QgsFeatureRequest().setFilterExpression(expr)):
            if feat.hasGeometry():
                return self._transform(self.nodes, self.connections).transform(
                    feat.geometry().asPoint())
        return None

    def _wgs(self, layer: QgsVectorLayer, point: QgsPointXY) -> Tuple[float, float]:
        p = self._transform(layer, None).transform(point)
        return (p.x(), p.y())

    def _far(self, a: QgsPointXY, b: QgsPointXY, tolerance_m: float) -> bool:
        return geo.geodesic_distance_m(self._wgs(self.connections, a),
                                       self._wgs(self.connections, b)) > tolerance_m

    def _follow_nodes(self, moved: Set[int], span_changes: Dict[int, QgsGeometry]) -> None:
        ids = {}
        for fid in moved:
            feat = self.nodes.getFeature(fid)
            if feat.isValid() and feat.hasGeometry() and feat["kp_id"]:
                ids[feat["kp_id"]] = self._transform(self.nodes, self.connections).transform(
                    feat.geometry().asPoint())
        for span in self._spans_touching(list(ids)):
            geom = QgsGeometry(span_changes.get(span.id(), span.geometry()))
            ends = _end_points(geom)
            if ends is None:
                continue
            first, last, last_index = ends
            touched = False
            for vertex, current, key in ((0, first, "node_id_1"),
                                         (last_index, last, "node_id_2")):
                target = ids.get(span[key])
                if target is not None and (current.x(), current.y()) != (target.x(), target.y()):
                    geom.moveVertex(target.x(), target.y(), vertex)
                    touched = True
            if touched:
                span_changes[span.id()] = geom

    def _follow_new_ids(self, fids: Set[int], span_changes: Dict[int, QgsGeometry],
                        notes: List[str]) -> None:
        """Span ends whose node id was edited move onto the pole now named."""
        for fid in fids:
            span = self.connections.getFeature(fid)
            if not span.isValid():
                continue
            geom = QgsGeometry(span_changes.get(fid, span.geometry()))
            ends = _end_points(geom)
            if ends is None:
                continue
            first, last, last_index = ends
            if span["node_id_1"] and span["node_id_1"] == span["node_id_2"]:
                notes.append(tr("Span {span} now connects pole {node} to itself; set another "
                                "pole in node_id_1 or node_id_2.").format(
                    span=span["kp_id"], node=span["node_id_1"]))
            touched = False
            for vertex, current, key in ((0, first, "node_id_1"),
                                         (last_index, last, "node_id_2")):
                target = self._node_point(span[key]) if span[key] else None
                if target is None:
                    if span[key]:
                        notes.append(tr("Span {span} refers to pole {node}, which is not in the "
                                        "nodes layer; its end was left where it is.").format(
                            span=span["kp_id"], node=span[key]))
                    continue
                if (current.x(), current.y()) != (target.x(), target.y()):
                    geom.moveVertex(target.x(), target.y(), vertex)
                    touched = True
            if touched:
                span_changes[fid] = geom

    def _node_near(self, point: QgsPointXY) -> Optional[Tuple[str, QgsPointXY]]:
        """The node within ATTACH_TOLERANCE_M of ``point`` (connections CRS), nearest first."""
        to_nodes = self._transform(self.connections, self.nodes)
        p = to_nodes.transform(point)
        radius = ATTACH_TOLERANCE_M * (1e-5 if self.nodes.crs().isGeographic() else 1.0)
        rect = QgsRectangle(p.x() - radius, p.y() - radius, p.x() + radius, p.y() + radius)
        best = None
        back = self._transform(self.nodes, self.connections)
        for feat in self.nodes.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
            if not feat.hasGeometry() or not feat["kp_id"]:
                continue
            q = back.transform(feat.geometry().asPoint())
            d = geo.geodesic_distance_m(self._wgs(self.connections, point),
                                        self._wgs(self.connections, q))
            if d <= ATTACH_TOLERANCE_M and (best is None or d < best[0]):
                best = (d, feat["kp_id"], q)
        return (best[1], best[2]) if best else None

    def _check_span_ends(self, fids: Set[int], span_changes: Dict[int, QgsGeometry],
                         attr_changes: Dict[int, Dict[str, str]], notes: List[str]) -> None:
        for fid in fids:
            span = self.connections.getFeature(fid)
            if not span.isValid():
                continue
            geom = QgsGeometry(span.geometry())
            ends = _end_points(geom)
            if ends is None:
                continue
            first, last, last_index = ends
            touched = False
            for vertex, current, key, other_key in ((0, first, "node_id_1", "node_id_2"),
                                                    (last_index, last, "node_id_2", "node_id_1")):
                own = self._node_point(span[key])
                if own is None or not self._far(current, own, GLUE_TOLERANCE_M):
                    continue
                near = self._node_near(current)
                if near is not None and near[0] != span[key] and near[0] != span[other_key]:
                    attr_changes.setdefault(fid, {})[key] = near[0]
                    geom.moveVertex(near[1].x(), near[1].y(), vertex)
                    notes.append(tr("Span {span} now ends on pole {node}.").format(
                        span=span["kp_id"], node=near[0]))
                elif near is not None and near[0] == span[other_key]:
                    geom.moveVertex(own.x(), own.y(), vertex)
                    notes.append(tr("Span {span} cannot connect a pole to itself; its end was "
                                    "put back on pole {node}.").format(span=span["kp_id"],
                                                                       node=span[key]))
                else:
                    geom.moveVertex(own.x(), own.y(), vertex)
                    notes.append(tr("Span ends stay on their poles: span {span} was put back on "
                                    "pole {node}. Drag the end onto another pole to re-attach "
                                    "it.").format(span=span["kp_id"], node=span[key]))
                touched = True
            if touched:
                span_changes[fid] = geom

    def _spans_of_deleted_nodes(self, deleted: Dict[int, str]) -> Dict[int, str]:
        gone = [kp for kp in deleted.values() if self._node_point(kp) is None]
        spans = {f.id(): f["kp_id"] for f in self._spans_touching(gone)}
        if not spans:
            return {}
        sections = self._sections_of(list(spans.values()))
        if self.confirm_delete(gone, len(spans), len(sections)):
            return spans
        note = tr("{n} span(s) still reference deleted pole(s) {ids}; Push will report them "
                  "until they are deleted or re-attached.").format(n=len(spans),
                                                                   ids=", ".join(gone))
        log(note, Qgis.Warning)
        self.message.emit(note, int(Qgis.Warning))
        return {}

    def _sections_of(self, span_ids: Sequence[str]) -> List[int]:
        fids: Set[int] = set()
        for span_id in span_ids:
            if span_id:
                fids |= self._sections_by_span.get(str(span_id), set())
        return sorted(fids)

    def _section_moves(self, span_changes: Dict[int, QgsGeometry]) -> Dict[int, QgsGeometry]:
        if self.sections is None or not span_changes:
            return {}
        moves: Dict[int, QgsGeometry] = {}
        by_id = {}
        for fid, new_geom in span_changes.items():
            old = self._span_geoms.get(fid)
            kp = self._span_ids.get(fid) or self.connections.getFeature(fid)["kp_id"]
            if old is not None and kp:
                by_id[kp] = (old, new_geom)
        if not by_id:
            return {}
        to_wgs = self._transform(self.connections, None)
        sec_to_wgs = self._transform(self.sections, None)
        from_wgs = QgsCoordinateTransform(WGS84, self.sections.crs(), QgsProject.instance())
        fids = self._sections_of(list(by_id))
        if not fids:
            return {}
        for sec in self.sections.getFeatures(QgsFeatureRequest().setFilterFids(fids)):
            if not sec.hasGeometry():
                continue
            if sec["connection_id"] not in by_id:
                continue
            old, new = by_id[sec["connection_id"]]
            old_ll = [(p.x(), p.y()) for p in map(to_wgs.transform, _line_coords(old))]
            new_ll = [(p.x(), p.y()) for p in map(to_wgs.transform, _line_coords(new))]
            here = sec_to_wgs.transform(sec.geometry().asPoint())
            if len(old_ll) == len(new_ll):
                # same vertices moved: same segment, same place along it
                index, t = geo.segment_position(old_ll, (here.x(), here.y()))
                lon, lat = geo.point_on_segment(new_ll, index, t)
            else:
                fraction = geo.fraction_along(old_ll, (here.x(), here.y()))
                lon, lat = geo.point_at_fraction(new_ll, fraction)
            moves[sec.id()] = QgsGeometry.fromPointXY(from_wgs.transform(QgsPointXY(lon, lat)))
        return moves

    def _apply(self, layer: Optional[QgsVectorLayer], text: str,
               members: List[Tuple[QgsVectorLayer, int]],
               geometries: Optional[Dict[int, QgsGeometry]] = None,
               attributes: Optional[Dict[int, Dict[str, str]]] = None,
               deletions: Optional[Sequence[int]] = None) -> None:
        geometries, attributes, deletions = geometries or {}, attributes or {}, deletions or []
        if layer is None or not (geometries or attributes or deletions):
            return
        if not layer.isEditable() and not layer.startEditing():
            note = tr("Layer '{name}' cannot be edited, so its features could not follow the "
                      "change; make it editable and move the pole again.").format(
                name=layer.name())
            log(note, Qgis.Warning)
            self.message.emit(note, int(Qgis.Warning))
            return
        layer.beginEditCommand(text)
        for fid, geom in geometries.items():
            if fid not in deletions:
                layer.changeGeometry(fid, geom)
        for fid, values in attributes.items():
            for name, value in values.items():
                layer.changeAttributeValue(fid, layer.fields().indexFromName(name), value)
        for fid in deletions:
            layer.deleteFeature(fid)
        layer.endEditCommand()
        members.append((layer, self.linker.top_address(layer)))


# --------------------------------------------------------------------------- project wiring
class TopologyManager(QObject):
    """Creates a :class:`TopologyKeeper` for every Katapult job loaded in a project."""

    message = pyqtSignal(str, int)

    def __init__(self, project: Optional[QgsProject] = None,
                 confirm_delete: Optional[ConfirmDelete] = None,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.confirm_delete = confirm_delete
        self.keepers: Dict[Tuple[str, str, str], TopologyKeeper] = {}
        self.project.layersAdded.connect(self.refresh)
        self.project.layersWillBeRemoved.connect(self._layers_leaving)
        self.project.layersRemoved.connect(self.refresh)
        self.refresh()

    def _layers_leaving(self, layer_ids) -> None:
        """Detach keepers before their layers are deleted."""
        self.refresh(leaving=set(layer_ids))

    def refresh(self, *_args, leaving: Optional[Set[str]] = None) -> None:
        """Attach keepers to complete jobs; detach those whose layers went away."""
        leaving = leaving or set()
        jobs: Dict[str, Dict[str, QgsVectorLayer]] = {}
        for layer in self.project.mapLayers().values():
            if not isinstance(layer, QgsVectorLayer) or layer.id() in leaving:
                continue
            kind = layer.customProperty(KIND_PROPERTY)
            if kind in ("node", "connection", "section"):
                jobs.setdefault(str(layer.customProperty(JOB_PROPERTY, "")), {}).setdefault(
                    kind, layer)
        wanted = {}
        for kinds in jobs.values():
            if "node" in kinds and "connection" in kinds:
                sec = kinds.get("section")
                key = (kinds["node"].id(), kinds["connection"].id(), sec.id() if sec else "")
                wanted[key] = kinds
        for key in list(self.keepers):
            if key not in wanted:
                self.keepers.pop(key).detach()
        for key, kinds in wanted.items():
            if key not in self.keepers:
                keeper = TopologyKeeper(kinds["node"], kinds["connection"], kinds.get("section"),
                                        confirm_delete=self.confirm_delete, parent=self)
                keeper.message.connect(self.message)
                self.keepers[key] = keeper

    def stop(self) -> None:
        """Detach every keeper and stop watching the project."""
        for keeper in self.keepers.values():
            keeper.detach()
        self.keepers.clear()
        for signal, slot in ((self.project.layersAdded, self.refresh),
                             (self.project.layersRemoved, self.refresh),
                             (self.project.layersWillBeRemoved, self._layers_leaving)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
