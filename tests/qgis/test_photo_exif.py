"""EXIF through QgsExifTools (exiv2) agrees with the pure fallback reader."""

from __future__ import annotations

import datetime as dt

import pytest

from plugin.photos.exif import read_exif_file
from plugin.photos.qgis_exif import read_exif_qgis
from plugin.sandbox.jpeg import make_jpeg


@pytest.mark.parametrize("lat,lon", [(40.10706582, -77.02798504), (-33.8688, 151.2093)])
def test_qgis_and_pure_readers_agree(qgis_app, tmp_path, lat, lon):
    taken = dt.datetime(2025, 6, 1, 8, 30, 5, tzinfo=dt.timezone.utc)
    path = tmp_path / "p.jpg"
    path.write_bytes(
        make_jpeg(
            64, 48, (10, 120, 200), lat=lat, lon=lon, taken=taken, make="Apple", model="iPhone 13"
        )
    )
    ours, qgis = read_exif_file(str(path)), read_exif_qgis(str(path))
    assert qgis.latitude == pytest.approx(lat, abs=1e-6) and qgis.longitude == pytest.approx(
        lon, abs=1e-6
    )
    assert (qgis.latitude, qgis.longitude) == (
        pytest.approx(ours.latitude),
        pytest.approx(ours.longitude),
    )
    assert qgis.taken_epoch_ms() == ours.taken_epoch_ms() == int(taken.timestamp() * 1000)
    assert (qgis.camera_make, qgis.camera_model) == ("Apple", "iPhone 13")


def test_qgis_reader_without_exif_or_file(qgis_app, tmp_path):
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(make_jpeg(16, 16))
    info = read_exif_qgis(str(plain))
    assert not info.has_gps and info.taken_local is None
    assert not read_exif_qgis(str(tmp_path / "missing.jpg")).has_gps
