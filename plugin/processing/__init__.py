"""Processing provider "Katapult" and its algorithms (toolbox and qgis_process)."""
