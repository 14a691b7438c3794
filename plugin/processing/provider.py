"""The "Katapult" Processing provider."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..paths import icon_path
from .alg_download import DownloadJobAlgorithm
from .alg_listjobs import ListJobsAlgorithm
from .alg_pull import PullAlgorithm
from .alg_push import PushAlgorithm
from .alg_qa import QaAlgorithm
from .alg_uploadphotos import UploadPhotosAlgorithm

ALGORITHMS = [
    ListJobsAlgorithm,
    DownloadJobAlgorithm,
    QaAlgorithm,
    PushAlgorithm,
    PullAlgorithm,
    UploadPhotosAlgorithm,
]


class KatapultProvider(QgsProcessingProvider):
    """Algorithms ``katapult:*`` for the toolbox, models and ``qgis_process``."""

    def id(self) -> str:
        return "katapult"

    def name(self) -> str:
        return QCoreApplication.translate("KatapultProcessing", "Katapult")

    def icon(self) -> QIcon:
        return QIcon(icon_path())

    def loadAlgorithms(self) -> None:
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())
