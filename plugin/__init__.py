"""Katapult for QGIS. Subpackages use relative imports only."""
