"""The locale catalog: every user-visible string, looked up by key, and number formats."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locales")
LANGS = ("en", "ko")
DEFAULT_LANG = "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted key."""
    path = LOCALE_DIR / f"{lang}.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        return _flatten(tomllib.load(f))


def available_langs() -> tuple[str, ...]:
    """Languages that have a catalog file."""
    return tuple(lang for lang in LANGS if (LOCALE_DIR / f"{lang}.toml").exists())


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The string for `key` in `lang` (English if that language lacks it), formatted with values."""
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG)[key]
    return text.format(**values) if values else text


def fmt_number(value: float, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A number with thousands separators."""
    return f"{value:,.{decimals}f}"


def fmt_usd_bn(value: float, lang: str = DEFAULT_LANG) -> str:
    """An amount given in USD bn, written the way a reader of `lang` expects."""
    if lang == "ko":
        eok = value * 10.0  # 1 USD bn = 10억 달러
        if abs(value) >= 1000:
            return f"{value / 1000:,.2f}조 달러"
        return f"{eok:,.0f}억 달러"
    return t("fmt.usd_bn", lang, value=fmt_number(value, lang))


def fmt_pct(value: float, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A percentage with its sign where negative."""
    return t("fmt.pct", lang, value=f"{value:,.{decimals}f}")
