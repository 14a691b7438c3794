"""QA findings as QGIS features, a memory layer, a GeoPackage layer or a CSV file."""
from __future__ import annotations

import csv
from typing import Iterable, Sequence

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from .rules import QaIssue

ISSUE_FIELDS = ("rule", "severity", "kind", "entity_id", "parent_id", "message")


def issue_fields() -> QgsFields:
    """The fields of a QA issues layer."""
    fields = QgsFields()
    for name in ISSUE_FIELDS:
        fields.append(QgsField(name, QVariant.String))
    return fields


def issue_feature(issue: QaIssue, fields: QgsFields) -> QgsFeature:
    """One finding as a feature (no geometry when the finding has no position)."""
    feature = QgsFeature(fields)
    feature.setAttributes([issue.rule, issue.severity, issue.kind, issue.entity_id,
                           issue.parent_id or "", issue.message])
    if issue.lon is not None and issue.lat is not None:
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(issue.lon, issue.lat)))
    return feature


def issues_layer(issues: Sequence[QaIssue], name: str = "Katapult QA") -> QgsVectorLayer:
    """A memory point layer (EPSG:4326) holding the findings."""
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name, "memory")
    fields = issue_fields()
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    layer.dataProvider().addFeatures([issue_feature(i, fields) for i in issues])
    layer.updateExtents()
    return layer


def write_gpkg(issues: Sequence[QaIssue], path: str, layer_name: str = "qa_issues") -> str:
    """Write the findings as a GeoPackage layer; returns an error text or ``""``."""
    layer = issues_layer(issues, layer_name)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    result = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, path, QgsCoordinateTransformContext(), options)
    return "" if result[0] == QgsVectorFileWriter.NoError else str(result[1])


def write_csv(issues: Iterable[QaIssue], path: str) -> None:
    """Write the findings as CSV (UTF-8, one row per finding, with lon/lat)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*ISSUE_FIELDS, "lon", "lat"])
        for i in issues:
            writer.writerow([i.rule, i.severity, i.kind, i.entity_id, i.parent_id or "",
                             i.message, "" if i.lon is None else i.lon,
                             "" if i.lat is None else i.lat])
