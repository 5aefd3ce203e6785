"""`python -m scenarios refresh`: the command line of a refresh.

scenarios.data.refresh does the files; scenarios.words.refresh_report shows the effect.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scenarios.cli.parsing import LocalParser, lang_of
from scenarios.data import ecos
from scenarios.data import monthly as monthly_module
from scenarios.data.baseline import BaselineError, data_folder
from scenarios.data.refresh import (
    Proposed,
    RefreshError,
    ecos_proposals,
    limits_of,
    parse_import,
    recover,
    refresh_lock,
)
from scenarios.registry.i18n import DEFAULT_LANG, available_langs, t
from scenarios.registry.safety import FileRefused, is_month, read_limited
from scenarios.words.refresh_report import refresh

MAX_IMPORT_BYTES = 2_000_000  # a month's figures are a few KB; a file of 2 MB is already thousands of rows


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The refresh command's options, described in `lang`."""
    p = LocalParser(prog="python -m scenarios refresh", description=t("refresh.cli_description", lang))
    p.lang = lang
    p.add_argument("--import", dest="import_file", metavar="FILE.csv", help=t("refresh.help_import", lang))
    p.add_argument("--ecos", action="store_true", help=t("refresh.help_ecos", lang))
    p.add_argument("--since", metavar="YYYY-MM", help=t("refresh.help_since", lang))
    p.add_argument("--data-dir", metavar="DIR", help=t("refresh.help_data_dir", lang))
    p.add_argument("--dry-run", action="store_true", help=t("refresh.help_dry_run", lang))
    p.add_argument("--accept-revisions", action="store_true", help=t("refresh.help_accept", lang))
    p.add_argument("--recover", action="store_true", help=t("refresh.help_recover", lang))
    p.add_argument("--lang", choices=available_langs(), default=lang, help=t("refresh.help_lang", lang))
    return p


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def main(argv: Sequence[str] | None = None, *, opener: ecos.Opener | None = None, today: datetime.date | None = None,
         now: datetime.datetime | None = None, sleep: Callable[[float], None] | None = None) -> int:
    """Run `python -m scenarios refresh`; return the exit status (0, or 2 with one line on stderr)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(lang_of(argv)).parse_args(argv)
    lang = args.lang
    today = today or datetime.date.today()
    now = now or datetime.datetime.now(datetime.UTC)
    data_dir = Path(args.data_dir) if args.data_dir else data_folder()
    try:
        if not (data_dir / "exports.csv").is_file() or not (data_dir / "monthly.csv").is_file():
            raise RefreshError(t("refresh.err_data_dir", lang, path=data_dir))
        if not args.import_file and not args.ecos and not args.recover:
            raise RefreshError(t("refresh.err_no_source", lang))
        if args.since is not None and (not is_month(args.since)
                                       or monthly_module.month_index(args.since) >= today.year * 12 + today.month - 1):
            raise RefreshError(t("refresh.err_since", lang, value=args.since))
        data = None
        if args.import_file:  # read before the lock is taken: a slow or huge file never holds the folder
            try:
                data = read_limited(args.import_file, MAX_IMPORT_BYTES)
            except FileRefused as exc:
                raise RefreshError(t("refresh.err_unreadable", lang, path=args.import_file, problem=exc)) from None
            except OSError as exc:
                raise RefreshError(t("refresh.err_unreadable", lang, path=args.import_file,
                                     problem=exc.strerror or exc)) from None
        with refresh_lock(data_dir, lang):
            for done in recover(data_dir):
                print(t("refresh.recovered", lang, what=done))
            if args.recover and not args.import_file and not args.ecos:
                return 0
            proposals: list[Proposed] = []
            origins = []
            if data is not None:
                limits = limits_of(data_dir, today)
                proposals += parse_import(data, Path(args.import_file).name, today, lang, limits)
                origins.append(Path(args.import_file).name)
            if args.ecos:
                key = os.environ.get(ecos.KEY_ENV, "")
                if not key.strip():
                    raise RefreshError(t("refresh.err_no_key", lang, env=ecos.KEY_ENV))
                client = ecos.EcosClient(key, opener=opener, **({"sleep": sleep} if sleep else {}))
                proposals += ecos_proposals(client, data_dir, today, args.since, lang)
                origins.append("ECOS")
            refresh(data_dir, proposals, today=today, now=now, dry_run=args.dry_run,
                    accept_revisions=args.accept_revisions, origin=" + ".join(origins), lang=lang)
    except (RefreshError, ecos.EcosError, BaselineError) as exc:
        print(t("cli.error", lang, message=_one_line(exc)), file=sys.stderr)
        return 2
    return 0
