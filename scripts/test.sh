#!/usr/bin/env bash
# Set up and run every test: lint, engine, data, CLI, AppTest wiring and real-browser tests.
# Usage: ./scripts/test.sh [pytest args]. SKIP_E2E=1 skips the browser tests (only when asked).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

need=()
if [ "${SKIP_E2E:-0}" != "1" ] && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then need+=(chromium); fi
# Korean text in downloaded chart images needs a CJK font (vl-convert uses the system's fonts).
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then need+=(fonts-noto-cjk fontconfig); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages for the tests: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "error: the tests need these Debian packages: ${need[*]} (sudo apt-get install ${need[*]}), or SKIP_E2E=1 for chromium" >&2
    exit 1
  fi
fi

.venv/bin/ruff check .
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
