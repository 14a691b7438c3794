"""katapult:pull — bring a job GeoPackage up to date with the server (three-way merge)."""
from __future__ import annotations

from qgis.core import QgsProcessingOutputNumber

from .base import KatapultAlgorithm


class PullAlgorithm(KatapultAlgorithm):
    NAME = "pull"
    DISPLAY = "Pull changes from Katapult"
    HELP = ("Reads the job from the server and updates the GeoPackage: features not changed "
            "here take the server's version; features changed both here and on the server are "
            "merged field by field. Where both sides changed the same field differently, the "
            "conflict is stored in the GeoPackage for the conflict dialog (nothing is decided "
            "for you) and that feature is not pushed until it is resolved. Push first: a pull "
            "waits until the GeoPackage has no edits left to send.")
    OUTPUTS = (("UPDATED", "Features updated"), ("ADDED", "Features added"),
               ("DELETED", "Features deleted"), ("MERGED", "Features merged"),
               ("CONFLICTS", "New conflicts"), ("OPEN_CONFLICTS", "Unresolved conflicts"))

    def initAlgorithm(self, config=None):
        self.add_connection_parameters()
        self.add_job_gpkg_parameter()
        for key, label in self.OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):
        from ..layers.sync_io import pull_gpkg

        path, _job_id = self.job_gpkg(parameters, context)
        client = self.client(parameters, context)
        try:
            summary = pull_gpkg(path, client, self.cancel_token(feedback))
        except Exception as exc:  # noqa: BLE001 (shown to the user as a sentence)
            raise self.fail(exc) from None
        finally:
            client.close()
        for problem in summary["problems"]:
            feedback.pushWarning(str(problem))
        results = {
            "UPDATED": sum(summary["updated"].values()),
            "ADDED": sum(summary["added"].values()),
            "DELETED": sum(summary["deleted"].values()),
            "MERGED": summary["merged"],
            "CONFLICTS": summary["conflicts"],
            "OPEN_CONFLICTS": summary["open_conflicts"],
        }
        feedback.pushInfo(self.tr(
            "{UPDATED} updated, {ADDED} added, {DELETED} deleted, {MERGED} merged, "
            "{CONFLICTS} new conflict(s).").format(**results))
        if results["OPEN_CONFLICTS"]:
            feedback.pushWarning(self.tr(
                "{0} conflict(s) wait in the GeoPackage: open the job in QGIS and resolve them "
                "in the Katapult conflict dialog; those features are not pushed until then.")
                .format(results["OPEN_CONFLICTS"]))
        return results
