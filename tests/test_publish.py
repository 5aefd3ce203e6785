"""Publishable in Korean and in English (issue #15).

- Korean without leaks: every page, panel, notice and message of the Korean app, and the Korean command
  line, hold no run of two or more English words (outside a few abbreviations, URLs, file names and
  code spans).
- One unit system per language and number formats that agree on every edge (zero, NaN, infinity, halves).
- Sentences that hold: Korean particles chosen by the word before them, one range separator, a whole
  sentence for every target not reached.
- Years and ranks as whole numbers in every table.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.model.share import TAB_IDS
from scenarios.registry.i18n import (
    catalog,
    fmt_number,
    fmt_pct,
    fmt_people_mn,
    fmt_range,
    fmt_usd_bn,
    korean_particles,
    localize,
    particle,
    t,
)
from tests.apptest_util import open_app, open_tab
from tests.shipped import BASE, DATA, MACRO

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- English words in Korean text

# Abbreviations a Korean reader meets in Korean text (the issue's list, plus the institutions' and
# statistics' own acronyms Korean official releases and newspapers print as they are).
ALLOWED = {"GDP", "GNI", "KOSPI", "USD", "CSV", "PNG", "SVG", "JSON", "P/E", "PBR",
           "IMF", "WEO", "OECD", "MSCI", "PER", "KRX", "TiVA", "XR", "OLED", "EV", "SDG", "UTF-8", "BOM", "KB",
           "ECOS", "API"}
TOKEN = re.compile(r"(?<![\w./-])[A-Za-z][A-Za-z'’.-]*(?![\w/-])")
EXEMPT = re.compile(r"https?://\S+|www\.\S+|\b[\w./-]+\.(?:csv|md|json|toml|py|png|svg|sh)\b|`[^`]*`")


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words (whitespace between them) in `text`.

    A word is Latin letters (a hyphen or an apostrophe inside); ids with underscores, options such as
    --lang, URLs, file names and `code spans` are not words, and an allowed abbreviation ends a run.
    """
    text = EXEMPT.sub(" ", str(text))
    found, run, end = [], [], None
    for m in TOKEN.finditer(text):
        word = m.group().rstrip(".'’-")
        if not word or word in ALLOWED:
            run, end = [], None
            continue
        if run and text[end:m.start()].strip() == "":
            run.append(word)
        else:
            if len(run) >= 2:
                found.append(" ".join(run))
            run = [word]
        end = m.end()
    if len(run) >= 2:
        found.append(" ".join(run))
    return found


def test_the_detector_finds_english_and_spares_what_is_allowed():
    assert english_runs("값이 허용 범위를 벗어났습니다") == []
    assert english_runs("semiconductors = 99: 허용 범위") == []  # one id is not a run
    assert english_runs("unknown field 'bogus'") == ["unknown field"]
    assert english_runs("명목 GDP(USD) KOSPI PBR") == []
    assert english_runs("`python -m scenarios backtest` https://www.bok.or.kr/eng/main data/SOURCES.md") == []
    assert english_runs("출처: Bank of Korea") == ["Bank of Korea"]


def test_korean_catalog_has_no_english_runs():
    leaks = {key: english_runs(text) for key, text in catalog("ko").items() if english_runs(text)}
    assert leaks == {}


# ---------------------------------------------------------------- the Korean app, every page and panel

def _proto_texts(node) -> list[str]:
    """The words an element shows: its label, body, value, delta, help, placeholder and options."""
    proto = getattr(node, "proto", None)
    if proto is None or not hasattr(proto, "ListFields"):
        return []
    out = []
    for field, value in proto.ListFields():
        if field.name in ("label", "body", "delta", "help", "placeholder") and isinstance(value, str):
            out.append(value)
        elif field.name == "options":
            out += [o if isinstance(o, str) else getattr(o, "content", "") for o in value]
    return out


SPEC_TEXT_KEYS = {"title", "description", "subtitle", "text"}


def _spec_texts(spec: object) -> list[str]:
    """Every word a chart shows: titles, descriptions, legend and axis titles, names in scales and datums."""
    out = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("usermeta", "$schema", "expr", "calculate", "labelExpr", "filter"):
                continue
            if key in SPEC_TEXT_KEYS and isinstance(value, str):
                out.append(value)
            elif key == "domain" and isinstance(value, list):
                out += [v for v in value if isinstance(v, str)]
            elif key == "datum" and isinstance(value, str):
                out.append(value)
            else:
                out += _spec_texts(value)
    elif isinstance(spec, list):
        for value in spec:
            out += _spec_texts(value)
    return out


def _frame_texts(frame: pd.DataFrame) -> list[str]:
    texts = [str(c) for c in frame.columns] + [str(i) for i in frame.index if isinstance(i, str)]
    for col in frame.columns:
        if col == "kind":
            continue  # the charts' row codes, never shown
        if frame[col].dtype == object:
            texts += [v for v in frame[col].dropna().unique() if isinstance(v, str)]
    return texts


def _walk(node) -> list:
    children = getattr(node, "children", None)
    items = children.values() if isinstance(children, dict) else (children or [])
    out = []
    for child in items:
        out.append(child)
        out += _walk(child)
    return out


def shown_texts(at: AppTest, data_as_data: bool = False) -> list[str]:
    """Everything the page shows in words (the Data page's tables are data: data_as_data skips their cells)."""
    texts: list[str] = []
    for node in _walk(at._tree):
        kind = getattr(node, "type", "")
        if kind in ("code", "html"):
            continue  # the share link; the page's style rules (shown to no one)
        texts += _proto_texts(node)
        if kind == "vega_lite_chart":
            texts += _spec_texts(json.loads(node.proto.spec))
            for ds in node.proto.datasets:
                texts += _frame_texts(pa.ipc.open_stream(ds.data.data).read_all().to_pandas())
            if node.proto.HasField("data") and node.proto.data.data:
                texts += _frame_texts(pa.ipc.open_stream(node.proto.data.data).read_all().to_pandas())
        elif kind in ("table", "dataframe"):
            value = node.value
            frame = value.data if hasattr(value, "data") else value
            texts += [str(c) for c in frame.columns] if data_as_data else _frame_texts(frame.reset_index())
    return texts


def assert_korean(texts: list[str]) -> None:
    leaks = sorted({run for text in texts for run in english_runs(text)})
    assert leaks == [], leaks


@pytest.mark.parametrize("tab", TAB_IDS)
def test_the_korean_landing_page_with_every_panel_open_has_no_english(tab):
    at = open_app({"lang": "ko"}, timeline={}, tab=tab)
    assert not at.exception
    assert_korean(shown_texts(at))


def test_the_korean_pledge_timeline_with_a_reference_and_link_notices_has_no_english():
    """The 2022 timeline, a reference that differs, and a link with values out of range and unknown keys."""
    at = open_app({"lang": "ko", "ref": "preset:trend", "semiconductors": "99", "bogus": "1", "paths": "5",
                   "base": "2019", "preset": "rosy"}, tab="industries")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "반도체" in warnings and "semiconductors" not in warnings  # a lever by its name, not its id
    texts = shown_texts(at)
    for tab in ("targets", "vision", "what", "tracker"):
        texts += shown_texts(open_tab(at, tab))
    assert_korean(texts)


def test_korean_messages_of_the_share_panel_and_own_figures_have_no_english():
    at = open_app({"lang": "ko"}, tab="share")
    at.button(key="save_button").click().run()  # no name typed
    texts = shown_texts(at)
    at.file_uploader(key="upload_json").set_value(("x.json", b"{not json", "application/json"))
    at.run()
    texts += shown_texts(at)
    at.file_uploader(key="upload_csv").set_value(("x.csv", b"year,series,value\n1999,semiconductors,3\n", "text/csv"))
    at.run()
    texts += shown_texts(at)
    assert any("2014~2025" in text.replace("\\~", "~") for text in texts)  # Markdown text: the tilde escaped
    assert_korean(texts)


PAGE = """
import streamlit as st

from ui.common import init_state
from ui.{module} import render

st.session_state.setdefault("lang", "{lang}")
init_state()
render()
"""


def _page(module: str, lang: str = "ko") -> AppTest:
    """One page of the app on its own (the methodology or the data page), in `lang`."""
    return AppTest.from_string(PAGE.format(module=module, lang=lang), default_timeout=120).run()


def test_the_korean_methodology_page_has_no_english():
    at = _page("methodology")
    assert not at.exception
    assert_korean(shown_texts(at))


def test_the_korean_data_page_shows_the_data_as_data_and_everything_else_in_korean():
    at = _page("data_page")
    assert not at.exception
    assert_korean(shown_texts(at, data_as_data=True))


BAD_FILES = [
    ("csv", b"year,series,value\n1999,semiconductors,3\n"),
    ("csv", b"year,series,value\n2021,chips,3\n"),
    ("csv", b'year,series,value\n2021,semiconductors,"1.234,5"\n'),
    ("csv", b"year,series\n2021,semiconductors\n"),
    ("csv", b"\xff\xfe"),
    ("csv", b'year,series,value\n2021,semiconductors,"' + b"1" * 140_000 + b'"\n'),
    ("json", b"{not json"),
    ("json", b"[1, 2]"),
    ("json", b"\xff"),
    ("json", b"[" * 100 + b"]" * 100),
    ("json", b'{"params": {}, "overrides": [{"series": "x", "year": 2021, "value": 1}]}'),
]


@pytest.mark.parametrize(("kind", "data"), BAD_FILES)
def test_every_upload_error_reads_in_korean(kind, data):
    from scenarios.data.overrides import OverrideError, parse_override_csv
    from scenarios.model.share import ScenarioError
    from scenarios.words.export import scenario_and_overrides_from_json

    with pytest.raises((OverrideError, ScenarioError)) as info:
        parse_override_csv(data) if kind == "csv" else scenario_and_overrides_from_json(data, BASE)
    korean = localize(info.value, "ko")
    assert re.search(r"[가-힣]", korean) and english_runs(korean) == [], korean
    assert not re.search(r"[가-힣]", str(info.value))  # and in English for logs and English readers


# ---------------------------------------------------------------- the command line in Korean

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def test_the_korean_command_line_prints_korean_tables_and_records_the_language():
    out = run_cli("--lang", "ko", "--preset", "downside", "--base-year", "2021")
    assert out.returncode == 0, out.stderr
    assert_korean(out.stdout.splitlines())
    assert "억 달러" in out.stdout and "반도체" in out.stdout and "미달성" in out.stdout
    assert "‘비관: 2021~2025년 증가세 지속’" in out.stdout  # the preset by its name, not its id
    data = json.loads(run_cli("--lang", "ko", "--json").stdout)
    assert data["scenario"]["lang"] == "ko"


@pytest.mark.parametrize("args", [
    ["--growth", "semiconductors=99"], ["--growth", "chips=3"], ["--growth", "semiconductors"],
    ["--base-year", "2019"], ["--preset", "rosy"], ["--bogus"], ["--lang", "ko", "--paths", "5"],
    ["--preset-file", "/nonexistent.toml"], ["--scenario", "/nonexistent.json"],
    ["--target-year", "2040", "--horizon", "2035"],
])
def test_every_korean_command_line_error_is_one_korean_line(args):
    out = run_cli("--lang", "ko", *args)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("오류: "), out.stderr
    assert english_runs(lines[0]) == [], lines[0]


def test_the_korean_backtest_is_korean():
    out = run_cli("backtest", "--lang", "ko", "--as-of", "2019", "--paths", "300")
    assert out.returncode == 0, out.stderr
    assert english_runs(out.stdout) == [], english_runs(out.stdout)
    assert "총수출" in out.stdout and "2016-" not in out.stdout
    bad = run_cli("backtest", "--lang", "ko", "--as-of", "2030")
    assert bad.returncode == 2 and bad.stderr.startswith("오류: ") and english_runs(bad.stderr) == []


def test_the_korean_help_is_korean():
    out = run_cli("--lang", "ko", "--help")
    assert out.returncode == 0
    assert out.stdout.startswith("사용법:") and "옵션:" in out.stdout
    assert english_runs(out.stdout) == [], english_runs(out.stdout)


# ---------------------------------------------------------------- numbers, units and sentences

@pytest.mark.parametrize("lang", ["en", "ko"])
def test_number_formats_handle_every_edge_the_same_way(lang):
    assert fmt_number(float("nan"), lang) == "–" and fmt_usd_bn(float("nan"), lang) == "–"
    assert fmt_number(float("inf"), lang) == "∞" and fmt_pct(float("-inf"), lang) == "-∞"
    assert fmt_usd_bn(float("inf"), lang) == "∞" and fmt_people_mn(float("nan"), lang) == "–"
    assert fmt_number(-0.0001, lang) == "0.0"  # never "-0.0"
    assert fmt_number(644.45, lang) == "644.5" and fmt_number(0.125, lang, 2) == "0.13"  # halves away from zero
    assert fmt_number(-2.5, lang, 0) == "-3"


def test_korean_amounts_round_the_same_way_as_english_ones():
    assert fmt_usd_bn(644.45, "en") == "USD 644.5 bn" and fmt_usd_bn(644.45, "ko") == "6,445억 달러"
    assert fmt_usd_bn(0.0, "ko") == "0달러" and fmt_usd_bn(0.03, "ko") == "3,000만 달러"
    assert fmt_usd_bn(-167.0, "ko") == "-1,670억 달러" and fmt_usd_bn(2000.0, "ko") == "2조 달러"
    assert fmt_usd_bn(1011.5, "ko", unit=False) == "1조 115억"
    assert fmt_people_mn(51.717, "ko") == "5,172만 명" and fmt_people_mn(51.717, "en") == "51.7 mn"


@pytest.mark.parametrize(("word", "marker", "expected"), [
    ("반도체", "을(를)", "를"), ("수출", "을(를)", "을"), ("40", "을(를)", "을"), ("-30~40", "을(를)", "을"),
    ("2050", "은(는)", "은"), ("1,000", "이(가)", "이"), ("2", "이(가)", "가"), ("7.8", "(으)로", "로"),
    ("40", "(으)로", "으로"), ("달", "(으)로", "로"), ("GDP", "와(과)", "와"), ("KOSPI", "은(는)", "는"),
    ("허용 범위(-30~40)", "을(를)", "를"), ("'fast'", "은(는)", "는"), ("5%", "이(가)", "가"),
])
def test_korean_particles_follow_the_word_before_them(word, marker, expected):
    assert particle(word, marker) == expected


def test_particles_are_resolved_in_every_korean_message():
    text = t("validation.clamped", "ko", field=t("lever.semiconductors.label", "ko"), value="99", min="-30",
             max="40", clamped="40")
    assert text == "반도체 = 99: 허용 범위(-30~40)를 벗어나 40으로 조정했습니다"
    assert korean_particles("‘미래 모빌리티’을(를) 저장했습니다") == "‘미래 모빌리티’를 저장했습니다"
    # a string without placeholders is shown as it is written: no marker may be left in it
    fixed = [k for k, v in catalog("ko").items() if "{" not in v and re.search(r"[을를이가은는]\([을를이가은는]\)", v)]
    assert fixed == []


def test_one_range_separator_per_language():
    assert fmt_range(2017, 2025, "ko") == "2017~2025" and fmt_range(2017, 2025, "en") == "2017-2025"
    years = re.compile(r"(?<!\d)(19|20)\d\d-(19|20)?\d\d(?!\d)")
    mixed = [k for k, v in catalog("ko").items() if years.search(v) or re.search(r"\}-\{", v)]
    assert mixed == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_target_not_reached_has_its_own_sentence(lang):
    """A downside scenario reaches neither USD 1 trn nor the top 5: the summaries are whole sentences."""
    from scenarios.words.describe import exports_summary, vision_summaries
    from scenarios.words.export import summary_lines

    o = compute_outcome(Scenario(base_year=2021, target_year=2027).with_growth(
        **{lev: 0.0 for lev in ("semiconductors", "future_mobility", "secondary_batteries", "displays", "bio_health",
                                "robots", "green_energy", "aerospace", "fashion_tech", "metaverse", "rest")}), DATA)
    assert o.milestones["exports_1t"] is None and o.milestones["top5_economy"] is None
    texts = [exports_summary(o, lang), *vision_summaries(o, lang).values(), *summary_lines(o, lang)]
    not_by = t("metric.not_by", lang, year=o.scenario.horizon)
    assert not any(not_by in text for text in texts), texts  # never a label spliced into a sentence
    if lang == "ko":
        assert not any("까지 미달성입니다" in text for text in texts)
        assert "1조 달러에 이르지 못합니다" in exports_summary(o, lang)


# ---------------------------------------------------------------- years and ranks in tables

YEAR_OR_RANK_COLUMNS = re.compile(r"year|연도|해|rank|순위|Latest|최근 월|Base|기준$", re.I)


def _bad_year_or_rank(value: object) -> bool:
    """A year or a rank written with a thousands separator or a decimal (2,027 / 2027.0 / 10.0)."""
    text = str(value).strip()
    return bool(re.fullmatch(r"[12],\d{3}(\.\d+)?|(19|20)\d\d\.\d+|\d{1,2}\.0", text))


def _table_cells(frame: pd.DataFrame, columns: bool = True) -> list[tuple[str, str]]:
    """(row label or column, cell text) for each cell a reader sees, formatted as shown."""
    cells = []
    for _, row in frame.iterrows():
        label = str(row.iloc[0])
        for col, value in row.items():
            cells.append((f"{col} / {label}", value))
    return cells


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_year_or_rank_in_a_table_carries_a_separator_or_a_decimal(lang):
    from scenarios.words.describe import ChartTables, coverage_table, kita_table, volatility_table
    from ui.explorer import table_style

    reference = Scenario(base_year=2021, target_year=2027, preset="trend").with_growth(semiconductors=12.0)
    o = compute_outcome(Scenario(base_year=2021, target_year=2027), DATA, reference=reference)
    tables = ChartTables(o, lang, BASE, MACRO, reference_name="x")
    deltas = tables.deltas
    assert deltas is not None
    shown = table_style(deltas).to_html()
    rows = {}
    for _, row in deltas.iterrows():
        rows[row.iloc[0]] = list(row.iloc[1:])
    year_rows = [item for item in rows if re.search(r"연도|해$|year|Year|rank|순위", item)]
    assert len(year_rows) >= 5
    for item in year_rows:
        for cell in rows[item]:
            assert not _bad_year_or_rank(cell) and not re.search(r"\d\.\d", str(cell)), (item, cell)
    assert "2,027" not in shown and "2027.0" not in shown
    industry = table_style(tables.industry, ()).to_html()
    assert not re.search(r">\s*20\d\d\.\d", industry)
    if tables.tracker is not None:
        latest = tables.tracker[t("present.table_latest", lang)]
        assert all(not _bad_year_or_rank(v) for v in latest)

    from scenarios.model.backtest import run

    record = run(DATA, n_paths=200)
    for frame in (coverage_table(record, lang), kita_table(record, lang)):
        for col in frame.columns:
            if YEAR_OR_RANK_COLUMNS.search(str(col)):
                assert all(not _bad_year_or_rank(v) for v in frame[col]), col
    from ui.common import volatility

    vt = volatility_table(volatility(), lang)
    assert all(re.fullmatch(r"\d{4}[~-]\d{4}", str(v)) for v in vt[t("ranges.col_years", lang)])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_command_line_table_writes_years_and_ranks_as_whole_numbers(lang):
    out = run_cli("--lang", lang, "--preset", "trend")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    years = [line.split()[0] for line in lines if re.match(r"\s*20\d\d\s", line)]
    assert years and all(re.fullmatch(r"20\d\d", y) for y in years)
    vision = [line.split() for line in lines if re.match(r"20\d\d\s", line) and len(line.split()) == 5]
    assert vision and all(re.fullmatch(r"\d{1,2}", row[-1]) for row in vision)  # ranks: 13, never 13.0


# ---------------------------------------------------------------- the headline's deltas

def _metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_a_shortfall_points_down_in_red_and_a_surplus_up_in_green():
    from streamlit.proto.Metric_pb2 import Metric

    label = t("metric.exports_in_target", year=2027)
    short = _metric(open_app({"preset": "downside"}, panels_open=False), label).proto
    assert (short.direction, short.color) == (Metric.MetricDirection.DOWN, Metric.MetricColor.RED)
    above = _metric(open_app({"preset": "pledge"}, panels_open=False), label).proto
    assert (above.direction, above.color) == (Metric.MetricDirection.UP, Metric.MetricColor.GREEN)


def test_a_year_on_year_fall_points_down_whatever_the_words_before_the_number():
    """Korean puts the number last ("전년 같은 기간 대비 -3.0%"): the arrow follows the value, not the text."""
    from streamlit.proto.Metric_pb2 import Metric

    at = open_app({"lang": "ko"}, timeline={}, panels_open=False)
    ytd = at.metric[0].proto
    assert ytd.direction == (Metric.MetricDirection.DOWN if "-" in ytd.delta else Metric.MetricDirection.UP)


def test_no_missing_value_is_printed_as_none():
    from scenarios.model.backtest import run
    from scenarios.words.describe import kita_table, volatility_table
    from ui.common import volatility

    for frame in (kita_table(run(DATA, n_paths=200), "ko"), volatility_table(volatility(), "ko")):
        assert not any(v is None or str(v) in ("None", "nan") for v in frame.to_numpy().ravel())
