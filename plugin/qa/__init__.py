"""Field-data QA: rules (pure) and their QGIS adapters."""
