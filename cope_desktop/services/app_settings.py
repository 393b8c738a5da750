"""The organisation's privacy settings: idle lock, backups, retention (issue 9).

They live in the encrypted database (``app_setting``), are read by anyone signed in and
changed only by an administrator; every change is one audit row naming the keys changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.models import AppSetting
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require

LOCK_MINUTES_RANGE = (1, 240)
KEEP_RANGE = (0, 60)
YEARS_RANGE = (1, 100)


class BackupSchedule(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


@dataclass(frozen=True)
class PrivacySettings:
    lock_minutes: int = 10
    """Lock the window after this many idle minutes (TARGETS/BRIEF: automatic lock)."""
    backup_folder: str | None = None
    """Where scheduled backups go (a USB stick, a network drive); None: the app's backup folder."""
    backup_schedule: BackupSchedule = BackupSchedule.DAILY
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    anonymise_after_years: int | None = None
    """Anonymise cases closed this many years ago; None: no automatic anonymisation."""
    erase_after_years: int | None = None
    """Erase cases closed this many years ago (at least the anonymisation delay); None: never."""

    def check(self) -> None:
        """UserInputError naming the first value out of range."""
        _in_range(self.lock_minutes, LOCK_MINUTES_RANGE, _("The idle time before locking"))
        for value, what in (
            (self.keep_daily, _("The number of daily backups kept")),
            (self.keep_weekly, _("The number of weekly backups kept")),
            (self.keep_monthly, _("The number of monthly backups kept")),
        ):
            _in_range(value, KEEP_RANGE, what)
        for years, what in (
            (self.anonymise_after_years, _("The years before anonymising")),
            (self.erase_after_years, _("The years before erasing")),
        ):
            if years is not None:
                _in_range(years, YEARS_RANGE, what)
        anonymise, erase = self.anonymise_after_years, self.erase_after_years
        if anonymise is not None and erase is not None and erase < anonymise:
            problem = _(
                "Cases cannot be erased before they are anonymised: give at least {years} years."
            )
            raise UserInputError(problem.format(years=anonymise))


def _in_range(value: int, bounds: tuple[int, int], what: str) -> None:
    low, high = bounds
    if not isinstance(value, int) or not low <= value <= high:
        raise UserInputError(
            _("{what} must be a whole number from {low} to {high}.").format(
                what=what, low=low, high=high
            )
        )


_FIELDS = {f.name: f for f in dataclasses.fields(PrivacySettings)}


def read_settings(session: Session) -> PrivacySettings:
    """The stored settings, with the defaults for anything never set or no longer valid."""
    stored = {row.key: row.value for row in session.scalars(select(AppSetting))}
    values: dict[str, object] = {}
    for name in _FIELDS:
        if name in stored:
            values[name] = stored[name]
    try:
        if "backup_schedule" in values:
            values["backup_schedule"] = BackupSchedule(str(values["backup_schedule"]))
        settings = PrivacySettings(**values)  # type: ignore[arg-type]
        settings.check()
    except (ValueError, TypeError, UserInputError):
        return PrivacySettings()
    return settings


def save_settings(session: Session, user: CurrentUser, settings: PrivacySettings) -> list[str]:
    """Store ``settings`` (administrators only); return the names of the values changed."""
    require(user, Permission.CHANGE_SETTINGS)
    settings.check()
    current = read_settings(session)
    rows = {row.key: row for row in session.scalars(select(AppSetting))}
    changed: list[str] = []
    for name in _FIELDS:
        new, old = getattr(settings, name), getattr(current, name)
        if new == old and name in rows:
            continue
        value = new.value if isinstance(new, StrEnum) else new
        row = rows.get(name)
        if row is None:
            session.add(AppSetting(key=name, value=value, changed_at=utcnow()))
        else:
            row.value = value
            row.changed_at = utcnow()
        if new != old:
            changed.append(name)
    if changed:
        audit.record_by(session, user, "settings_change", "settings", None, ",".join(changed))
    return changed
