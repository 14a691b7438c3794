"""Folder import: match a folder of JPEGs to poles, review, then upload exactly once.

Scanning (reading files, checking them by content, EXIF through
``QgsExifTools``, matching) and uploading run in the plugin's worker; the
dialog only shows the review table. Every photo gets a proposed item with its
evidence (distance, or the time window) and a confidence, or is listed as
unmatched with the reason; the user corrects any row before uploading.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from qgis.PyQt.QtCore import QCoreApplication, QSize, pyqtSignal
from qgis.PyQt.QtGui import QColor, QIcon, QImageReader, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..geo import geodesic_distance_m
from ..photos.batch import ScanRow, execute_batch, list_folder, prepare_batch, scan_for_import
from ..photos.matching import Candidate
from ..photos.planning import UPLOAD_COST, BatchPlan, UploadTarget, format_duration
from ..photos.store import PhotoStore
from ..photos.uploader import UploadReport

LEAVE_OUT = "__leave_out__"
JOB_ONLY = "__job_only__"
OTHER = "__other__"
COL_PHOTO, COL_ITEM, COL_EVIDENCE, COL_CONFIDENCE, COL_NOTE = range(5)
LEVEL_COLOURS = {"high": "#c8e6c9", "medium": "#fff3c4", "low": "#ffd8b0"}


def tr(text: str) -> str:
    return QCoreApplication.translate("PhotoImportDialog", text)


def _small_icon(path: str, pixels: int = 48):
    """A scaled QImage of a local JPEG (decoded at reduced size; runs in the worker)."""
    reader = QImageReader(path)
    size = reader.size()
    if size.isValid() and size.width() > 0 and size.height() > 0:
        scale = pixels / max(size.width(), size.height())
        reader.setScaledSize(
            QSize(max(1, int(size.width() * scale)), max(1, int(size.height() * scale)))
        )
    image = reader.read()
    return None if image.isNull() else image


class PhotoImportDialog(QDialog):
    """Scan → review → upload. ``backend`` is the dock's :class:`PhotoBackend`."""

    scanned = pyqtSignal(int)
    uploaded = pyqtSignal(object)

    def __init__(
        self, backend: Any, gpkg_path: str, job_id: str, parent: Optional[QWidget] = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.gpkg_path = gpkg_path
        self.job_id = job_id
        self.rows: list[ScanRow] = []
        self.candidates: dict[str, Candidate] = {}
        self.report: Optional[UploadReport] = None
        self.setWindowTitle(tr("Import a folder of photos"))
        self._build()
        self.resize(980, 640)

    # -- layout -------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText(tr("Folder with the photos of the field visit"))
        browse = QPushButton(tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.recursive = QCheckBox(tr("include subfolders"), self)
        grid.addWidget(QLabel(tr("Folder:"), self), 0, 0)
        grid.addWidget(self.folder, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(self.recursive, 0, 3)

        self.use_gps = QCheckBox(tr("Nearest node by GPS within"), self)
        self.use_gps.setChecked(True)
        self.distance = QSpinBox(self)
        self.distance.setRange(1, 500)
        self.distance.setValue(30)
        self.distance.setSuffix(" m")
        self.use_time = QCheckBox(tr("Node time buckets containing the capture time"), self)
        self.use_time.setChecked(True)
        self.clock = QDoubleSpinBox(self)
        self.clock.setRange(-14, 14)
        self.clock.setSingleStep(0.5)
        self.clock.setDecimals(1)
        self.clock.setPrefix(tr("camera clock UTC "))
        self.clock.setSuffix(" h")
        self.clock.setToolTip(
            tr("Used when the photo's EXIF has no time zone (OffsetTimeOriginal).")
        )
        self.association = QComboBox(self)
        self.association.addItem(tr("associate"), "true")
        self.association.addItem(tr("associate as main photo"), "main")
        grid.addWidget(self.use_gps, 1, 0)
        grid.addWidget(self.distance, 1, 1)
        grid.addWidget(self.use_time, 2, 0, 1, 2)
        grid.addWidget(self.clock, 2, 2)
        grid.addWidget(QLabel(tr("Matched photos:"), self), 1, 2)
        grid.addWidget(self.association, 1, 3)
        self.scan_button = QPushButton(tr("Scan and match"), self)
        self.scan_button.clicked.connect(self.scan)
        grid.addWidget(self.scan_button, 2, 3)
        layout.addLayout(grid)

        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [tr("Photo"), tr("Proposed item"), tr("Evidence"), tr("Confidence"), tr("Note")]
        )
        self.table.setIconSize(QSize(48, 48))
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_PHOTO, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COL_EVIDENCE, QHeaderView.Stretch)
        header.setSectionResizeMode(COL_CONFIDENCE, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeToContents)
        layout.addWidget(self.table, 1)

        self.unmatched = QLabel("", self)
        self.unmatched.setWordWrap(True)
        layout.addWidget(self.unmatched)
        self.summary = QLabel("", self)
        layout.addWidget(self.summary)

        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.backend.cancel_batch)
        self.upload_button = QPushButton(tr("Upload"), self)
        self.upload_button.setEnabled(False)
        self.upload_button.clicked.connect(lambda: self.upload())
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.reject)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        row.addWidget(self.upload_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(110)
        layout.addWidget(self.log)
        self.backend.uploadProgress.connect(self._progress)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, tr("Folder with photos"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def say(self, line: str) -> None:
        self.log.appendPlainText(line)

    # -- scanning -----------------------------------------------------------
    def scan(self) -> None:
        """Read, check and match every file of the folder in the worker, then fill the table."""
        folder = self.folder.text().strip()
        if not folder or not os.path.isdir(folder):
            QMessageBox.warning(self, self.windowTitle(), tr("Choose an existing folder first."))
            return
        self.scan_button.setEnabled(False)
        self.upload_button.setEnabled(False)
        self.say(tr("Scanning {folder}…").format(folder=folder))
        gpkg, recursive = self.gpkg_path, self.recursive.isChecked()
        options = {
            "max_distance_m": float(self.distance.value()),
            "use_gps": self.use_gps.isChecked(),
            "use_time": self.use_time.isChecked(),
            "clock_offset_minutes": int(round(self.clock.value() * 60)),
        }

        def work(_client: Any, cancel: Any):
            from ..photos.qgis_exif import read_exif_qgis  # noqa: PLC0415

            store = PhotoStore(gpkg)
            candidates = store.node_candidates()
            rows = scan_for_import(
                list_folder(folder, recursive),
                candidates,
                read_exif=read_exif_qgis,
                cancel=cancel,
                **options,
            )
            icons = {r.check.path: _small_icon(r.check.path) for r in rows if r.check.ok}
            return rows, candidates, icons

        self.backend.call(work, self._scanned, self._scan_failed)

    def _scan_failed(self, message: str) -> None:
        self.scan_button.setEnabled(True)
        self.say(tr("Scanning failed: {m}").format(m=message))

    def _scanned(self, result) -> None:
        rows, candidates, icons = result
        self.scan_button.setEnabled(True)
        self.rows = rows
        self.candidates = {c.item_id: c for c in candidates}
        self.table.setRowCount(len(rows))
        unmatched, refused = [], 0
        for index, row in enumerate(rows):
            name = os.path.basename(row.check.path)
            cell = QTableWidgetItem(name)
            image = icons.get(row.check.path)
            if image is not None:
                cell.setIcon(QIcon(QPixmap.fromImage(image)))
            cell.setToolTip(row.check.path)
            self.table.setItem(index, COL_PHOTO, cell)
            combo = QComboBox(self.table)
            if not row.check.ok:
                refused += 1
                combo.addItem(tr("— refused —"), LEAVE_OUT)
                combo.setEnabled(False)
                self._set_text(index, COL_EVIDENCE, row.check.error)
                self._set_text(index, COL_CONFIDENCE, "")
                self._set_text(index, COL_NOTE, tr("not uploaded"))
                self.say(row.check.error)
            else:
                self._fill_combo(combo, row)
                match = row.match
                self._set_text(index, COL_EVIDENCE, match.evidence if match else "")
                if match is not None and match.item_id:
                    conf = self._set_text(
                        index, COL_CONFIDENCE, f"{match.level} ({match.confidence:.2f})"
                    )
                    conf.setBackground(QColor(LEVEL_COLOURS[match.level]))
                else:
                    self._set_text(index, COL_CONFIDENCE, tr("no match"))
                    unmatched.append(name)
                self._set_text(index, COL_NOTE, " ".join(row.check.warnings))
            combo.currentIndexChanged.connect(
                lambda _i, r=index, c=combo: self._combo_changed(r, c)
            )
            self.table.setCellWidget(index, COL_ITEM, combo)
        if unmatched:
            self.unmatched.setText(
                tr(
                    "{n} photo(s) have no match and will not be uploaded unless you choose an "
                    "item: {names}"
                ).format(n=len(unmatched), names=", ".join(unmatched))
            )
        else:
            self.unmatched.setText(
                tr("Every readable photo has a proposed item; check the low-confidence rows.")
            )
        self.say(
            tr("{n} file(s): {m} matched, {u} unmatched, {r} refused.").format(
                n=len(rows), m=len(rows) - len(unmatched) - refused, u=len(unmatched), r=refused
            )
        )
        self._update_summary()
        self.scanned.emit(len(rows))

    def _set_text(self, row: int, col: int, text: str) -> QTableWidgetItem:
        cell = QTableWidgetItem(text)
        cell.setToolTip(text)
        self.table.setItem(row, col, cell)
        return cell

    def _fill_combo(self, combo: QComboBox, row: ScanRow) -> None:
        combo.addItem(tr("— leave out —"), LEAVE_OUT)
        combo.addItem(tr("job only (no item)"), JOB_ONLY)
        offered = []
        match = row.match
        if match is not None:
            offered = ([match.item_id] if match.item_id else []) + list(match.alternatives)
        if row.exif.has_gps:
            near = sorted(
                self.candidates.values(),
                key=lambda c: geodesic_distance_m(
                    (row.exif.longitude, row.exif.latitude), (c.lon, c.lat)
                ),
            )
            offered += [c.item_id for c in near[:5]]
        seen = set()
        for item_id in offered:
            if item_id in seen or item_id not in self.candidates:
                continue
            seen.add(item_id)
            combo.addItem(self._label(item_id, row), item_id)
        combo.addItem(tr("other item…"), OTHER)
        combo.setCurrentIndex(2 if match is not None and match.item_id else 0)

    def _label(self, item_id: str, row: ScanRow) -> str:
        cand = self.candidates[item_id]
        if row.exif.has_gps:
            here = (row.exif.longitude, row.exif.latitude)
            dist = geodesic_distance_m(here, (cand.lon, cand.lat))
            return f"{cand.label}  ({dist:.0f} m)"
        return cand.label

    def _combo_changed(self, row_index: int, combo: QComboBox) -> None:
        if combo.currentData() == OTHER:
            labels = sorted((c.label, c.item_id) for c in self.candidates.values())
            choice, ok = QInputDialog.getItem(
                self, tr("Choose the item"), tr("Node:"), [label for label, _id in labels], 0, False
            )
            if ok:
                item_id = dict(labels)[choice]
                combo.blockSignals(True)
                combo.insertItem(
                    combo.count() - 1, self._label(item_id, self.rows[row_index]), item_id
                )
                combo.setCurrentIndex(combo.count() - 2)
                combo.blockSignals(False)
            else:
                combo.setCurrentIndex(0)
        self._update_summary()

    def set_choice(self, row_index: int, item_id: Optional[str]) -> None:
        """Correct one row programmatically (None = leave out); used by tests and scripts."""
        combo = self.table.cellWidget(row_index, COL_ITEM)
        wanted = LEAVE_OUT if item_id is None else item_id
        index = combo.findData(wanted)
        if index < 0:
            combo.insertItem(combo.count() - 1, self._label(item_id, self.rows[row_index]), item_id)
            index = combo.count() - 2
        combo.setCurrentIndex(index)

    # -- upload ---------------------------------------------------------------
    def targets(self) -> dict[str, Optional[UploadTarget]]:
        """The user's choice per readable file (None = left out)."""
        association = self.association.currentData()
        out: dict[str, Optional[UploadTarget]] = {}
        for index, row in enumerate(self.rows):
            if not row.check.ok:
                continue
            data = self.table.cellWidget(index, COL_ITEM).currentData()
            if data in (LEAVE_OUT, OTHER, None):
                out[row.check.path] = None
            elif data == JOB_ONLY:
                out[row.check.path] = UploadTarget.job()
            else:
                out[row.check.path] = UploadTarget(
                    "node", data, association=association, label=self.candidates[data].label
                )
        return out

    def _update_summary(self) -> None:
        count = sum(1 for t in self.targets().values() if t is not None)
        cost = count * UPLOAD_COST
        eta = None
        worker = getattr(self.backend, "worker", None)
        if worker is not None and hasattr(worker, "eta_seconds"):
            eta = worker.eta_seconds(cost)
        text = tr("{n} photo(s) to upload: {t} tokens").format(n=count, t=cost)
        if eta is not None and count:
            text += tr("; time needed at the current rate limits: {d}").format(
                d=format_duration(eta)
            )
        self.summary.setText(text + ".")
        self.upload_button.setEnabled(count > 0)

    def upload(self, confirm: bool = True) -> None:
        """Plan against the journal (hashes), confirm tokens and time for a large batch, upload."""
        rows = [r.check for r in self.rows]
        targets = self.targets()
        gpkg, job_id = self.gpkg_path, self.job_id
        self.upload_button.setEnabled(False)

        def plan(client: Any, _cancel: Any) -> BatchPlan:
            governor = getattr(client, "governor", None)
            return prepare_batch(
                rows,
                targets,
                gpkg,
                job_id,
                governor.estimate_seconds if governor is not None else None,
            )

        self.backend.call(plan, lambda p: self._start(p, confirm), self._failed)

    def _start(self, plan: BatchPlan, confirm: bool) -> None:
        for _path, reason in plan.skipped:
            self.say(reason)
        if not plan.call_count:
            self.say(tr("Nothing to upload.") + " " + plan.summary())
            self._update_summary()
            return
        if confirm and plan.is_large:
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                plan.summary() + "\n\n" + tr("Start the upload?"),
                QMessageBox.Yes | QMessageBox.No,
                QMessageBox.Yes,
            )
            if answer != QMessageBox.Yes:
                self.say(tr("Upload not started."))
                self._update_summary()
                return
        self.say(plan.summary())
        token = self.backend.new_batch_token()
        progress = self.backend.uploadProgress
        gpkg, job_id = self.gpkg_path, self.job_id
        self.progress.setRange(0, plan.call_count)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)

        def run(client: Any, _cancel: Any) -> UploadReport:
            return execute_batch(
                client,
                gpkg,
                job_id,
                plan,
                cancel=token,
                on_progress=lambda d, t, n: progress.emit(d, t, n),
            )

        self.backend.call(run, self._done, self._failed, lane="bulk")

    def _progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {name}")

    def _done(self, report: UploadReport) -> None:
        self.report = report
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        for name, message in report.failed:
            self.say(tr("{name}: refused by the server: {m}").format(name=name, m=message))
        for name, message in report.unresolved:
            self.say(
                tr("{name}: not confirmed ({m}); upload again to finish").format(
                    name=name, m=message
                )
            )
        text = tr("{n} uploaded, {a} found already on the server, {f} failed").format(
            n=len(report.uploaded), a=len(report.adopted), f=len(report.failed)
        )
        if report.cancelled:
            text += tr("; cancelled: upload again for the rest (nothing is sent twice)")
        self.say(text + ".")
        self._update_summary()
        self.uploaded.emit(report)

    def _failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.say(tr("Upload failed: {m}").format(m=message))
        self._update_summary()
