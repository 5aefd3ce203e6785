"""The locale catalog: every user-visible string, looked up by key, and number formats."""

from __future__ import annotations

import re
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


def catalog_files(lang: str) -> list[Path]:
    """The files of one language's catalog: locales/<lang>.toml, then locales/<lang>/*.toml (one per feature)."""
    main = LOCALE_DIR / f"{lang}.toml"
    return ([main] if main.exists() else []) + sorted((LOCALE_DIR / lang).glob("*.toml"))


@cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted key. A key defined in two files is an error."""
    out: dict[str, str] = {}
    for path in catalog_files(lang):
        with open(path, "rb") as f:
            part = _flatten(tomllib.load(f))
        twice = sorted(set(part) & set(out))
        if twice:
            raise KeyError(f"{path.name}: key {twice[0]} is already defined in another {lang} catalog file")
        out.update(part)
    return out


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
    """An amount given in USD bn, written the way a reader of `lang` expects.

    Korean readers count dollars in 억 (1e8) and 조 (1e12): USD 709.7 bn is
    7,097억 달러 and USD 1,011.5 bn is 1조 115억 달러.
    """
    if lang == "ko":
        eok = round(value * 10.0)  # 1 USD bn = 10억 달러
        sign = "-" if eok < 0 else ""
        jo, rest = divmod(abs(eok), 10_000)
        if jo and rest:
            return f"{sign}{jo:,}조 {rest:,}억 달러"
        if jo:
            return f"{sign}{jo:,}조 달러"
        return f"{sign}{rest:,}억 달러"
    return t("fmt.usd_bn", lang, value=fmt_number(value, lang))


def fmt_usd_bn_metric(value: float, lang: str = DEFAULT_LANG) -> str:
    """A headline amount: the bare number in English (the label says 'USD bn'), 억/조 달러 in Korean."""
    return fmt_usd_bn(value, lang) if lang == "ko" else fmt_number(value, lang)


def fmt_year(year: int, lang: str = DEFAULT_LANG) -> str:
    """A calendar year as a reader of `lang` writes it in a sentence (2030; 2030년)."""
    return f"{year}년" if lang == "ko" else str(year)


def fmt_pct(value: float, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A percentage with its sign where negative."""
    return t("fmt.pct", lang, value=f"{value:,.{decimals}f}")


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:&")
_WORD_JOINER = "\u2060"  # invisible; splits a bare URL or e-mail address so that GFM does not link it
_AUTOLINK_STARTS = re.compile(r"(?i)(https?)(?=:)|\b(www)(?=\.)|(@)")


def md_escape(text: str) -> str:
    """User text made safe to show inside Markdown: every character Markdown (or LaTeX) could act on is escaped.

    Escaping alone does not stop GFM's autolink literals (they are found in the text after escapes are
    resolved): "http://...", "www." and "a@b.c" also get an invisible word joiner that breaks the pattern.
    """
    text = _AUTOLINK_STARTS.sub(lambda m: m.group() + _WORD_JOINER, str(text))
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)
