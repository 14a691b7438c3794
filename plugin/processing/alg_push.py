"""katapult:push — send a job GeoPackage's saved edits to Katapult, exactly once."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
)

from .base import KatapultAlgorithm


class PushAlgorithm(KatapultAlgorithm):
    NAME = "push"
    DISPLAY = "Push edits to Katapult"
    HELP = ("Compares the job GeoPackage's layers (the working copy) with what the server last "
            "said, writes the changes into the GeoPackage's outbox in one transaction and sends "
            "them now. New poles and spans get ids chosen here, so running it again never "
            "creates a duplicate: what was acknowledged is not sent twice, what was not is "
            "sent again. Reports the operations planned, requests sent, done, failed (with the "
            "server's message) and held (waiting for a failed operation or a conflict).")
    OUTPUTS = (("PLANNED", "Operations planned"), ("SENT", "Requests sent"),
               ("DONE", "Operations done"), ("FAILED", "Operations failed"),
               ("HELD", "Operations held"), ("PENDING", "Operations still waiting"))
    FAILURES = "FAILURES"

    def initAlgorithm(self, config=None):
        self.add_connection_parameters()
        self.add_job_gpkg_parameter()
        for key, label in self.OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))
        self.addOutput(QgsProcessingOutputString(
            self.FAILURES, self.tr("Failed operations and why")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..layers.sync_io import push_gpkg
        from ..sync.executor import AUTH, CANCELLED, OFFLINE

        path, _job_id = self.job_gpkg(parameters, context)
        client = self.client(parameters, context)

        def progress(done: int, total: int) -> None:
            feedback.setProgress(100.0 * done / max(total, 1))

        try:
            counts = push_gpkg(path, client, self.cancel_token(feedback), progress)
        except Exception as exc:  # noqa: BLE001 (shown to the user as a sentence)
            raise self.fail(exc) from None
        finally:
            client.close()
        for problem in counts.problems:
            feedback.reportError(self.tr("Not sent: {0}").format(problem), False)
        for failure in counts.failures:
            feedback.reportError(self.tr("Failed: {0}").format(failure), False)
        waiting = counts.open.get("pending", 0) + counts.open.get("sent", 0)
        if counts.status == AUTH:
            raise self.fail(RuntimeError(self.tr(
                "The server refused the API key ({0}); {1} edit(s) wait in the GeoPackage. Fix the "
                "key (AUTHCFG or KATAPULT_API_KEY) and run the push again.").format(
                    counts.message, waiting)))
        if counts.status == OFFLINE:
            raise self.fail(RuntimeError(self.tr(
                "The server could not be reached ({0}); {1} edit(s) wait in the GeoPackage and "
                "are sent, without duplicates, by the next push.").format(
                    counts.message, waiting)))
        if counts.status == CANCELLED:
            feedback.pushWarning(self.tr(
                "Push cancelled; {0} edit(s) wait in the GeoPackage for the next push.").format(
                    waiting))
        feedback.pushInfo(self.tr(
            "{planned} operation(s) planned, {sent} request(s) sent, {done} done, {failed} "
            "failed, {held} held.").format(
                planned=counts.planned, sent=counts.sent, done=counts.done,
                failed=counts.failed, held=counts.held))
        return {
            "PLANNED": counts.planned, "SENT": counts.sent, "DONE": counts.done,
            "FAILED": counts.failed, "HELD": counts.open.get("held", counts.held),
            "PENDING": waiting, self.FAILURES: "\n".join(counts.failures),
        }
