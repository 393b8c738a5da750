"""The record of processing (Art. 30): its sections, the settings it reflects, every column."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_support import Users, db, fixed_today, session, users
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.models import AuditEvent, Base
from cope_desktop.errors import PermissionDenied
from cope_desktop.services import processing_record
from cope_desktop.services.app_settings import BackupSchedule, PrivacySettings, save_settings
from cope_desktop.services.permissions import Permission
from cope_desktop.services.processing_record import (
    NON_PERSONAL_TABLES,
    PERMISSION_LABELS,
    PERSONAL_COLUMNS,
    TABLE_LABELS,
    TECHNICAL_COLUMNS,
    TECHNICAL_EVERYWHERE,
    build,
    to_html,
    write_pdf,
)
from cope_desktop.services.subject_access import FAMILY_FIELDS, PERSON_FIELDS

__all__ = ["db", "fixed_today", "session", "users"]


def _texts(record: processing_record.ProcessingRecord, key: str) -> str:
    return " ".join(f"{e.label} {e.text}" for e in record.section(key).entries)


def test_every_section_of_article_30_is_there(session: Session, users: Users) -> None:
    record = build(session, users.coordinator)
    assert [s.key for s in record.sections] == [
        "controller",
        "purposes",
        "subjects",
        "data",
        "recipients",
        "transfers",
        "retention",
        "measures",
    ]
    assert "Test Organisation" in _texts(record, "controller")
    assert "Italy" in _texts(record, "controller")
    data = _texts(record, "data")
    assert "Art. 10" in data and "Art. 9" in data
    assert "Contact details: phone, email, postal address Kept in: caregivers." in data
    assert "at least 3 (5 unless" in _texts(record, "recipients")
    assert _texts(record, "transfers").startswith(" None.")
    measures = _texts(record, "measures")
    for words in ("AES-256", "Argon2id", "locks after 10 minutes", "7 daily, 4 weekly and 12"):
        assert words in measures
    # each role with what it may do
    assert "Caseworker read and change case records and activities; read case notes" in measures


def test_retention_reflects_the_settings(session: Session, users: Users) -> None:
    assert "No automatic rule is set" in _texts(build(session, users.admin), "retention")
    settings = PrivacySettings(
        lock_minutes=5,
        backup_schedule=BackupSchedule.WEEKLY,
        anonymise_after_years=5,
        erase_after_years=10,
    )
    save_settings(session, users.admin, settings)
    record = build(session, users.admin)
    retention = _texts(record, "retention")
    assert "anonymised 5 years after they were closed" in retention
    assert "erased completely 10 years after" in retention
    assert "No automatic rule" not in retention
    measures = _texts(record, "measures")
    assert "locks after 5 minutes" in measures
    assert "made every week" in measures


def test_every_column_is_mapped_or_declared_technical() -> None:
    tables = Base.metadata.tables
    assert set(PERSONAL_COLUMNS) | set(NON_PERSONAL_TABLES) == set(tables)
    assert not set(PERSONAL_COLUMNS) & set(NON_PERSONAL_TABLES)
    assert set(TABLE_LABELS) == set(PERSONAL_COLUMNS)
    for name, mapped in PERSONAL_COLUMNS.items():
        columns = {column.name for column in tables[name].columns}
        technical = TECHNICAL_EVERYWHERE | TECHNICAL_COLUMNS.get(name, frozenset())
        assert columns - technical - set(mapped) == set(), name
        assert set(mapped) <= columns, name
        assert not set(mapped) & technical, name
    assert set(TECHNICAL_COLUMNS) <= set(PERSONAL_COLUMNS)


def test_every_personal_column_of_a_person_is_in_their_export() -> None:
    for kind, table in (("child", "child"), ("caregiver", "caregiver")):
        assert set(PERSONAL_COLUMNS[table]) <= set(PERSON_FIELDS[kind]), kind
    relative = set(PERSONAL_COLUMNS["imprisoned_relative"]) - {"prison_id"}
    assert relative <= set(PERSON_FIELDS["relative"])
    family = set(PERSONAL_COLUMNS["family"]) - {"caseworker_id"}
    assert family <= set(FAMILY_FIELDS)


def test_every_permission_has_a_label() -> None:
    assert set(PERMISSION_LABELS) == set(Permission)


def test_the_html_escapes_values(session: Session, users: Users) -> None:
    record = build(session, users.admin)
    record = processing_record.ProcessingRecord(
        organisation="<b>Kids & Co</b>",
        country=record.country,
        generated_at=record.generated_at,
        sections=record.sections,
    )
    page = to_html(record)
    assert "&lt;b&gt;Kids &amp; Co&lt;/b&gt;" in page
    assert "<b>Kids" not in page
    assert page.count("<h2>") == 8


def test_the_pdf_is_written_and_audited(session: Session, users: Users, tmp_path: Path) -> None:
    path = write_pdf(session, users.coordinator, tmp_path / "record.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size > 10_000
    rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "processing_record")).all()
    assert [(row.username, row.object_type) for row in rows] == [("marco", "processing_record")]


def test_a_caseworker_is_refused(session: Session, users: Users, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        build(session, users.caseworker)
    with pytest.raises(PermissionDenied):
        write_pdf(session, users.caseworker, tmp_path / "record.pdf")
    assert not (tmp_path / "record.pdf").exists()
