"""Defences against hostile files and names: bounded file reads, strict numbers, inert names, safe CSV cells.

Pure functions (no Streamlit), shared by the app and the command line.

- read_limited: a file from a path given on the command line, refused unless it
  is a regular file of at most `max_bytes` (a device such as /dev/zero, a named
  pipe or a directory is refused before it is opened for reading, and the read
  itself never takes more than max_bytes + 1 bytes).
- json_depth / JSON_MAX_DEPTH: nesting is measured before json.loads, so a
  file of 50,000 brackets is refused with a message instead of a RecursionError.
- parse_plain_number: "709.7" or "1e3"; "17,5", "1.234,5", "1_000" and
  non-ASCII digits are refused instead of being misread.
- clean_name: a scenario name without control or invisible formatting
  characters, at most NAME_MAX characters.
- csv_safe_frame: text cells that a spreadsheet would run as a formula get a
  leading apostrophe.
"""

from __future__ import annotations

import math
import os
import re
import stat
import unicodedata
import urllib.parse

from scenarios.registry.i18n import Message

NAME_MAX = 60
JSON_MAX_DEPTH = 20  # a saved scenario nests 3 deep
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


class FileRefused(ValueError):
    """A file that will not be read; str() says why in a few words."""


# ------------------------------------------------------------------ files


def _kind(mode: int) -> Message:
    for test, key in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "pipe"), (stat.S_ISCHR, "device"),
                      (stat.S_ISBLK, "device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return Message(f"hostile.kind_{key}")
    return Message("hostile.kind_other")


def read_limited(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; raise FileRefused (or OSError) otherwise.

    The file is checked with os.stat before it is opened, opened non-blocking
    (so a pipe swapped in after the check cannot hang the read), checked again
    with fstat, and read up to max_bytes + 1 bytes at most.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(Message("hostile.not_regular", kind=_kind(st.st_mode)))
    if st.st_size > max_bytes:
        raise FileRefused(Message("hostile.file_too_big", max=_kb(max_bytes)))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(Message("hostile.not_regular", kind=_kind(st.st_mode)))
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 65_536))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise FileRefused(Message("hostile.file_too_big", max=_kb(max_bytes)))
    return data


def _kb(n: int) -> str:
    return f"{n // 1000:,} KB"


# ------------------------------------------------------------------ JSON

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


MAX_INT_DIGITS = 30


class NumberTooLong(ValueError):
    """A JSON integer with more digits than any value in a saved scenario can have."""


def json_int(text: str) -> int:
    """json.loads's parse_int: refuse integers of thousands of digits before Python converts them."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise NumberTooLong(Message("hostile.json_long_number", digits=f"{len(text.lstrip('-')):,}"))
    return int(text)


# ------------------------------------------------------------------ numbers

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SEPARATORS = re.compile(r"[0-9][,_' \u00a0\u202f][0-9]")


class AmbiguousNumber(ValueError):
    """A number written with a thousands or decimal separator that cannot be told apart (17,5; 1.234,5)."""


def parse_plain_number(value: object) -> float:
    """A number written plainly: ASCII digits, a point for decimals, an optional exponent.

    Raises AmbiguousNumber for separators ("17,5", "1.234,5", "1,234", "1 000",
    "1_000") and ValueError for anything else that is not such a number.
    NaN and infinities are returned as floats for the caller's range check.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if _SEPARATORS.search(text):
        raise AmbiguousNumber(text)
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return float(text)
    raise ValueError(text)


def finite(value: object) -> bool:
    """A real number that is neither NaN nor infinite (booleans are not numbers here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# ------------------------------------------------------------------ names


def clean_name(name: object, limit: int = NAME_MAX) -> str:
    """A name fit to show and to key on: no control or invisible formatting characters, spaces collapsed."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in str(name) if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn"))
    return " ".join(text.split())[:limit].strip()


_NUMBERED = re.compile(r"^(.*) \((\d{1,4})\)$")


def unique_stem(name: str) -> str:
    """A name without the " (2)" unique_name may have added."""
    match = _NUMBERED.match(name)
    return match.group(1) if match else name


def unique_name(name: str, taken, limit: int = NAME_MAX) -> str:
    """`name`, or `name (2)`, `name (3)`... whichever is not yet taken (kept within `limit` characters)."""
    if name not in taken:
        return name
    stem = unique_stem(name)
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = stem[: limit - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
        n += 1


# ------------------------------------------------------------------ CSV


def csv_safe_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; anything else as it is.

    Numbers stay numbers: only text starting with = + - @ or a tab/carriage return is changed. A bare carriage
    return inside a cell becomes a line feed, so the CSV writer quotes it and no reader takes it for a new row.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_safe_frame(frame):
    """A copy of a DataFrame whose text cells (and column names) cannot run as spreadsheet formulas."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind not in "biufcmM":  # text of any dtype (object, str, string, category)
            out[col] = out[col].astype(object).map(csv_safe_cell)
    out.columns = [csv_safe_cell(c) for c in out.columns]
    return out


def csv_safe_bytes(data: bytes) -> bytes:
    """A CSV file's bytes with formula-like text cells neutralised; byte for byte the same when none is.

    Cells that are numbers ("-3.5", "+2") stay as they are.
    """
    import csv
    import io

    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))

    def risky(cell: str) -> bool:
        if not cell.startswith(FORMULA_START):
            return False
        try:
            float(cell)
        except ValueError:
            return True
        return False

    if not any(risky(cell) for row in rows for cell in row):
        return data
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["'" + cell if risky(cell) else cell for cell in row] for row in rows])
    return out.getvalue().encode("utf-8")



# ------------------------------------------------------------------ text and addresses from data files

URL_MAX = 2000
TEXT_MAX = 4000  # a source, a note or a method: a sentence or a paragraph, never a file
# Characters a URL in a data file may not hold: Markdown or HTML would read them (a link's brackets and
# parentheses, quotes, angle brackets, backslash, backtick, braces, pipe, caret) or they hide (spaces, controls)
_URL_FORBIDDEN = set(" \t\r\n()[]<>\"'`\\{}|^")
# The same characters and the ASCII controls as one class: one search per address, not a test per character
_URL_MARKUP = re.compile("[" + re.escape("".join(sorted(_URL_FORBIDDEN))) + "\x00-\x1f\x7f]")
_PERIOD_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
_PERIOD_YEAR = re.compile(r"[0-9]{4}", re.ASCII)


def url_problem(url: str) -> Message | None:
    """Why a data file's address is refused (None: a well-formed http(s) URL a page can link to as it is)."""
    if not url:
        return Message("safety.url_empty")
    if len(url) > URL_MAX:
        return Message("safety.too_long", n=f"{URL_MAX:,}")
    if not url.isascii():
        return Message("safety.url_not_ascii")
    if _URL_MARKUP.search(url):
        return Message("safety.url_markup")
    try:
        parsed = urllib.parse.urlsplit(url)
        host = parsed.hostname
    except ValueError:
        return Message("safety.url_not_http")
    if parsed.scheme not in ("http", "https") or not host or "." not in host or parsed.username or parsed.password:
        return Message("safety.url_not_http")
    return None


def text_problem(text: str, limit: int = TEXT_MAX) -> Message | None:
    """Why a text field of a data file is refused (None: plain text of a sensible length, no control bytes)."""
    if len(text) > limit:
        return Message("safety.too_long", n=f"{limit:,}")
    if _CONTROL.search(text):
        return Message("safety.control")
    return None


# Unicode's control characters (category Cc, fixed by the standard: C0, DEL and C1), as one class: a search
# instead of a category lookup per character (every text field of every data row is checked on each load)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def is_month(text: str) -> bool:
    """A period written YYYY-MM in ASCII digits (full-width or Arabic-Indic digits are not months here)."""
    return bool(_PERIOD_MONTH.fullmatch(text))


def is_year(text: str) -> bool:
    """A year written YYYY in ASCII digits."""
    return bool(_PERIOD_YEAR.fullmatch(text))


def strip_controls(text: str, limit: int = 300) -> str:
    """Text from a server made safe for a terminal: control characters (ANSI escapes included) removed."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cc")[:limit]
