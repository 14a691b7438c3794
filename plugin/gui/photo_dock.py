"""The photo dock: the photos of the selected pole or midspan, with association actions.

Select exactly one feature on a Katapult ``nodes`` or ``sections`` layer and
the dock lists that item's photos (from the job's snapshot in the GeoPackage)
as thumbnails with file name, date taken and camera; the main photo is
starred. Thumbnails are fetched through the signed-URL route by the plugin's
background worker and cached on disk; nothing network-bound runs on the GUI
thread. Dropping JPEG files on the dock uploads them (exactly once, through
the job's journal) to the item, as main, or to the job only.
"""

from __future__ import annotations

import math
import os
from typing import Any, Optional

from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..layers.project import PROP_JOB, PROP_KIND, layer_gpkg
from ..photos.actions import ItemRef, PhotoActions
from ..photos.batch import check_files, execute_batch, prepare_batch
from ..photos.index import PhotoEntry, format_date_taken
from ..photos.planning import BatchPlan, UploadTarget
from ..photos.store import PhotoStore
from ..photos.uploader import UploadReport

KIND_PROPERTY = PROP_KIND
JOB_PROPERTY = PROP_JOB
ID_FIELD = "kp_id"
CONNECTION_FIELD = "connection_id"
PHOTOS_FIELD = "kp_photos"
THUMB_SIZE = "small"
ICON_PIXELS = 120
ROLE_PHOTO_ID = Qt.UserRole + 1
ROLE_MAIN = Qt.UserRole + 2

DROP_TRUE, DROP_MAIN, DROP_JOB = "true", "main", "job"


def tr(text: str) -> str:
    return QCoreApplication.translate("PhotoDock", text)


def gpkg_of(layer: QgsVectorLayer) -> str:
    """The job GeoPackage behind a job layer (``katapult/gpkg``; "" when there is none)."""
    return layer_gpkg(layer) or ""


def placeholder_icon(text: str = "…") -> QIcon:
    """A grey square shown until the thumbnail arrives."""
    pixmap = QPixmap(ICON_PIXELS, ICON_PIXELS)
    pixmap.fill(QColor("#d9d9d9"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#707070"))
    painter.drawText(pixmap.rect(), Qt.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class ItemContext:
    """The item the dock shows: layer facts plus the item reference."""

    def __init__(self, item: ItemRef, gpkg_path: str, job_id: str, label: str = "") -> None:
        self.item = item
        self.gpkg_path = gpkg_path
        self.job_id = job_id
        self.label = label or item.item_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ItemContext) and (self.item, self.gpkg_path) == (
            other.item,
            other.gpkg_path,
        )


class PhotoListWidget(QListWidget):
    """Icon grid of photos; file drops are handled by the dock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.IconMode)
        self.setIconSize(QSize(ICON_PIXELS, ICON_PIXELS))
        self.setGridSize(QSize(ICON_PIXELS + 48, ICON_PIXELS + 72))
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setDragDropMode(QAbstractItemView.NoDragDrop)
        self.setAcceptDrops(False)  # drops go to the dock


class PhotoDock(QgsDockWidget):
    """Dock listing the selected item's photos; ``backend`` is a :class:`PhotoBackend`."""

    #: emitted after the list was rebuilt (number of photos)
    refreshed = pyqtSignal(int)
    #: emitted when a thumbnail landed (photo id)
    thumbnailShown = pyqtSignal(str)
    #: emitted when an action or batch finished (message shown in the status line)
    finished = pyqtSignal(str)

    def __init__(self, iface: Any, backend: Any, parent: QWidget | None = None) -> None:
        super().__init__(tr("Katapult photos"), parent)
        self.setObjectName("KatapultPhotoDock")
        self.iface = iface
        self.backend = backend
        self.context: Optional[ItemContext] = None
        self._watched: set[str] = set()  # layer ids whose selection we follow
        self._images: dict[str, QImage] = {}
        self._busy = False
        self._build()
        self.setAcceptDrops(True)
        backend.uploadProgress.connect(self._on_upload_progress)
        QgsProject.instance().layersAdded.connect(self._watch_layers)
        QgsProject.instance().layersWillBeRemoved.connect(self._forget_layers)
        self._watch_layers()

    def unload(self) -> None:
        """Disconnect from the project and the layers (plugin unload)."""
        project = QgsProject.instance()
        for signal, slot in (
            (project.layersAdded, self._watch_layers),
            (project.layersWillBeRemoved, self._forget_layers),
        ):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        for layer_id in list(self._watched):
            layer = project.mapLayer(layer_id)
            if layer is not None:
                try:
                    layer.selectionChanged.disconnect(self._on_selection_changed)
                except (TypeError, RuntimeError):
                    pass
        self._watched.clear()

    # -- layout -----------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel(tr("Select one pole or midspan on a Katapult layer."), body)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)

        bar = QHBoxLayout()
        self.main_button = self._tool(
            tr("Set main"),
            tr("Make the selected photo the item's main photo"),
            self.set_main_selected,
        )
        self.associate_button = self._tool(
            tr("Associate…"), tr("Attach an existing photo of the job"), self.associate_existing
        )
        self.unassociate_button = self._tool(
            tr("Unassociate"),
            tr("Detach the selected photo from this item (it stays in the job)"),
            self.unassociate_selected,
        )
        self.move_button = self._tool(
            tr("Move…"), tr("Move the selected photo to another item"), self.move_selected
        )
        self.upload_button = self._tool(
            tr("Upload…"), tr("Upload JPEG files (or drop them on this panel)"), self.upload_dialog
        )
        self.import_button = self._tool(
            tr("Import folder…"),
            tr("Match a folder of photos to poles by GPS and time, review, then upload"),
            self.open_import,
        )
        for button in (
            self.main_button,
            self.associate_button,
            self.unassociate_button,
            self.move_button,
            self.upload_button,
            self.import_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.list = PhotoListWidget(body)
        self.list.itemDoubleClicked.connect(self.open_viewer)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.list, 1)

        drop_row = QHBoxLayout()
        drop_row.addWidget(QLabel(tr("Dropped files go:"), body))
        self.drop_mode = QComboBox(body)
        self.drop_mode.addItem(tr("to the selected item"), DROP_TRUE)
        self.drop_mode.addItem(tr("to the selected item, as main photo"), DROP_MAIN)
        self.drop_mode.addItem(tr("to the job only (no item)"), DROP_JOB)
        drop_row.addWidget(self.drop_mode, 1)
        layout.addLayout(drop_row)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar(body)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("Cancel"), body)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_batch)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)

        self.status = QPlainTextEdit(body)
        self.status.setReadOnly(True)
        self.status.setMaximumHeight(90)
        self.status.setPlaceholderText(tr("Messages about uploads and actions appear here."))
        layout.addWidget(self.status)
        self.setWidget(body)
        self._update_buttons()

    def _tool(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _update_buttons(self) -> None:
        has_item = self.context is not None and not self._busy
        selected = self.selected_photo_id() is not None and has_item
        self.main_button.setEnabled(selected)
        self.unassociate_button.setEnabled(selected)
        self.move_button.setEnabled(selected)
        self.associate_button.setEnabled(has_item)
        self.upload_button.setEnabled(self.context is not None and not self._busy)
        self.import_button.setEnabled(self.context is not None and not self._busy)

    def say(self, line: str) -> None:
        """Append one line to the status box."""
        self.status.appendPlainText(line)

    # -- following the selection ------------------------------------------
    def _watch_layers(self, _layers: Any = None) -> None:
        for layer in QgsProject.instance().mapLayers().values():
            if not isinstance(layer, QgsVectorLayer) or layer.id() in self._watched:
                continue
            if layer.customProperty(KIND_PROPERTY) in ("node", "section"):
                layer.selectionChanged.connect(self._on_selection_changed)
                self._watched.add(layer.id())

    def _forget_layers(self, layer_ids: list) -> None:
        self._watched.difference_update(layer_ids)
        if self.context is not None and any(
            QgsProject.instance().mapLayer(i) is not None
            and gpkg_of(QgsProject.instance().mapLayer(i)) == self.context.gpkg_path
            for i in layer_ids
        ):
            self.context = None
            self.title.setText(tr("Select one pole or midspan on a Katapult layer."))
            self.refresh()

    def _on_selection_changed(self, *_args: Any) -> None:
        layer = self.sender()
        if isinstance(layer, QgsVectorLayer):
            self.follow_selection(layer)

    def follow_selection(self, layer: QgsVectorLayer) -> None:
        """Show the item selected on ``layer`` (exactly one feature), else a hint."""
        feats = layer.selectedFeatures()
        if len(feats) != 1:
            if len(feats) > 1:
                self.title.setText(
                    tr("{n} features selected: select exactly one pole or midspan.").format(
                        n=len(feats)
                    )
                )
            return
        feature = feats[0]
        kind = layer.customProperty(KIND_PROPERTY)
        names = feature.fields().names()
        item_id = feature[ID_FIELD] if ID_FIELD in names else None
        if not item_id:
            self.title.setText(tr("This feature has no Katapult id yet (push it first)."))
            return
        connection = (
            feature[CONNECTION_FIELD] if kind == "section" and CONNECTION_FIELD in names else None
        )
        if not gpkg_of(layer):
            self.title.setText(
                tr("This layer is not part of a downloaded job GeoPackage; open the job again.")
            )
            return
        self.show_item(
            ItemRef(kind, str(item_id), str(connection) if connection else None),
            gpkg_of(layer),
            str(layer.customProperty(JOB_PROPERTY) or ""),
        )

    def show_item(self, item: ItemRef, gpkg_path: str, job_id: str) -> None:
        """Show ``item`` of the job in ``gpkg_path`` (the map selection calls this)."""
        store = open_store(gpkg_path)
        label = store.item_label(item.kind, item.item_id, item.connection_id)
        self.context = ItemContext(item, gpkg_path, job_id, label)
        self.refresh()

    # -- the list -----------------------------------------------------------
    def entries(self) -> list[PhotoEntry]:
        if self.context is None:
            return []
        store = PhotoStore(self.context.gpkg_path)
        return store.photos_for(
            self.context.item.kind, self.context.item.item_id, self.context.item.connection_id
        )

    def refresh(self) -> None:
        """Rebuild the thumbnails from the snapshot (thumbnails come in asynchronously)."""
        ctx = self.context
        self.list.clear()
        if ctx is None:
            self._update_buttons()
            return
        entries = self.entries()
        kind_text = tr("Pole/node") if ctx.item.kind == "node" else tr("Midspan")
        self.title.setText(
            tr("{kind} {label}: {n} photo(s)").format(
                kind=kind_text, label=ctx.label, n=len(entries)
            )
        )
        for entry in entries:
            item = QListWidgetItem(self._caption(entry))
            item.setData(ROLE_PHOTO_ID, entry.photo_id)
            item.setData(ROLE_MAIN, entry.is_main)
            item.setToolTip(self._tooltip(entry))
            image = self._images.get(entry.photo_id)
            item.setIcon(
                QIcon(QPixmap.fromImage(image)) if image is not None else placeholder_icon()
            )
            if entry.is_main:
                item.setBackground(QBrush(QColor("#ffe680")))
            self.list.addItem(item)
            if image is None and entry.known:
                self.backend.thumbnail(
                    ctx.job_id, entry.photo_id, THUMB_SIZE, self._thumb_ready, self._thumb_failed
                )
        self._update_buttons()
        self._show_count_on_layer(len(entries))
        self.refreshed.emit(len(entries))

    def _show_count_on_layer(self, count: int) -> None:
        """Keep the item's ``kp_photos`` display field in step (display only, not planned)."""
        ctx = self.context
        if ctx is None:
            return
        for layer in QgsProject.instance().mapLayers().values():
            if (
                not isinstance(layer, QgsVectorLayer)
                or layer.customProperty(KIND_PROPERTY) != ctx.item.kind
                or str(layer.customProperty(JOB_PROPERTY) or "") != ctx.job_id
                or gpkg_of(layer) != ctx.gpkg_path
            ):
                continue
            fields = layer.fields()
            idx, id_idx = fields.indexOf(PHOTOS_FIELD), fields.indexOf(ID_FIELD)
            cid_idx = fields.indexOf(CONNECTION_FIELD)
            if idx < 0 or id_idx < 0:
                continue
            value = ctx.item.item_id.replace("'", "''")
            expression = f"\"{ID_FIELD}\" = '{value}'"
            if ctx.item.kind == "section" and cid_idx >= 0 and ctx.item.connection_id:
                conn = ctx.item.connection_id.replace("'", "''")
                expression += f" AND \"{CONNECTION_FIELD}\" = '{conn}'"
            request = QgsFeatureRequest().setFilterExpression(expression)
            request.setFlags(QgsFeatureRequest.NoGeometry)
            changes = {f.id(): {idx: count} for f in layer.getFeatures(request) if f[idx] != count}
            if changes:
                layer.dataProvider().changeAttributeValues(changes)
                layer.triggerRepaint()

    @staticmethod
    def _caption(entry: PhotoEntry) -> str:
        lines = ["★ " + tr("MAIN") + " ★"] if entry.is_main else []
        lines.append(entry.filename)
        lines.append(entry.date_taken_text or tr("date unknown"))
        if entry.camera:
            lines.append(entry.camera)
        return "\n".join(lines)

    @staticmethod
    def _tooltip(entry: PhotoEntry) -> str:
        rec = entry.record
        parts = [entry.filename, tr("id: {id}").format(id=entry.photo_id)]
        if not entry.known:
            parts.append(tr("not in the job's photo list (pull the job to refresh)"))
        if rec.get("image_width") and rec.get("image_height"):
            parts.append(f"{rec['image_width']} × {rec['image_height']} px")
        if rec.get("upload_date"):
            parts.append(tr("uploaded {d}").format(d=format_date_taken(rec.get("upload_date"))))
        return "\n".join(parts)

    def _find(self, photo_id: str) -> Optional[QListWidgetItem]:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ROLE_PHOTO_ID) == photo_id:
                return item
        return None

    def _thumb_ready(self, photo_id: str, image: QImage) -> None:
        self._images[photo_id] = image
        item = self._find(photo_id)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))
        self.thumbnailShown.emit(photo_id)

    def _thumb_failed(self, photo_id: str, message: str) -> None:
        item = self._find(photo_id)
        if item is not None:
            item.setIcon(placeholder_icon("!"))
            item.setToolTip(
                item.toolTip() + "\n" + tr("thumbnail not available: {m}").format(m=message)
            )

    def selected_photo_id(self) -> Optional[str]:
        items = self.list.selectedItems()
        return items[0].data(ROLE_PHOTO_ID) if items else None

    def select_photo(self, photo_id: str) -> bool:
        item = self._find(photo_id)
        if item is not None:
            self.list.setCurrentItem(item)
        return item is not None

    def open_viewer(self, item: QListWidgetItem | None = None) -> None:
        """Double-click: a larger view of the photo."""
        from .photo_viewer import PhotoViewer  # noqa: PLC0415

        photo_id = item.data(ROLE_PHOTO_ID) if item is not None else self.selected_photo_id()
        if not photo_id or self.context is None:
            return
        entry = next((e for e in self.entries() if e.photo_id == photo_id), None)
        viewer = PhotoViewer(self.backend, self.context.job_id, photo_id, entry, self)
        viewer.show()
        self._viewer = viewer

    # -- actions --------------------------------------------------------------
    def _run_action(self, what: str, fn, done_text: str) -> None:
        ctx = self.context
        if ctx is None:
            return
        self._busy = True
        self._update_buttons()

        def work(client: Any, cancel: Any) -> Any:
            store = PhotoStore(ctx.gpkg_path)
            return fn(PhotoActions(client, ctx.job_id, store), cancel)

        def ok(_result: Any) -> None:
            self._busy = False
            self.say(done_text)
            self.refresh()
            self.finished.emit(done_text)

        def failed(message: str) -> None:
            self._busy = False
            text = tr("{what} failed: {message}").format(what=what, message=message)
            self.say(text)
            self.refresh()
            self.finished.emit(text)

        self.backend.call(work, ok, failed)

    def set_main_selected(self) -> None:
        photo_id, ctx = self.selected_photo_id(), self.context
        if photo_id and ctx:
            self._run_action(
                tr("Set main"),
                lambda a, c: a.set_main(photo_id, ctx.item, c),
                tr("{p} is now the main photo of {item}.").format(p=photo_id, item=ctx.label),
            )

    def unassociate_selected(self) -> None:
        photo_id, ctx = self.selected_photo_id(), self.context
        if photo_id and ctx:
            self._images.pop(photo_id, None)
            self._run_action(
                tr("Unassociate"),
                lambda a, c: a.unassociate(photo_id, ctx.item, c),
                tr("{p} detached from {item} (still in the job).").format(
                    p=photo_id, item=ctx.label
                ),
            )

    def associate_existing(self, photo_id: str | None = None, main: bool | None = None) -> None:
        """Pick a job photo (unassociated ones first) and attach it to the item."""
        ctx = self.context
        if ctx is None:
            return
        if photo_id is None:
            store = PhotoStore(ctx.gpkg_path)
            rows = store.picker((ctx.item.kind, ctx.item.item_id, ctx.item.connection_id))
            dialog = PhotoPickerDialog(rows, self)
            if dialog.exec_() != QDialog.Accepted or not dialog.photo_id():
                return
            photo_id, main = dialog.photo_id(), dialog.as_main.isChecked()
        self._run_action(
            tr("Associate"),
            lambda a, c: a.associate(photo_id, ctx.item, bool(main), c),
            tr("{p} attached to {item}.").format(p=photo_id, item=ctx.label),
        )

    def move_selected(self, target: ItemRef | None = None) -> None:
        """Move the selected photo to another item (nearest items offered first)."""
        photo_id, ctx = self.selected_photo_id(), self.context
        if not photo_id or ctx is None:
            return
        if target is None:
            target = self._ask_target(ctx)
            if target is None:
                return
        self._images.pop(photo_id, None)
        self._run_action(
            tr("Move"),
            lambda a, c: a.move(photo_id, ctx.item, target, c),
            tr("{p} moved to {t}.").format(p=photo_id, t=target.item_id),
        )

    def _ask_target(self, ctx: ItemContext) -> Optional[ItemRef]:
        store = PhotoStore(ctx.gpkg_path)
        here = store.item(ctx.item.kind, ctx.item.item_id, ctx.item.connection_id) or {}
        options = []
        for cand in store.node_candidates():
            if ctx.item.kind == "node" and cand.item_id == ctx.item.item_id:
                continue
            options.append(
                (
                    _rough_distance(here, cand.lat, cand.lon),
                    cand.label,
                    ItemRef("node", cand.item_id),
                )
            )
        for (conn, sid), sec in store.journal.base_all("section").items():
            if ctx.item.kind == "section" and (conn, sid) == (
                ctx.item.connection_id,
                ctx.item.item_id,
            ):
                continue
            options.append(
                (
                    _rough_distance(here, sec.get("latitude"), sec.get("longitude")),
                    store.item_label("section", sid, conn),
                    ItemRef("section", sid, conn),
                )
            )
        options.sort(key=lambda o: o[0])
        labels = [
            f"{label}  ({dist:.0f} m)" if math.isfinite(dist) else label
            for dist, label, _ref in options
        ]
        if not labels:
            QMessageBox.information(self, tr("Move photo"), tr("This job has no other item."))
            return None
        choice, ok = QInputDialog.getItem(
            self, tr("Move photo"), tr("Move the photo to (nearest first):"), labels, 0, False
        )
        if not ok:
            return None
        return options[labels.index(choice)][2]

    # -- uploads ---------------------------------------------------------------
    def upload_dialog(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            tr("Upload photos"),
            "",
            tr("JPEG images (*.jpg *.jpeg *.JPG *.JPEG);;All files (*)"),
        )
        if paths:
            self.upload_files(paths, self.drop_mode.currentData())

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files = [p for p in paths if os.path.isfile(p)]
        for path in sorted(set(paths) - set(files)):
            self.say(
                tr("{name}: not a file (folders: use Import folder…); skipped.").format(
                    name=os.path.basename(path) or path
                )
            )
        if files:
            event.acceptProposedAction()
            self.upload_files(files, self.drop_mode.currentData())

    def target_for(self, mode: str) -> UploadTarget:
        ctx = self.context
        if mode == DROP_JOB or ctx is None:
            return UploadTarget.job()
        return UploadTarget(
            ctx.item.kind, ctx.item.item_id, ctx.item.connection_id, mode, ctx.label
        )

    def upload_files(self, paths: list[str], mode: str = DROP_TRUE, confirm: bool = True) -> None:
        """Check every file by content (off the GUI thread), show the plan, then upload."""
        ctx = self.context
        if ctx is None:
            self.say(tr("Select a pole or midspan first."))
            return
        target = self.target_for(mode)
        paths = list(paths)
        self._set_busy(True, tr("Checking {n} file(s)…").format(n=len(paths)))

        def plan(client: Any, cancel: Any) -> BatchPlan:
            checks = check_files(paths)
            governor = getattr(client, "governor", None)
            return prepare_batch(
                checks,
                {c.path: target for c in checks if c.ok},
                ctx.gpkg_path,
                ctx.job_id,
                governor.estimate_seconds if governor is not None else None,
            )

        self.backend.call(plan, lambda p: self.start_batch(p, ctx, confirm), self._batch_failed)

    def start_batch(
        self, plan: BatchPlan, ctx: ItemContext | None = None, confirm: bool = True
    ) -> None:
        """Report refusals, confirm a large batch (tokens and time), then upload in the worker."""
        ctx = ctx or self.context
        for _path, message in plan.refused:
            self.say(message)
        for warning in plan.warnings:
            self.say(warning)
        for _path, reason in plan.skipped:
            self.say(reason)
        if not plan.call_count:
            self._set_busy(False)
            text = tr("Nothing to upload.") + " " + plan.summary()
            self.say(text)
            self.finished.emit(text)
            return
        if confirm and plan.is_large:
            answer = QMessageBox.question(
                self,
                tr("Upload photos"),
                plan.summary() + "\n\n" + tr("Start the upload?"),
                QMessageBox.Yes | QMessageBox.No,
                QMessageBox.Yes,
            )
            if answer != QMessageBox.Yes:
                self._set_busy(False)
                self.say(tr("Upload not started."))
                return
        self.say(plan.summary())
        token = self.backend.new_batch_token()
        progress = self.backend.uploadProgress
        self.progress.setRange(0, plan.call_count)
        self.progress.setValue(0)
        self._set_busy(True, "", show_progress=True)

        def run(client: Any, _cancel: Any) -> UploadReport:
            return execute_batch(
                client,
                ctx.gpkg_path,
                ctx.job_id,
                plan,
                cancel=token,
                on_progress=lambda d, t, n: progress.emit(d, t, n),
            )

        self.backend.call(run, self._batch_done, self._batch_failed, lane="bulk")

    def _on_upload_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {name}")

    def cancel_batch(self) -> None:
        self.backend.cancel_batch()
        self.say(tr("Cancelling after the photo in flight…"))

    def _batch_done(self, report: UploadReport) -> None:
        self._set_busy(False)
        for name, pid in report.uploaded:
            self.say(tr("{name}: uploaded as {pid}").format(name=name, pid=pid))
        for name, pid in report.adopted:
            self.say(
                tr("{name}: already on the server as {pid} (not sent again)").format(
                    name=name, pid=pid
                )
            )
        for name, message in report.failed:
            self.say(tr("{name}: refused by the server: {m}").format(name=name, m=message))
        for name, message in report.unresolved:
            self.say(
                tr("{name}: not confirmed ({m}); run the upload again to finish").format(
                    name=name, m=message
                )
            )
        summary = tr("{n} uploaded, {f} failed").format(
            n=len(report.uploaded) + len(report.adopted), f=len(report.failed)
        )
        if report.cancelled:
            summary += tr("; cancelled (run it again to upload the rest, nothing is sent twice)")
        self.say(summary + ".")
        self.refresh()
        self.finished.emit(summary)

    def _batch_failed(self, message: str) -> None:
        self._set_busy(False)
        text = tr("Upload failed: {m}").format(m=message)
        self.say(text)
        self.finished.emit(text)

    def _set_busy(self, busy: bool, text: str = "", show_progress: bool = False) -> None:
        self._busy = busy
        self.progress.setVisible(busy and show_progress)
        self.cancel_button.setVisible(busy and show_progress)
        if text:
            self.say(text)
        self._update_buttons()

    def open_import(self) -> None:
        from .photo_import_dialog import PhotoImportDialog  # noqa: PLC0415

        ctx = self.context
        if ctx is None:
            return
        dialog = PhotoImportDialog(self.backend, ctx.gpkg_path, ctx.job_id, self)
        dialog.uploaded.connect(lambda _r: self.refresh())
        dialog.show()
        self._import_dialog = dialog

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)


def open_store(gpkg_path: str) -> PhotoStore:
    """The job's :class:`PhotoStore` (the journal never changes the file's journal mode, so
    QGIS's connections to the job's layers stay valid: nothing to reload)."""
    return PhotoStore(gpkg_path)


def _rough_distance(here: dict, lat: Any, lon: Any) -> float:
    try:
        lat0, lon0 = float(here.get("latitude")), float(here.get("longitude"))
        lat1, lon1 = float(lat), float(lon)
    except (TypeError, ValueError):
        return math.inf
    dx = (lon1 - lon0) * 111_320.0 * math.cos(math.radians(lat0))
    dy = (lat1 - lat0) * 111_320.0
    return math.hypot(dx, dy)


class PhotoPickerDialog(QDialog):
    """Choose an existing job photo; unassociated photos are listed first."""

    def __init__(self, rows: list[tuple[dict, bool]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Associate a photo of the job"))
        layout = QVBoxLayout(self)
        unassociated = sum(1 for _r, used in rows if not used)
        layout.addWidget(
            QLabel(
                tr("{n} photo(s) are not on any item; they are listed first.").format(
                    n=unassociated
                ),
                self,
            )
        )
        self.table = QTableWidget(len(rows), 4, self)
        self.table.setHorizontalHeaderLabels(
            [tr("File"), tr("Taken"), tr("Camera"), tr("On an item")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for row, (rec, used) in enumerate(rows):
            cells = [
                str(rec.get("filename") or rec.get("id")),
                format_date_taken(rec.get("date_taken")),
                " ".join(str(rec.get(k)) for k in ("camera_make", "camera_model") if rec.get(k)),
                tr("yes") if used else tr("no"),
            ]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.UserRole, rec.get("id"))
                self.table.setItem(row, col, cell)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        if rows:
            self.table.selectRow(0)
        layout.addWidget(self.table)
        self.as_main = QCheckBox(tr("as the main photo"), self)
        layout.addWidget(self.as_main)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def photo_id(self) -> Optional[str]:
        items = self.table.selectedItems()
        return items[0].data(Qt.UserRole) if items else None


def create_photo_dock(plugin: Any) -> PhotoDock:
    """DockSpec factory: the dock on the plugin's shared worker (created if none exists)."""
    from ..photos.backend import PhotoBackend  # noqa: PLC0415

    worker = getattr(plugin, "worker", None)
    if worker is None:
        from ..connection import make_client  # noqa: PLC0415
        from ..worker import SyncWorker  # noqa: PLC0415

        worker = SyncWorker(client_factory=make_client)
        plugin.worker = worker
        plugin.add_cleanup(worker.shutdown)
    backend = PhotoBackend(worker)
    dock = PhotoDock(plugin.iface, backend, plugin.iface.mainWindow())
    backend.setParent(dock)
    plugin.add_cleanup(dock.unload)
    return dock
