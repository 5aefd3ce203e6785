"""Catalog text is never read as Markdown by accident: every Markdown sink of the page passes it through md()."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scenarios.registry.i18n import LANGS, catalog, fmt_range, md, md_escape

ROOT = Path(__file__).resolve().parents[1]
UNESCAPED = r"(?<!\\)(?:\\\\)*"  # a character preceded by an even number of backslashes is not escaped
TILDE = re.compile(UNESCAPED + "~")
CODE = re.compile(r"(`+).+?\1", re.S)
# What a catalog string may use when it is meant as Markdown: **bold**, `code`, [links](...), lists, :small[...]
MARKDOWN = re.compile(r"\*\*|`|\]\(|(^|\n)\s*[-#] |:small\[")
# Markup a plain string must not contain: single * or _ emphasis at word edges, a link, a heading
ACCIDENTAL = re.compile(r"(?<![\w*])\*(?=\S)[^*\n]+(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)[^_\n]+(?<=\S)_(?!\w)|\]\(")


def outside_code(text: str) -> str:
    return CODE.sub("", text)


@pytest.mark.parametrize("lang", LANGS)
def test_no_catalog_string_keeps_an_unescaped_tilde_after_md(lang):
    """A pair of single tildes is strikethrough in Streamlit's Markdown (1~4년 ... 2016~2024 collapses)."""
    bad = {k: v for k, v in catalog(lang).items() if TILDE.search(outside_code(md(v)))}
    assert not bad, sorted(bad)[:10]
    assert not TILDE.search(md(fmt_range(2016, 2024, lang) + " " + fmt_range(1, 4, lang)))
    # idempotent: text escaped once (md_escape of a user's name, say) is not escaped twice
    assert md(md("1~4")) == md("1~4") == "1\\~4"
    assert md(md_escape("a~b")) == md_escape("a~b")
    assert md("`a~b` 1~2") == "`a~b` 1\\~2"  # inside a code span a backslash would show


@pytest.mark.parametrize("lang", LANGS)
def test_a_string_not_meant_as_markdown_has_no_markup(lang):
    """Only keys whose English text is Markdown may use Markdown, in either language; the rest read as plain text."""
    en = catalog("en")
    for key, text in catalog(lang).items():
        if MARKDOWN.search(en.get(key, "")):
            continue
        plain = outside_code(md(text))
        assert not MARKDOWN.search(plain), (key, text)
        assert not ACCIDENTAL.search(plain), (key, text)


SINKS = {"markdown", "caption", "info", "warning", "error", "success", "subheader", "header", "title", "toast",
         "metric", "toggle", "checkbox", "button", "slider", "select_slider", "selectbox", "radio", "number_input",
         "download_button", "popover", "file_uploader", "text_input", "expander", "text_area", "multiselect"}


def _safe(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is None or not TILDE.search(str(node.value))
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("md", "md_escape")


def test_every_markdown_sink_in_the_ui_goes_through_md():
    """st.markdown, st.caption, alerts, every widget label and every help= tooltip are Markdown in Streamlit."""
    missed = []
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SINKS):
                continue
            args = [node.args[0]] if node.args and not isinstance(node.args[0], ast.Starred) else []
            args += [k.value for k in node.keywords if k.arg in ("help", "label")]
            missed += [f"{path.name}:{a.lineno}" for a in args if not _safe(a)]
    assert not missed, missed
