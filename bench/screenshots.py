"""Retake the README's screenshots (docs/screens/*.png) in Debian's Chromium.

Starts the app on a free port (stopped by its own process group), then for English and Korean at 1440x900
and 390x844 takes: the first screen (`<lang>-<width>.png`), the exports chart scrolled to the top
(`-charts`) and the 5/5/5 part's first chart (`-vision`). The day is pinned as in the browser tests.

Usage: .venv/bin/python bench/screenshots.py [--out docs/screens]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import start_server, stop_server  # noqa: E402

SIZES = {1440: (1440, 900), 390: (390, 844)}
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def settle(page) -> None:
    """Wait for the script to finish, twice (a fragment may rerun), and for the charts to draw."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1500)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1000)


def shoot(url: str, out: Path) -> list[Path]:
    """Every screenshot, written to `out`; returns the files."""
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for lang in ("en", "ko"):
                for width, (w, h) in SIZES.items():
                    page = browser.new_page(viewport={"width": w, "height": h})
                    page.goto(f"{url}/?lang={lang}")
                    settle(page)
                    written.append(out / f"{lang}-{width}.png")
                    page.screenshot(path=str(written[-1]))
                    chart = page.locator("[data-testid=stVegaLiteChart]").first
                    chart.scroll_into_view_if_needed()
                    chart.evaluate("el => el.scrollIntoView({block: 'start'})")
                    page.wait_for_timeout(500)
                    written.append(out / f"{lang}-{width}-charts.png")
                    page.screenshot(path=str(written[-1]))
                    page.goto(f"{url}/?lang={lang}&tab=vision")
                    settle(page)
                    charts = page.locator("[data-testid=stVegaLiteChart]")
                    target = charts.nth(1) if charts.count() > 1 else charts.first
                    target.evaluate("el => el.scrollIntoView({block: 'start'})")
                    page.wait_for_timeout(500)
                    written.append(out / f"{lang}-{width}-vision.png")
                    page.screenshot(path=str(written[-1]))
                    page.close()
        finally:
            browser.close()
    return written


def main() -> int:
    """Start the app, take the screenshots, stop the app."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    proc, url = start_server()
    try:
        for path in shoot(url, out):
            print(path)
    finally:
        stop_server(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
