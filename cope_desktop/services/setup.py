"""Creating a new organisation database: data key, key slots, schema, first administrator."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from cope_desktop.db import keys
from cope_desktop.db.database import create_schema
from cope_desktop.db.enums import KeySlotKind, Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import Organisation, User
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.services import audit
from cope_desktop.services.accounts import check_username, slot_row

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewDatabase:
    """What a person types to create a database (the first-run wizard or ``init``)."""

    path: Path
    organisation_name: str
    country: str
    admin_username: str
    admin_password: str
    admin_display_name: str = ""


def check_country(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 2 or code not in Locale.parse("en").territories:
        raise UserInputError(
            _("{code} is not a two-letter ISO 3166 country code (for example IT, FR, PL).").format(
                code=code or "''"
            )
        )
    return code


def check_organisation_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UserInputError(_("The organisation's name is required."))
    return name


def check_new_location(path: Path) -> Path:
    """A place where a new database and its key file can be created without replacing anything."""
    if path.exists():
        raise UserInputError(
            _("A file already exists at {path}; choose another place or name.").format(path=path)
        )
    key_path = KeyFile.path_for(path)
    if key_path.exists():
        raise UserInputError(
            _(
                "A key file already exists at {path}; it belongs to another database. "
                "Choose another place or name."
            ).format(path=key_path)
        )
    return path


def validate(request: NewDatabase, *, check_password: bool = True) -> NewDatabase:
    """The request with its values cleaned, or UserInputError saying what is wrong.

    ``check_password=False`` checks everything else first, before a password is asked for.
    """
    if check_password:
        keys.check_password_strength(request.admin_password)
    return NewDatabase(
        path=check_new_location(request.path),
        organisation_name=check_organisation_name(request.organisation_name),
        country=check_country(request.country),
        admin_username=check_username(request.admin_username),
        admin_password=request.admin_password,
        admin_display_name=request.admin_display_name.strip(),
    )


def create_database(request: NewDatabase, recovery_key: str | None = None) -> str:
    """Create the encrypted database and its key file; returns the recovery key (shown once).

    The file is built under a temporary name and renamed into place only when complete, so
    an interrupted creation leaves no half-made database behind.
    """
    request = validate(request)
    recovery_key = keys.normalise_recovery_key(recovery_key or keys.new_recovery_key())
    data_key = keys.new_data_key()
    admin_slot = keys.wrap(
        data_key, request.admin_password, KeySlotKind.USER, request.admin_username
    )
    recovery_slot = keys.wrap(data_key, recovery_key, KeySlotKind.RECOVERY)

    building = request.path.with_name(request.path.name + ".creating")
    _remove_leftovers(building)
    final_key_file = KeyFile(KeyFile.path_for(request.path), [admin_slot, recovery_slot])
    db = create_schema(building, data_key, final_key_file)
    try:
        with db.session() as session:
            session.add(Organisation(name=request.organisation_name, country=request.country))
            admin = User(
                username=request.admin_username,
                display_name=request.admin_display_name or request.admin_username,
                role=Role.ADMINISTRATOR,
            )
            session.add(admin)
            session.flush()
            session.add_all([slot_row(admin_slot, admin.id), slot_row(recovery_slot, None)])
            audit.record(session, "database_created", user_id=admin.id, username=admin.username)
    except BaseException:
        db.close()
        _remove_leftovers(building)
        raise
    db.close()
    final_key_file.save()
    building.replace(request.path)
    log.info("created database %s", request.path)
    return recovery_key


def _remove_leftovers(building: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            building.with_name(building.name + suffix).unlink()
