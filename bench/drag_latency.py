"""The drag (issue 28): frames the exports chart draws while a slider is held, and the time from a move to its frame.

Starts `streamlit run app.py` (stopped by its own PID), opens the explorer in headless Chromium, and `--runs`
times holds the semiconductors slider and moves it through 20 positions over about a second (50 ms apart),
then releases it and waits for the rerun. Frames and move-to-frame times are those ui/drag_preview.js
records (a frame: the Vega view's runAsync() resolved after new rows; its time counts from the first
pointer move not yet drawn).

Run: .venv/bin/python bench/drag_latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_idle  # noqa: E402


def p90(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.9 * (len(xs) - 1)))]


def measure_drag(runs: int = 5, positions: int = 20, gap_ms: int = 50) -> dict:
    """{'frames': frames drawn while held, per run; 'latency_ms': every move-to-frame time}."""
    from playwright.sync_api import sync_playwright

    proc, url = start_server()
    frames, latency = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for run in range(runs):
                # A fresh page each run: after a release and its rerun the same mouse gesture no longer
                # grabs Streamlit's slider (with or without the preview), so later runs drew nothing.
                page.goto(f"{url}/?lang=en&preset=central")
                page.wait_for_selector("[data-testid=stVegaLiteChart]", timeout=60_000)
                wait_idle(page, 60_000)
                track = page.locator(".st-key-semiconductors [data-testid=stSlider] [role=group] > div").first
                box = track.bounding_box()
                value = float(page.locator(".st-key-semiconductors input").first.get_attribute("value"))
                x0 = box["x"] + box["width"] * (value + 30) / 70
                step = box["width"] * 0.01 * (1 if run % 2 == 0 else -1)  # back and forth
                y = box["y"] + box["height"] / 2
                page.evaluate("() => { window.__big10Preview.frames = []; }")
                page.mouse.move(x0, y)
                page.mouse.down()
                for k in range(positions):
                    page.mouse.move(x0 + step * (k + 1), y)
                    page.wait_for_timeout(gap_ms)
                got = page.evaluate("() => window.__big10Preview.frames.map(f => f.latency)")
                page.mouse.up()
                frames.append(len(got))
                latency += got
                page.wait_for_timeout(300)
                wait_idle(page, 60_000)
            browser.close()
    finally:
        stop_server(proc)
    return {"frames": frames, "latency_ms": latency}


def report(result: dict) -> None:
    lat = result["latency_ms"]
    print(f"drag: frames drawn while held, per run (20 moves over ~1 s): {result['frames']}")
    if lat:
        print(f"      move to frame: median {statistics.median(lat):.0f} ms, p90 {p90(lat):.0f} ms "
              f"(n={len(lat)}; goal: >= 10 frames, median <= 50 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    report(measure_drag(parser.parse_args().runs))
