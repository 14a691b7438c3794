"""A larger view of one photo (opened by double-clicking a thumbnail in the photo dock)."""

from __future__ import annotations

from typing import Any, Optional

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QImage, QPixmap
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..photos.index import PhotoEntry

#: Size variant fetched for the viewer (the API's ``file_size``).
VIEW_SIZE = "large"
VIEW_PIXELS = 1600


def tr(text: str) -> str:
    return QCoreApplication.translate("PhotoViewer", text)


class PhotoViewer(QDialog):
    """Shows the ``large`` variant, fetched off the GUI thread and cached like thumbnails."""

    def __init__(
        self,
        backend: Any,
        job_id: str,
        photo_id: str,
        entry: Optional[PhotoEntry] = None,
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self.photo_id = photo_id
        self.image: Optional[QImage] = None
        title = entry.filename if entry is not None else photo_id
        self.setWindowTitle(tr("Photo {name}").format(name=title))
        layout = QVBoxLayout(self)
        info = [title]
        if entry is not None:
            if entry.is_main:
                info.append("★ " + tr("main photo"))
            if entry.date_taken_text:
                info.append(tr("taken {d} UTC").format(d=entry.date_taken_text))
            if entry.camera:
                info.append(entry.camera)
        info.append(tr("id {id}").format(id=photo_id))
        self.info = QLabel(" · ".join(info), self)
        self.info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.label = QLabel(tr("Loading…"), self)
        self.label.setAlignment(Qt.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.label)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 700)
        backend.thumbnail(
            job_id, photo_id, VIEW_SIZE, self._ready, self._failed, max_pixels=VIEW_PIXELS
        )

    def _ready(self, _photo_id: str, image: QImage) -> None:
        self.image = image
        self._fit()

    def _failed(self, _photo_id: str, message: str) -> None:
        self.label.setText(tr("The photo could not be loaded: {m}").format(m=message))

    def _fit(self) -> None:
        if self.image is None:
            return
        box = self.label.parentWidget().size() if self.label.parentWidget() else self.size()
        pixmap = QPixmap.fromImage(self.image)
        if pixmap.width() > box.width() or pixmap.height() > box.height():
            pixmap = pixmap.scaled(box, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        self.label.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()
