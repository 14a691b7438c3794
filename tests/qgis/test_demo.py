"""`make demo` end to end: scripts/demo.py against its own sandbox subprocess, run twice."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from qgis.PyQt.QtGui import QImage

from tests.conftest import ROOT
from tests.support.qgis_process import QGIS_PROCESS

pytestmark = pytest.mark.skipif(
    not os.path.exists(QGIS_PROCESS), reason="qgis_process not installed"
)


def run_demo(work) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--work", str(work), "--nodes", "60"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


@pytest.mark.timeout(900)
def test_demo_runs_end_to_end_twice(qgis_app, tmp_path):
    work = tmp_path / "demo"
    for attempt in (1, 2):  # the second run starts from scratch in the same folder
        proc = run_demo(work)
        out = proc.stdout
        assert proc.returncode == 0, f"run {attempt}:\n{out[-4000:]}\n{proc.stderr[-3000:]}"
        assert "DEMO PASS" in out and "FAIL" not in out
        for step in ("listjobs", "downloadjob", "qa", "push", "pull"):
            assert f"qgis_process katapult:{step}" in out
        assert "second push sends nothing" in out
        assert "deleted span" in out and "is gone from the server" in out
        assert "== sandbox stopped" in out
    png = work / "job.png"
    assert f"map of the styled job: {png}" in out
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 1000)
    assert distinct_colours(image) > 5  # a drawn map, not a blank canvas
    assert (work / "job-detail.png").exists()
    # the sandbox subprocess is gone (its port no longer answers)
    url = next(line.split()[2] for line in out.splitlines() if line.startswith("== sandbox:"))
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/jobs?api_key=demo-key", timeout=2)
