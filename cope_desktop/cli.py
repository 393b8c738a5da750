"""Command-line entry points (CLI.md). The same services as the GUI, no display needed.

Exit status: 0 success; 1 when ``check`` finds problems or something unexpected happened;
2 for bad arguments or bad input, always with one line on standard error saying what is wrong.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from cope_desktop import __version__, cli_network, cli_sync
from cope_desktop.db.keys import check_new_password
from cope_desktop.errors import CopeError, UserInputError
from cope_desktop.i18n import _, format_number, format_percent, set_language
from cope_desktop.logging_setup import setup_logging
from cope_desktop.paths import AppPaths, resolve_paths
from cope_desktop.progress import Progress, run_to_end

if TYPE_CHECKING:
    from cope_desktop.db.database import Database

log = logging.getLogger(__name__)
PROG = "cope-desktop"


class OneLineParser(argparse.ArgumentParser):
    """Argument errors as one clear line (and exit 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = OneLineParser(add_help=False)
    # SUPPRESS: given before the command, --db and --lang must not be reset by the sub-parser.
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help=_("database file (default: per-user data folder)"),
    )
    common.add_argument(
        "--lang", default=argparse.SUPPRESS, help=_("language of messages, e.g. en, fr")
    )
    common.add_argument("--user", default=os.environ.get("COPE_USER"), help=_("user name"))
    common.add_argument("--password-file", type=Path, help=_("read the password from this file"))
    common.add_argument("-v", "--verbose", action="store_true", help=_("log more detail"))

    parser = OneLineParser(prog=PROG, description=_("COPE Desktop: confidential case records."))
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--db", type=Path, help=_("database file to open in the application"))
    parser.add_argument("--lang", help=_("language of the application, e.g. en, fr"))
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)

    init = sub.add_parser("init", parents=[common], help=_("create an encrypted database"))
    init.add_argument("--org-name", required=True, help=_("the organisation's name"))
    init.add_argument("--country", required=True, help=_("ISO 3166 two-letter country code"))

    demo = sub.add_parser("demo", parents=[common], help=_("create or fill a demo database"))
    demo.add_argument("--size", choices=["small", "large", "stress"], default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--country", default="IT")

    sub.add_parser("check", parents=[common], help=_("check integrity and consistency"))

    export = sub.add_parser(
        "export", parents=[common], help=_("write every record in the interchange workbook")
    )
    export.add_argument("--out", type=Path, required=True, help=_("the .xlsx file to write"))

    import_ = sub.add_parser(
        "import", parents=[common], help=_("import the interchange workbook (all or nothing)")
    )
    import_.add_argument("file", type=Path, help=_("the .xlsx workbook or one of the .csv files"))
    import_.add_argument(
        "--dry-run", action="store_true", help=_("check and count, but write nothing")
    )

    report = sub.add_parser(
        "report", parents=[common], help=_("write the network return or the internal report")
    )
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument("--year", type=int, help=_("a calendar year, e.g. 2025"))
    period.add_argument("--from", dest="start", help=_("first day, YYYY-MM-DD (with --to)"))
    report.add_argument("--to", dest="end", help=_("last day, YYYY-MM-DD"))
    report.add_argument("--format", required=True, choices=["json", "pdf", "xlsx", "csv"])
    report.add_argument(
        "--internal", action="store_true", help=_("the internal report (exact figures, never sent)")
    )
    report.add_argument(
        "--threshold", type=int, default=5, help=_("hide counts from 1 to this minus one")
    )
    report.add_argument("--out", type=Path, required=True, help=_("the file to write"))

    backup = sub.add_parser(
        "backup", parents=[common], help=_("write a verified, encrypted backup of the database")
    )
    backup.add_argument(
        "--out",
        type=Path,
        required=True,
        help=_("the backup file to write (.db), or a folder to write it in"),
    )
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help=_("replace the database by a backup, after verifying it"),
    )
    restore.add_argument(
        "--backup", type=Path, required=True, help=_("the backup file (.db) to restore")
    )

    cli_network.add_parser(sub, common)
    cli_sync.add_parser(sub, common)

    passwd = sub.add_parser("passwd", parents=[common], help=_("set a new password"))
    passwd.add_argument(
        "--recovery-key-file", type=Path, help=_("prove identity with the recovery key")
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = resolve_paths()
    if args.lang:
        set_language(args.lang)
    setup_logging(paths.log_file, verbose=getattr(args, "verbose", False), to_stderr=True)
    if args.command is None:
        from cope_desktop.ui.app import run_gui  # Qt is imported only for the GUI

        return run_gui(paths, args.db, args.lang)
    handler = COMMANDS[args.command]
    try:
        return handler(args, paths)
    except CopeError as exc:
        print(f"{PROG} {args.command}: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: " + _("interrupted; nothing was changed."), file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected failure in %s", args.command)
        print(
            f"{PROG} {args.command}: "
            + _("an unexpected error happened; details are in {log}").format(log=paths.log_file),
            file=sys.stderr,
        )
        return 1


def _db_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    return Path(args.db).expanduser() if args.db else paths.ensure().default_db


def _read_secret_file(path: Path, *, recovery: bool = False) -> str:
    """The first line of a password or recovery-key file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        message = (
            _("Cannot read the recovery key file {path}: {reason}")
            if recovery
            else _("Cannot read the password file {path}: {reason}")
        )
        raise UserInputError(message.format(path=path, reason=reason)) from None
    secret = lines[0].strip() if lines else ""
    if not secret:
        message = (
            _("The recovery key file {path} is empty.")
            if recovery
            else _("The password file {path} is empty.")
        )
        raise UserInputError(message.format(path=path))
    return secret


def _password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """From --password-file, then COPE_PASSWORD, then a prompt when there is a terminal."""
    if args.password_file:
        return _read_secret_file(args.password_file)
    if os.environ.get("COPE_PASSWORD"):
        return os.environ["COPE_PASSWORD"]
    return _prompt(_("Password: "), confirm=confirm, env_name="COPE_PASSWORD")


def _prompt(label: str, *, confirm: bool, env_name: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UserInputError(
            _("No password given: set {env}, use --password-file, or run in a terminal.").format(
                env=env_name
            )
        )
    first = getpass.getpass(label)
    if confirm:
        check_new_password(first, getpass.getpass(_("Repeat: ")))
    return first


def _user(args: argparse.Namespace) -> str:
    return args.user or "admin"


def cmd_init(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.setup import NewDatabase, create_database, validate

    request = NewDatabase(
        path=_db_path(args, paths),
        organisation_name=args.org_name,
        country=args.country,
        admin_username=_user(args),
        admin_password="",
    )
    validate(request, check_password=False)  # say what is wrong before asking for a password
    request = replace(request, admin_password=_password(args, confirm=True))
    recovery_key = create_database(request)
    _print_recovery_key(request.path, recovery_key)
    return 0


def _print_recovery_key(db_path: Path, recovery_key: str) -> None:
    print(_("Created the encrypted database {path}").format(path=db_path))
    print(
        _("Its key file is {path}; keep both together and back them up.").format(
            path=db_path.with_name(db_path.name + ".keys")
        )
    )
    print()
    print(
        _("RECOVERY KEY (shown only this once; store it somewhere safe, away from the computer):")
    )
    print()
    print("    " + recovery_key)
    print()


def cmd_demo(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services import demo
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.services.setup import NewDatabase, create_database

    db_path = _db_path(args, paths)
    password = _password(args)
    if not db_path.exists():
        request = NewDatabase(
            db_path,
            demo.organisation_name(args.country, args.seed),
            args.country,
            _user(args),
            password,
        )
        _print_recovery_key(db_path, create_database(request))
    db, _current = sign_in(db_path, _user(args), password, paths.ensure().backup_dir)
    try:
        summary = run_to_end(
            demo.fill_demo(db, args.size, args.seed, args.country, password=password),
            progress_printer(),
        )
    finally:
        db.close()
    print(
        _(
            "Demo records added: {families} families, {children} children, "
            "{activities} activities, {attendances} attendances ({records} records in all)."
        ).format(
            families=format_number(summary.families),
            children=format_number(summary.children),
            activities=format_number(summary.activities),
            attendances=format_number(summary.attendances),
            records=format_number(summary.records),
        )
    )
    return 0


def progress_printer() -> Callable[[Progress], None]:
    """Progress on stderr: a line redrawn in a terminal, every tenth in a log."""
    last_tenth = -1
    interactive = sys.stderr.isatty()

    def report(step: Progress) -> None:
        nonlocal last_tenth
        percent = int(step.fraction * 100)
        shown = f"{format_percent(percent / 100):>5}"
        if interactive:
            print(f"\r{shown} {step.message:<60.60}", end="", file=sys.stderr, flush=True)
            if step.done >= step.total:
                print(file=sys.stderr)
        elif percent // 10 != last_tenth:
            last_tenth = percent // 10
            print(f"{shown} {step.message}", file=sys.stderr, flush=True)

    return report


def cmd_check(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.errors import DatabaseDamagedError
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.services.integrity import check_database

    db_path = _db_path(args, paths)
    try:
        db, _current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    except DatabaseDamagedError as exc:
        print(exc.message)
        return 1
    try:
        problems = check_database(db, _backup_folders(db, paths))
    finally:
        db.close()
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(_("{path}: no problems found.").format(path=db_path))
    return 0


def _backup_folders(db: Database, paths: AppPaths) -> list[Path]:
    """Where this database's backups are: their manifests witness the audit trail."""
    from cope_desktop.services.app_settings import read_settings
    from cope_desktop.services.backups import backup_folders

    with db.session() as session:
        return backup_folders(read_settings(session), paths.backup_dir)


def cmd_passwd(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.accounts import set_password

    if not args.user:
        raise UserInputError(_("Say whose password to set with --user NAME."))
    db_path = _db_path(args, paths)
    recovery = None
    old = None
    if args.recovery_key_file:
        recovery = _read_secret_file(args.recovery_key_file, recovery=True)
    else:
        old = _password(args)
    new = os.environ.get("COPE_NEW_PASSWORD") or _prompt(
        _("New password: "), confirm=True, env_name="COPE_NEW_PASSWORD"
    )
    set_password(
        db_path, args.user, new, paths.ensure().backup_dir, old_password=old, recovery_key=recovery
    )
    print(_("The password of {user} has been changed.").format(user=args.user))
    return 0


def cmd_export(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.services.interchange.export import export_records
    from cope_desktop.services.permissions import Permission, require

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UserInputError(
            _(
                "The export is an .xlsx workbook: give --out a name ending in .xlsx ({path})."
            ).format(path=out)
        )
    db_path = _db_path(args, paths)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        require(current, Permission.EXPORT_RECORDS)
        summary = run_to_end(export_records(db, current, out), progress_printer())
    finally:
        db.close()
    print(
        _("Wrote {rows} records to {path}.").format(
            rows=format_number(sum(summary.rows.values())), path=out
        )
    )
    return 0


def cmd_import(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.services.interchange.problems import format_problem
    from cope_desktop.services.interchange.service import import_file
    from cope_desktop.services.permissions import Permission, require

    path = Path(args.file)
    db_path = _db_path(args, paths)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        require(current, Permission.IMPORT_RECORDS)
        # progress only in a terminal: in a log, stderr holds the summary and the problems only
        result = run_to_end(
            import_file(db, current, path, dry_run=args.dry_run), terminal_progress()
        )
    finally:
        db.close()
    if result.problems:
        print(
            f"{PROG} import: "
            + _("{count} problems in {name}; nothing was imported.").format(
                count=format_number(result.problem_count), name=path.name
            ),
            file=sys.stderr,
        )
        for problem in result.problems:
            print(format_problem(problem), file=sys.stderr)
        return 2
    counts = result.counts
    for sheet, sheet_counts in counts.sheets.items():
        print(
            _("{sheet}: {added} added, {updated} updated, {unchanged} unchanged").format(
                sheet=sheet,
                added=format_number(sheet_counts.added),
                updated=format_number(sheet_counts.updated),
                unchanged=format_number(sheet_counts.unchanged),
            )
        )
    if args.dry_run:
        summary = _("Checked {name}: no problems; nothing was written (dry run).")
    else:
        summary = _("Imported {name}: {added} added, {updated} updated, {unchanged} unchanged.")
    print(
        summary.format(
            name=path.name,
            added=format_number(counts.added),
            updated=format_number(counts.updated),
            unchanged=format_number(counts.unchanged),
        )
    )
    return 0


def cmd_report(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.reports.service import (
        check_request,
        parse_period,
        prepare_report,
        write_report,
    )
    from cope_desktop.services.accounts import sign_in

    period = parse_period(args.year, args.start, args.end)
    db_path = _db_path(args, paths)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        check_request(current, period, internal=args.internal, threshold=args.threshold)
        prepared = run_to_end(
            prepare_report(db, current, period, internal=args.internal, threshold=args.threshold),
            progress_printer(),
        )
        for warning in prepared.warnings:
            print(_("Warning: {text}").format(text=warning), file=sys.stderr)
        run_to_end(write_report(db, current, prepared, args.format, args.out))
    finally:
        db.close()
    hidden = prepared.document["disclosure"]["suppressed"]
    if prepared.internal:
        print(
            _("Wrote the internal report for {period} to {path}. It is not to be sent.").format(
                period=period.label(), path=args.out
            )
        )
    else:
        print(
            _("Wrote the network return for {period} to {path} ({hidden} figures hidden).").format(
                period=period.label(), path=args.out, hidden=format_number(hidden)
            )
        )
    return 0


def cmd_backup(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.services.backups import make_backup

    out = Path(args.out).expanduser()
    folder, name = (out, None) if out.is_dir() else (out.parent, out.name)
    if name is not None and not name.lower().endswith(".db"):
        raise UserInputError(
            _(
                "A backup is a .db file: give --out a name ending in .db, or a folder ({path})."
            ).format(path=out)
        )
    db_path = _db_path(args, paths)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        info = run_to_end(make_backup(db, current, folder, file_name=name), terminal_progress())
    finally:
        db.close()
    print(
        _("Wrote a verified backup of {records} records to {path}.").format(
            records=format_number(info.total_records), path=info.path
        )
    )
    return 0


def terminal_progress() -> Callable[[Progress], None] | None:
    """Progress in a terminal only: in a log, stderr keeps to the one line of a failure."""
    return progress_printer() if sys.stderr.isatty() else None


def cmd_restore(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.services.backups import restore

    db_path = _db_path(args, paths)
    backup = Path(args.backup).expanduser()
    aside = run_to_end(
        restore(backup, db_path, _user(args), _password(args), paths.ensure().backup_dir),
        terminal_progress(),
    )
    print(_("Restored {backup} to {path}.").format(backup=backup.name, path=db_path))
    if aside is not None:
        print(_("The database it replaced was kept as {path}.").format(path=aside))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, AppPaths], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "report": cmd_report,
    "export": cmd_export,
    "import": cmd_import,
    "passwd": cmd_passwd,
    "network": cli_network.cmd_network,
    "sync": cli_sync.cmd_sync,
    "backup": cmd_backup,
    "restore": cmd_restore,
}
