"""Erasing a family or one person on request (GDPR Art. 17): nothing of them remains (R14).

How "nothing remains in the file" is shown: every page of the database file is decrypted
with the data key (AES-256-CBC, the IV kept at the end of each page, as SQLCipher 4 writes
it) and the plaintext of all pages, used and free, is searched for the marker strings that
were written into every name, reference and free-text field. The WAL must be empty after
the erasure (its frames are folded into the file and it is truncated), and the free list
must be empty (VACUUM rewrote the file, so no free page can keep old content). The family
that was not erased is found in the same pages: the search would see the markers if they
were there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from retention_support import (
    Marked,
    Roles,
    add_activity,
    add_prison,
    db,
    markers_in_file,
    markers_in_rows,
    pragma,
    roles,
    seed_family,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Rating, ReleaseKind
from cope_desktop.db.models import (
    Attendance,
    AuditEvent,
    Caregiver,
    Child,
    ChildRelative,
    Consent,
    Family,
    Feedback,
    ReleaseLog,
    SupportService,
)
from cope_desktop.errors import PermissionDenied
from cope_desktop.reports.period import Period
from cope_desktop.services import erasure, retention, search_terms
from cope_desktop.services.app_settings import PrivacySettings

__all__ = ["db", "roles"]


def seed_two(db: Database) -> tuple[Marked, Marked]:
    with db.session() as session:
        prison = add_prison(session)
        activity = add_activity(session, "A-1", dt.date(2021, 5, 8), prison)
        gone = seed_family(session, "zyxwqgone", prison_id=prison, activity_id=activity)
        kept = seed_family(
            session, "keepwq", prison_id=prison, activity_id=activity, archived_child=True
        )
        session.add_all(
            [
                ReleaseLog(
                    kind=ReleaseKind.NETWORK_RETURN,
                    period_start=dt.date(2021, 1, 1),
                    period_end=dt.date(2021, 12, 31),
                    file_format="pdf",
                    file_name="network-return-2021.pdf",
                ),
                ReleaseLog(
                    kind=ReleaseKind.NETWORK_RETURN,
                    period_start=dt.date(2019, 1, 1),
                    period_end=dt.date(2019, 12, 31),
                    file_format="pdf",
                    file_name="network-return-2019.pdf",
                ),
            ]
        )
    return gone, kept


EXPECTED_FAMILY_COUNTS = {
    "family": 1,
    "child": 2,
    "caregiver": 1,
    "relative": 1,
    "child_relative": 2,
    "custody_event": 1,
    "consent": 3,
    "support_service": 3,
    "case_note": 1,
    "case_status_change": 1,
    "attendance": 4,
    "feedback": 2,
}


def test_erasing_a_family_leaves_nothing_of_it_in_any_row_or_page(
    db: Database, roles: Roles
) -> None:
    gone, kept = seed_two(db)
    with db.session() as session:
        preview = erasure.preview_family(session, roles.admin, gone.family_id)
    counts = dict(preview.counts)
    terms = counts.pop("search_term")
    assert counts == EXPECTED_FAMILY_COUNTS
    assert terms == 13  # the family reference; reference, first and last name of 4 people
    assert [r.period for r in preview.releases] == [Period.year(2021)]
    assert "2021" in erasure.returns_note(preview)

    result = erasure.erase_family(db, roles.admin, gone.family_id)

    assert result.counts == preview.counts
    assert result.compacted
    assert markers_in_rows(db, gone.markers) == set()
    assert markers_in_file(db, gone.markers) == set()
    # The same search finds the family that stays: it would have seen the markers.
    assert markers_in_file(db, kept.markers) == set(kept.markers)
    assert markers_in_rows(db, kept.markers) == set(kept.markers)
    wal = db.path.with_name(db.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert pragma(db, "freelist_count") == 0
    assert pragma(db, "secure_delete") == 1
    assert gone.markers[0].encode() not in Path(db.path).read_bytes()
    with db.session() as session:
        assert session.get(Family, gone.family_id) is None
        assert session.get(Family, kept.family_id) is not None
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
        assert (event.object_type, event.object_id) == ("family", gone.family_id)
        assert event.username == "admin"
        assert "zyxwq" not in event.detail


def test_erasing_one_child_leaves_the_sibling_whole(db: Database, roles: Roles) -> None:
    gone, _kept = seed_two(db)
    first, second = gone.children
    with db.session() as session:
        preview = erasure.preview_person(session, roles.admin, "child", first)
        sibling_before = _child_rows(session, second)
    assert preview.family_id == gone.family_id
    counts = dict(preview.counts)
    terms = counts.pop("search_term")
    assert counts == {
        "child": 1,
        "child_relative": 1,
        "consent": 1,
        "support_service": 1,
        "attendance": 1,
        "feedback": 1,
    }
    assert terms == 3  # its reference, first name and last name
    assert not any("only child" in note for note in preview.notes)

    result = erasure.erase_person(db, roles.admin, "child", first)

    assert result.counts == preview.counts
    child_markers = gone.child_markers[first]
    assert markers_in_rows(db, child_markers) == set()
    assert markers_in_file(db, child_markers) == set()
    others = [m for m in gone.markers if m not in child_markers]
    assert markers_in_rows(db, others) == set(others)
    with db.session() as session:
        assert _child_rows(session, second) == sibling_before
        assert session.get(Family, gone.family_id) is not None
        assert session.get(Child, first) is None


def _child_rows(session: Session, child_id: uuid.UUID) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, model in (
        ("links", ChildRelative),
        ("consents", Consent),
        ("services", SupportService),
        ("attendances", Attendance),
        ("feedback", Feedback),
    ):
        found[name] = (
            session.scalar(
                select(func.count()).select_from(model).where(model.child_id == child_id)
            )
            or 0
        )
    child = session.get(Child, child_id)
    assert child is not None
    found["named"] = int(child.first_name is not None)
    return found


def test_the_only_child_leaves_the_family_and_the_preview_says_so(
    db: Database, roles: Roles
) -> None:
    with db.session() as session:
        prison = add_prison(session)
        activity = add_activity(session, "A-1", dt.date(2021, 5, 8), prison)
        only = seed_family(
            session, "zyxwqonly", prison_id=prison, activity_id=activity, births=(None,)
        )
    with db.session() as session:
        preview = erasure.preview_person(session, roles.admin, "child", only.children[0])
    assert any("only child" in note for note in preview.notes)
    erasure.erase_person(db, roles.admin, "child", only.children[0])
    with db.session() as session:
        family = session.get(Family, only.family_id)
        assert family is not None
        assert session.scalar(select(func.count()).select_from(Child)) == 0


def test_erasing_a_caregiver_clears_the_consent_they_signed(db: Database, roles: Roles) -> None:
    gone, _kept = seed_two(db)
    with db.session() as session:
        preview = erasure.preview_person(session, roles.admin, "caregiver", gone.caregiver)
    assert {k: v for k, v in preview.counts.items() if k != "search_term"} == {
        "caregiver": 1,
        "attendance": 1,
    }
    assert any("given by" in note for note in preview.notes)
    result = erasure.erase_person(db, roles.admin, "caregiver", gone.caregiver)
    assert result.counts == preview.counts
    caregiver_markers = [m for m in gone.markers if "cg" in m]
    assert markers_in_rows(db, caregiver_markers) == set()
    assert markers_in_file(db, caregiver_markers) == set()
    with db.session() as session:
        assert session.get(Caregiver, gone.caregiver) is None
        assert (
            session.scalar(
                select(func.count()).select_from(Consent).where(Consent.family_id == gone.family_id)
            )
            == 3
        )


def test_erasing_a_relative_removes_custody_and_links(db: Database, roles: Roles) -> None:
    gone, _kept = seed_two(db)
    with db.session() as session:
        preview = erasure.preview_person(session, roles.admin, "relative", gone.relative)
    assert {k: v for k, v in preview.counts.items() if k != "search_term"} == {
        "relative": 1,
        "child_relative": 2,
        "custody_event": 1,
        "attendance": 1,
    }
    assert any("2 children will have no imprisoned relative" in n for n in preview.notes)
    assert [r.period for r in preview.releases] == [Period.year(2021)]
    result = erasure.erase_person(db, roles.admin, "relative", gone.relative)
    assert result.counts == preview.counts
    relative_markers = [m for m in gone.markers if "rel" in m and "relation" not in m]
    assert markers_in_rows(db, relative_markers) == set()


def test_a_quote_kept_out_of_returns_by_an_erased_name_stays_out(
    db: Database, roles: Roles
) -> None:
    """A quote naming someone on file is withheld; erasing that person must not publish it."""
    with db.session() as session:
        prison = add_prison(session)
        activity = add_activity(session, "A-1", dt.date(2021, 5, 8), prison)
        named = seed_family(session, "zyxwqnamed", prison_id=prison, activity_id=activity)
        other = seed_family(session, "otherwq", prison_id=prison, activity_id=activity)
        child = session.get(Child, named.children[0])
        assert child is not None
        child.first_name = "Ottavino"
        session.flush()
        search_terms.refresh(session, [named.family_id])
        quote = Feedback(
            activity_id=activity,
            child_id=other.children[0],
            rating=Rating.POSITIVE,
            quote="I played with Ottavino all day",
            quote_approved=True,
        )
        clean = Feedback(
            activity_id=activity,
            child_id=other.children[1],
            rating=Rating.POSITIVE,
            quote="The best day of the year",
            quote_approved=True,
        )
        session.add_all([quote, clean])
        session.flush()
        quote_id, clean_id = quote.id, clean.id
        assert erasure.withheld_quotes(session) == {quote_id}
    erasure.erase_family(db, roles.admin, named.family_id)
    with db.session() as session:
        assert erasure.withheld_quotes(session) == set()
        kept_quote = session.get(Feedback, quote_id)
        assert kept_quote is not None and kept_quote.quote_approved is False
        clean_quote = session.get(Feedback, clean_id)
        assert clean_quote is not None and clean_quote.quote_approved is True


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_only_an_administrator_may_preview_erase_or_apply_retention(
    db: Database, roles: Roles, role: str
) -> None:
    gone, _kept = seed_two(db)
    user = getattr(roles, role)
    child = gone.children[0]
    settings = PrivacySettings(anonymise_after_years=1)
    today = dt.date(2024, 6, 15)
    with db.session() as session:
        with pytest.raises(PermissionDenied):
            erasure.preview_family(session, user, gone.family_id)
        with pytest.raises(PermissionDenied):
            erasure.preview_person(session, user, "child", child)
        with pytest.raises(PermissionDenied):
            retention.preview(session, user, settings, today)
    with pytest.raises(PermissionDenied):
        erasure.erase_family(db, user, gone.family_id)
    with pytest.raises(PermissionDenied):
        erasure.erase_person(db, user, "child", child)
    with pytest.raises(PermissionDenied):
        next(retention.apply(db, user, settings, today))
    assert markers_in_rows(db, gone.markers) == set(gone.markers)
