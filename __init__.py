"""Katapult for QGIS: plugin entry point."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """Return the plugin instance QGIS asks for."""
    from .plugin.main import KatapultPlugin

    return KatapultPlugin(iface)
