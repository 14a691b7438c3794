"""katapult:qa — field-data QA of a job GeoPackage, as a point layer of issues."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from ..qa.export import issue_feature, issue_fields
from ..qa.rules import QaConfig, run_qa
from .base import KatapultAlgorithm


class QaAlgorithm(KatapultAlgorithm):
    NAME = "qa"
    DISPLAY = "QA check a job"
    HELP = ("Runs the field-data QA rules on a downloaded job GeoPackage (its working copy) and "
            "writes one point per finding: rule, severity, feature id and what to fix. "
            "No network.")
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"
    ERRORS = "ERRORS"
    THRESHOLDS = (
        ("MAX_SPAN_M", "Longest allowed span (m)", "max_span_m"),
        ("MIN_SPAN_M", "Shortest allowed span (m)", "min_span_m"),
        ("MAX_SECTION_OFFSET_M", "Largest midspan offset from its span (m)",
         "max_section_offset_m"),
        ("MIN_POLE_SEPARATION_M", "Smallest distance between two poles (m)",
         "min_pole_separation_m"),
    )

    def initAlgorithm(self, config=None):
        self.add_job_gpkg_parameter()
        defaults = QaConfig()
        for key, label, attr in self.THRESHOLDS:
            self.addParameter(QgsProcessingParameterNumber(
                key, self.tr(label), QgsProcessingParameterNumber.Double,
                defaultValue=getattr(defaults, attr), minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("QA issues"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, self.tr("Number of issues")))
        self.addOutput(QgsProcessingOutputNumber(self.ERRORS, self.tr("Number of errors")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..qa.from_layers import job_from_gpkg

        path = self.parameterAsFile(parameters, self.INPUT, context)
        config = QaConfig(**{
            attr: self.parameterAsDouble(parameters, key, context)
            for key, _label, attr in self.THRESHOLDS
        })
        try:
            job = job_from_gpkg(path)
        except ValueError as exc:
            raise self.fail(exc) from None
        issues = run_qa(job, config)
        fields = issue_fields()
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point,
            QgsCoordinateReferenceSystem("EPSG:4326"))
        for issue in issues:
            sink.addFeature(issue_feature(issue, fields), QgsFeatureSink.FastInsert)
        errors = sum(1 for i in issues if i.severity == "error")
        feedback.pushInfo(self.tr("{n} issue(s), {e} error(s) on {nodes} nodes").format(
            n=len(issues), e=errors, nodes=len(job.nodes)))
        return {self.OUTPUT: dest, self.COUNT: len(issues), self.ERRORS: errors}
