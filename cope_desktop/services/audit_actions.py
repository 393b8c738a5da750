"""The names people read for the audit trail's action and object-type codes.

The trail stores short codes ("view", "family"); the viewer and its exports show these names,
translated where they are shown. A test scans the source for every code written to the
trail, so a new code without a name here fails the tests rather than showing up raw.
"""

from __future__ import annotations

from cope_desktop.i18n import N_, _

ACTION_LABELS: dict[str, str] = {
    # signing in and out
    "login": N_("Signed in"),
    "login_failed": N_("Sign-in failed"),
    "locked_out": N_("Account locked after failed sign-ins"),
    "lock": N_("Screen locked"),
    "unlock": N_("Screen unlocked"),
    "unlock_failed": N_("Unlocking the screen failed"),
    # users
    "user_added": N_("User added"),
    "user_disabled": N_("User disabled"),
    "user_enabled": N_("User enabled again"),
    "role_changed": N_("Role changed"),
    "password_change": N_("Password changed"),
    "password_reset": N_("Password reset with the recovery key"),
    "lockout_cleared": N_("Account lock cleared"),
    # the database
    "database_created": N_("Database created"),
    "demo_data_added": N_("Demo data added"),
    # records
    "view": N_("Viewed"),
    "create": N_("Created"),
    "change": N_("Changed"),
    "archive": N_("Archived"),
    "restore": N_("Restored from the archive"),
    "close": N_("Case closed"),
    "reopen": N_("Case reopened"),
    "import": N_("Imported"),
    "export": N_("Exported"),
    # privacy and safety
    "settings_change": N_("Settings changed"),
    "backup": N_("Backup made"),
    "backup_verified": N_("Backup checked"),
    "backup_restored": N_("Backup restored"),
    "retention_run": N_("Retention rule applied"),
    "anonymise": N_("Anonymised"),
    "erase": N_("Erased"),
    "subject_access": N_("Everything held about a person exported"),
    "audit_export": N_("Audit trail exported"),
    "processing_record": N_("Record of processing saved"),
    "sync_export": N_("Bundle of changes written"),
    "sync_import": N_("Bundle of changes imported"),
    "sync_resolve": N_("Sync conflict decided"),
}
"""Every action code the application writes (PRIVACY-API.md), with its name."""

OBJECT_LABELS: dict[str, str] = {
    "sync_device": N_("Copy of the database"),
    # case records
    "family": N_("Family"),
    "child": N_("Child"),
    "caregiver": N_("Caregiver"),
    "relative": N_("Imprisoned relative"),
    "custody": N_("Custody"),
    "consent": N_("Consent"),
    "support": N_("Support service"),
    "case_note": N_("Case note"),
    "prison": N_("Prison"),
    # activities
    "activity": N_("Activity"),
    "activity_series": N_("Series of activities"),
    "attendance": N_("Attendance"),
    "feedback": N_("Feedback"),
    # files taken out of the database
    "records": N_("Every record"),
    "network_return": N_("Network return"),
    "internal_report": N_("Internal report"),
    "return": N_("Network return"),
    "internal": N_("Internal report"),
    "audit": N_("Audit trail"),
    "subject": N_("Person or family"),
    "processing_record": N_("Record of processing"),
    # the organisation
    "retention": N_("Retention rule"),
    "user": N_("User"),
    "settings": N_("Settings"),
    "backup": N_("Backup"),
    "database": N_("Database"),
}
"""Every object type the application writes, with its name."""


def action_label(code: str) -> str:
    """The translated name of an action code; an unknown code is shown as it is."""
    text = ACTION_LABELS.get(code)
    return _(text) if text is not None else code


def object_label(code: str | None) -> str:
    """The translated name of an object type; none is "", an unknown one is shown as it is."""
    if not code:
        return ""
    text = OBJECT_LABELS.get(code)
    return _(text) if text is not None else code
