"""What the About box says about the open database."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def cipher_version(session: Session) -> str:
    """Return the SQLCipher version of the connection (empty if the driver does not encrypt)."""
    return str(session.execute(text("PRAGMA cipher_version")).scalar() or "")
