"""How many digits a figure may carry: one rule, read by every formatter and the estimates (issue 27).

- Percentages: one decimal (PCT_DECIMALS), in text, tables and charts alike.
- Amounts in USD bn that are data or a scenario's own arithmetic: one decimal (AMOUNT_DECIMALS).
- An estimate with months still unknown (the year in progress): to the nearest USD 5 bn with up to three
  months unknown, USD 10 bn with more (estimate_step_bn), shown without decimals: its range is tens of
  USD bn wide, so more digits would claim a precision it does not have.
- CSV and JSON downloads keep full precision (the page says so beside them).
"""

from __future__ import annotations

PCT_DECIMALS = 1
AMOUNT_DECIMALS = 1
FEW_MONTHS_UNKNOWN = 3


def estimate_step_bn(months_unknown: int) -> float:
    """The rounding step (USD bn) of an estimate with this many months still unknown (0: a known total)."""
    if months_unknown <= 0:
        return 0.0
    return 5.0 if months_unknown <= FEW_MONTHS_UNKNOWN else 10.0


def round_estimate(value: float, months_unknown: int) -> float:
    """An estimate rounded to its step (estimate_step_bn); a known total is returned as it is."""
    step = estimate_step_bn(months_unknown)
    return value if step == 0.0 else step * round(value / step)
