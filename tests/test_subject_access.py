"""Subject access: a child's export holds everything about the child and nothing of a sibling."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from service_support import Users, db, fixed_today, prison_id, session, users
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    ConsentKind,
    CustodyStatus,
    Rating,
    Relationship,
    ServiceType,
)
from cope_desktop.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    Child,
    Feedback,
    ImprisonedRelative,
)
from cope_desktop.errors import PermissionDenied
from cope_desktop.services import audit
from cope_desktop.services.field_text import FIELD_LABELS
from cope_desktop.services.records import consent, families, notes, support
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
    SupportDraft,
)
from cope_desktop.services.subject_access import (
    FORMAT,
    SECTIONS,
    Subject,
    collect,
    write_json,
    write_pdf,
)
from cope_desktop.services.subject_access_pdf import NOT_IN_TABLES

__all__ = ["db", "fixed_today", "prison_id", "session", "users"]

ALPHA = ("Alphamarker", "alphaschoolmarker", "alphaconsentmarker", "alphasupportmarker")
BETA = ("Betamarker", "betaschoolmarker", "betaconsentmarker", "betasupportmarker")


@dataclass
class Case:
    family_id: uuid.UUID
    alpha: uuid.UUID
    beta: uuid.UUID
    activity_reference: str


def _child(first: str, school: str) -> NewChild:
    draft = ChildDraft(first_name=first, last_name="Kowalski", birth_year=2015, school_level=school)
    return NewChild(draft, Relationship.FATHER)


def _family(
    session: Session, users: Users, prison: uuid.UUID, children: list[NewChild]
) -> uuid.UUID:
    new = NewFamily(
        family=FamilyDraft(reference="", opened_on=dt.date(2024, 1, 10)),
        caregiver=CaregiverDraft(first_name="Anna", last_name="Kowalska"),
        relative=RelativeDraft(first_name="Piotrmarker", last_name="Kowalski", prison_id=prison),
        custody=CustodyDraft(CustodyStatus.SENTENCED, dt.date(2023, 11, 2), prison),
        children=children,
        data_consent=ConsentDraft(
            ConsentKind.DATA_PROCESSING, "Anna Kowalska", dt.date(2024, 1, 10)
        ),
    )
    return families.create_family(session, users.admin, new)


def _child_id(session: Session, first: str) -> uuid.UUID:
    return session.scalars(select(Child.id).where(Child.first_name == first)).one()


def _attend(
    session: Session, users: Users, activity: Activity, child: uuid.UUID, quote: str
) -> None:
    row = Attendance(activity_id=activity.id, kind=AttendeeKind.CHILD, child_id=child)
    feedback = Feedback(
        activity_id=activity.id, child_id=child, rating=Rating.POSITIVE, quote=quote
    )
    session.add_all([row, feedback])
    session.flush()
    audit.record_by(session, users.admin, "create", "attendance", row.id)


@pytest.fixture
def case(session: Session, users: Users, prison_id: uuid.UUID) -> Case:
    family_id = _family(
        session,
        users,
        prison_id,
        [_child("Alphamarker", "alphaschoolmarker"), _child("Betamarker", "betaschoolmarker")],
    )
    _family(session, users, prison_id, [_child("Othermarker", "otherschoolmarker")])
    alpha, beta = _child_id(session, "Alphamarker"), _child_id(session, "Betamarker")
    for child, marker in ((alpha, "alphaconsentmarker"), (beta, "betaconsentmarker")):
        draft = ConsentDraft(
            ConsentKind.PHOTOS, "Anna Kowalska", dt.date(2024, 2, 1), child_id=child, notes=marker
        )
        consent.save_consent(session, users.admin, family_id, None, draft)
    for child, marker in ((alpha, "alphasupportmarker"), (beta, "betasupportmarker")):
        draft = SupportDraft(
            ServiceType.EMOTIONAL_SUPPORT, dt.date(2024, 3, 1), child_id=child, notes=marker
        )
        support.save_support(session, users.admin, family_id, None, draft)
    notes.add_note(
        session, users.admin, family_id, dt.date(2024, 4, 1), "Alphamarker played with Betamarker."
    )
    notes.add_note(session, users.admin, family_id, dt.date(2024, 4, 2), "Betamarker was sad.")
    activity = Activity(
        reference="A-MARK",
        type=ActivityType.FAMILY_DAY,
        held_on=dt.date(2024, 5, 4),
        prison_id=prison_id,
    )
    session.add(activity)
    session.flush()
    _attend(session, users, activity, alpha, "alphaquotemarker")
    _attend(session, users, activity, beta, "betaquotemarker")
    return Case(family_id, alpha, beta, "A-MARK")


def test_a_childs_export_holds_the_child_and_none_of_the_sibling(
    session: Session, users: Users, case: Case
) -> None:
    document = collect(session, users.admin, Subject("child", case.alpha))
    text = json.dumps(document, ensure_ascii=False)
    for marker in (*ALPHA, "alphaquotemarker"):
        assert marker in text
    for marker in (*BETA, "betaquotemarker", "Othermarker", "Piotrmarker", str(case.beta)):
        assert marker not in text
    sections = document["sections"]
    assert [row["reference"] for row in sections["people"]] == [document["subject"]["reference"]]
    assert [row["activity"] for row in sections["attendance"]] == ["A-MARK"]
    assert sections["attendance"][0]["activity_date"] == "2024-05-04"
    assert sections["attendance"][0]["activity_type"] == "family_day"
    assert sections["attendance"][0]["place"] == "Casa Circondariale di Bollate"
    assert [row["quote"] for row in sections["feedback"]] == ["alphaquotemarker"]
    # the family's data consent and the child's own photo consent; not the sibling's
    assert sorted(row["kind"] for row in sections["consents"]) == ["data_processing", "photos"]
    assert [row["notes"] for row in sections["support_services"]] == ["alphasupportmarker"]
    # only the note that names the child, with the sibling's name hidden
    assert [row["text"] for row in sections["case_notes"]] == [
        "Alphamarker played with [another person]."
    ]
    # the relative appears by reference only, never by name
    assert [row["relationship_to_child"] for row in sections["relationships"]] == ["father"]
    assert sections["custody"] == []
    audited = {(row["action"], row["object_type"]) for row in sections["audit"]}
    assert audited == {
        ("create", "family"),
        ("create", "consent"),
        ("create", "support"),
        ("create", "attendance"),
        ("create", "case_note"),
    }
    # one of each: the sibling's consent, support, attendance and own note are not here
    assert len(sections["audit"]) == 5
    assert {row["user"] for row in sections["audit"]} == {"admin"}


def test_a_relatives_export_holds_custody_and_the_children_by_reference_only(
    session: Session, users: Users, case: Case
) -> None:
    relative = session.scalars(
        select(ImprisonedRelative).where(ImprisonedRelative.family_id == case.family_id)
    ).one()
    document = collect(session, users.admin, Subject("relative", relative.id))
    text = json.dumps(document, ensure_ascii=False)
    assert "Piotrmarker" in text
    for marker in (*ALPHA, *BETA, "alphaquotemarker", "betaquotemarker"):
        assert marker not in text
    sections = document["sections"]
    assert [(row["status"], row["since"]) for row in sections["custody"]] == [
        ("sentenced", "2023-11-02")
    ]
    assert sections["people"][0]["prison"] == "Casa Circondariale di Bollate"
    children = sorted(row["child"] for row in sections["relationships"])
    assert len(children) == 2 and all(child.startswith("C") for child in children)
    assert sections["case_notes"] == [] and sections["feedback"] == []


def test_a_family_export_holds_every_member(session: Session, users: Users, case: Case) -> None:
    document = collect(session, users.admin, Subject("family", case.family_id))
    text = json.dumps(document, ensure_ascii=False)
    for marker in (*ALPHA, *BETA, "betaquotemarker", "Piotrmarker", "Betamarker was sad."):
        assert marker in text
    assert "Othermarker" not in text
    kinds = [row["kind"] for row in document["sections"]["people"]]
    assert sorted(kinds) == ["caregiver", "child", "child", "relative"]
    assert len(document["sections"]["case_notes"]) == 2


def test_the_json_document_has_a_stable_structure(
    session: Session, users: Users, case: Case, tmp_path: Path
) -> None:
    path = write_json(session, users.admin, Subject("family", case.family_id), tmp_path / "f.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT == "cope-subject-access/1"
    assert set(document) == {
        "format",
        "generated",
        "organisation",
        "subject",
        "remarks",
        "sections",
    }
    assert list(document["sections"]) == [name for name, _title in SECTIONS]
    assert document["organisation"] == {"name": "Test Organisation", "country": "IT"}
    assert document["subject"]["kind"] == "family"
    assert document["generated"]["at"].endswith("Z")
    family = document["sections"]["family"]
    assert family["opened_on"] == "2024-01-10"
    assert family["closed_on"] is None
    # every key the PDF shows has a label
    for name, rows in document["sections"].items():
        for row in [rows] if name == "family" else rows:
            for key in row:
                assert key in FIELD_LABELS or key in NOT_IN_TABLES | {"kind"}, key


def test_the_pdf_is_written_and_each_file_is_audited(
    session: Session, users: Users, case: Case, tmp_path: Path
) -> None:
    subject = Subject("child", case.alpha)
    path = write_pdf(session, users.admin, subject, tmp_path / "c.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    write_json(session, users.admin, subject, tmp_path / "c.json")
    rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_access")).all()
    assert [(row.object_type, row.object_id, row.detail) for row in rows] == [
        ("child", case.alpha, ""),
        ("child", case.alpha, ""),
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_caseworker_or_coordinator_is_refused(
    session: Session, users: Users, case: Case, tmp_path: Path
) -> None:
    for user in (users.caseworker, users.coordinator):
        with pytest.raises(PermissionDenied):
            collect(session, user, Subject("child", case.alpha))
        with pytest.raises(PermissionDenied):
            write_pdf(session, user, Subject("family", case.family_id), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
