"""A canvas item painting each span's live length next to the rubber band."""
from __future__ import annotations

from typing import List, Tuple

from qgis.core import QgsPointXY
from qgis.gui import QgsMapCanvas, QgsMapCanvasItem
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

Label = Tuple[QgsPointXY, str, bool]


class SpanLabels(QgsMapCanvasItem):
    """Texts anchored at map points (canvas CRS); ``warn`` labels are drawn in red."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self._labels: List[Label] = []
        self.setZValue(1000)

    def set_labels(self, labels: List[Label]) -> None:
        """Replace the labels and repaint."""
        self.prepareGeometryChange()
        self._labels = list(labels)
        self.update()

    def texts(self) -> List[str]:
        """The label texts, in span order."""
        return [text for _, text, _ in self._labels]

    def updatePosition(self) -> None:  # noqa: D401 - Qt override
        """Labels are placed at paint time, the item covers the whole canvas."""
        self.setPos(0, 0)
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._canvas.width(), self._canvas.height())

    def paint(self, painter, option=None, widget=None) -> None:
        if not self._labels:
            return
        font = QFont()
        font.setPointSizeF(10)
        font.setBold(True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for point, text, warn in self._labels:
            pixel = self.toCanvasCoordinates(point)
            path = QPainterPath()
            path.addText(QPointF(pixel.x() + 6, pixel.y() - 6), font, text)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 3.5, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(200, 0, 0) if warn else QColor(20, 20, 20))
            painter.drawPath(path)
