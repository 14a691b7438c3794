"""The stdlib JPEG writer: decodable by Pillow and Qt, EXIF readable."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from plugin.sandbox.exif import jpeg_info, looks_like_jpeg
from plugin.sandbox.jpeg import make_jpeg, pole_photo


def test_structure_and_exif_round_trip():
    when = dt.datetime(2026, 5, 1, 13, 22, 10, tzinfo=dt.timezone.utc)
    data = make_jpeg(
        40, 24, (10, 200, 30), lat=-33.8688, lon=151.2093, taken=when, make="Make", model="Model"
    )
    assert looks_like_jpeg(data)
    info = jpeg_info(data)
    assert info["image_width"] == 40 and info["image_height"] == 24
    assert info["latitude"] == pytest.approx(-33.8688, abs=1e-6)
    assert info["longitude"] == pytest.approx(151.2093, abs=1e-6)
    assert info["date_taken"] == int(when.timestamp())
    assert (info["camera_make"], info["camera_model"]) == ("Make", "Model")


def test_without_exif_has_jfif_and_no_camera():
    data = make_jpeg(8, 8, (0, 0, 0))
    assert data[2:4] == b"\xff\xe0" and b"JFIF" in data[:20]
    assert set(jpeg_info(data)) == {"image_width", "image_height"}


def test_rejects_bad_sizes_and_non_jpeg():
    with pytest.raises(ValueError):
        make_jpeg(0, 8, (0, 0, 0))
    assert not looks_like_jpeg(b"\x89PNG....")
    assert not looks_like_jpeg(make_jpeg(8, 8, (1, 1, 1))[:-2])
    assert jpeg_info(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00garbage!") == {}


def test_pillow_decodes_colours_and_exif():
    Image = pytest.importorskip("PIL.Image")
    grid = [[(255, 0, 0), (0, 0, 255)], [(0, 255, 0), (255, 255, 255)]]
    data = make_jpeg(32, 16, grid, lat=40.2, lon=-77.19, taken=1780000000)
    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.size == (32, 16) and img.mode == "RGB"
    for (x, y), want in {
        (3, 3): (255, 0, 0),
        (11, 3): (0, 0, 255),
        (3, 11): (0, 255, 0),
        (11, 11): (255, 255, 255),
        (19, 3): (255, 0, 0),
    }.items():
        got = img.getpixel((x, y))
        assert all(abs(a - b) <= 4 for a, b in zip(got, want)), (x, y, got)
    exif = img.getexif()
    assert exif.get(0x010F) == "Katapult Sandbox"
    gps = exif.get_ifd(0x8825)
    assert gps[1] == "N" and gps[3] == "W"
    assert float(gps[2][0]) == 40 and float(gps[4][0]) == 77
    assert exif.get_ifd(0x8769)[0x9003] == dt.datetime.fromtimestamp(
        1780000000, dt.timezone.utc
    ).strftime("%Y:%m:%d %H:%M:%S")


def test_qt_decodes_pole_photo():
    QtGui = pytest.importorskip("qgis.PyQt.QtGui")
    data = make_jpeg(
        160,
        120,
        pole_photo(160, 120, (135, 190, 235), (90, 60, 30), (60, 120, 50)),
        lat=40.2,
        lon=-77.19,
        taken=1780000000,
    )
    img = QtGui.QImage()
    assert img.loadFromData(data, "JPG")
    assert (img.width(), img.height()) == (160, 120)
    sky = QtGui.QColor(img.pixel(4, 4))
    pole = QtGui.QColor(img.pixel(84, 60))
    ground = QtGui.QColor(img.pixel(4, 116))
    assert (
        abs(sky.blue() - 235) <= 4 and abs(pole.red() - 90) <= 4 and abs(ground.green() - 120) <= 4
    )


def test_qgis_exif_tools_read_gps_time_and_make(tmp_path):
    core = pytest.importorskip("qgis.core")
    path = tmp_path / "p.jpg"
    path.write_bytes(make_jpeg(20, 13, (200, 100, 50), lat=40.2015, lon=-77.189, taken=1780000000))
    point, ok = core.QgsExifTools.getGeoTag(str(path))
    assert ok
    assert point.x() == pytest.approx(-77.189, abs=1e-6) and point.y() == pytest.approx(
        40.2015, abs=1e-6
    )
    when = core.QgsExifTools.readTag(str(path), "Exif.Photo.DateTimeOriginal")
    want = dt.datetime.fromtimestamp(1780000000, dt.timezone.utc)
    assert (when.date().year(), when.date().month(), when.time().hour()) == (
        want.year,
        want.month,
        want.hour,
    )
    assert core.QgsExifTools.readTag(str(path), "Exif.Image.Make") == "Katapult Sandbox"
