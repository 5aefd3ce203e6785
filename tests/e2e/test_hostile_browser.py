"""Hostile names in a real browser (issue 18): markup travels through every place a name or label appears and
is found as text in the DOM, never as an <img> or a link; a formula-like name comes out of the CSV inert.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote, urlsplit

from scenarios.registry.i18n import t
from scenarios.registry.safety import clean_name, unique_name
from tests.e2e.conftest import open_panel, open_tab, wait_idle

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MARKUP = "![x](http://127.0.0.1:9/x.png) [link](http://example.invalid)"
NAME = clean_name(MARKUP)  # 60 characters: what the name box keeps; the image markup is whole in it
BARE = "www.example.invalid a@example.invalid"  # GFM links these even when every special is escaped
FORMULA = '=HYPERLINK("http://example.invalid","click")'


def type_name(pg, name: str) -> None:
    field = pg.locator(".st-key-save_name input")
    field.fill("")
    field.press_sequentially(name)  # typed, as a user would: the box stops at 60 characters
    field.press("Enter")
    wait_idle(pg)


def pick(pg, key: str, option_text: str) -> None:
    field = pg.locator(f".st-key-{key} input").first
    field.scroll_into_view_if_needed()  # a select closes its list when the sidebar scrolls under it
    pg.wait_for_timeout(300)
    field.click()
    pg.get_by_role("option").filter(has_text=option_text).first.click()
    wait_idle(pg)


def made_from_markup(pg) -> list[str]:
    """Every <img> or <a> the markup could have made, anywhere in the page (iframes of charts included)."""
    return pg.evaluate("""() => [
        ...[...document.querySelectorAll('img')].filter(e => (e.getAttribute('src') || '').includes('127.0.0.1:9')),
        ...[...document.querySelectorAll('a')].filter(e => (e.getAttribute('href') || '').includes('example.invalid')),
    ].map(e => e.outerHTML + ' in ' + (e.closest('[data-testid=stElementContainer]')?.className || ''))""")


def page_text(pg) -> str:
    return pg.locator("[data-testid=stApp]").inner_text().replace("\u2060", "")  # md_escape's word joiners


def check(pg, *expected: str) -> None:
    """No markup became an element, no error box, and each expected text is on the page as text."""
    assert pg.locator("[data-testid=stException]").count() == 0
    assert made_from_markup(pg) == []
    text = page_text(pg)
    for shown in expected:
        assert shown in text, (shown, [line for line in text.splitlines() if "x.png" in line or "Saved" in line])


def test_markup_in_names_and_labels_is_text_everywhere(page, server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    # a link whose unknown keys are markup and bare addresses: the notices quote them
    page.goto(f"{server}/?{quote(MARKUP)}=1&{quote(BARE)}=1&tab=share")
    wait_idle(page)
    check(page, MARKUP[:40], BARE)
    open_panel(page, "open_share")
    open_panel(page, "open_figures")

    type_name(page, MARKUP)  # the box keeps 60 characters
    page.locator(".st-key-save_button button").click()
    wait_idle(page)
    check(page, t("share.saved", name=NAME))
    # a file whose name is taken: kept as "... (2)", and the message says so
    page.locator(".st-key-upload_json input[type=file]").set_input_files(str(FIX / "markup_name.json"))
    wait_idle(page)
    check(page, t("hostile.saved_renamed", name=NAME, saved=unique_name(NAME, {NAME})))
    # own figures naming a markup series: refused, the message quotes it
    page.locator(".st-key-upload_csv input[type=file]").set_input_files(str(FIX / "markup_series.csv"))
    wait_idle(page)
    check(page, "series '![x](http://127.0.0.1:9/x.png)")
    # the saved list
    wait_idle(page)
    page.locator(".st-key-saved_pick input").first.click()
    if page.get_by_role("option").count() == 0:  # focused but closed: open it from the keyboard
        page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.wait_for(timeout=10_000)
    options = page.get_by_role("option").all_inner_texts()
    assert page.get_by_role("option").filter(has_text=unique_name(NAME, {NAME})).count() == 1, options
    page.keyboard.press("Escape")
    wait_idle(page)
    # the saved scenario as the reference: the comparison heading, the chart legend, the table
    open_panel(page, "open_settings")  # the comparison sits with the years, in a panel closed at first
    pick(page, "ref", t("compare.saved", name=NAME))
    check(page)
    open_tab(page, t("tabs.industries"))  # the comparison table and its heading
    wait_idle(page)
    check(page)
    headings = [h.replace("\u2060", "").strip() for h in page.locator("h1, h2, h3").all_inner_texts()]
    assert t("compare.title", name=t("compare.saved", name=NAME)) in headings  # the name as typed, as text
    assert not [u for u in requests if urlsplit(u).netloc in ("127.0.0.1:9", "example.invalid")]  # nothing fetched


def test_a_formula_name_is_inert_in_the_csv_download(page, server):
    page.goto(f"{server}/?tab=share")
    wait_idle(page)
    open_panel(page, "open_share")
    type_name(page, FORMULA)
    with page.expect_download() as download:
        page.locator(".st-key-download_csv button").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    names = {row["scenario"] for row in rows}
    assert "'" + FORMULA in names and FORMULA not in names
    assert all(not row["scenario"].startswith(("=", "+", "-", "@")) for row in rows)
