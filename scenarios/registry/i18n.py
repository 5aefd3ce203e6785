"""The locale catalog: every user-visible string, looked up by key, number formats and Korean particles."""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from scenarios.registry.precision import AMOUNT_DECIMALS, PCT_DECIMALS

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


class Message:
    """A catalog string not yet put into words: rendered in whichever language shows it.

    Errors raised deep in the engine (a refused upload, an out-of-range link value) carry a
    Message, so the page or the command line says them in the reader's language. str() is
    the English text (logs, tests and callers that do not know the language).
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in `lang`."""
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


class Choices:
    """Ids a reader may have to pick from, named in the reader's language: 항공기(aircraft).

    Series, presets, parts of the page and fields of a link each get their name, with the id beside it,
    which a file or a link needs.

    kind: "series" (a data series), "ref" (a comparison: none or preset:<id>), "preset", "tab", "lang" or
    "field" (a link's parameter). Put into a Message's values, it is named when the Message is.
    """

    __slots__ = ("ids", "kind")

    def __init__(self, kind: str, ids) -> None:
        self.kind, self.ids = kind, tuple(str(i) for i in ids)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The ids named in `lang`, one after another."""
        return t("publish2.list_sep", lang).join(choice_name(self.kind, i, lang) for i in self.ids)

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Choices) and (self.kind, self.ids) == (other.kind, other.ids)

    def __hash__(self) -> int:
        return hash((self.kind, self.ids))


def series_name(series: str, lang: str = DEFAULT_LANG, with_id: bool = False) -> str:
    """A data series as a reader names it (반도체, 항공기 부품, 코스피 연말 종가), with its id beside it if asked."""
    texts = catalog(lang)
    name = texts.get(f"publish2.series_name.{series}") or catalog(DEFAULT_LANG).get(f"publish2.series_name.{series}")
    peer = re.fullmatch(r"gdp_usd_bn_([A-Z]{3})(_weo_apr2025)?", series)
    kospi = re.fullmatch(r"kospi_first_close_above_(\d+)", series)
    if name is None and peer:
        country = t(f"lever.peer_{peer.group(1).lower()}.label", lang) if f"lever.peer_{peer.group(1).lower()}.label" \
            in catalog(DEFAULT_LANG) else t("publish2.korea", lang)
        name = t("publish2.peer_gdp_apr2025" if peer.group(2) else "publish2.peer_gdp", lang, country=country)
    elif name is None and kospi:
        name = t("publish2.kospi_first_close", lang, level=fmt_number(float(kospi.group(1)), lang, 0))
    if name is None:
        return series
    return t("publish2.series_with_id", lang, name=name, id=series) if with_id else name


def choice_name(kind: str, value: str, lang: str = DEFAULT_LANG) -> str:
    """One of Choices' ids in words (see Choices)."""
    texts = catalog(DEFAULT_LANG)
    if kind == "series":
        return series_name(value, lang, with_id=True)
    if kind == "ref" and value == "none":
        name = t("compare.none", lang)
    elif kind in ("ref", "preset"):
        pid = value.removeprefix("preset:")
        key = f"preset.{pid}.label"
        name = t(key, lang) if key in texts else None
    elif kind == "tab":
        name = t(f"tabs.{value}", lang) if f"tabs.{value}" in texts else None
    elif kind == "lang":
        name = t(f"lang.{value}", value) if f"lang.{value}" in texts else None
    elif kind == "field":
        name = t(f"publish2.field.{value}", lang) if f"publish2.field.{value}" in texts else None
    else:
        name = None
    if name is None:
        return value
    return t("publish2.series_with_id", lang, name=name, id=value)


def localize(value: object, lang: str = DEFAULT_LANG) -> object:
    """A Message (or Choices), or an exception raised with one, in `lang`; anything else as it is."""
    if isinstance(value, Message | Choices):
        return value.text(lang)
    if isinstance(value, BaseException) and value.args and isinstance(value.args[0], Message | BaseException):
        return localize(value.args[0], lang)
    if isinstance(value, BaseException):
        return str(value)
    return value


def message_of(exc: BaseException) -> Message | str:
    """What an exception says, kept translatable: its Message if it has one, else its text."""
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The string for `key` in `lang` (English if that language lacks it), formatted with values.

    Values that are Messages (or exceptions raised with one) are put into `lang` too; in Korean a
    particle written after a placeholder as 을(를), 이(가), 은(는), 와(과) or (으)로 is then chosen by
    the word that precedes it (korean_particles).
    """
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG)[key]
    if values:
        text = text.format(**{k: localize(v, lang) for k, v in values.items()})
    if lang == "ko" and "(" in text:
        text = korean_particles(text)
    return text


# ---------------------------------------------------------------- Korean particles (조사)

_PARTICLE_FORMS = {  # marker -> (after a final consonant, after a vowel)
    "을(를)": ("을", "를"), "를(을)": ("을", "를"), "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "은(는)": ("은", "는"), "는(은)": ("은", "는"), "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"), "(이)나": ("이나", "나"), "(이)라": ("이라", "라"),
}
_PARTICLE = re.compile("|".join(re.escape(m) for m in sorted(_PARTICLE_FORMS, key=len, reverse=True)))
_RIEUL = 8  # index of ㄹ among the final consonants: a word ending in ㄹ takes 로, not 으로
# How a digit is read on its own (일, 이, 삼, ...): the final consonant's index, 0 for none
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0}
# A number ending in zeros is read by its last unit: 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ), 억 (ㄱ), 조 (none)
_ZEROS_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 1, 10: 1, 11: 1}
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}  # an acronym's last letter name: 엘, 엠, 엔, 알
_CLOSERS = "'\"’”)]」』>*`"
_OPENERS = {")": "(", "]": "["}


def final_consonant(word: str) -> int | None:
    """The final consonant (받침) the word ends with as read aloud: its index (0 = none), None if unknown.

    A closing quote or bracket is looked through, and a parenthetical at the end is skipped (the
    particle follows the word before it: 허용 범위(-30~40)를). Numbers are read as Korean numbers
    (40 사십, 1,000 천, 7.8 칠 점 팔), acronyms letter by letter (GDP 지디피, URL 유알엘).
    """
    s = word.rstrip()
    while s:
        ch = s[-1]
        if ch in _OPENERS:
            depth, i = 0, len(s) - 1
            while i >= 0:
                depth += s[i] == ch
                depth -= s[i] == _OPENERS[ch]
                if depth == 0:
                    break
                i -= 1
            if i <= 0:
                s = s[:-1]
                continue
            s = s[:i].rstrip()
            continue
        if ch in _CLOSERS or ch.isspace():
            s = s[:-1]
            continue
        break
    if not s:
        return None
    ch = s[-1]
    if "\uac00" <= ch <= "\ud7a3":
        return (ord(ch) - 0xAC00) % 28
    if ch.isdigit():
        run = re.search(r"[\d,]*\.?\d*$", s).group().replace(",", "")
        if "." in run:
            return _DIGIT_FINAL[ch]
        stripped = run.rstrip("0")
        zeros = len(run) - len(stripped)
        if zeros == 0 or not stripped:
            return _DIGIT_FINAL[ch]
        return _ZEROS_FINAL.get(zeros, 0)
    if ch == "%":
        return 0  # 퍼센트
    if ch.isascii() and ch.isalpha():
        letters = re.search(r"[A-Za-z]+$", s).group()
        if letters.isupper():
            return _LETTER_FINAL.get(ch.lower(), 0)
        low = letters.lower()
        if low[-1] in "lmn" or low.endswith("ng"):
            return _RIEUL if low[-1] == "l" else 4
        if low[-1] in "kpbt" and len(low) > 1 and low[-2] in "aeiou":
            return 1  # chip 칩, set 셋, book 북
        return 0
    return None


def particle(word: str, marker: str) -> str:
    """The particle a word takes: "를" for 반도체 and "을" for 40 with the marker "을(를)"."""
    with_final, without = _PARTICLE_FORMS[marker]
    final = final_consonant(word)
    if final is None:
        return marker
    if marker == "(으)로":
        return with_final if final not in (0, _RIEUL) else without
    return with_final if final else without


def korean_particles(text: str) -> str:
    """Every particle marker in a Korean text (을(를), (으)로, ...) chosen by the word before it."""
    if not _PARTICLE.search(text):
        return text
    out, at = [], 0
    for m in _PARTICLE.finditer(text):
        before = text[:m.start()]
        if not before or before[-1].isspace():
            continue  # a marker quoted on its own, not after a word
        out.append(text[at:m.start()])
        out.append(particle(before, m.group()))
        at = m.end()
    out.append(text[at:])
    return "".join(out)


# ---------------------------------------------------------------- numbers

NOT_A_NUMBER = "–"  # NaN, in any language


def _decimal(value: float, decimals: int, scale: int = 1) -> Decimal:
    """`value` x scale rounded half away from zero at `decimals` places.

    Rounded from the shortest decimal form of `value` (644.45 -> 644.5, and x 10 -> 6,445): never
    binary noise, never round-half-even.
    """
    exact = Decimal(repr(float(value))) * scale
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _non_finite(value: float | None) -> str | None:
    """The text of a value that is not a finite number (a dash for NaN or None, ∞ for infinity), else None."""
    if value is None:
        return NOT_A_NUMBER
    v = float(value)
    if math.isnan(v):
        return NOT_A_NUMBER
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return None


def fmt_number(value: float, lang: str = DEFAULT_LANG, decimals: int = AMOUNT_DECIMALS, sign: bool = False) -> str:
    """A number with thousands separators, rounded half away from zero, the same in every language.

    NaN is a dash and infinity ∞ (never an exception); -0.0 is 0.0; sign=True writes + before a positive number.
    """
    bad = _non_finite(value)
    if bad is not None:
        return bad
    d = _decimal(value, decimals)
    if d == 0:
        d = abs(d)
    text = f"{d:,.{decimals}f}"
    return f"+{text}" if sign and d > 0 else text


def fmt_int(value: float, lang: str = DEFAULT_LANG) -> str:
    """A count or a rank: a whole number with thousands separators (a year is never passed here: fmt_year)."""
    return fmt_number(value, lang, 0)


def fmt_usd_bn(value: float, lang: str = DEFAULT_LANG, unit: bool = True, decimals: int = AMOUNT_DECIMALS) -> str:
    """An amount given in USD bn, written the way a reader of `lang` expects.

    Korean readers count dollars in 억 (1e8) and 조 (1e12): USD 709.7 bn is 7,097억 달러,
    USD 1,011.5 bn is 1조 115억 달러, USD 0 is 0달러 and USD 0.03 bn 3,000만 달러. unit=False
    leaves out the currency (a label or an axis says it); decimals: the English figure's decimals (0 for an
    estimate rounded to USD 5 bn; Korean amounts are whole 억 already).
    """
    bad = _non_finite(value)
    if bad is not None:
        return bad
    if lang != "ko":
        number = fmt_number(value, lang, decimals)
        return t("fmt.usd_bn", lang, value=number) if unit else number
    currency = " 달러" if unit else ""
    eok = int(_decimal(value, 0, scale=10))  # 1 USD bn = 10억 달러
    sign = "-" if value < 0 else ""
    if eok == 0:
        man = int(_decimal(abs(value), 0, scale=100_000))  # 1 USD bn = 10만 x 만 달러
        if man == 0:
            return f"0{currency.strip()}" if unit else "0"
        return f"{sign}{man:,}만{currency}"
    jo, rest = divmod(abs(eok), 10_000)
    if jo and rest:
        return f"{sign}{jo:,}조 {rest:,}억{currency}"
    if jo:
        return f"{sign}{jo:,}조{currency}"
    return f"{sign}{rest:,}억{currency}"


def fmt_usd_bn_metric(value: float, lang: str = DEFAULT_LANG, decimals: int = AMOUNT_DECIMALS) -> str:
    """A headline amount: the bare number in English (the label says 'USD bn'), 억/조 달러 in Korean."""
    return fmt_usd_bn(value, lang) if lang == "ko" else fmt_number(value, lang, decimals)


def usd_bn_table_value(value: float, lang: str = DEFAULT_LANG) -> float:
    """An amount in USD bn as a table shows it: USD bn in English, 억 달러 (x 10) in Korean (table.unit_usd)."""
    return value * 10.0 if lang == "ko" else value


def fmt_people_mn(value: float, lang: str = DEFAULT_LANG) -> str:
    """A population given in millions: 51.7 mn in English, 5,172만 명 in Korean."""
    bad = _non_finite(value)
    if bad is not None:
        return bad
    if lang == "ko":
        return f"{fmt_number(value * 100, lang, 0)}만 명"
    return t("fmt.people_mn", lang, value=fmt_number(value, lang, 1))


def fmt_year(year: int, lang: str = DEFAULT_LANG) -> str:
    """A calendar year as a reader of `lang` writes it in a sentence (2030; 2030년); never with a separator."""
    return f"{int(year)}년" if lang == "ko" else str(int(year))


def fmt_rank(rank: float, lang: str = DEFAULT_LANG) -> str:
    """A rank as a whole number: 13 (English), 13위 (Korean)."""
    bad = _non_finite(rank)
    if bad is not None:
        return bad
    return f"{round(rank)}위" if lang == "ko" else str(round(rank))


def fmt_range(low: object, high: object, lang: str = DEFAULT_LANG) -> str:
    """Two ends of a range with the language's one separator: 2017-2025 (English), 2017~2025 (Korean)."""
    return t("fmt.range", lang, low=low, high=high)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2})(?::\d{2})?)?\s*(UTC)?$")


def fmt_date(text: object, lang: str = DEFAULT_LANG) -> str:
    """An ISO date (with a time, optionally) as a Korean reader writes it: 2026년 11월 30일 04:55(UTC).

    English keeps the ISO form (2026-11-30 04:55 UTC), which English data notes use; anything that is not
    an ISO date is returned as it is.
    """
    m = _ISO_DATE.match(str(text).strip())
    if m is None:
        return str(text)
    year, month, day, clock, utc = m.groups()
    if lang != "ko":
        return str(text).strip()
    out = f"{int(year)}년 {int(month)}월 {int(day)}일"
    return out + (f" {clock}{'(UTC)' if utc else ''}" if clock else "")


def fmt_days(coverage: str, lang: str = DEFAULT_LANG) -> str:
    """A customs count's days ("1-20") with the language's range separator: 1-20; 1~20."""
    low, sep, high = str(coverage).partition("-")
    return fmt_range(low, high, lang) if sep else str(coverage)


def fmt_pct(value: float, lang: str = DEFAULT_LANG, decimals: int = PCT_DECIMALS, sign: bool = False) -> str:
    """A percentage with its sign where negative (sign=True: also + where positive)."""
    bad = _non_finite(value)
    if bad is not None:
        return bad
    return t("fmt.pct", lang, value=fmt_number(value, lang, decimals, sign=sign))


# ---------------------------------------------------------------- tables on a terminal

def text_width(text: str) -> int:
    """Columns a text takes in a terminal (Hangul and other wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_cell(text: str, width: int, align: str = ">") -> str:
    """A cell of `width` terminal columns, right- (">") or left- ("<") aligned; wide characters count as two."""
    while text_width(text) > width:
        text = text[:-1]
    pad = " " * (width - text_width(text))
    return pad + text if align == ">" else text + pad


def text_grid(header: list[str], rows: list[list[str]], left: int = 0) -> list[str]:
    """Columns each as wide as its widest cell (in terminal columns), one space apart.

    The first `left` columns are aligned left, the rest right.
    """
    widths = [max(text_width(c) for c in column) for column in zip(header, *rows, strict=True)]
    return [" ".join(text_cell(c, w, "<" if i < left else ">") for i, (c, w) in enumerate(zip(row, widths,
                                                                                              strict=True)))
            for row in (header, *rows)]


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


# ---------------------------------------------------------------- catalog text in a Markdown context

# Characters Streamlit's Markdown acts on although no catalog string means them as Markdown: a pair of single
# tildes is strikethrough (the Korean range 2016~2024 ... 1~4년 collapses into <del>), and a pair of dollar
# signs is LaTeX. Catalog strings that are Markdown use ** for bold, `code`, [links](...) and lists only.
_MD_ACCIDENTS = "~$"
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def md(text: object) -> str:
    """Text from the catalog (or composed of catalog strings) made safe for a Markdown context.

    The one place the page's Markdown sinks (st.markdown, st.caption, alerts, widget labels and help
    tooltips) pass text through: every tilde and dollar sign outside code spans is escaped, so a range
    never becomes strikethrough and an amount never LaTeX, while the Markdown the catalog means (bold,
    code, links, lists) is kept. Idempotent: an escaped character is not escaped again. User text (names,
    file contents) goes through md_escape instead, which leaves no Markdown at all.
    """
    text = str(text)
    if not any(ch in text for ch in _MD_ACCIDENTS):  # nothing to escape (most strings): no walk, char by char
        return text
    out, last = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_escape_accidents(text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(_escape_accidents(text[last:]))
    return "".join(out)


def _escape_accidents(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in _MD_ACCIDENTS and not _escaped(text, i):
            out.append("\\")
        out.append(ch)
    return "".join(out)


def _escaped(text: str, i: int) -> bool:
    """Whether the character at i is already escaped (preceded by an odd number of backslashes)."""
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1
