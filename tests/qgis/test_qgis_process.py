"""Every Katapult algorithm through the real /usr/bin/qgis_process.bin, against the sandbox."""
from __future__ import annotations

import os

import pytest
from qgis.core import QgsVectorLayer

from tests.support.qgis_process import QGIS_PROCESS, QgisProcessError, make_profile, run_algorithm

pytestmark = pytest.mark.skipif(
    not os.path.exists(QGIS_PROCESS), reason="qgis_process not installed"
)


@pytest.fixture(scope="module")
def qgis_config(tmp_path_factory):
    return make_profile(tmp_path_factory.mktemp("qgis-config"))


def test_listjobs_download_and_qa_headless(qgis_config, sandbox, tmp_path):
    creds = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
    jobs = run_algorithm(qgis_config, "katapult:listjobs",
                         {"OUTPUT": tmp_path / "jobs.gpkg"}, **creds)
    assert jobs["COUNT"] >= 1
    listed = QgsVectorLayer(str(jobs["OUTPUT"]), "jobs", "ogr")
    assert sandbox.job_id in {f["job_id"] for f in listed.getFeatures()}

    gpkg = tmp_path / "job.gpkg"
    dl = run_algorithm(qgis_config, "katapult:downloadjob",
                       {"JOB_ID": sandbox.job_id, "OUTPUT": gpkg}, **creds)
    assert dl["NODES"] > 0 and os.path.exists(gpkg)

    qa = run_algorithm(qgis_config, "katapult:qa",
                       {"INPUT": gpkg, "OUTPUT": tmp_path / "qa.gpkg", "MAX_SPAN_M": 1.0})
    # every span of the sample job is longer than 1 m: each one is reported
    issues = QgsVectorLayer(str(qa["OUTPUT"]), "qa", "ogr")
    assert qa["COUNT"] == issues.featureCount()
    assert sum(1 for f in issues.getFeatures() if f["rule"] == "span_too_long") == dl["CONNECTIONS"]


def test_headless_without_key_fails_with_the_fix(qgis_config, tmp_path):
    with pytest.raises(QgisProcessError) as err:
        run_algorithm(qgis_config, "katapult:listjobs", {"OUTPUT": tmp_path / "j.gpkg"},
                      extra_env={"KATAPULT_API_KEY": ""})
    assert "KATAPULT_API_KEY" in str(err.value)
