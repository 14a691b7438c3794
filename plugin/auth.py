"""The API key in QGIS's authentication database (encrypted with the master password).

Storage choice (works on QGIS 3.22, which has no "APIHeader" method): one auth
config per key with method ``Basic``, user name ``api_key`` and the key as the
password; the config's URI is the server URL. The key therefore shows up in
Settings > Options > Authentication as an ordinary, editable Basic config named
"Katapult API key (<host>)". QgsSettings keep only the config id.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QCoreApplication

translate = QCoreApplication.translate

AUTH_METHOD = "Basic"
USERNAME = "api_key"


class AuthStoreError(Exception):
    """The auth database could not be read or written; ``str()`` says what to do."""


def _manager():
    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        raise AuthStoreError(
            translate(
                "Auth", "QGIS's authentication system is disabled, so the API key cannot be stored."
            )
        )
    return manager


def _unlock(manager) -> None:
    """Ask for the master password if needed (QGIS shows its own dialog; from a
    background thread QGIS hands the question to the GUI thread and waits)."""
    if manager.masterPasswordIsSet():
        return
    if not manager.setMasterPassword(True):
        raise AuthStoreError(
            translate(
                "Auth",
                "QGIS's authentication database is locked: enter (or create) its master "
                "password when QGIS asks, then try again."
            )
        )


def config_name(base_url: str) -> str:
    """Display name of the auth config for ``base_url``."""
    host = urlsplit(base_url).hostname or base_url
    return translate("Auth", "Katapult API key ({host})").format(host=host)


def store_api_key(api_key: str, base_url: str, config_id: str | None = None) -> str:
    """Create (or update ``config_id``) an auth config holding ``api_key``; return its id."""
    manager = _manager()
    _unlock(manager)
    config = QgsAuthMethodConfig(AUTH_METHOD)
    config.setName(config_name(base_url))
    config.setUri(base_url)
    config.setConfig("username", USERNAME)
    config.setConfig("password", api_key)
    if config_id and config_id in manager.configIds():
        config.setId(config_id)
        if not manager.updateAuthenticationConfig(config):
            raise AuthStoreError(translate("Auth", "QGIS could not update the stored API key."))
        return config_id
    result = manager.storeAuthenticationConfig(config)
    ok = result[0] if isinstance(result, tuple) else bool(result)
    if not ok or not config.id():
        raise AuthStoreError(
            translate("Auth", "QGIS could not store the API key in its authentication database.")
        )
    return config.id()


def load_api_key(config_id: str) -> str:
    """The API key stored in auth config ``config_id``."""
    manager = _manager()
    if config_id not in manager.configIds():
        raise AuthStoreError(
            translate(
                "Auth",
                "The authentication configuration {id} chosen for Katapult no longer exists. "
                "Open Web > Katapult > Settings… and enter the API key again."
            ).format(id=config_id)
        )
    _unlock(manager)
    config = QgsAuthMethodConfig()
    result = manager.loadAuthenticationConfig(config_id, config, True)
    ok = result[0] if isinstance(result, tuple) else bool(result)
    if not ok:
        raise AuthStoreError(
            translate(
                "Auth", "QGIS could not read the API key from authentication configuration {id}."
            ).format(id=config_id)
        )
    if isinstance(result, tuple) and len(result) > 1 and result[1] is not None:
        config = result[1]
    return str(config.config("password", "") or "")


def remove_api_key(config_id: str) -> bool:
    """Delete auth config ``config_id``; True when it existed and is gone."""
    manager = _manager()
    if config_id not in manager.configIds():
        return False
    return bool(manager.removeAuthenticationConfig(config_id))
