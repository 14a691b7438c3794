"""metadata.txt has every field the official QGIS plugin repository asks for, and parses."""
from __future__ import annotations

import configparser
import re

from tests.conftest import ROOT

REQUIRED = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
            "repository")
RECOMMENDED = ("tracker", "homepage", "icon", "tags", "category", "experimental", "deprecated",
               "changelog")


def read_metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()  # what QGIS's plugin loader uses (interpolation on)
    with open(ROOT / "metadata.txt", encoding="utf-8") as fh:
        parser.read_file(fh)
    return parser["general"]


def test_every_repository_field_is_present_and_not_empty():
    meta = read_metadata()
    for field in REQUIRED + RECOMMENDED:
        assert meta.get(field, "").strip(), f"metadata.txt: [general] {field} is missing or empty"
    # every value must survive interpolation (a stray % breaks QGIS's parser)
    assert all(isinstance(meta[key], str) for key in meta)


def test_field_values():
    meta = read_metadata()
    assert meta["qgisMinimumVersion"] == "3.22"
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", meta["email"])
    for field in ("repository", "tracker", "homepage"):
        assert meta[field].startswith("https://"), field
    assert (ROOT / meta["icon"]).is_file()
    assert meta["category"] in ("Raster", "Vector", "Database", "Mesh", "Web", "Plugins")
    assert meta["experimental"] in ("True", "False")
    assert meta["deprecated"] in ("True", "False")
    assert "\n" not in meta["description"] and len(meta["description"]) <= 200
    assert "<" not in meta["about"], "about must be plain text"
    assert all(tag.strip() for tag in meta["tags"].split(","))


def test_processing_flag_matches_plugin():
    meta = read_metadata()
    text = (ROOT / "plugin" / "main.py").read_text(encoding="utf-8")
    if meta.get("hasProcessingProvider", "no").lower() in ("yes", "true"):
        assert "def initProcessing" in text
