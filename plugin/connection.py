"""QGIS side of the connection: a KatapultClient with QGIS's proxy and CA settings.

The key comes from :meth:`Settings.credentials` (auth database, or the
``KATAPULT_API_KEY``/``KATAPULT_BASE_URL`` environment for headless use) or is
given explicitly (Processing's ``AUTHCFG`` parameter).
"""
from __future__ import annotations

import os
from typing import Optional, Tuple

from qgis.core import QgsSettings

from .api.client import KatapultClient
from .api.pacing import Governor
from .settings import Settings


def qgis_session_hook(session) -> None:
    """Apply QGIS's proxy settings and custom CA bundle to a ``requests.Session``."""
    qs = QgsSettings()
    if qs.value("proxy/proxyEnabled", False, type=bool):
        host = qs.value("proxy/proxyHost", "", type=str)
        port = qs.value("proxy/proxyPort", "", type=str)
        if host:
            user = qs.value("proxy/proxyUser", "", type=str)
            password = qs.value("proxy/proxyPassword", "", type=str)
            auth = f"{user}:{password}@" if user else ""
            url = f"http://{auth}{host}" + (f":{port}" if port else "")
            session.proxies.update({"http": url, "https": url})
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    if ca_bundle and os.path.exists(ca_bundle):
        session.verify = ca_bundle


def resolve_credentials(auth_config_id: str = "", base_url: str = "") -> Tuple[str, str]:
    """``(base_url, api_key)``: from an explicit auth config, else from :class:`Settings`."""
    settings = Settings()
    if auth_config_id:
        from .auth import load_api_key

        return (base_url or settings.base_url), load_api_key(auth_config_id)
    url, key = settings.credentials()
    return (base_url or url), key


def make_client(
    base_url: str = "",
    api_key: str = "",
    *,
    auth_config_id: str = "",
    governor: Optional[Governor] = None,
) -> KatapultClient:
    """A client for the configured server (or the given URL/key), QGIS network settings applied."""
    if not api_key:
        base_url, api_key = resolve_credentials(auth_config_id, base_url)
    return KatapultClient(
        base_url, api_key, governor=governor, configure_session=qgis_session_hook
    )
