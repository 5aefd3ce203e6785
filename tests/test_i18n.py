"""Locale catalogs: both languages complete, every key used, no UI text outside the catalogs, Korean in the app."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scenarios.data.baseline import DATA_DIR
from scenarios.registry.i18n import catalog, fmt_usd_bn, fmt_year
from scenarios.registry.levers import LEVERS
from scenarios.words.describe import data_series_table
from tests.apptest_util import chart_spec, charts, open_app

ROOT = Path(__file__).resolve().parent.parent
CODE = [*ROOT.glob("scenarios/**/*.py"), ROOT / "app.py", *ROOT.glob("ui/*.py")]
UI_CODE = [ROOT / "app.py", *ROOT.glob("ui/*.py")]
PLACEHOLDER = re.compile(r"\{[^}]*\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


# English detail from a library (Python's csv and TOML parsers, the operating system) that the Korean
# message leaves out rather than show untranslated.
KO_OMITS = {("hostile.csv_detail", "{detail}"), ("hostile.preset_os_error", "{problem}"),
            ("hostile.preset_bad_toml", "{problem}")}


def test_both_catalogs_have_the_same_keys_and_placeholders():
    en, ko = catalog("en"), catalog("ko")
    assert sorted(en.keys() - ko.keys()) == []
    assert sorted(ko.keys() - en.keys()) == []
    for key in en:
        expected = [p for p in PLACEHOLDER.findall(en[key]) if (key, p) not in KO_OMITS]
        assert sorted(expected) == sorted(PLACEHOLDER.findall(ko[key])), key


def test_korean_catalog_is_korean():
    ko = catalog("ko")
    untranslated = [k for k, v in ko.items() if not HANGUL.search(v) and re.search(r"[a-z]{4,} [a-z]{4,}", v)]
    assert untranslated == []


def _string_literals_and_patterns() -> tuple[set[str], list[re.Pattern]]:
    literals: set[str] = set()
    patterns: list[re.Pattern] = []
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                # only an f-string that starts with a catalog section ("tabs.{tab}", "present.basis_{b}") names
                # keys: one that starts with a placeholder ("{a}.{b}") would match every key and hide dead ones
                head = node.values[0] if node.values else None
                if not (isinstance(head, ast.Constant) and "." in head.value):
                    continue
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else r"[A-Za-z0-9_]+" for v in node.values]
                patterns.append(re.compile("".join(parts) + "$"))
    return literals, patterns


def test_every_catalog_key_is_used():
    literals, patterns = _string_literals_and_patterns()
    unused = [key for key in catalog("en") if key not in literals and not any(p.match(key) for p in patterns)]
    assert unused == []


UI_CALLS = {"title", "header", "subheader", "markdown", "caption", "write", "text", "metric", "button", "slider",
            "selectbox", "toggle", "checkbox", "radio", "segmented_control", "error", "warning", "info", "success",
            "expander", "tabs", "download_button", "Page", "set_page_config", "number_input", "text_input",
            "file_uploader", "data_editor", "link_button", "toast", "popover"}
TEXT_KWARGS = {"label", "help", "title", "page_title", "placeholder", "caption", "delta", "value", "body"}


def _visible_text(node: ast.AST) -> str:
    """The literal text a string expression would put on screen (formatted parts removed)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return ""


def test_no_user_visible_string_is_hard_coded_in_the_ui():
    offenders, calls = [], 0
    for path in UI_CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in UI_CALLS):
                continue
            calls += 1
            texts = [_visible_text(a) for a in node.args]
            texts += [_visible_text(k.value) for k in node.keywords if k.arg in TEXT_KWARGS]
            offenders += [f"{path.name}:{node.lineno}: {x!r}" for x in texts if re.search(r"[A-Za-z가-힣]", x)]
    assert calls > 40  # the scan does see the UI
    assert offenders == []


def test_every_lever_has_a_label_and_help_in_both_languages():
    for lang in ("en", "ko"):
        for lev in LEVERS:
            assert catalog(lang)[lev.label_key] and catalog(lang)[lev.help_key]


def test_every_data_series_has_a_caveat():
    table = data_series_table("en", DATA_DIR)  # raises KeyError if a series has no caveat in the catalog
    assert len(table) > 50


def _methodology_app() -> AppTest:
    def page():
        from ui.common import init_state
        from ui.methodology import render

        init_state()
        render()

    return AppTest.from_function(page, default_timeout=60)


def test_methodology_page_documents_every_lever_and_series():
    at = _methodology_app().run()
    assert not at.exception
    tables = [df.value for df in at.dataframe]
    lever_text = " ".join(tables[0].iloc[:, 0].astype(str))
    for lev in LEVERS:
        assert f"({lev.id})" in lever_text, lev.id
    documented = " ".join(tables[1].iloc[:, 0])  # each series by its name, its id beside it: 항공기(aircraft)
    for path in (ROOT / "data").glob("*.csv"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            assert f"({line.split(',')[1]})" in documented


def test_methodology_works_through_the_open_scenario():
    at = _methodology_app()
    at.query_params["base"] = "2025"
    at.query_params["target"] = "2027"
    at.query_params["semiconductors"] = "12"
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "173.40 x (1 + 0.120) ^ (2027 - 2025)" in text
    assert "(1000 / 709.70) ^ (1 / 2) - 1" in text


def page_title(at) -> str:
    """The explorer's title: a Markdown heading ("# ..."), not st.title (cheaper for the browser to redraw)."""
    return next(m.value for m in at.markdown if m.value.startswith("# "))


def test_korean_app_shows_korean_labels_metrics_and_chart_titles():
    at = open_app({"lang": "ko"})
    assert not at.exception
    for slider in at.slider:
        assert HANGUL.search(slider.label), slider.label
    for metric in at.metric:
        assert HANGUL.search(metric.label), metric.label
    for chart in charts(at):
        assert HANGUL.search(chart_spec(chart)["title"])
    assert HANGUL.search(page_title(at))
    assert at.query_params["lang"] == "ko"


def test_the_language_toggle_switches_everything():
    at = open_app()
    assert not HANGUL.search(page_title(at))
    at.radio(key="lang").set_value("ko").run()
    assert HANGUL.search(page_title(at))
    assert all(HANGUL.search(s.label) for s in at.slider)


@pytest.mark.parametrize(("value", "text"), [
    (709.7, "7,097억 달러"), (1011.5, "1조 115억 달러"), (1000.0, "1조 달러"), (644.54, "6,445억 달러"),
    (2052.5, "2조 525억 달러"),
])
def test_korean_amounts_use_eok_and_jo(value, text):
    assert fmt_usd_bn(value, "ko") == text


def test_years_in_sentences():
    assert fmt_year(2030, "ko") == "2030년" and fmt_year(2030, "en") == "2030"


GLOSSARY = Path(__file__).resolve().parents[1] / "scenarios/registry/locales/glossary.toml"


def test_korean_uses_one_term_per_concept():
    """The glossary names the one Korean term for each concept; no Korean string uses a banned variant."""
    import tomllib

    glossary = tomllib.loads(GLOSSARY.read_text())
    assert {"export_growth", "export_series"} <= set(glossary)
    found = []
    for concept, entry in glossary.items():
        for key, text in catalog("ko").items():
            for phrase in entry["allowed"]:
                text = text.replace(phrase, "")
            found += [f"{key}: {word} ({concept} is {entry['ko']})" for word in entry["banned"] if word in text]
    assert not found, found
