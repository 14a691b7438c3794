"""katapult:downloadjob — a job's nodes, connections, sections and photos into a GeoPackage."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from .base import KatapultAlgorithm


class DownloadJobAlgorithm(KatapultAlgorithm):
    NAME = "downloadjob"
    DISPLAY = "Download job"
    HELP = ("Downloads a Katapult job (three GETs: nodes, connections with their sections, "
            "photos; plus the job's name) into a GeoPackage with layers nodes, connections, "
            "sections and a photos table, which opens offline. Refuses to overwrite a "
            "GeoPackage that still holds edits not sent to Katapult.")
    JOB_ID = "JOB_ID"
    OUTPUT = "OUTPUT"
    NODES = "NODES"
    CONNECTIONS = "CONNECTIONS"
    SECTIONS = "SECTIONS"
    PHOTOS = "PHOTOS"

    def initAlgorithm(self, config=None):
        self.add_connection_parameters()
        self.addParameter(QgsProcessingParameterString(self.JOB_ID, self.tr("Job id")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Job GeoPackage"), self.tr("GeoPackage (*.gpkg)")))
        for key, label in ((self.NODES, "Nodes"), (self.CONNECTIONS, "Connections"),
                           (self.SECTIONS, "Sections"), (self.PHOTOS, "Photos")):
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))
        self.addOutput(QgsProcessingOutputFile("GPKG", self.tr("Job GeoPackage")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..layers.load_task import download_job

        job_id = self.parameterAsString(parameters, self.JOB_ID, context).strip()
        if not job_id:
            raise self.fail(ValueError(self.tr("Give the id of the job to download (JOB_ID).")))
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        client = self.client(parameters, context)
        try:
            report = download_job(client, self.cancel_token(feedback), feedback, job_id, path=path)
        except Exception as exc:  # noqa: BLE001 (shown to the user as a sentence)
            raise self.fail(exc) from None
        finally:
            client.close()
        feedback.pushInfo(report.summary())
        for issue in report.issues:
            feedback.pushWarning(str(issue))
        counts = report.counts
        return {
            self.OUTPUT: report.path, "GPKG": report.path,
            self.NODES: counts.get("nodes", 0), self.CONNECTIONS: counts.get("connections", 0),
            self.SECTIONS: counts.get("sections", 0), self.PHOTOS: counts.get("photos", 0),
        }
