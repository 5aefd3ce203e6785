#!/usr/bin/env bash
# Set up (first time) and start the app. Options are passed on to `streamlit run`, e.g.
#   ./scripts/run.sh --server.port 8502
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv with $PY"
  "$PY" -m venv .venv
fi
# Install only when requirements.txt changed since the last install (a stamp in .venv remembers it).
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> Installing the Python packages in requirements.txt into .venv (first run: about 1-2 minutes)"
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
  echo "$want" > "$stamp"
else
  echo "==> Python packages up to date (.venv)"
fi
# Byte-compile the app's own modules (only what changed): Python would cache them itself, but not where
# PYTHONDONTWRITEBYTECODE is set, and compiling them from source took about 65 ms of every cold start.
.venv/bin/python -m compileall -q scenarios ui > /dev/null || echo "==> (could not byte-compile the modules; starting anyway)"
echo "==> Starting the app; Streamlit prints its address below (default http://localhost:8501)."
echo "    Another port: ./scripts/run.sh --server.port 8502"
exec .venv/bin/python -m streamlit run app.py "$@"
