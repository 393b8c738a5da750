"""What each role may do (BRIEF.md roles, least privilege; TARGETS.md R8).

Every service that reads or changes something protected calls ``require`` itself, so a
refusal does not depend on the GUI hiding a button.

Choices where the brief is silent:
- Case notes are read and written by caseworkers, who write them, and by administrators, who
  in most member organisations are also the accountable coordinator of casework and answer
  subject-access requests. Coordinators work with figures and data quality and do not see
  the text of case notes.
- Restoring an archived (soft-deleted) record is for administrators.
- Exporting every record (names included) to the interchange workbook is for administrators:
  it takes the whole confidential record out of the encrypted database. Importing records
  from a spreadsheet (adding or changing many records at once) is for administrators too.
- Coordinators read the audit trail and the record of processing (they answer for data
  quality and reporting). Everything that changes the policy, takes a person's whole record
  out, erases, or replaces the database (settings, backups, retention, erasure, subject
  access, users) is for administrators.
"""

from __future__ import annotations

from enum import StrEnum

from cope_desktop.db.enums import Role
from cope_desktop.errors import PermissionDenied
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser


class Permission(StrEnum):
    EDIT_RECORDS = "edit_records"
    READ_CASE_NOTES = "read_case_notes"
    WRITE_CASE_NOTES = "write_case_notes"
    RESTORE_RECORDS = "restore_records"
    EXPORT_RETURNS = "export_returns"
    EXPORT_RECORDS = "export_records"
    """Every record with names, in the interchange workbook: administrators only."""
    IMPORT_RECORDS = "import_records"
    """Records from a spreadsheet, added or changed in bulk: administrators only."""
    MANAGE_USERS = "manage_users"
    """Add, disable and enable users, change roles, reset passwords, clear a lockout."""
    READ_AUDIT_LOG = "read_audit_log"
    """Read and export the audit trail: coordinators and administrators (issue 9)."""
    CHANGE_SETTINGS = "change_settings"
    """The organisation's privacy settings: lock time, backups, retention rule."""
    MANAGE_BACKUPS = "manage_backups"
    """Make a backup now and list, verify and restore backups."""
    APPLY_RETENTION = "apply_retention"
    """Preview and run the retention rule (anonymise and erase closed cases)."""
    ERASE_RECORDS = "erase_records"
    """Erase one person or family on request (GDPR Art. 17): nothing of them remains."""
    SUBJECT_ACCESS = "subject_access"
    """Export everything held about one person (GDPR Art. 15 and 20)."""
    READ_PROCESSING_RECORD = "read_processing_record"
    """The record of processing activities (GDPR Art. 30) for the authority."""
    SYNC_EXCHANGE = "sync_exchange"
    """Send and bring back changes between copies, and resolve sync conflicts (issue 10)."""
    PREPARE_LAPTOP = "prepare_laptop"
    """Write a full bundle (the whole record) to set up a field laptop: administrators only."""


_EVERYONE = {Permission.EDIT_RECORDS, Permission.SYNC_EXCHANGE}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASEWORKER: frozenset(
        _EVERYONE | {Permission.READ_CASE_NOTES, Permission.WRITE_CASE_NOTES}
    ),
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Permission.EXPORT_RETURNS,
            Permission.READ_AUDIT_LOG,
            Permission.READ_PROCESSING_RECORD,
        }
    ),
    Role.ADMINISTRATOR: frozenset(Permission),
}


def can(user: CurrentUser, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user: CurrentUser, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless the user's role allows ``permission``."""
    if not can(user, permission):
        raise PermissionDenied(_denied_message(permission))


def _denied_message(permission: Permission) -> str:
    messages = {
        Permission.EDIT_RECORDS: _("Your role does not allow changing records."),
        Permission.READ_CASE_NOTES: _("Your role does not allow reading case notes."),
        Permission.WRITE_CASE_NOTES: _("Your role does not allow writing case notes."),
        Permission.RESTORE_RECORDS: _("Only an administrator can restore archived records."),
        Permission.EXPORT_RETURNS: _("Your role does not allow exporting reports or returns."),
        Permission.EXPORT_RECORDS: _("Only an administrator can export every record."),
        Permission.IMPORT_RECORDS: _("Only an administrator can import records."),
        Permission.MANAGE_USERS: _("Only an administrator can manage users."),
        Permission.READ_AUDIT_LOG: _(
            "Only a coordinator or an administrator can read the audit log."
        ),
        Permission.CHANGE_SETTINGS: _("Only an administrator can change these settings."),
        Permission.MANAGE_BACKUPS: _("Only an administrator can make or restore backups."),
        Permission.APPLY_RETENTION: _("Only an administrator can apply the retention rule."),
        Permission.ERASE_RECORDS: _("Only an administrator can erase a person or a family."),
        Permission.SUBJECT_ACCESS: _(
            "Only an administrator can export everything held about a person."
        ),
        Permission.READ_PROCESSING_RECORD: _(
            "Only a coordinator or an administrator can read the record of processing."
        ),
        Permission.SYNC_EXCHANGE: _("Your role does not allow exchanging changes with copies."),
        Permission.PREPARE_LAPTOP: _("Only an administrator can prepare a field laptop."),
    }
    return messages[permission]
