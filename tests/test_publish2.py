"""Publishable, second round (issue 27): statements that are true as written."""

from __future__ import annotations

import pytest

from scenarios.model.outcome import compute_outcome
from scenarios.model.projection import Scenario
from scenarios.registry.i18n import md, t
from scenarios.registry.presets import load_presets, resolve_growth
from scenarios.words.describe import delta_table, vision_summaries
from scenarios.words.export import summary_lines
from tests.shipped import BASE, DATA


def pledge_2022_timeline():
    growth = resolve_growth(load_presets()["pledge"], BASE)
    return compute_outcome(Scenario(base_year=2021, target_year=2027, preset="pledge").with_growth(**growth), DATA)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_kospi_summary_says_the_scenarios_year_end_and_the_actual_date_apart(lang):
    """2026 is the actual first close above 5,000 (27 January), not the scenario's first year-end at 5,000."""
    o = pledge_2022_timeline()
    assert o.milestones["kospi_5000"] == 2026 and o.milestone_basis["kospi_5000"] == "actual"
    own = o.projected_milestones["kospi_5000"]
    assert own != 2026
    texts = [vision_summaries(o, lang)["kospi"], *(x for x in summary_lines(o, lang) if "5,000" in x)]
    for text in texts:
        if own is None:
            assert str(o.scenario.horizon) in text, text
        assert "2026" in text and ("27" in text), text  # the actual date, said as a date
        assert "2026년입니다" not in text and "is 2026" not in text, text


def test_comparison_row_compares_the_two_paths_year_ends():
    """Yours against a reference: both cells are the paths' own first year-ends (no actual date on one side)."""
    presets = load_presets()
    mine = Scenario(base_year=2021, target_year=2027, preset="pledge").with_growth(
        **resolve_growth(presets["pledge"], BASE))
    ref = Scenario(base_year=2021, target_year=2027, preset="downside").with_growth(
        **resolve_growth(presets["downside"], BASE))
    o = compute_outcome(mine, DATA, reference=ref)
    frame = delta_table(o, "en")
    row = frame[frame.iloc[:, 0] == t("compare.year_kospi_5000", "en")]
    own = o.projected_milestones["kospi_5000"]
    assert row.iloc[0, 2] == (str(own) if own else t("metric.not_by", "en", year=o.scenario.horizon)), row


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_third_target_is_national_power_measured_by_gdp_rank(lang):
    intro = t("vision.intro", lang)
    assert ("G5" in intro) and ("GDP" in intro)
    assert ("national power" in intro) if lang == "en" else ("종합 국력" in intro and "경제대국" not in intro)


def test_series_ids_shown_to_a_reader_have_korean_names():
    """The own-figures editor, the Methodology table, upload errors and link notices name series in Korean."""
    from scenarios.data.overrides import OverrideError, parse_override_csv
    from scenarios.model.share import scenario_from_params
    from scenarios.registry.i18n import localize, series_name

    assert series_name("textiles_kofoti", "ko", with_id=True) == "섬유·의류(섬유산업연합회)(textiles_kofoti)"
    assert series_name("total", "ko") == "총수출" and series_name("gdp_usd_bn_USA", "ko").startswith("미국")
    assert series_name("kospi_first_close_above_5000", "ko") == "코스피 종가 기준 첫 5,000 돌파"
    with pytest.raises(OverrideError) as err:
        parse_override_csv(b"year,series,value\n2021,chips,3\n")
    text = localize(err.value, "ko")
    assert "항공기(aircraft)" in text and "반도체(semiconductors)" in text
    with pytest.raises(OverrideError) as err:
        parse_override_csv(b"year,series,value\n2021,semiconductors,3\n2021,semiconductors,4\n")
    assert "반도체(semiconductors)" in localize(err.value, "ko")
    _, notices = scenario_from_params({"ref": "preset:nope", "tab": "zzz", "preset": "rosy"}, baseline=BASE)
    words = " ".join(n.text("ko") for n in notices)
    assert "비교 대상(ref)" in words and "비교 안 함(none)" in words, words
    assert "화면 부분(tab)" in words and "진척 점검(tracker)" in words, words
    assert "중심" in words and ", none," not in words, words


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_methodology_headings_are_numbered_one_after_another(lang):
    import re

    from tests.test_i18n import _methodology_app

    at = _methodology_app()
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    numbers = [int(re.match(r"(\d+)\. ", h.value).group(1)) for h in at.header]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 9, [h.value for h in at.header]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_first_screen_has_no_two_decimal_percent_and_no_decimal_estimate(lang):
    """Done when of issue 27: the landing page's first screen is no more precise than its sources."""
    import re

    from tests.apptest_util import open_app

    at = open_app({"lang": lang}, timeline={}, panels_open=False)
    assert not at.exception
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    texts += [f"{v} {d}" for v, d in metrics.values()]
    assert not [x for x in texts if re.search(r"\d\.\d\d ?%", x)]
    nowcast = metrics[md(t("present.nowcast", lang, year=2026))]
    assert not re.search(r"\d\.\d", f"{nowcast[0]} {nowcast[1]}"), nowcast  # months unknown: no decimal
