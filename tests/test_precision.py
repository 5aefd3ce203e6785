"""The precision rule in one place (scenarios.registry.precision): steps, defaults, and the first screen's use."""

from __future__ import annotations

import inspect

import pytest

from scenarios.registry import i18n
from scenarios.registry.precision import (
    AMOUNT_DECIMALS,
    PCT_DECIMALS,
    estimate_step_bn,
    round_estimate,
)
from scenarios.words.describe import rounded_estimate


@pytest.mark.parametrize(("unknown", "step"), [(0, 0.0), (1, 5.0), (3, 5.0), (4, 10.0), (11, 10.0), (12, 10.0)])
def test_an_estimate_is_rounded_by_how_many_months_are_unknown(unknown, step):
    assert estimate_step_bn(unknown) == step
    value = round_estimate(1143.7, unknown)
    assert value == (1143.7 if step == 0 else step * round(1143.7 / step))


def test_the_formatters_default_to_the_rule():
    for fn, name in ((i18n.fmt_pct, "decimals"), (i18n.fmt_number, "decimals"), (i18n.fmt_usd_bn, "decimals"),
                     (i18n.fmt_usd_bn_metric, "decimals")):
        default = inspect.signature(fn).parameters[name].default
        assert default == (PCT_DECIMALS if fn is i18n.fmt_pct else AMOUNT_DECIMALS)
    assert i18n.fmt_pct(7.6) == "7.6 %" and i18n.fmt_pct(-1.12) == "-1.1 %"


def test_the_words_layer_rounds_through_the_rule():
    assert rounded_estimate(1046.2, 7) == 1050.0   # seven months unknown: to USD 10 bn
    assert rounded_estimate(1141.2, 3) == 1140.0   # three: to USD 5 bn
