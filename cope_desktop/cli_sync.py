"""``cope-desktop sync ...``: exchanging changes between copies (field laptops) by bundle files.

sync export --db PATH --out FILE [--since-peer ID] [--full]
sync import --db PATH FILE [--name NAME]

``--since-peer`` names the copy the bundle is for (its device id, the first characters of it,
or its name); without it, the only copy this one has exchanged with, or everything when there
is none or several. ``sync import`` into a path where no database exists makes a new copy from
a full bundle, opened with the same user names and passwords as the original.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser(
        "sync",
        parents=[common],
        help=_("exchange changes with another copy (a field laptop) by bundle files"),
    )
    commands = sync.add_subparsers(dest="sync_command", parser_class=type(sync))
    commands.required = True
    export = commands.add_parser(
        "export", parents=[common], help=_("write an encrypted bundle of changes")
    )
    export.add_argument("--out", type=Path, required=True, help=_("the bundle file to write"))
    export.add_argument(
        "--since-peer",
        help=_("the copy the bundle is for: its device id, the start of it, or its name"),
    )
    export.add_argument(
        "--full",
        action="store_true",
        help=_("every record, to set up a new copy (administrators only)"),
    )
    import_ = commands.add_parser(
        "import",
        parents=[common],
        help=_("apply a bundle; into a new path, make a new copy from a full bundle"),
    )
    import_.add_argument("file", type=Path, help=_("the bundle file"))
    import_.add_argument("--name", default="", help=_("the new copy's name, e.g. 'Field laptop 1'"))


def cmd_sync(args: argparse.Namespace, paths: AppPaths) -> int:
    commands: dict[str, Callable[[argparse.Namespace, AppPaths], int]] = {
        "export": _export,
        "import": _import,
    }
    return commands[args.sync_command](args, paths)


def _export(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.cli import _db_path, _password, _user, terminal_progress
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.sync.export import export_changes, export_full
    from cope_desktop.sync.service import find_peer

    out = Path(args.out).expanduser()
    if args.full and args.since_peer:
        raise UserInputError(_("--full writes every record; leave out --since-peer."))
    db_path = _db_path(args, paths)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        if args.full:
            result = run_to_end(export_full(db, current, out), terminal_progress())
            print(
                ngettext(
                    "Wrote a full bundle of {count} record to {path}. It holds the whole "
                    "record: keep it safe and delete it once the new copy is set up.",
                    "Wrote a full bundle of {count} records to {path}. It holds the whole "
                    "record: keep it safe and delete it once the new copy is set up.",
                    result.rows,
                ).format(count=format_number(result.rows), path=out)
            )
            return 0
        with db.session() as session:
            peer = find_peer(session, current, args.since_peer)
        result = run_to_end(
            export_changes(db, current, out, peer.device_id if peer else None),
            terminal_progress(),
        )
    finally:
        db.close()
    target = peer.name if peer else _("any copy")
    wrote = ngettext(
        "Wrote {count} change for {peer} to {path}.",
        "Wrote {count} changes for {peer} to {path}.",
        result.rows,
    ).format(count=format_number(result.rows), peer=target, path=out)
    events = ngettext(
        "It carries {count} audit event.", "It carries {count} audit events.", result.audit_events
    ).format(count=format_number(result.audit_events))
    print(f"{wrote} {events}")
    return 0


def _import(args: argparse.Namespace, paths: AppPaths) -> int:
    from cope_desktop.cli import _db_path, _password, _user, terminal_progress
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.sync.apply import import_bundle
    from cope_desktop.sync.bundle import read_header

    bundle = Path(args.file).expanduser()
    db_path = _db_path(args, paths)
    if not db_path.exists():
        header = read_header(bundle)
        if not header.is_full:
            raise UserInputError(
                _(
                    "There is no database at {path}. A new copy is made from a full bundle; "
                    "{name} holds only changes."
                ).format(path=db_path, name=bundle.name)
            )
        return _new_copy(args, bundle, db_path, header.device_name, header.rows)
    db, current = sign_in(db_path, _user(args), _password(args), paths.ensure().backup_dir)
    try:
        result = run_to_end(import_bundle(db, current, bundle), terminal_progress())
    finally:
        db.close()
    print(result.message)
    return 0


def _new_copy(args: argparse.Namespace, bundle: Path, db_path: Path, source: str, rows: int) -> int:
    from cope_desktop.cli import _password, _user, terminal_progress
    from cope_desktop.sync.apply import device_label
    from cope_desktop.sync.setup_copy import create_copy

    name = args.name.strip() or db_path.stem
    copying = create_copy(bundle, db_path, _user(args), _password(args), name)
    run_to_end(copying, terminal_progress())
    print(
        ngettext(
            "Created the copy {path} ({name}) from a full bundle of {source}: {count} record. "
            "It opens with the same user names and passwords.",
            "Created the copy {path} ({name}) from a full bundle of {source}: {count} records. "
            "It opens with the same user names and passwords.",
            rows,
        ).format(path=db_path, name=name, source=device_label(source), count=format_number(rows))
    )
    return 0
