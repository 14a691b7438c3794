#!/usr/bin/env python3
"""Build the zip the QGIS Plugin Manager installs ("Install from ZIP").

Layout: one top folder ``katapult_qgis/`` holding metadata.txt, __init__.py,
plugin/, resources/, i18n/*.qm, README.md and LICENSE (when present). Never
tests, the venv, caches, translation sources, docs or scripts.

    python3 scripts/package.py --output dist/katapult_qgis.zip
"""
from __future__ import annotations

import argparse
import configparser
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_NAME = "katapult_qgis"
TOP_FILES = ("metadata.txt", "__init__.py", "README.md", "LICENSE")
TREES = ("plugin", "resources")
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".git"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts", ".pro", ".orig", ".rej", ".swp", ".bak"}
SKIP_NAMES = {".DS_Store", "Thumbs.db", ".gitignore", ".gitkeep"}


def version(root: Path = ROOT) -> str:
    """The ``version`` in metadata.txt."""
    parser = configparser.ConfigParser()
    parser.read(root / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def _wanted(path: Path) -> bool:
    return (
        path.is_file()
        and not any(part in SKIP_DIRS for part in path.parts)
        and path.suffix not in SKIP_SUFFIXES
        and path.name not in SKIP_NAMES
    )


def files_to_package(root: Path = ROOT) -> list[Path]:
    """Paths (relative to ``root``) that go into the zip, sorted."""
    out = [Path(name) for name in TOP_FILES if (root / name).is_file()]
    for tree in TREES:
        out += [p.relative_to(root) for p in (root / tree).rglob("*") if _wanted(p)]
    out += [p.relative_to(root) for p in sorted((root / "i18n").glob("*.qm"))]
    return sorted(set(out))


def build(output: Path, root: Path = ROOT) -> list[str]:
    """Write the zip to ``output``; return the archive names written."""
    output.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zf:
        dirs = set()
        for rel in files_to_package(root):
            for parent in reversed(rel.parents[:-1]):
                dirs.add(parent)
        for directory in sorted({Path()} | dirs):
            arc = f"{PLUGIN_NAME}/{directory.as_posix()}/".replace("/./", "/")
            zf.writestr(zipfile.ZipInfo(arc if directory != Path() else f"{PLUGIN_NAME}/"), "")
        for rel in files_to_package(root):
            arc = f"{PLUGIN_NAME}/{rel.as_posix()}"
            zf.write(root / rel, arc)
            names.append(arc)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / f"{PLUGIN_NAME}.zip")
    args = parser.parse_args(argv)
    if not list((ROOT / "i18n").glob("*.qm")):
        print("package: no compiled translations in i18n/ (run `make translations`)",
              file=sys.stderr)
    names = build(args.output)
    print(f"package: {args.output} ({len(names)} files, version {version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
