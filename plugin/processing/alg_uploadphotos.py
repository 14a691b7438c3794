"""katapult:uploadphotos — a folder of JPEGs matched to the job's poles and uploaded once."""
from __future__ import annotations

import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from .base import KatapultAlgorithm

try:  # Qt5 builds; Qt6 builds of QGIS take QMetaType types
    from qgis.PyQt.QtCore import QVariant

    TEXT, REAL = QVariant.String, QVariant.Double
except (ImportError, AttributeError):  # pragma: no cover - Qt6
    from qgis.PyQt.QtCore import QMetaType

    TEXT, REAL = QMetaType.Type.QString, QMetaType.Type.Double

#: statuses written into the output table
UPLOADED, ADOPTED, WOULD_UPLOAD, ALREADY, UNMATCHED, REFUSED, SKIPPED, FAILED, WAITING = (
    "uploaded", "uploaded earlier (found on the server)", "would upload", "already uploaded",
    "unmatched", "refused", "skipped", "failed", "not sent yet",
)


class UploadPhotosAlgorithm(KatapultAlgorithm):
    NAME = "uploadphotos"
    DISPLAY = "Upload a folder of photos"
    HELP = ("Checks every file of a folder (JPEG by content), reads its EXIF position and "
            "capture time, and matches it to the job's nodes: the nearest node within the "
            "distance, and/or the node whose time_bucket contains the capture time. Matched "
            "photos are uploaded to their node through the GeoPackage's outbox, exactly once: "
            "a photo already uploaded (same content) is never sent again. Photos nothing "
            "matches, or whose clues disagree, are listed as unmatched and not uploaded; "
            "refused files are listed with the reason. Dry run: match and list only.")
    FOLDER = "FOLDER"
    MAX_DISTANCE = "MAX_DISTANCE"
    USE_GPS = "USE_GPS"
    USE_TIME = "USE_TIME"
    ASSOCIATION = "ASSOCIATION"
    DRY_RUN = "DRY_RUN"
    OUTPUT = "OUTPUT"
    ASSOCIATIONS = ("true", "main")
    COUNTS = (("UPLOADED", "Photos uploaded"), ("MATCHED", "Photos matched"),
              ("UNMATCHED", "Photos unmatched"), ("REFUSED", "Files refused"),
              ("SKIPPED", "Photos skipped (already uploaded or duplicates)"),
              ("FAILED", "Uploads failed or not sent"))

    def initAlgorithm(self, config=None):
        self.add_connection_parameters()
        self.add_job_gpkg_parameter()
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Folder of photos"), QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_DISTANCE, self.tr("Largest distance from photo to node (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=30.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.USE_GPS, self.tr("Match by EXIF GPS position"), defaultValue=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.USE_TIME, self.tr("Match by capture time (node time_bucket)"),
            defaultValue=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.ASSOCIATION, self.tr("Association"),
            options=[self.tr("associated (true)"), self.tr("main photo (main)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DRY_RUN, self.tr("Dry run (match and list, upload nothing)"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Photo matches"), QgsProcessing.TypeVector))
        for key, label in self.COUNTS:
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))

    @staticmethod
    def fields() -> QgsFields:
        fields = QgsFields()
        for name, kind in (("photo", TEXT), ("target", TEXT), ("target_label", TEXT),
                           ("evidence", TEXT), ("distance_m", REAL), ("status", TEXT),
                           ("message", TEXT), ("photo_id", TEXT)):
            fields.append(QgsField(name, kind))
        return fields

    def processAlgorithm(self, parameters, context, feedback):
        from ..photos.batch import execute_batch, list_folder, prepare_batch, scan_for_import
        from ..photos.planning import UploadTarget
        from ..photos.qgis_exif import read_exif_qgis
        from ..photos.store import PhotoStore

        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        use_gps = self.parameterAsBool(parameters, self.USE_GPS, context)
        use_time = self.parameterAsBool(parameters, self.USE_TIME, context)
        dry_run = self.parameterAsBool(parameters, self.DRY_RUN, context)
        association = self.ASSOCIATIONS[self.parameterAsEnum(parameters, self.ASSOCIATION,
                                                             context)]
        path, job_id = self.job_gpkg(parameters, context)
        if not folder or not os.path.isdir(folder):
            raise self.fail(ValueError(self.tr(
                "Photo folder {0} does not exist; give an existing folder (FOLDER).").format(
                    folder)))
        if not (use_gps or use_time):
            raise self.fail(ValueError(self.tr(
                "Nothing to match photos with: turn on USE_GPS and/or USE_TIME.")))
        cancel = self.cancel_token(feedback)
        candidates = PhotoStore(path).node_candidates()
        labels = {c.item_id: c.label for c in candidates}
        files = list_folder(folder)
        feedback.pushInfo(self.tr("{0} file(s) in {1}; {2} node(s) to match against.").format(
            len(files), folder, len(candidates)))
        rows = scan_for_import(
            files, candidates,
            max_distance_m=self.parameterAsDouble(parameters, self.MAX_DISTANCE, context),
            use_gps=use_gps, use_time=use_time, read_exif=read_exif_qgis, cancel=cancel,
            on_progress=lambda i, n: feedback.setProgress(30.0 * i / max(n, 1)))
        if cancel.cancelled:
            raise self.fail(RuntimeError(self.tr("Cancelled while reading the photos.")))
        targets = {}
        for row in rows:
            if row.check.ok:
                item = row.match.item_id if row.match is not None else None
                targets[row.check.path] = None if item is None else UploadTarget(
                    "node", item, association=association, label=labels.get(item, ""))
        plan = prepare_batch([r.check for r in rows], targets, path, job_id)
        status = {}  # path -> (status, message, photo id)
        for file_path, reason in plan.skipped:
            if targets.get(file_path) is not None:
                done = "already uploaded" in reason
                status[file_path] = (ALREADY if done else SKIPPED, reason, "")
        for file_path, reason in plan.refused:
            status[file_path] = (REFUSED, reason, "")
        queued = [u.check.path for u in plan.uploads + plan.resumed]
        if dry_run:
            for file_path in queued:
                status[file_path] = (WOULD_UPLOAD, "", "")
        elif queued:
            client = self.client(parameters, context)
            try:
                report = execute_batch(
                    client, path, job_id, plan, cancel=cancel,
                    on_progress=lambda i, n, _name: feedback.setProgress(
                        30.0 + 70.0 * i / max(n, 1)))
            except Exception as exc:  # noqa: BLE001 (shown to the user as a sentence)
                raise self.fail(exc) from None
            finally:
                client.close()
            by_name = {os.path.basename(p): p for p in queued}
            for file_path, reason in plan.refused:  # e.g. changed after it was checked
                status[file_path] = (REFUSED, reason, "")
            for name, photo_id in report.uploaded:
                status[by_name.get(name, name)] = (UPLOADED, "", photo_id)
            for name, photo_id in report.adopted:
                status[by_name.get(name, name)] = (ADOPTED, "", photo_id)
            for name, message in report.failed:
                status[by_name.get(name, name)] = (FAILED, message, "")
            for name, message in report.unresolved:
                status[by_name.get(name, name)] = (WAITING, self.tr(
                    "{0}; run the upload again (it is not sent twice)").format(message), "")
            for file_path in queued:
                status.setdefault(file_path, (WAITING, report.stopped_reason or self.tr(
                    "stopped before this photo; run the upload again"), ""))
        return self._write(parameters, context, feedback, rows, targets, status, dry_run)

    def _write(self, parameters, context, feedback, rows, targets, status, dry_run):
        fields = self.fields()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry,
                                          QgsCoordinateReferenceSystem("EPSG:4326"))
        counts = {key: 0 for key, _label in self.COUNTS}
        for row in rows:
            name = os.path.basename(row.check.path)
            match, target = row.match, targets.get(row.check.path)
            if not row.check.ok:
                values = [name, None, None, None, None, REFUSED, row.check.error, None]
                feedback.reportError(self.tr("Refused: {0}").format(row.check.error), False)
                counts["REFUSED"] += 1
            elif target is None:
                evidence = match.evidence if match is not None else ""
                values = [name, None, None, evidence, None, UNMATCHED,
                          self.tr("no node matched; not uploaded"), None]
                feedback.pushWarning(self.tr("Unmatched: {0}: {1}").format(name, evidence))
                counts["UNMATCHED"] += 1
            else:
                state, message, photo_id = status.get(row.check.path, (SKIPPED, "", ""))
                values = [name, target.item_id, target.label, match.evidence,
                          match.distance_m, state, message or None, photo_id or None]
                counts["MATCHED"] += 1
                if state == UPLOADED or state == ADOPTED:
                    counts["UPLOADED"] += 1
                elif state in (ALREADY, SKIPPED):
                    counts["SKIPPED"] += 1
                elif state == REFUSED:
                    counts["REFUSED"] += 1
                elif state in (FAILED, WAITING):
                    counts["FAILED"] += 1
                    feedback.reportError(self.tr("Not uploaded: {0}: {1}").format(
                        name, message), False)
            feature = QgsFeature(fields)
            feature.setAttributes(values)
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        feedback.pushInfo(self.tr(
            "{MATCHED} matched, {UPLOADED} uploaded, {SKIPPED} skipped, {UNMATCHED} unmatched, "
            "{REFUSED} refused, {FAILED} not uploaded.").format(**counts)
            + (" " + self.tr("Dry run: nothing was uploaded.") if dry_run else ""))
        return {self.OUTPUT: dest, **counts}
