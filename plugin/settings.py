"""The plugin's settings (QgsSettings under ``katapult/``) and where the API key comes from.

Nothing secret is ever written to QgsSettings: the API key lives in QGIS's
authentication database (see :mod:`.auth`) and settings keep only the id of that
auth config. For headless use (tests, ``qgis_process``, CI) the environment
variables ``KATAPULT_API_KEY`` and ``KATAPULT_BASE_URL`` apply when no auth config
is chosen.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Tuple
from urllib.parse import urlsplit

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

from . import auth
from .api.masking import register_secret

translate = QCoreApplication.translate

DEFAULT_BASE_URL = "https://katapultpro.com/api/v3"
PREFIX = "katapult/"
ENV_API_KEY = "KATAPULT_API_KEY"
ENV_BASE_URL = "KATAPULT_BASE_URL"
UNITS = ("ft", "m")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_SECRET_WORDS = ("api_key", "apikey", "password", "secret", "token")


class SettingsError(ValueError):
    """A value the user typed is refused; ``str()`` says why and how to fix it."""


class MissingApiKeyError(Exception):
    """No API key is configured (neither an auth config nor ``KATAPULT_API_KEY``)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or translate(
                "Settings",
                "No Katapult API key is set. Open Web > Katapult > Settings… and enter "
                "your key, or set the KATAPULT_API_KEY environment variable."
            )
        )


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, ``127.0.0.1`` and ``::1`` (the only hosts allowed on http)."""
    host = (host or "").strip("[]").lower()
    if host == "localhost":
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return str(addr) in ("127.0.0.1", "::1")


def validate_base_url(url: str) -> str:
    """Return ``url`` normalised (no trailing slash) or raise :class:`SettingsError`.

    Accepted: ``https://host[:port]/path`` for any host, and ``http://`` only
    for 127.0.0.1, localhost and [::1].
    """
    text = (url or "").strip()
    if not text:
        raise SettingsError(
            translate("Settings", "Enter the server URL, e.g. https://katapultpro.com/api/v3.")
        )
    if any(ch.isspace() for ch in text):
        raise SettingsError(translate("Settings", "The server URL must not contain spaces."))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise SettingsError(
            translate("Settings", "The server URL is malformed (bad host or port): {url}").format(
                url=text
            )
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(
            translate(
                "Settings",
                "The server URL must start with https:// and name a server, "
                "e.g. https://katapultpro.com/api/v3 (got: {url})."
            ).format(url=text)
        )
    host = parts.hostname or ""
    if not host:
        raise SettingsError(
            translate("Settings", "The server URL has no host name: {url}").format(url=text)
        )
    if parts.username or parts.password:
        raise SettingsError(
            translate(
                "Settings", "The server URL must not contain a user name or password (user@host)."
            )
        )
    if parts.query or parts.fragment:
        raise SettingsError(
            translate(
                "Settings",
                "The server URL must not contain '?' or '#' parts: enter the API key in "
                "its own field."
            )
        )
    if scheme == "http" and not is_loopback_host(host):
        raise SettingsError(
            translate(
                "Settings",
                "Plain http:// is only allowed for a server on this computer (127.0.0.1, "
                "localhost or [::1]); use https://{host} instead, so the API key is "
                "encrypted in transit."
            ).format(host=host)
        )
    del port  # parsed only to validate it
    netloc = parts.netloc
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"


def validate_api_key(key: str) -> str:
    """Return ``key`` unchanged or raise :class:`SettingsError` (empty, whitespace, control)."""
    if key is None or key == "":
        raise SettingsError(translate("Settings", "Enter your Katapult API key."))
    for index, ch in enumerate(key):
        if ch.isspace():
            raise SettingsError(
                translate(
                    "Settings",
                    "The API key contains a space or line break (character {n}). Copy it "
                    "again from Katapult Pro without surrounding spaces."
                ).format(n=index + 1)
            )
        if not ch.isprintable():
            raise SettingsError(
                translate(
                    "Settings",
                    "The API key contains an invisible control character (character {n})."
                ).format(n=index + 1)
            )
    return key


class Settings:
    """Typed access to the plugin's QgsSettings (``katapult/…``); never stores secrets."""

    def __init__(self, qsettings: QgsSettings | None = None) -> None:
        self._s = qsettings if qsettings is not None else QgsSettings()

    # -- generic -----------------------------------------------------------
    def value(self, name: str, default: Any = None, type_: type = None) -> Any:
        """Read ``katapult/<name>`` (``type_`` converts, e.g. ``float``)."""
        if type_ is None:
            return self._s.value(PREFIX + name, default)
        return self._s.value(PREFIX + name, default, type_)

    def set_value(self, name: str, value: Any) -> None:
        """Write ``katapult/<name>``. Refuses names that look like secrets."""
        lowered = name.lower()
        if any(word in lowered for word in _SECRET_WORDS) and name != "auth_config_id":
            raise SettingsError(
                f"refusing to store {name!r} in QgsSettings: secrets belong in the auth database"
            )
        self._s.setValue(PREFIX + name, value)
        self._s.sync()

    def remove(self, name: str) -> None:
        """Delete ``katapult/<name>``."""
        self._s.remove(PREFIX + name)
        self._s.sync()

    # -- typed -------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The server URL chosen in the Settings dialog (default: Katapult Pro)."""
        return str(self.value("server_url", DEFAULT_BASE_URL) or DEFAULT_BASE_URL)

    @base_url.setter
    def base_url(self, url: str) -> None:
        self.set_value("server_url", validate_base_url(url))

    @property
    def auth_config_id(self) -> str:
        """Id of the QGIS auth config holding the API key ("" = none chosen)."""
        return str(self.value("auth_config_id", "") or "")

    @auth_config_id.setter
    def auth_config_id(self, config_id: str) -> None:
        self.set_value("auth_config_id", config_id or "")

    @property
    def units(self) -> str:
        """Display units for lengths and heights: ``"ft"`` (default) or ``"m"``."""
        units = str(self.value("units", "ft") or "ft")
        return units if units in UNITS else "ft"

    @units.setter
    def units(self, units: str) -> None:
        if units not in UNITS:
            raise SettingsError(
                translate("Settings", "Units must be 'ft' or 'm' (got {u}).").format(u=units)
            )
        self.set_value("units", units)

    # -- credentials -------------------------------------------------------
    def credentials(self) -> Tuple[str, str]:
        """``(base_url, api_key)`` for :class:`plugin.api.client.KatapultClient`.

        With an auth config chosen: the key from QGIS's authentication database and the
        server URL from settings. Without one: ``KATAPULT_API_KEY`` and
        ``KATAPULT_BASE_URL`` (falling back to the server URL setting).
        Raises :class:`MissingApiKeyError` when there is no key and
        :class:`auth.AuthStoreError` when the auth database cannot be read.
        """
        config_id = self.auth_config_id
        if config_id:
            key = auth.load_api_key(config_id)
            base_url = self.base_url
        else:
            key = os.environ.get(ENV_API_KEY, "")
            base_url = os.environ.get(ENV_BASE_URL, "") or self.base_url
            if key:
                base_url = validate_base_url(base_url)
        if not key:
            raise MissingApiKeyError()
        register_secret(key)
        return base_url, key

    def save_credentials(self, base_url: str, api_key: str) -> str:
        """Validate both, store the key in the auth database, then the URL and config id.

        Nothing is saved when either value is refused. Returns the auth config id.
        """
        url = validate_base_url(base_url)
        key = validate_api_key(api_key)
        register_secret(key)
        config_id = auth.store_api_key(key, url, self.auth_config_id or None)
        self.set_value("server_url", url)
        self.auth_config_id = config_id
        return config_id

    def forget_credentials(self) -> bool:
        """Delete the stored key (its auth config) and the config id; True if one existed.

        Afterwards ``KATAPULT_API_KEY`` applies again, if set.
        """
        config_id = self.auth_config_id
        if not config_id:
            return False
        removed = auth.remove_api_key(config_id)
        self.remove("auth_config_id")
        return removed
