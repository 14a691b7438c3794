"""Find a job's layers by their custom properties (``katapult/kind``, ``katapult/job_id``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer

KIND_PROPERTY = "katapult/kind"
JOB_PROPERTY = "katapult/job_id"
KINDS = ("node", "connection", "section")


def layer_kind(layer: Optional[QgsMapLayer]) -> Optional[str]:
    """``"node" | "connection" | "section"`` for a Katapult vector layer, else None."""
    if not isinstance(layer, QgsVectorLayer):
        return None
    kind = str(layer.customProperty(KIND_PROPERTY, "") or "")
    return kind if kind in KINDS else None


def layer_job_id(layer: Optional[QgsMapLayer]) -> str:
    """The ``katapult/job_id`` property of a layer ("" when absent)."""
    if layer is None:
        return ""
    return str(layer.customProperty(JOB_PROPERTY, "") or "")


@dataclass
class JobLayers:
    """The vector layers of one job (``sections`` may be missing)."""

    job_id: str
    nodes: Optional[QgsVectorLayer] = None
    connections: Optional[QgsVectorLayer] = None
    sections: Optional[QgsVectorLayer] = None

    def all(self) -> List[QgsVectorLayer]:
        """The layers that are present."""
        return [lyr for lyr in (self.nodes, self.connections, self.sections) if lyr is not None]

    def by_kind(self, kind: str) -> Optional[QgsVectorLayer]:
        """The layer of ``kind`` (``node``, ``connection``, ``section``)."""
        return {"node": self.nodes, "connection": self.connections, "section": self.sections}[kind]


def jobs_in_project(project: Optional[QgsProject] = None) -> Dict[str, JobLayers]:
    """Every job found in the project, keyed by job id (the first layer of a kind wins)."""
    project = project or QgsProject.instance()
    jobs: Dict[str, JobLayers] = {}
    for layer in project.mapLayers().values():
        kind = layer_kind(layer)
        if kind is None:
            continue
        job = jobs.setdefault(layer_job_id(layer), JobLayers(layer_job_id(layer)))
        attr = {"node": "nodes", "connection": "connections", "section": "sections"}[kind]
        if getattr(job, attr) is None:
            setattr(job, attr, layer)
    return jobs


def job_layers_for(
    layer: Optional[QgsMapLayer] = None, project: Optional[QgsProject] = None
) -> Optional[JobLayers]:
    """The job of ``layer``; without a Katapult layer, the project's only job (or None)."""
    jobs = jobs_in_project(project)
    if layer_kind(layer) is not None:
        return jobs.get(layer_job_id(layer))
    if len(jobs) == 1:
        return next(iter(jobs.values()))
    return None
