"""QGIS adapters: job GeoPackage, project layers, styles, forms, refresh."""
