"""The record of processing activities (GDPR Art. 30(1)), generated, in the user's language.

Built from what the application knows for certain: the organisation (controller), the
privacy settings (retention rule, idle lock, backups), the roles and their permissions, and
the database schema. The categories of personal data are derived from the models' columns
through ``PERSONAL_COLUMNS``; every column of every table is either there, declared technical
(``TECHNICAL_COLUMNS``) or in a table declared not personal (``NON_PERSONAL_TABLES``), and a
test enforces it, so a new column cannot be left out of the record.

What only the organisation can say (its contact details, its data protection officer, the
legal basis it relies on) is pointed out as something to complete, never invented.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.atomic import atomic_write
from cope_desktop.db.base import utcnow
from cope_desktop.db.enums import ReleaseKind, Role
from cope_desktop.db.models import Organisation, ReleaseLog
from cope_desktop.i18n import N_, _, country_name, format_datetime, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.reports.service import DEFAULT_THRESHOLD, MIN_THRESHOLD
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.app_settings import BackupSchedule, PrivacySettings, read_settings
from cope_desktop.services.permissions import ROLE_PERMISSIONS, Permission, require
from cope_desktop.services.signin_guard import LOCK_AFTER


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    BIRTH_AND_SEX = "birth_and_sex"
    FAMILY = "family"
    SCHOOLING = "schooling"
    CASE = "case"
    IMPRISONMENT = "imprisonment"
    CONSENT = "consent"
    FREE_TEXT = "free_text"
    PARTICIPATION = "participation"
    STAFF = "staff"
    SYNC = "sync"


CATEGORY_LABELS: dict[Category, str] = {
    Category.IDENTITY: N_("Names and reference numbers"),
    Category.CONTACT: N_("Contact details: phone, email, postal address"),
    Category.BIRTH_AND_SEX: N_("Date or year of birth and sex"),
    Category.FAMILY: N_("Family relationships and situation"),
    Category.SCHOOLING: N_("Schooling"),
    Category.CASE: N_("Case history and support given"),
    Category.IMPRISONMENT: N_(
        "Imprisonment of a relative: prison, custody status and its dates "
        "(data relating to criminal convictions and offences, Art. 10)"
    ),
    Category.CONSENT: N_("Consents given and withdrawn"),
    Category.FREE_TEXT: N_(
        "Free-text notes written by staff (case notes, notes on consents, support and activities)"
    ),
    Category.PARTICIPATION: N_("Participation in activities and children's feedback"),
    Category.STAFF: N_("Staff: user names, roles, sign-ins and the actions they took"),
    Category.SYNC: N_(
        "Values changed differently on two copies (office and field laptop), kept until a "
        "person decides which is right"
    ),
}

C = Category
PERSONAL_COLUMNS: dict[str, dict[str, Category]] = {
    "family": {
        "reference": C.IDENTITY,
        "opened_on": C.CASE,
        "closed_on": C.CASE,
        "close_reason": C.CASE,
        "referral_source": C.CASE,
        "caseworker_id": C.CASE,
        "notes_allowed": C.CONSENT,
    },
    "case_status_change": {
        "status": C.CASE,
        "changed_on": C.CASE,
        "reason": C.CASE,
        "user_id": C.STAFF,
    },
    "child": {
        "reference": C.IDENTITY,
        "first_name": C.IDENTITY,
        "last_name": C.IDENTITY,
        "birth_date": C.BIRTH_AND_SEX,
        "birth_year": C.BIRTH_AND_SEX,
        "birth_month": C.BIRTH_AND_SEX,
        "sex": C.BIRTH_AND_SEX,
        "school_level": C.SCHOOLING,
        "knows_parent_location": C.FAMILY,
        "support_start": C.CASE,
        "support_end": C.CASE,
    },
    "caregiver": {
        "reference": C.IDENTITY,
        "first_name": C.IDENTITY,
        "last_name": C.IDENTITY,
        "relationship_to_children": C.FAMILY,
        "phone": C.CONTACT,
        "email": C.CONTACT,
        "address": C.CONTACT,
        "is_main": C.FAMILY,
    },
    "imprisoned_relative": {
        "reference": C.IDENTITY,
        "first_name": C.IDENTITY,
        "last_name": C.IDENTITY,
        "prison_id": C.IMPRISONMENT,
    },
    "custody_event": {
        "status": C.IMPRISONMENT,
        "since": C.IMPRISONMENT,
        "prison_id": C.IMPRISONMENT,
    },
    "child_relative": {"relationship_to_child": C.FAMILY},
    "consent": {
        "kind": C.CONSENT,
        "given_by": C.CONSENT,
        "given_on": C.CONSENT,
        "withdrawn_on": C.CONSENT,
        "notes": C.FREE_TEXT,
    },
    "support_service": {
        "service": C.CASE,
        "provided_on": C.CASE,
        "provided_by_id": C.STAFF,
        "notes": C.FREE_TEXT,
    },
    "case_note": {"written_on": C.FREE_TEXT, "text": C.FREE_TEXT, "author_id": C.STAFF},
    "activity": {"staff": C.STAFF, "notes": C.FREE_TEXT},
    "activity_series": {"staff": C.STAFF},
    "attendance": {"kind": C.PARTICIPATION},
    "feedback": {
        "rating": C.PARTICIPATION,
        "face": C.PARTICIPATION,
        "quote": C.PARTICIPATION,
        "quote_approved": C.CONSENT,
    },
    "user_account": {
        "username": C.STAFF,
        "display_name": C.STAFF,
        "role": C.STAFF,
        "is_active": C.STAFF,
        "failed_logins": C.STAFF,
        "locked_until": C.STAFF,
        "last_login_at": C.STAFF,
    },
    "key_slot": {"user_id": C.STAFF},
    "audit_event": {
        "at": C.STAFF,
        "user_id": C.STAFF,
        "username": C.STAFF,
        "action": C.STAFF,
        "detail": C.STAFF,
    },
    "release_log": {"user_id": C.STAFF},
    "search_term": {"term": C.IDENTITY},
    "sync_field": {"candidates": C.SYNC},
    "sync_history": {"user_id": C.STAFF},
}
"""Every column that holds or points to personal data, by table, with its category."""
del C

TECHNICAL_EVERYWHERE = frozenset({"id", "created_at", "updated_at", "deleted_at", "anonymised_at"})
"""Keys and bookkeeping times: they say when a row was written, nothing about a person."""
TECHNICAL_COLUMNS: dict[str, frozenset[str]] = {
    "case_status_change": frozenset({"family_id"}),
    "child": frozenset({"family_id"}),
    "caregiver": frozenset({"family_id"}),
    "imprisoned_relative": frozenset({"family_id"}),
    "custody_event": frozenset({"relative_id"}),
    "child_relative": frozenset({"child_id", "relative_id"}),
    "consent": frozenset({"family_id", "child_id"}),
    "support_service": frozenset({"family_id", "child_id"}),
    "case_note": frozenset({"family_id"}),
    # what an activity is, when and where: not about a person
    "activity": frozenset(
        {
            "reference",
            "type",
            "held_on",
            "start_time",
            "duration_minutes",
            "prison_id",
            "series_id",
            "sport",
            "partners",
        }
    ),
    "activity_series": frozenset(
        {
            "title",
            "type",
            "first_on",
            "last_on",
            "interval_weeks",
            "start_time",
            "duration_minutes",
            "prison_id",
        }
    ),
    "attendance": frozenset(
        {"activity_id", "child_id", "caregiver_id", "relative_id", "head_count"}
    ),
    "feedback": frozenset({"activity_id", "child_id"}),
    # key material wrapped by each password: no password is stored
    "key_slot": frozenset(
        {"kind", "kdf", "time_cost", "memory_cost_kib", "parallelism", "salt", "nonce"}
        | {"wrapped_key"}
    ),
    "audit_event": frozenset(
        {"sequence", "object_type", "object_id", "previous_hash", "hash"}
        | {"origin_device", "origin_sequence"}
    ),
    "release_log": frozenset(
        {
            "kind",
            "period_start",
            "period_end",
            "generated_at",
            "file_format",
            "threshold",
            "checksum",
            "file_name",
            "suppression",
        }
    ),
    "search_term": frozenset({"family_id"}),
    # which copy changed which field of which row, and when: bookkeeping of the exchange
    "sync_field": frozenset({"table_name", "row_id", "field", "device", "counter"}),
    "sync_history": frozenset(
        {"device_id", "direction", "at", "file_name", "kind", "rows", "conflicts", "detail"}
    ),
}
"""Columns of personal-data tables that are links, settings of a row or technical values."""

NON_PERSONAL_TABLES: dict[str, str] = {
    "organisation": "the member organisation itself",
    "prison": "prisons: institutions, not people",
    "app_setting": "the organisation's settings",
    "sync_device": "the copies of the database (office, field laptops)",
    "sync_row": "version vectors of rows: counters per copy, no values",
    "sync_peer": "what each other copy has seen: counters only",
}
"""Tables that hold nothing about a person (the reason is for the reader of the code)."""

TABLE_LABELS: dict[str, str] = {
    "family": N_("families"),
    "case_status_change": N_("case history"),
    "child": N_("children"),
    "caregiver": N_("caregivers"),
    "imprisoned_relative": N_("imprisoned relatives"),
    "custody_event": N_("custody history"),
    "child_relative": N_("relationships between children and relatives"),
    "consent": N_("consents"),
    "support_service": N_("support given"),
    "case_note": N_("case notes"),
    "activity": N_("activities"),
    "activity_series": N_("recurring activities"),
    "attendance": N_("attendance"),
    "feedback": N_("feedback"),
    "user_account": N_("users"),
    "key_slot": N_("key slots"),
    "audit_event": N_("audit trail"),
    "release_log": N_("log of returns and reports"),
    "search_term": N_("search index"),
    "sync_field": N_("changes waiting for a decision after an exchange with a field laptop"),
    "sync_history": N_("exchanges with field laptops"),
}

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.EDIT_RECORDS: N_("read and change case records and activities"),
    Permission.READ_CASE_NOTES: N_("read case notes"),
    Permission.WRITE_CASE_NOTES: N_("write case notes"),
    Permission.RESTORE_RECORDS: N_("restore archived records"),
    Permission.EXPORT_RETURNS: N_("prepare reports and network returns"),
    Permission.EXPORT_RECORDS: N_("export every record"),
    Permission.IMPORT_RECORDS: N_("import records from a spreadsheet"),
    Permission.MANAGE_USERS: N_("manage users"),
    Permission.READ_AUDIT_LOG: N_("read the audit trail"),
    Permission.CHANGE_SETTINGS: N_("change the privacy settings"),
    Permission.MANAGE_BACKUPS: N_("make and restore backups"),
    Permission.APPLY_RETENTION: N_("apply the retention rule"),
    Permission.ERASE_RECORDS: N_("erase a person or a family"),
    Permission.SUBJECT_ACCESS: N_("export everything held about a person"),
    Permission.READ_PROCESSING_RECORD: N_("read this record of processing"),
    Permission.SYNC_EXCHANGE: N_("exchange changes with field laptops"),
    Permission.PREPARE_LAPTOP: N_("prepare a field laptop (a full encrypted copy)"),
}

SECTION_TITLES: dict[str, str] = {
    "controller": N_("Controller"),
    "purposes": N_("Purposes of the processing"),
    "subjects": N_("Categories of data subjects"),
    "data": N_("Categories of personal data"),
    "recipients": N_("Recipients"),
    "transfers": N_("Transfers to third countries"),
    "retention": N_("Time limits for erasure"),
    "measures": N_("Technical and organisational security measures"),
}
"""The sections of the record, in the order of Art. 30(1) (a) to (g)."""


@dataclass(frozen=True)
class Entry:
    """One line of a section: a sentence, or a value under a label."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ProcessingRecord:
    organisation: str
    country: str
    """The country's name in the language the record was built in."""
    generated_at: dt.datetime
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return _("Record of processing activities")

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def _sentences(*texts: str) -> tuple[Entry, ...]:
    return tuple(Entry(text) for text in texts)


def _controller(organisation: Organisation | None) -> tuple[Entry, ...]:
    if organisation is None:
        return _sentences(_("The organisation is not recorded in this database."))
    entries = [
        Entry(organisation.name, _("Name")),
        Entry(country_name(organisation.country), _("Country")),
    ]
    if organisation.cope_member_id:
        entries.append(Entry(organisation.cope_member_id, _("COPE member number")))
    entries.append(
        Entry(
            _("To be completed by the organisation."),
            _("Contact details and data protection officer"),
        )
    )
    return tuple(entries)


def _purposes() -> tuple[Entry, ...]:
    return _sentences(
        _(
            "Supporting children who have a parent or relative in prison, and their families: "
            "keeping each family's case, the support given and the consents recorded."
        ),
        _(
            "Organising activities (accompanied prison visits, family days, support groups and "
            "others) and recording who took part and how the children felt about them."
        ),
        _(
            "Counting the work done, as anonymised figures for the organisation's own reports "
            "and for the COPE network's yearly return."
        ),
        _(
            "Keeping the records safe and accountable: user accounts, an audit trail of what "
            "each user did, and backups."
        ),
        _("The legal basis for each purpose is to be stated by the organisation."),
    )


def _subjects() -> tuple[Entry, ...]:
    return _sentences(
        _("Children who have a parent or other relative in prison."),
        _("Their parents and other caregivers."),
        _("Their imprisoned relatives."),
        _("The organisation's staff and volunteers who use the application."),
    )


def _categories() -> tuple[Entry, ...]:
    tables: dict[Category, list[str]] = {category: [] for category in Category}
    for table, columns in PERSONAL_COLUMNS.items():
        for category in dict.fromkeys(columns.values()):
            tables[category].append(_(TABLE_LABELS[table]))
    entries = [
        Entry(_("Kept in: {tables}.").format(tables=", ".join(names)), _(CATEGORY_LABELS[c]))
        for c, names in tables.items()
        if names
    ]
    entries.append(
        Entry(
            _(
                "The records have no field for health, ethnic origin, religion or other special "
                "categories of data (Art. 9). Such information can appear only where staff write "
                "it in a free-text note."
            ),
            _("Special categories of data"),
        )
    )
    entries.append(
        Entry(
            _(
                "That a relative is in prison, in which prison, and their custody status "
                "(pre-trial, sentenced, released) with its dates relate to criminal offences "
                "(Art. 10)."
            ),
            _("Criminal convictions and offences"),
        )
    )
    return tuple(entries)


def _recipients(session: Session) -> tuple[Entry, ...]:
    last = session.scalars(
        select(ReleaseLog.threshold)
        .where(ReleaseLog.kind == ReleaseKind.NETWORK_RETURN, ReleaseLog.threshold.is_not(None))
        .order_by(ReleaseLog.generated_at.desc())
        .limit(1)
    ).first()
    entries = [
        _(
            "The COPE network's secretariat receives only anonymised yearly figures: counts of "
            "families, children, activities and support, never a record of a person."
        ),
        _(
            "Small numbers are protected: a count from 1 to k − 1 is never shown, and other "
            "cells are hidden too so that it cannot be worked out from the totals. The "
            "threshold k is at least {minimum} ({default} unless a coordinator chooses "
            "higher)."
        ).format(minimum=format_number(MIN_THRESHOLD), default=format_number(DEFAULT_THRESHOLD)),
    ]
    if last is not None:
        entries.append(_("The last return prepared used k = {k}.").format(k=format_number(last)))
    entries.append(
        _(
            "Internal reports with exact figures stay inside the organisation. No other "
            "recipient receives data from the application."
        )
    )
    return _sentences(*entries)


def _transfers() -> tuple[Entry, ...]:
    return _sentences(
        _(
            "None. The application works offline and sends nothing over a network; files are "
            "written only where a user chooses to save them."
        )
    )


def _years(years: int) -> str:
    return ngettext("{n} year", "{n} years", years).format(n=format_number(years))


def _retention(settings: PrivacySettings) -> tuple[Entry, ...]:
    anonymise, erase = settings.anonymise_after_years, settings.erase_after_years
    if anonymise is None and erase is None:
        return _sentences(
            _(
                "No automatic rule is set: records are kept until an administrator anonymises "
                "or erases them."
            ),
            _("A person or a family can be erased at any time on request."),
        )
    entries: list[Entry] = []
    if anonymise is not None:
        entries.append(
            Entry(
                _(
                    "Closed cases are anonymised {years} after they were closed: names, contact "
                    "details and notes are removed; the anonymous figures are kept."
                ).format(years=_years(anonymise))
            )
        )
    if erase is not None:
        entries.append(
            Entry(
                _("Closed cases are erased completely {years} after they were closed.").format(
                    years=_years(erase)
                )
            )
        )
    entries.append(Entry(_("A person or a family can be erased at any time on request.")))
    return tuple(entries)


def _roles() -> Iterable[Entry]:
    for role in Role:
        allowed = [_(PERMISSION_LABELS[p]) for p in Permission if p in ROLE_PERMISSIONS[role]]
        yield Entry("; ".join(allowed) + ".", label(role))


def _backups(settings: PrivacySettings) -> str:
    if settings.backup_schedule == BackupSchedule.OFF:
        return _("No scheduled backups are set; administrators make backups by hand.")
    schedule = (
        _("every day") if settings.backup_schedule == BackupSchedule.DAILY else _("every week")
    )
    return _(
        "An encrypted copy of the database is made {schedule} and checked by opening it again. "
        "The last {daily} daily, {weekly} weekly and {monthly} monthly backups are kept; older "
        "ones are removed."
    ).format(
        schedule=schedule,
        daily=format_number(settings.keep_daily),
        weekly=format_number(settings.keep_weekly),
        monthly=format_number(settings.keep_monthly),
    )


def _measures(settings: PrivacySettings) -> tuple[Entry, ...]:
    return (
        Entry(
            _(
                "The whole database file is encrypted (SQLCipher, AES-256). Nothing is stored "
                "unencrypted on the computer."
            ),
            _("Encryption"),
        ),
        Entry(
            _(
                "Each user's password unlocks the data key through its own key slot (Argon2id, "
                "a deliberately slow key derivation). No password is stored. A recovery key, "
                "kept apart, can restore access."
            ),
            _("Passwords and keys"),
        ),
        Entry(
            _(
                "After {n} failed sign-ins in a row an account is locked for a delay that "
                "doubles with each further failure."
            ).format(n=format_number(LOCK_AFTER)),
            _("Failed sign-ins"),
        ),
        *_roles(),
        Entry(
            _(
                "Every sign-in, record viewed or changed, export, backup and erasure is "
                "written to an audit trail in which each entry is chained to the one before, "
                "so an entry changed or removed shows."
            ),
            _("Audit trail"),
        ),
        Entry(
            ngettext(
                "The application locks after {n} minute without use.",
                "The application locks after {n} minutes without use.",
                settings.lock_minutes,
            ).format(n=format_number(settings.lock_minutes)),
            _("Automatic lock"),
        ),
        Entry(_backups(settings), _("Backups")),
        Entry(
            _(
                "Erasing a person or a family removes every row about them, then rewrites the "
                "database file with secure deletion so that no trace of their data remains."
            ),
            _("Erasure"),
        ),
        Entry(
            _(
                "Case notes are never shown in lists, reports or ordinary exports. Everything "
                "held about one person can be exported on request (Art. 15 and 20)."
            ),
            _("Access to the records"),
        ),
    )


def build(session: Session, actor: CurrentUser) -> ProcessingRecord:
    """The record of processing as it stands now (coordinators and administrators)."""
    require(actor, Permission.READ_PROCESSING_RECORD)
    organisation = session.scalars(select(Organisation)).first()
    settings = read_settings(session)
    parts = {
        "controller": _controller(organisation),
        "purposes": _purposes(),
        "subjects": _subjects(),
        "data": _categories(),
        "recipients": _recipients(session),
        "transfers": _transfers(),
        "retention": _retention(settings),
        "measures": _measures(settings),
    }
    return ProcessingRecord(
        organisation=organisation.name if organisation else "",
        country=country_name(organisation.country) if organisation else "",
        generated_at=utcnow().replace(microsecond=0),
        sections=tuple(
            Section(key, _(SECTION_TITLES[key]), entries) for key, entries in parts.items()
        ),
    )


# --- HTML for the screen ----------------------------------------------------------------------


def to_html(record: ProcessingRecord) -> str:
    """The record as simple HTML for a ``QTextBrowser`` (every value escaped)."""
    esc = html.escape
    parts = [
        f"<h1>{esc(record.title)}</h1>",
        "<p>{}</p>".format(
            esc(
                _("{organisation} · generated {time} · Article 30(1) GDPR").format(
                    organisation=record.organisation,
                    time=format_datetime(record.generated_at, "short"),
                )
            )
        ),
    ]
    for number, section in enumerate(record.sections, start=1):
        parts.append(f"<h2>{number}. {esc(section.title)}</h2>")
        labelled = [entry for entry in section.entries if entry.label]
        for entry in section.entries:
            if not entry.label:
                parts.append(f"<p>{esc(entry.text)}</p>")
        if labelled:
            rows = "".join(
                f'<tr><td width="30%" valign="top"><b>{esc(entry.label)}</b></td>'
                f'<td valign="top">{esc(entry.text)}</td></tr>'
                for entry in labelled
            )
            parts.append(f'<table cellspacing="0" cellpadding="4" width="100%">{rows}</table>')
    return "\n".join(parts)


# --- PDF -------------------------------------------------------------------------------------


def render_pdf(record: ProcessingRecord, out: BinaryIO) -> None:
    """Lay the record out as a PDF like the reports: a cover, then one section each."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, Spacer

    from cope_desktop.reports.pdf_pages import SectionedReport, build_pdf, heading, paragraph
    from cope_desktop.services.subject_access_pdf import document_facts, label_value_table

    def body(section: Section) -> list[Flowable]:
        flowables: list[Flowable] = []
        for entry in section.entries:
            if not entry.label:
                flowables += [paragraph(entry.text, "body"), Spacer(1, 1.5 * mm)]
        pairs = [(entry.label, entry.text) for entry in section.entries if entry.label]
        if pairs:
            flowables += [Spacer(1, 2 * mm), label_value_table(pairs, "h2", "body")]
        return flowables

    facts = document_facts(
        _("Record of processing"), record.organisation, record.country, record.generated_at
    )
    report = SectionedReport(
        facts=facts,
        marking="",
        sections=[
            (s.title, [heading(n, s.title), *body(s)])
            for n, s in enumerate(record.sections, start=1)
        ],
    )
    cover: list[Flowable] = [
        paragraph(record.title, "h1"),
        paragraph(_("Article 30(1) of the General Data Protection Regulation"), "body"),
        Spacer(1, 3 * mm),
        paragraph(
            _("Generated on {time} from this database's settings.").format(time=facts.generated),
            "note",
        ),
    ]
    build_pdf(out, report, cover, title=record.title, author=record.organisation)


def write_pdf(
    session: Session, actor: CurrentUser, path: Path, record: ProcessingRecord | None = None
) -> Path:
    """Write the record (built now unless given) as a PDF, whole or not at all; one audit row."""
    record = record if record is not None else build(session, actor)
    require(actor, Permission.READ_PROCESSING_RECORD)
    with atomic_write(path, "wb") as out:
        render_pdf(record, cast(BinaryIO, out))
    audit.record_by(session, actor, "processing_record", "processing_record", None)
    return Path(path)
