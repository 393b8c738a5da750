"""Typed SQLAlchemy models of the whole domain (BRIEF.md glossary)."""

from cope_desktop.db.base import Base
from cope_desktop.db.models.activities import Activity, ActivitySeries, Attendance, Feedback
from cope_desktop.db.models.cases import (
    Caregiver,
    CaseNote,
    CaseStatusChange,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    Prison,
    SupportService,
)
from cope_desktop.db.models.organisation import (
    AppSetting,
    AuditEvent,
    KeySlot,
    Organisation,
    ReleaseLog,
    User,
)
from cope_desktop.db.models.search import SearchTerm
from cope_desktop.db.models.sync import SyncDevice, SyncField, SyncHistory, SyncPeer, SyncRow

__all__ = [
    "Activity",
    "ActivitySeries",
    "AppSetting",
    "Attendance",
    "AuditEvent",
    "Base",
    "Caregiver",
    "CaseNote",
    "CaseStatusChange",
    "Child",
    "ChildRelative",
    "Consent",
    "CustodyEvent",
    "Family",
    "Feedback",
    "ImprisonedRelative",
    "KeySlot",
    "Organisation",
    "Prison",
    "ReleaseLog",
    "SearchTerm",
    "SupportService",
    "SyncDevice",
    "SyncField",
    "SyncHistory",
    "SyncPeer",
    "SyncRow",
    "User",
]
