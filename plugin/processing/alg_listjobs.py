"""katapult:listjobs — the jobs the key can see, as a table."""
from __future__ import annotations

import json

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from .base import KatapultAlgorithm


class ListJobsAlgorithm(KatapultAlgorithm):
    NAME = "listjobs"
    DISPLAY = "List jobs"
    HELP = ("Lists the Katapult jobs your API key can see (id, name, status, last updated, "
            "metadata as JSON). Costs 1 token.")
    INCLUDE_ARCHIVED = "INCLUDE_ARCHIVED"
    METADATA_FILTER = "METADATA_FILTER"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"

    def initAlgorithm(self, config=None):
        self.add_connection_parameters()
        self.addParameter(QgsProcessingParameterBoolean(
            self.INCLUDE_ARCHIVED, self.tr("Include archived jobs"), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            self.METADATA_FILTER, self.tr("Metadata filter (attribute:value, comma separated)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Jobs"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, self.tr("Number of jobs")))

    def processAlgorithm(self, parameters, context, feedback):
        client = self.client(parameters, context)
        try:
            jobs = client.list_jobs(
                include_archived=self.parameterAsBool(parameters, self.INCLUDE_ARCHIVED, context),
                metadata_filter=self.parameterAsString(parameters, self.METADATA_FILTER, context)
                or None,
                cancel=self.cancel_token(feedback),
            )
        except Exception as exc:  # noqa: BLE001
            raise self.fail(exc) from None
        finally:
            client.close()
        fields = QgsFields()
        for name in ("job_id", "name", "status", "last_updated", "metadata"):
            fields.append(QgsField(name, QVariant.String))
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        for job in jobs or []:
            meta = job.get("metadata") if isinstance(job.get("metadata"), dict) else {}
            feature = QgsFeature(fields)
            feature.setAttributes([
                str(job.get("id", "")),
                str(job.get("name") or meta.get("name") or ""),
                str(job.get("status", "")),
                str(job.get("last_updated", "")),
                json.dumps(meta, ensure_ascii=False, sort_keys=True),
            ])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        feedback.pushInfo(self.tr("{n} job(s)").format(n=len(jobs or [])))
        return {self.OUTPUT: dest, self.COUNT: len(jobs or [])}
