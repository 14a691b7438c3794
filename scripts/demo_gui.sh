#!/usr/bin/env bash
# `make demo-gui`: the QGIS desktop with this plugin installed in a throwaway profile,
# pointed at the built-in sandbox (a local Katapult v3 server with a generated job).
# Nothing touches your real QGIS profile or a real Katapult account. Needs a display
# ($DISPLAY); without one it runs under xvfb-run (useful only for smoke tests).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
NODES=${NODES:-200}
WORK=$(mktemp -d /tmp/katapult-demo-gui.XXXXXX)
SANDBOX_PID=""
cleanup() {
  if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. the sandbox, on a free port; wait for its READY line
"$PY" -m plugin.sandbox --port 0 --api-key demo-key --sample-nodes "$NODES" --seed 1 \
  >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 100); do
  grep -q "SANDBOX READY" "$WORK/sandbox.log" 2>/dev/null && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
read -r _ _ BASE_URL JOB < <(grep "SANDBOX READY" "$WORK/sandbox.log")
echo "demo-gui: sandbox at $BASE_URL (${JOB}), API key demo-key"

# 2. a throwaway profile with the plugin linked in and enabled
PROFILE="$WORK/qgis/profiles/default"
make -s install PROFILE_DIR="$PROFILE"
mkdir -p "$PROFILE/QGIS"
printf '[PythonPlugins]\nkatapult_qgis=true\n' >"$PROFILE/QGIS/QGIS3.ini"

# 3. QGIS; the plugin finds the sandbox through KATAPULT_BASE_URL / KATAPULT_API_KEY
export KATAPULT_BASE_URL="$BASE_URL" KATAPULT_API_KEY=demo-key
unset QT_QPA_PLATFORM
echo "demo-gui: starting QGIS (profile in $WORK, removed on exit); Web > Katapult"
if [ -n "${DISPLAY:-}" ]; then
  qgis --profiles-path "$WORK/qgis" --profile default --nologo --noversioncheck "$@"
else
  echo "demo-gui: no \$DISPLAY; running under xvfb-run (nothing to see)"
  xvfb-run -a -s "-screen 0 1600x1000x24" \
    qgis --profiles-path "$WORK/qgis" --profile default --nologo --noversioncheck "$@"
fi
