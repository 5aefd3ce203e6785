"""argparse in the reader's language: errors on one line (exit 2), usage and headings from the catalog."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from scenarios.registry.i18n import DEFAULT_LANG, available_langs, t

# argparse's own messages (English, from gettext), as the catalog words them: (pattern, key)
ARGPARSE_MESSAGES = (
    (re.compile(r"^unrecognized arguments: (?P<args>.*)$"), "cli.argparse_unrecognized"),
    (re.compile(r"^argument (?P<option>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<allowed>.*)\)$"),
     "cli.argparse_choice"),
    (re.compile(r"^argument (?P<option>\S+): expected one argument$"), "cli.argparse_expected"),
    (re.compile(r"^the following arguments are required: (?P<args>.*)$"), "cli.argparse_required"),
    (re.compile(r"^argument (?P<option>\S+): ignored explicit argument (?P<value>.*)$"), "cli.argparse_ignored"),
    (re.compile(r"^ambiguous option: (?P<option>\S+) could match (?P<allowed>.*)$"), "cli.argparse_ambiguous"),
)


def argparse_message(message: str, lang: str) -> str:
    """One of argparse's error messages in `lang` (the message as it is if it is not one the catalog knows)."""
    for pattern, key in ARGPARSE_MESSAGES:
        found = pattern.match(message)
        if found:
            return t(key, lang, **found.groupdict())
    return message


class LocalParser(argparse.ArgumentParser):
    """argparse, speaking the CLI's language: errors on one line (exit 2), usage and headings translated."""

    lang = DEFAULT_LANG

    def error(self, message: str) -> None:
        """Print one line in the parser's language and exit 2."""
        print(t("cli.error", self.lang, message=argparse_message(message, self.lang)), file=sys.stderr)
        raise SystemExit(2)

    def format_usage(self) -> str:
        """The usage line, its heading in the parser's language."""
        return self._localize(super().format_usage())

    def format_help(self) -> str:
        """The help, its headings in the parser's language."""
        return self._localize(super().format_help())

    def _localize(self, text: str) -> str:
        if self.lang == DEFAULT_LANG:
            return text
        text = re.sub(r"^usage: ", t("cli.usage", self.lang) + " ", text, flags=re.M)
        return re.sub(r"^options:$", t("cli.options", self.lang), text, flags=re.M)


def lang_of(argv: Sequence[str]) -> str:
    """The --lang value, read before the parser is built so that its help is in that language."""
    args = list(argv)
    for i, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in available_langs():
            return value
    return DEFAULT_LANG
