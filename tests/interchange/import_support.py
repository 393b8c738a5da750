"""What the import tests share: a second empty database, row counts, and small workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from db_support import PASSWORD
from openpyxl import Workbook
from sqlalchemy import func, select

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.db.models import (
    AuditEvent,
    User,
)
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.interchange.check_refs import INSERT_ORDER
from cope_desktop.services.interchange.layout import SHEETS_BY_NAME
from cope_desktop.services.interchange.service import ImportResult, import_file
from cope_desktop.services.setup import NewDatabase, create_database

MODELS = INSERT_ORDER


def new_database(folder: Path, paths: AppPaths, name: str = "target.db") -> Database:
    path = folder / name
    create_database(NewDatabase(path, "Target", "IT", "admin", PASSWORD))
    return sign_in(path, "admin", PASSWORD, paths.backup_dir)[0]


def admin_of(db: Database) -> CurrentUser:
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        return CurrentUser(admin.id, admin.username, admin.display_name, admin.role)


def add_staff(db: Database, *usernames: str) -> None:
    with db.session() as session:
        for username in usernames:
            session.add(
                User(username=username, display_name=username.title(), role=Role.CASEWORKER)
            )


def row_counts(db: Database) -> dict[str, int]:
    """Rows per table the importer writes to, archived ones included (and audit events)."""
    with db.session() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in MODELS
        }
        counts["audit_event"] = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return counts


def records_written(db: Database) -> int:
    counts = row_counts(db)
    counts.pop("audit_event")
    return sum(counts.values())


def run_import(db: Database, path: Path, **kwargs: Any) -> ImportResult:
    return run_to_end(import_file(db, admin_of(db), path, **kwargs))


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with these sheets: each a list of rows, the header first."""
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


OPENED = dt.date(2023, 2, 1)


def header(sheet: str) -> list[str]:
    return list(SHEETS_BY_NAME[sheet].column_names)


def family_book(path: Path, *families: list[Any], **more: list[list[Any]]) -> Path:
    """A workbook with a families sheet (full header) and any other sheets given in full."""
    sheets = {"families": [header("families"), *families]}
    sheets.update(more)
    return write_book(path, sheets)
