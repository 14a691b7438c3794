#!/usr/bin/env bash
# One-time, idempotent set-up for `make test`, `make demo` and friends on Debian:
# QGIS 3.22 LTR and helpers from apt, then a venv that sees the system's qgis module.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(qgis python3-qgis qgis-providers xvfb xauth python3-venv python3-requests
              python3-shapely python3-pyproj pyqt5-dev-tools qttools5-dev-tools imagemagick)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to install ${missing[*]} (run as root or install them yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv from /usr/bin/python3 (with system site-packages for qgis)"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
if [ ! -f .venv/.req-stamp ] || ! cmp -s requirements-test.txt .venv/.req-stamp; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-test.txt
  cp requirements-test.txt .venv/.req-stamp
fi
.venv/bin/python -c "import qgis.core, requests, pyproj, shapely" \
  || { echo "setup: the venv cannot import qgis/requests/pyproj/shapely" >&2; exit 1; }
