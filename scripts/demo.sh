#!/usr/bin/env bash
# `make demo`: sandbox + generated job, then listjobs -> downloadjob -> QA -> scripted edits ->
# push -> pull through qgis_process, server verification over HTTP, and a PNG of the styled
# job (build/demo/job.png). Exit status 0 only when every check passed. See scripts/demo.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export PROJ_DATA=${PROJ_DATA:-/usr/share/proj}
exec .venv/bin/python scripts/demo.py "$@"
