"""What the windows share once someone has signed in: the open database and who is using it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cope_desktop.db.database import Database
from cope_desktop.services.accounts import (
    CurrentUser,
    OrganisationInfo,
    organisation_info,
    sign_in,
)


@dataclass(frozen=True)
class SignedIn:
    db: Database
    user: CurrentUser
    organisation: OrganisationInfo


def open_signed_in(path: Path, username: str, password: str, backup_dir: Path) -> SignedIn:
    """Sign in and read the organisation for the status bar (runs on a worker thread)."""
    db, user = sign_in(path, username, password, backup_dir)
    try:
        with db.session() as session:
            organisation = organisation_info(session)
    except BaseException:
        db.close()
        raise
    return SignedIn(db, user, organisation)
