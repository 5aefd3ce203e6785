"""A refresh seen in a real browser: the whole page moves to the new data at the next slider move, and text from a
data file reaches no page as an image or a link (a logging server sees no request)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scenarios.data.baseline import DATA_DIR, DATA_DIR_ENV
from scenarios.registry.i18n import t
from tests.e2e.conftest import ROOT, start_server, stop_server, wait_idle
from tests.e2e.test_browser import metric_value, slider_input

HEADER = "period,series,value_usd_bn,quality,source_url,note\n"


def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("vintages", "imports", ".*"))
    return dest


def with_env(folder: Path):
    old = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(folder)
    return old


def restore_env(old: str | None) -> None:
    if old is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = old


def test_a_slider_move_after_a_refresh_moves_the_whole_page(browser, tmp_path):
    folder = data_copy(tmp_path)
    old = with_env(folder)
    proc, url = start_server()
    restore_env(old)
    pg = browser.new_context(viewport={"width": 1440, "height": 1200}).new_page()
    try:
        pg.goto(url)
        wait_idle(pg)
        label = t("present.ytd", year=2026, month="Sep")
        before = metric_value(pg, label)
        src = tmp_path / "oct.csv"
        src.write_text(HEADER + "2026-10,total,101.5,official,https://example.org/a,\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "scenarios", "refresh", "--data-dir", str(folder), "--import",
                               str(src)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        thumb = slider_input(pg, t("lever.semiconductors.label"))
        thumb.focus()
        thumb.press("ArrowRight")  # a fragment rerun: only the levers' part would redraw without the check
        wait_idle(pg)
        pg.wait_for_timeout(1500)
        wait_idle(pg)
        after = metric_value(pg, t("present.ytd", year=2026, month="Oct"))
        assert after != before  # the top of the page moved to the new data with the verdict
        assert pg.get_by_text(t("refresh.newer_data", as_of="@").split("(")[0].strip()).count() >= 1
    finally:
        pg.context.close()
        stop_server(proc)


class _Log(BaseHTTPRequestHandler):
    hits: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Log.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_markup_in_a_data_file_reaches_no_page_as_an_image_or_a_link(browser, tmp_path):
    logger = ThreadingHTTPServer(("127.0.0.1", 0), _Log)
    port = logger.server_address[1]
    threading.Thread(target=logger.serve_forever, daemon=True).start()
    payload = (f"MOTIE ![p](http://127.0.0.1:{port}/pixel.png) <img src=http://127.0.0.1:{port}/tag.png> "
               f"[link](http://127.0.0.1:{port}/link)")
    folder = data_copy(tmp_path)
    rows = list(csv.DictReader(open(folder / "exports.csv", encoding="utf-8", newline="")))
    for row in rows:
        if row["series"] == "semiconductors" and row["year"] == "2025":
            row["source"] = payload
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "exports.csv").write_text(buf.getvalue(), encoding="utf-8")
    old = with_env(folder)
    proc, url = start_server()
    restore_env(old)
    pg = browser.new_context(viewport={"width": 1440, "height": 1200}).new_page()
    try:
        for path in ("/?base=2025", "/methodology?base=2025", "/data"):
            pg.goto(url + path)
            if path.startswith("/?"):
                wait_idle(pg)
            else:  # no chart to wait for
                pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
                pg.wait_for_timeout(1500)
            help_icon = pg.locator("[data-testid=stSlider]", has_text=t("lever.semiconductors.label")).locator(
                "[data-testid=stTooltipIcon]").first
            if help_icon.count():
                help_icon.hover()
                pg.wait_for_timeout(800)
            assert pg.locator(f"img[src*='127.0.0.1:{port}']").count() == 0
            assert pg.locator(f"a[href*='127.0.0.1:{port}']").count() == 0
        pg.wait_for_timeout(500)
        assert _Log.hits == []
    finally:
        pg.context.close()
        stop_server(proc)
        logger.shutdown()
