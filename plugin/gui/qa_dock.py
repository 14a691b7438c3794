"""QA dock: run the field-data rules on an open job, browse findings, zoom to them, export."""
from __future__ import annotations

from typing import Dict, List, Optional

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsExpression,
    QgsFeatureRequest,
    QgsProject,
    QgsSettings,
    QgsTask,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import qgis_log
from ..layers.project import PROP_GPKG, PROP_JOB, PROP_KIND, job_layers
from ..qa.export import write_csv, write_gpkg
from ..qa.from_layers import base_photo_maps, job_from_layers
from ..qa.rules import RULES, QaConfig, QaIssue, QaJob, run_qa

SETTINGS_PREFIX = "katapult/qa/"
THRESHOLDS = (
    ("max_span_m", "Longest span (m)"),
    ("min_span_m", "Shortest span (m)"),
    ("max_section_offset_m", "Midspan offset (m)"),
    ("min_pole_separation_m", "Pole separation (m)"),
)
ISSUE_ROLE = Qt.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("KatapultQaDock", text)


def load_config() -> QaConfig:
    """Thresholds from QgsSettings (``katapult/qa/*``), defaults otherwise."""
    defaults = QaConfig()
    qs = QgsSettings()
    values = {
        name: qs.value(SETTINGS_PREFIX + name, getattr(defaults, name), type=float)
        for name, _ in THRESHOLDS
    }
    return QaConfig(**values)


def save_config(config: QaConfig) -> None:
    qs = QgsSettings()
    for name, _ in THRESHOLDS:
        qs.setValue(SETTINGS_PREFIX + name, float(getattr(config, name)))


def project_jobs(project: Optional[QgsProject] = None) -> Dict[str, str]:
    """``{job_id: label}`` of the Katapult jobs whose layers are in the project."""
    project = project or QgsProject.instance()
    jobs: Dict[str, str] = {}
    for layer in project.mapLayers().values():
        job_id = layer.customProperty(PROP_JOB)
        if job_id and layer.customProperty(PROP_KIND) == "node":
            group = project.layerTreeRoot().findLayer(layer.id())
            parent = group.parent() if group is not None else None
            jobs[job_id] = parent.name() if parent is not None and parent.name() else job_id
    return jobs


class QaTask(QgsTask):
    """Runs the rules off the GUI thread (the job was read on the GUI thread)."""

    def __init__(self, job: QaJob, config: QaConfig) -> None:
        super().__init__(tr("Katapult QA"), QgsTask.CanCancel)
        self.job, self.config = job, config
        self.issues: List[QaIssue] = []
        self.error = ""

    def run(self) -> bool:
        try:
            self.issues = run_qa(self.job, self.config)
        except Exception as exc:  # noqa: BLE001 (reported in the dock)
            self.error = str(exc)
            return False
        return not self.isCanceled()


class QaDock(QgsDockWidget):
    """Katapult QA: pick a job, run, findings grouped by rule, click to zoom, export."""

    def __init__(self, plugin=None, parent: Optional[QWidget] = None) -> None:
        super().__init__(tr("Katapult QA"), parent)
        self.setObjectName("KatapultQaDock")
        self.plugin = plugin
        self.iface = getattr(plugin, "iface", None)
        self.issues: List[QaIssue] = []
        self._task: Optional[QaTask] = None

        body = QWidget(self)
        layout = QVBoxLayout(body)
        row = QHBoxLayout()
        self.job_combo = QComboBox(body)
        self.job_combo.setToolTip(tr("The open job to check"))
        row.addWidget(self.job_combo, 1)
        self.run_button = QPushButton(tr("Run QA"), body)
        self.run_button.clicked.connect(self.run_qa)
        row.addWidget(self.run_button)
        layout.addLayout(row)

        box = QGroupBox(tr("Thresholds"), body)
        box.setCheckable(True)
        box.setChecked(False)
        form = QFormLayout(box)
        self.spins: Dict[str, QDoubleSpinBox] = {}
        config = load_config()
        for name, label in THRESHOLDS:
            spin = QDoubleSpinBox(box)
            spin.setRange(0.0, 10000.0)
            spin.setDecimals(2)
            spin.setValue(getattr(config, name))
            spin.setSuffix(" m")
            form.addRow(tr(label), spin)
            self.spins[name] = spin
        layout.addWidget(box)

        self.tree = QTreeWidget(body)
        self.tree.setHeaderLabels([tr("Finding"), tr("Severity")])
        self.tree.setColumnWidth(0, 320)
        self.tree.itemClicked.connect(self._item_clicked)
        layout.addWidget(self.tree, 1)

        self.status = QLabel(tr("Open a job, then Run QA."), body)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.export_button = QPushButton(tr("Export…"), body)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_dialog)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.setWidget(body)

        QgsProject.instance().layersAdded.connect(self.refresh_jobs)
        QgsProject.instance().layersRemoved.connect(self.refresh_jobs)
        self.refresh_jobs()
        if plugin is not None:
            plugin.add_cleanup(self.teardown)

    # -- jobs ---------------------------------------------------------------
    def refresh_jobs(self, *_args) -> None:
        current = self.job_combo.currentData()
        self.job_combo.clear()
        for job_id, label in sorted(project_jobs().items(), key=lambda kv: kv[1]):
            self.job_combo.addItem(label, job_id)
        index = self.job_combo.findData(current)
        if index >= 0:
            self.job_combo.setCurrentIndex(index)
        self.run_button.setEnabled(self.job_combo.count() > 0)

    def current_config(self) -> QaConfig:
        config = QaConfig(**{name: spin.value() for name, spin in self.spins.items()})
        save_config(config)
        return config

    # -- run ----------------------------------------------------------------
    def run_qa(self, wait: bool = False) -> None:
        """Read the job's layers (edit buffers included) and run the rules in a QgsTask."""
        job_id = self.job_combo.currentData()
        layers = job_layers(job_id) if job_id else {}
        if "node" not in layers:
            self.status.setText(tr("No open Katapult job: open one from the job browser first."))
            return
        gpkg = layers["node"].customProperty(PROP_GPKG) or layers["node"].source().split("|")[0]
        job = job_from_layers(layers["node"], layers.get("connection"), layers.get("section"),
                              base_photo_maps(gpkg))
        task = QaTask(job, self.current_config())
        task.taskCompleted.connect(lambda: self._finished(task))
        task.taskTerminated.connect(lambda: self._finished(task))
        self._task = task
        self.run_button.setEnabled(False)
        self.status.setText(tr("Checking {n} nodes…").format(n=len(job.nodes)))
        if wait:  # tests and Processing-like callers: run here, same code path
            task.run()
            self._finished(task)
        else:
            QgsApplication.taskManager().addTask(task)

    def _finished(self, task: QaTask) -> None:
        if task is not self._task:
            return
        self._task = None
        self.run_button.setEnabled(True)
        if task.error:
            self.status.setText(tr("QA failed: {error}").format(error=task.error))
            qgis_log.warning(f"QA failed: {task.error}")
            return
        self.show_issues(task.issues)

    def show_issues(self, issues: List[QaIssue]) -> None:
        """Fill the tree: one top item per rule with findings, one child per finding."""
        self.issues = list(issues)
        self.tree.clear()
        by_rule: Dict[str, List[QaIssue]] = {}
        for issue in issues:
            by_rule.setdefault(issue.rule, []).append(issue)
        for rule in RULES:
            found = by_rule.get(rule.id)
            if not found:
                continue
            top = QTreeWidgetItem(
                [tr("{title} ({n})").format(title=tr(rule.title), n=len(found)), rule.severity])
            self.tree.addTopLevelItem(top)
            for issue in found:
                child = QTreeWidgetItem([issue.message, issue.severity])
                child.setData(0, ISSUE_ROLE, issue)
                child.setToolTip(0, issue.message)
                top.addChild(child)
        errors = sum(1 for i in issues if i.severity == "error")
        self.status.setText(
            tr("{n} finding(s), {e} error(s). Click one to select and zoom to it; fix and rerun.")
            .format(n=len(issues), e=errors) if issues else tr("No findings: the job passes QA."))
        self.export_button.setEnabled(bool(issues))

    # -- zoom ---------------------------------------------------------------
    def _item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        issue = item.data(0, ISSUE_ROLE)
        if isinstance(issue, QaIssue):
            self.select_issue(issue)

    def select_issue(self, issue: QaIssue) -> bool:
        """Select the finding's feature in its layer and zoom the canvas to it."""
        layers = job_layers(self.job_combo.currentData() or "")
        layer = layers.get(issue.kind)
        if layer is None:
            return False
        expression = QgsExpression.createFieldEqualityExpression("kp_id", issue.entity_id)
        if issue.kind == "section" and issue.parent_id:
            expression += " AND " + QgsExpression.createFieldEqualityExpression(
                "connection_id", issue.parent_id)
        request = QgsFeatureRequest().setFilterExpression(expression)
        fids = [f.id() for f in layer.getFeatures(request)]
        if not fids:
            return False
        layer.selectByIds(fids)
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is not None:
            canvas.zoomToSelected(layer)
            canvas.flashFeatureIds(layer, fids)
        return True

    # -- export -------------------------------------------------------------
    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export QA findings"), "katapult_qa.gpkg",
            tr("GeoPackage (*.gpkg);;CSV (*.csv)"))
        if path:
            self.export(path)

    def export(self, path: str) -> str:
        """Write the findings to ``path`` (.csv → CSV, anything else → GeoPackage)."""
        if path.lower().endswith(".csv"):
            write_csv(self.issues, path)
            error = ""
        else:
            error = write_gpkg(self.issues, path)
        text = (tr("Could not export to {path}: {error}").format(path=path, error=error)
                if error else tr("Exported {n} finding(s) to {path}").format(
                    n=len(self.issues), path=path))
        self.status.setText(text)
        if self.iface is not None:
            qgis_log.push_message(self.iface.messageBar(), tr("Katapult QA"), text,
                                  Qgis.Warning if error else Qgis.Info, 5)
        return error

    def teardown(self) -> None:
        """Disconnect from the project (called at plugin unload)."""
        for signal in (QgsProject.instance().layersAdded, QgsProject.instance().layersRemoved):
            try:
                signal.disconnect(self.refresh_jobs)
            except (TypeError, RuntimeError):
                pass
