"""Where the plugin's files are on disk (works installed and from the repository)."""
from __future__ import annotations

from pathlib import Path

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
RESOURCES = PLUGIN_ROOT / "resources"
STYLES = RESOURCES / "styles"
I18N = PLUGIN_ROOT / "i18n"


def icon_path(name: str = "icon.svg") -> str:
    """Path of an icon in ``resources/`` as a string for ``QIcon``."""
    return str(RESOURCES / name)
