#!/usr/bin/env bash
# Set up and run every test: lint, engine, data, CLI, AppTest wiring and real-browser tests.
# Usage: ./scripts/test.sh [pytest args]. SKIP_E2E=1 skips the browser tests (only when asked).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv with $PY"
  "$PY" -m venv .venv
fi
# Install only when a requirements file changed since the last install (a stamp in .venv remembers it).
stamp=.venv/.requirements-dev.sha256
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> Installing the Python packages in requirements-dev.txt into .venv (first run: about 1-2 minutes)"
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
  echo "$want" > "$stamp"
else
  echo "==> Python packages up to date (.venv)"
fi

need=()
if [ "${SKIP_E2E:-0}" != "1" ] && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then need+=(chromium); fi
# Korean text in downloaded chart images needs a CJK font (vl-convert uses the system's fonts).
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then need+=(fonts-noto-cjk fontconfig); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> Installing Debian packages for the tests: ${need[*]} (a few minutes)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "error: the tests need these Debian packages: ${need[*]} (sudo apt-get install ${need[*]}), or SKIP_E2E=1 for chromium" >&2
    exit 1
  fi
fi
# The accessibility audit's axe-core is vendored (tests/e2e/vendor/axe.min.js): nothing to fetch.

echo "==> ruff"
.venv/bin/ruff check .
echo "==> pytest: a dot per test. The slow ones: 1,000 hostile links through AppTest (-m fuzz, a few"
echo "    minutes with no dots; -m 'not fuzz' skips them) and the browser tests in tests/e2e (about two minutes)."
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
