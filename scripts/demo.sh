#!/usr/bin/env bash
echo "make demo: will start the built-in Katapult sandbox with a generated job, then run"
echo "download -> QA -> scripted edits -> push -> pull through qgis_process and render a map."
echo "Not wired yet: the sandbox, client and Processing algorithms are being built."
