"""JPEG validation by content and the pure EXIF reader."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from plugin.photos.exif import (
    ExifInfo,
    parse_exif_datetime,
    parse_utc_offset,
    read_exif_bytes,
    read_exif_file,
)
from plugin.photos.jpeg_check import check_jpeg_bytes, check_jpeg_file, inspect_jpeg_bytes
from plugin.sandbox.jpeg import make_jpeg

TAKEN = dt.datetime(2024, 5, 1, 13, 22, 10, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def good() -> bytes:
    return make_jpeg(
        64,
        48,
        (200, 10, 10),
        lat=40.10706,
        lon=-77.02798,
        taken=TAKEN,
        make="Apple",
        model="iPhone 13",
    )


def test_whole_jpeg_passes_and_has_sha(good):
    result = check_jpeg_bytes(good, "/x/IMG_1.jpg")
    assert result.ok and not result.error
    assert (result.width, result.height) == (64, 48)
    assert len(result.sha256) == 64 and result.size == len(good)


@pytest.mark.parametrize("cut", [1, 2, 10, 200])
def test_truncated_jpeg_is_refused(good, cut):
    result = check_jpeg_bytes(good[:-cut], "IMG_2.jpg")
    assert not result.ok
    assert "IMG_2.jpg" in result.error and "truncated" in result.error


def test_truncated_inside_headers(good):
    assert inspect_jpeg_bytes(good[:30])[0] == "truncated"


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a....", b"plain text", b"\xff\xd8"]
)
def test_not_jpeg_by_content(data):
    result = check_jpeg_bytes(data, "holiday.jpg")
    assert not result.ok
    assert "holiday.jpg" in result.error


def test_empty_file_message():
    result = check_jpeg_bytes(b"", "zero.jpg")
    assert not result.ok and "empty" in result.error


def test_corrupt_segment_length(good):
    broken = bytearray(good)
    broken[4:6] = b"\x00\x01"  # APP segment length < 2
    assert inspect_jpeg_bytes(bytes(broken))[0] == "corrupt"


def test_trailer_after_eoi_is_accepted(good):
    assert check_jpeg_bytes(good + b"\x00" * 16 + b"TRAILER").ok


def test_large_file_warning(good):
    result = check_jpeg_bytes(good, "big.jpg", warn_bytes=100)
    assert result.ok and result.warnings and "big.jpg" in result.warnings[0]


def test_files_extension_ignored_and_unreadable(tmp_path, good):
    jpeg_named_png = tmp_path / "photo.png"
    jpeg_named_png.write_bytes(good)
    png_named_jpg = tmp_path / "photo.jpg"
    png_named_jpg.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert check_jpeg_file(str(jpeg_named_png)).ok
    assert not check_jpeg_file(str(png_named_jpg)).ok
    missing = check_jpeg_file(str(tmp_path / "gone.jpg"))
    assert not missing.ok and "gone.jpg" in missing.error and "cannot be read" in missing.error
    if os.geteuid() != 0:
        locked = tmp_path / "locked.jpg"
        locked.write_bytes(good)
        locked.chmod(0)
        assert not check_jpeg_file(str(locked)).ok
    result, data = check_jpeg_file(str(jpeg_named_png), keep_data=True)
    assert data == good


def test_exif_gps_time_camera(good):
    info = read_exif_bytes(good)
    assert info.latitude == pytest.approx(40.10706, abs=1e-6)
    assert info.longitude == pytest.approx(-77.02798, abs=1e-6)
    assert info.camera_make == "Apple" and info.camera_model == "iPhone 13"
    assert info.taken_epoch_ms() == int(TAKEN.timestamp() * 1000)


def test_exif_southern_eastern_and_absent(tmp_path):
    data = make_jpeg(16, 16, lat=-33.5, lon=151.25)
    info = read_exif_bytes(data)
    assert (info.latitude, info.longitude) == (pytest.approx(-33.5), pytest.approx(151.25))
    assert not read_exif_bytes(make_jpeg(16, 16)).has_gps
    assert read_exif_bytes(b"garbage") == ExifInfo()
    path = tmp_path / "a.jpg"
    path.write_bytes(data)
    assert read_exif_file(str(path)).has_gps
    assert read_exif_file(str(tmp_path / "none.jpg")) == ExifInfo()


def test_exif_time_helpers():
    assert parse_exif_datetime("2024:05:01 13:22:10") == dt.datetime(2024, 5, 1, 13, 22, 10)
    assert parse_exif_datetime("    ") is None
    assert parse_exif_datetime("not a date") is None
    assert parse_utc_offset("+02:00") == 120 and parse_utc_offset("-05:30") == -330
    assert parse_utc_offset("bad") is None
    info = ExifInfo(taken_local=dt.datetime(2024, 5, 1, 15, 0, 0))
    assert info.taken_epoch_ms(120) == int(
        dt.datetime(2024, 5, 1, 13, 0, tzinfo=dt.timezone.utc).timestamp() * 1000
    )
