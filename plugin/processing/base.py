"""Shared plumbing for the Katapult Processing algorithms: credentials, cancel, errors."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..api.masking import mask_secrets
from ..api.pacing import CancelToken
from ..paths import icon_path


class KatapultAlgorithm(QgsProcessingAlgorithm):
    """Base class: ``AUTHCFG`` / ``BASE_URL`` parameters and a client built from them.

    Credentials: the ``AUTHCFG`` auth configuration when given; otherwise the plugin's
    settings (auth database), or ``KATAPULT_API_KEY`` / ``KATAPULT_BASE_URL`` when no
    auth configuration is chosen (headless use with ``qgis_process``).
    """

    AUTHCFG = "AUTHCFG"
    BASE_URL = "BASE_URL"
    INPUT = "INPUT"
    NAME = ""
    DISPLAY = ""
    HELP = ""

    def tr(self, text: str) -> str:
        """Translate under the class that holds the literal (how ``make translations`` files
        ``self.tr`` strings: context = the class), then the shared ``KatapultProcessing``."""
        for cls in type(self).__mro__:
            if cls is KatapultAlgorithm:
                break
            out = QCoreApplication.translate(cls.__name__, text)
            if out != text:
                return out
        out = QCoreApplication.translate("KatapultAlgorithm", text)
        if out != text:
            return out
        return QCoreApplication.translate("KatapultProcessing", text)

    def createInstance(self):
        return type(self)()

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:
        return self.tr(self.DISPLAY)

    def shortHelpString(self) -> str:
        return self.tr(self.HELP)

    def icon(self) -> QIcon:
        return QIcon(icon_path())

    def add_connection_parameters(self) -> None:
        auth = QgsProcessingParameterAuthConfig(
            self.AUTHCFG, self.tr("Katapult API key (authentication configuration)"),
            optional=True,
        )
        self.addParameter(auth)
        url = QgsProcessingParameterString(
            self.BASE_URL, self.tr("Server URL (empty: the plugin setting or KATAPULT_BASE_URL)"),
            optional=True,
        )
        self.addParameter(url)

    def add_job_gpkg_parameter(self) -> None:
        """The ``INPUT`` parameter: a downloaded job's GeoPackage."""
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("Job GeoPackage"), extension="gpkg"))

    def job_gpkg(self, parameters, context) -> tuple:
        """``(path, job_id)`` of the ``INPUT`` GeoPackage; a clear error if it is not a job."""
        from ..layers.sync_io import job_id_of

        path = self.parameterAsFile(parameters, self.INPUT, context)
        try:
            return path, job_id_of(path)
        except Exception as exc:  # noqa: BLE001 (a sentence naming the file)
            raise self.fail(exc) from None

    def client(self, parameters, context, governor=None):
        """A :class:`KatapultClient` for these parameters (raises a clear Processing error)."""
        from ..connection import make_client

        authcfg = self.parameterAsString(parameters, self.AUTHCFG, context) or ""
        base_url = self.parameterAsString(parameters, self.BASE_URL, context) or ""
        try:
            return make_client(base_url, auth_config_id=authcfg, governor=governor)
        except Exception as exc:  # noqa: BLE001 (turned into a sentence for the user)
            raise QgsProcessingException(
                self.tr("Cannot connect to Katapult: {error}. Set an API key in the plugin "
                        "settings, pass AUTHCFG, or set KATAPULT_API_KEY.").format(
                    error=mask_secrets(str(exc)))
            ) from None

    @staticmethod
    def cancel_token(feedback) -> CancelToken:
        """A :class:`CancelToken` that fires when the Processing run is cancelled."""
        token = CancelToken()
        if feedback is not None:
            feedback.canceled.connect(token.cancel)
            if feedback.isCanceled():
                token.cancel()
        return token

    def fail(self, exc: BaseException) -> QgsProcessingException:
        """A Processing error whose text is the (masked) sentence of ``exc``."""
        return QgsProcessingException(mask_secrets(str(exc)))
