"""Test helpers: a sandbox job downloaded into a job GeoPackage (the layers room's writer)."""
from __future__ import annotations

from plugin.api.client import KatapultClient
from plugin.layers.geopackage import JobData, write_job_gpkg


def download_job(sandbox, path) -> str:
    """Fetch the sandbox's sample job over HTTP and write its GeoPackage at ``path``."""
    with KatapultClient(sandbox.base_url, sandbox.api_key) as client:
        job = JobData(
            sandbox.job_id, "sample",
            client.list_nodes(sandbox.job_id), client.list_connections(sandbox.job_id),
            client.list_photos(sandbox.job_id), server_url=sandbox.base_url,
        )
    return write_job_gpkg(job, str(path)).path
