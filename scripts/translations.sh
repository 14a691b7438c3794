#!/usr/bin/env bash
# Refresh i18n/katapult_<lang>.ts from every translatable string in the sources, then
# compile them to .qm. Idempotent: existing translations are kept, strings that left
# the code are dropped (-noobsolete), new ones appear as "unfinished" for a translator
# (open the .ts in Qt Linguist, or edit the XML). LANGS="es fr" adds languages.
set -euo pipefail
cd "$(dirname "$0")/.."

LANGS=${LANGS:-es}
PYLUPDATE=${PYLUPDATE:-pylupdate5}
LRELEASE=${LRELEASE:-lrelease}
PYTHON=${PYTHON:-python3}
for tool in "$PYLUPDATE" "$LRELEASE"; do
  command -v "$tool" >/dev/null || {
    echo "translations: $tool not found (Debian: apt-get install pyqt5-dev-tools qttools5-dev-tools)" >&2
    exit 1
  }
done

mapfile -t SOURCES < <(find __init__.py plugin -name '*.py' -not -path '*/__pycache__/*' | sort)
mapfile -t FORMS < <(find plugin -name '*.ui' | sort)
mkdir -p i18n
for lang in $LANGS; do
  ts="i18n/katapult_${lang}.ts"
  fresh="i18n/.katapult_${lang}.fresh.ts"
  trap 'rm -f "$fresh"' EXIT
  # Extract into a fresh file (same folder, so locations stay relative to i18n/), then
  # fix module-level tr() contexts and carry every existing translation over.
  rm -f "$fresh"
  "$PYLUPDATE" -noobsolete "${SOURCES[@]}" "${FORMS[@]}" -ts "$fresh" 2>/dev/null
  "$PYTHON" scripts/i18n_merge.py "$fresh" "$ts" "$ts"
  rm -f "$fresh"
  "$LRELEASE" -silent "$ts" -qm "i18n/katapult_${lang}.qm"
done
