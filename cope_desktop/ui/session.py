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
    pages_checked: bool = True
    """False until ``finish_sign_in`` has authenticated every page and recorded the login."""


def open_signed_in(
    path: Path, username: str, password: str, backup_dir: Path, *, defer_page_check: bool = False
) -> SignedIn:
    """Sign in and read the organisation for the status bar (runs on a worker thread).

    With ``defer_page_check`` the main window can appear before the whole file has been
    authenticated; the start-up flow then runs ``finish_sign_in`` in the background.
    """
    db, user = sign_in(path, username, password, backup_dir, defer_page_check=defer_page_check)
    try:
        with db.session() as session:
            organisation = organisation_info(session)
    except BaseException:
        db.close()
        raise
    return SignedIn(db, user, organisation, pages_checked=not defer_page_check)
