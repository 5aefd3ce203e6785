"""A real Streamlit server on a free port and a real Chromium, both always stopped by their own PID.

Browser tests are skipped only when SKIP_E2E=1 is set; a missing Chromium is
an error, never a silent skip.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PINNED_TODAY = "2026-12-06"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if os.environ.get("SKIP_E2E") == "1":
                item.add_marker(pytest.mark.skip(reason="SKIP_E2E=1 was set explicitly"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(extra_args: list[str] | None = None, script: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` (or another script) in its own process group; return it and its URL once healthy."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           *(extra_args or [])]
    # The page measures freshness on a fixed day, so what the tests read does not change with the clock
    env = {**os.environ, "BIG10_TODAY": os.environ.get("BIG10_TODAY", PINNED_TODAY)}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's own process group: SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    proc, url = start_server()
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (or set SKIP_E2E=1 explicitly)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def open_tab(pg, label: str) -> None:
    """Open one part of the explorer below the chart (a row of radio buttons, not st.tabs) by its label."""
    pg.locator("[data-testid=stMain] [data-testid=stRadio]").get_by_text(label, exact=True).click()


def open_panel(pg, key: str) -> None:
    """Switch on one "Show: ..." / "Adjust: ..." panel by its session key (a toggle), unless it is on already."""
    box = pg.locator(f".st-key-{key}")
    box.scroll_into_view_if_needed()
    switch = box.locator("input[type=checkbox]").first
    if not switch.is_checked():
        box.locator("label").first.click()
        wait_idle(pg)
    assert switch.is_checked(), key


def wait_idle(pg, timeout: float = 30_000) -> None:
    """Wait until the script has finished and every chart has drawn."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    pg.wait_for_function(
        """() => {
            const charts = document.querySelectorAll('[data-testid=stVegaLiteChart]');
            const drawn = document.querySelectorAll(
                '[data-testid=stVegaLiteChart] svg.marks, [data-testid=stVegaLiteChart] canvas');
            return charts.length > 0 && drawn.length >= charts.length;
        }""",
        timeout=timeout,
    )
    pg.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=timeout)
    pg.wait_for_timeout(300)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
