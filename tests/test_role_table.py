"""The declared role table (R8), cell by cell: what each role may do, and what it may not.

Written out here in full, apart from ``permissions.ROLE_PERMISSIONS``, so that a change to
the policy is a change to this test too. The policy is the one in ``services/permissions.py``
and ``services/PRIVACY-API.md``: caseworkers work with records and case notes; coordinators
with figures, returns, the audit trail and the record of processing, without the text of
case notes; administrators do everything, and alone manage users, settings, backups,
retention, erasure, subject access, restoring, and bulk export and import.
"""

from __future__ import annotations

import uuid

import pytest

from cope_desktop.db.enums import Role
from cope_desktop.errors import PermissionDenied
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, can, require

Y, N = True, False

#                                     caseworker  coordinator  administrator
TABLE: dict[Permission, tuple[bool, bool, bool]] = {
    Permission.EDIT_RECORDS:           (Y,         Y,           Y),
    Permission.READ_CASE_NOTES:        (Y,         N,           Y),
    Permission.WRITE_CASE_NOTES:       (Y,         N,           Y),
    Permission.RESTORE_RECORDS:        (N,         N,           Y),
    Permission.EXPORT_RETURNS:         (N,         Y,           Y),
    Permission.EXPORT_RECORDS:         (N,         N,           Y),
    Permission.IMPORT_RECORDS:         (N,         N,           Y),
    Permission.MANAGE_USERS:           (N,         N,           Y),
    Permission.READ_AUDIT_LOG:         (N,         Y,           Y),
    Permission.CHANGE_SETTINGS:        (N,         N,           Y),
    Permission.MANAGE_BACKUPS:         (N,         N,           Y),
    Permission.APPLY_RETENTION:        (N,         N,           Y),
    Permission.ERASE_RECORDS:          (N,         N,           Y),
    Permission.SUBJECT_ACCESS:         (N,         N,           Y),
    Permission.READ_PROCESSING_RECORD: (N,         Y,           Y),
    Permission.SYNC_EXCHANGE:          (Y,         Y,           Y),
    Permission.PREPARE_LAPTOP:         (N,         N,           Y),
}  # fmt: skip
ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.ADMINISTRATOR)
CELLS = [
    (role, permission, allowed[column])
    for permission, allowed in TABLE.items()
    for column, role in enumerate(ROLES)
]


def person(role: Role) -> CurrentUser:
    return CurrentUser(uuid.uuid4(), role.value, role.value.title(), role)


def test_the_table_covers_every_role_and_every_permission() -> None:
    assert set(TABLE) == set(Permission)
    assert set(ROLES) == set(Role)
    assert len(CELLS) == len(Permission) * len(Role)


@pytest.mark.parametrize(("role", "permission", "allowed"), CELLS)
def test_each_cell(role: Role, permission: Permission, allowed: bool) -> None:
    user = person(role)
    assert can(user, permission) is allowed
    if allowed:
        require(user, permission)
    else:
        with pytest.raises(PermissionDenied) as refused:
            require(user, permission)
        assert refused.value.message.endswith(".")
