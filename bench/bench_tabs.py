"""Benchmark: switching the explorer's parts below the chart (a radio row) in real Chromium (12 switches, 2 rounds).

Run: .venv/bin/python bench/bench_tabs.py   (prints figures; not a test)
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playwright.sync_api import sync_playwright

from scenarios.registry.i18n import t
from tests.e2e.conftest import open_tab, start_server, stop_server

DRAWN = """(name) => {
    const app = document.querySelector('[data-testid=stApp]');
    const tab = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stRadio] input[type=radio]')]
        .find(x => x.checked && x.closest('label').innerText.trim() === name);
    const stale = document.querySelectorAll('[data-testid=stElementContainer][data-stale=true]').length;
    return app && app.getAttribute('data-test-script-state') === 'notRunning' && tab && stale === 0
        && document.querySelectorAll('[data-testid=stSkeleton]').length === 0
        && [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
            .every(c => c.querySelector('svg.marks, canvas'));
}"""

proc, url = start_server()
try:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        pg = b.new_page(viewport={"width": 1440, "height": 900})
        pg.goto(url)
        pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=90000)
        times = {}
        for tab in ["vision", "what", "tracker", "industries", "share", "targets"] * 2:
            t0 = time.perf_counter()
            open_tab(pg, t(f"tabs.{tab}"))
            # a fragment rerun can be too quick for the "running" state to show: wait for the tab to be
            # selected, the script idle, nothing stale and every chart drawn
            pg.wait_for_timeout(30)  # the click's rerun request leaves the browser before the state is read
            pg.wait_for_function(DRAWN, arg=t(f"tabs.{tab}"), timeout=60000)
            times.setdefault(tab, []).append((time.perf_counter() - t0) * 1000)
        allt = [x for v in times.values() for x in v]
        print({k: [round(x) for x in v] for k, v in times.items()}, "median", round(statistics.median(allt)))
        b.close()
finally:
    stop_server(proc)
