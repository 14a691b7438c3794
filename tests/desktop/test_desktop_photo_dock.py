"""The photo dock in the real QGIS desktop under Xvfb: a sandbox job opened, a pole selected,
thumbnails fetched by the plugin's worker; screenshot to test-artifacts/desktop_photo_dock.png."""

from __future__ import annotations

import json
import os

import pytest

from plugin.sandbox import SandboxServer
from tests.conftest import ARTIFACTS
from tests.desktop.test_desktop_startup import QGIS, run_in_process_group

pytestmark = [pytest.mark.desktop, pytest.mark.sandbox]

# Runs inside QGIS (``qgis --code``). Uses only the installed plugin and the sandbox over HTTP.
SCRIPT = r"""
import json, os, time, traceback
from pathlib import Path
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.utils import iface
import qgis.utils as utils

OUT = Path(os.environ["KATAPULT_DESKTOP_OUT"])
WORK = Path(os.environ["KATAPULT_PHOTO_WORK"])
report = {"ok": False, "checks": {}, "errors": []}
state = {"t0": time.monotonic()}


def setup():
    from katapult_qgis.plugin.connection import make_client
    from katapult_qgis.plugin.layers.geopackage import JobData, write_job_gpkg
    from katapult_qgis.plugin.layers.project import add_job_layers

    job_id = os.environ["KATAPULT_JOB_ID"]
    with make_client() as client:
        nodes = client.list_nodes(job_id)
        job = JobData(job_id, "Photo dock demo", nodes, client.list_connections(job_id),
                      client.list_photos(job_id), server_url=client.base_url)
    path = write_job_gpkg(job, str(WORK / "job.gpkg")).path
    layers = add_job_layers(path, QgsProject.instance(), iface.mapCanvas(), zoom=True)
    node = max(nodes, key=lambda n: len(n.get("photos") or {}))
    plugin = utils.plugins["katapult_qgis"]
    dock = plugin.dock("KatapultPhotoDock")
    report["checks"]["dock_found"] = dock is not None
    iface.mainWindow().showMaximized()
    dock.setVisible(True)
    dock.raise_()
    layer = layers["node"]
    layer.selectByIds([f.id() for f in layer.getFeatures() if f["kp_id"] == node["id"]])
    state.update(dock=dock, node=node, expected=len(node.get("photos") or {}))
    report["checks"]["node_id"] = node["id"]
    report["checks"]["expected_photos"] = state["expected"]


def poll():
    try:
        dock = state["dock"]
        if len(dock._images) < state["expected"] and time.monotonic() - state["t0"] < 60:
            QTimer.singleShot(200, poll)
            return
        QgsApplication.processEvents()
        if dock.list.count() > 1:
            dock.list.setCurrentRow(1)  # a selected photo (the main one keeps its own marking)
        QgsApplication.processEvents()
        checks = report["checks"]
        checks["listed"] = dock.list.count()
        checks["thumbnails"] = len(dock._images)
        checks["captions"] = [dock.list.item(i).text() for i in range(dock.list.count())]
        checks["title"] = dock.title.text()
        checks["dock_png"] = dock.grab().save(str(OUT / "desktop_photo_dock.png"))
        window_png = str(OUT / "desktop_photo_dock_window.png")
        checks["window_png"] = iface.mainWindow().grab().save(window_png)
        start_import()
        return
    except Exception:
        report["errors"].append(traceback.format_exc())
    finish()


def start_import():
    # the folder import review table on photos written near the job's poles
    import math
    from katapult_qgis.plugin.gui.photo_import_dialog import PhotoImportDialog
    from katapult_qgis.plugin.sandbox.jpeg import make_jpeg, pole_photo

    folder = WORK / "card"
    folder.mkdir()
    node = state["node"]
    for i, (east, north) in enumerate([(2, 1), (-3, 2), (1, -4)]):
        lat = float(node["latitude"]) + north / 111320.0
        lon = float(node["longitude"]) + east / (111320.0 * math.cos(math.radians(lat)))
        pattern = pole_photo(96, 72, (120, 170, 230), (90, 60, 30), (60, 120, 60))
        (folder / f"DSC_{i:04d}.JPG").write_bytes(make_jpeg(96, 72, pattern, lat=lat, lon=lon))
    far = make_jpeg(96, 72, (200, 200, 200), lat=float(node["latitude"]) + 0.05,
                    lon=float(node["longitude"]))
    (folder / "DSC_0100.JPG").write_bytes(far)
    (folder / "notes.jpg").write_bytes(b"field notes, not a photo")
    ctx = state["dock"].context
    dialog = PhotoImportDialog(state["dock"].backend, ctx.gpkg_path, ctx.job_id, iface.mainWindow())
    dialog.folder.setText(str(folder))
    dialog.distance.setValue(15)
    dialog.scanned.connect(lambda n: QTimer.singleShot(300, lambda: grab_import(dialog, n)))
    dialog.show()
    dialog.scan()
    QTimer.singleShot(60000, finish)


def grab_import(dialog, n):
    try:
        checks = report["checks"]
        checks["import_rows"] = n
        checks["import_unmatched"] = dialog.unmatched.text()
        checks["import_png"] = dialog.grab().save(str(OUT / "desktop_photo_import.png"))
        report["ok"] = True
    except Exception:
        report["errors"].append(traceback.format_exc())
    finish()


def finish():
    if state.get("finished"):
        return
    state["finished"] = True
    (OUT / "desktop_photo_dock.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    QgsApplication.exit(0)
    QTimer.singleShot(10000, lambda: os._exit(3))


def start():
    try:
        setup()
        QTimer.singleShot(300, poll)
    except Exception:
        report["errors"].append(traceback.format_exc())
        finish()


QTimer.singleShot(1500, start)
"""


def test_photo_dock_with_thumbnails_in_real_qgis(profile, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for name in (
        "desktop_photo_dock.json",
        "desktop_photo_dock.png",
        "desktop_photo_dock_window.png",
    ):
        (ARTIFACTS / name).unlink(missing_ok=True)
    script = tmp_path / "photo_dock_check.py"
    script.write_text(SCRIPT, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    server = SandboxServer(sample_nodes=10, seed=2, time_scale=60).start()
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
        env.update(
            HOME=str(tmp_path),
            KATAPULT_DESKTOP_OUT=str(ARTIFACTS),
            XDG_RUNTIME_DIR=str(tmp_path),
            LANG="C.UTF-8",
            KATAPULT_BASE_URL=server.base_url,
            KATAPULT_API_KEY=server.api_key,
            KATAPULT_JOB_ID=server.job_id,
            KATAPULT_PHOTO_WORK=str(work),
        )
        cmd = [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1600x1000x24",
            QGIS,
            "--profiles-path",
            str(profile),
            "--profile",
            "default",
            "--nologo",
            "--noversioncheck",
            "--code",
            str(script),
        ]
        code, _out, err = run_in_process_group(cmd, env, tmp_path, timeout=180)
    finally:
        server.stop()
    marker = ARTIFACTS / "desktop_photo_dock.json"
    assert marker.exists(), f"QGIS wrote no marker (rc={code}):\n{err[-3000:]}"
    report = json.loads(marker.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["ok"], report["errors"]
    checks = report["checks"]
    assert checks["dock_found"] and checks["expected_photos"] >= 2
    assert checks["listed"] == checks["expected_photos"] == checks["thumbnails"]
    assert any("★" in caption for caption in checks["captions"])
    assert checks["dock_png"] and (ARTIFACTS / "desktop_photo_dock.png").stat().st_size > 10_000
    assert checks["import_rows"] == 5 and "DSC_0100.JPG" in checks["import_unmatched"]
    assert checks["import_png"]
    # cached on disk under the throwaway profile, by photo id and size
    thumbs = list((profile / "profiles" / "default").rglob("cache/katapult/thumbs/small/*.jpg"))
    assert len(thumbs) >= checks["expected_photos"]
