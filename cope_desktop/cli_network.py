"""``cope-desktop network ...``: the secretariat's commands (CLI.md), no database needed.

network                         the Network screen (GUI)
network merge RETURN|FOLDER ... --format F --out FILE [--year Y [--half 1|2]] [--threshold K]
network dhis2 RETURN --format dhis2-json|dhis2-adx --out FILE
network sample --out FOLDER [--organisations N] [--years Y,Y] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, format_number
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.reports.period import Period

PROG = "cope-desktop network"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    network = sub.add_parser(
        "network",
        parents=[common],
        help=_("the secretariat: merge members' network returns (no database needed)"),
    )
    commands = network.add_subparsers(dest="network_command", parser_class=type(network))
    merge = commands.add_parser(
        "merge", parents=[common], help=_("validate and merge network returns")
    )
    merge.add_argument("returns", nargs="+", type=Path, help=_("return files or folders"))
    merge.add_argument(
        "--format", required=True, choices=["json", "pdf", "xlsx", "dhis2-json", "dhis2-adx"]
    )
    merge.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    merge.add_argument("--year", type=int, help=_("the year to merge (default: the most returns)"))
    merge.add_argument("--half", type=int, choices=[1, 2], help=_("a half year of --year"))
    merge.add_argument(
        "--threshold", type=int, default=5, help=_("hide network figures below this")
    )
    dhis2 = commands.add_parser(
        "dhis2", parents=[common], help=_("write one return as a DHIS2 data value set")
    )
    dhis2.add_argument("file", type=Path, help=_("a network return (.json)"))
    dhis2.add_argument("--format", required=True, choices=["dhis2-json", "dhis2-adx"])
    dhis2.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    sample = commands.add_parser(
        "sample", parents=[common], help=_("write synthetic members' returns to try the merge")
    )
    sample.add_argument("--out", type=Path, required=True, help=_("the folder to write into"))
    sample.add_argument("--organisations", type=int, default=40)
    sample.add_argument("--years", default="2024,2025", help=_("e.g. 2024,2025"))
    sample.add_argument("--seed", type=int, default=1)


def cmd_network(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.network_command is None:
        from cope_desktop.ui.app import run_network  # Qt only for the GUI

        return run_network(paths, getattr(args, "lang", None))
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "merge": _merge,
        "dhis2": _dhis2,
        "sample": _sample,
    }
    return commands[args.network_command](args)


def _period(args: argparse.Namespace) -> Period | None:
    if args.year is None:
        if args.half is not None:
            raise UserInputError(_("--half needs --year."))
        return None
    return Period.year(args.year) if args.half is None else Period.half(args.year, args.half)


def _merge(args: argparse.Namespace) -> int:
    from cope_desktop.cli import terminal_progress
    from cope_desktop.network.service import prepare_merge, write_merge

    merging = prepare_merge(args.returns, _period(args), args.threshold)
    result = run_to_end(merging, terminal_progress())
    _say_left_out(result)
    run_to_end(write_merge(result, args.format, args.out))
    countries = len(result.document["countries"])
    print(
        _("Merged {count} returns for {period} from {countries} countries into {path}.").format(
            count=format_number(result.merged_count),
            period=result.period.label(),
            countries=format_number(countries),
            path=args.out,
        )
    )
    return 0


def _say_left_out(result: Any) -> None:
    """One line per file left out, except returns for other periods: those in one line."""
    other = [status for status in result.statuses if status.problem == "other_period"]
    for status in result.statuses:
        if not status.merged and status.problem != "other_period":
            print(f"{status.path}: {status.message}", file=sys.stderr)
    if other:
        print(
            _(
                "{count} returns for other periods were not merged ({periods}); "
                "choose the period with --year."
            ).format(
                count=format_number(len(other)),
                periods=", ".join(sorted({s.period.label() for s in other if s.period})),
            ),
            file=sys.stderr,
        )


def _dhis2(args: argparse.Namespace) -> int:
    from cope_desktop.network.service import write_return_dhis2

    write_return_dhis2(args.file, args.format, args.out)
    print(_("Wrote {path}.").format(path=args.out))
    return 0


def _sample(args: argparse.Namespace) -> int:
    from cope_desktop.network.sample_returns import write_sample_returns

    try:
        years = tuple(int(part) for part in str(args.years).split(","))
    except ValueError:
        raise UserInputError(
            _("--years takes years separated by commas, e.g. 2024,2025 (not {value}).").format(
                value=args.years
            )
        ) from None
    if not 1 <= args.organisations <= 1000:
        raise UserInputError(_("--organisations must be from 1 to 1000."))
    paths = write_sample_returns(args.out, args.organisations, years, args.seed)
    print(
        _("Wrote {count} sample returns into {folder}.").format(
            count=format_number(len(paths)), folder=args.out
        )
    )
    return 0
