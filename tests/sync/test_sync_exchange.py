"""The office and a field laptop exchanging bundles: what a caseworker sees after each step."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from sqlalchemy import func, select, text
from three_copies_support import Copies, Copy, admin_of, build_copies, restore, table_rows

from cope_desktop.db.enums import AttendeeKind, ReferralSource, Relationship, Role
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Child,
    Family,
    ImprisonedRelative,
    SearchTerm,
)
from cope_desktop.errors import PermissionDenied
from cope_desktop.progress import run_to_end
from cope_desktop.services import erasure
from cope_desktop.services.accounts import CurrentUser, sign_in
from cope_desktop.services.activities.attendance import set_present
from cope_desktop.services.records import people
from cope_desktop.services.records.drafts import ChildDraft
from cope_desktop.sync.apply import ImportResult, import_bundle
from cope_desktop.sync.export import export_changes
from cope_desktop.sync.service import conflicts, history, peers, resolve

NUMBERS = itertools.count()


@pytest.fixture(scope="module")
def made_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Copies]:
    home = tmp_path_factory.mktemp("exchange-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(home))
        yield build_copies(tmp_path_factory.mktemp("exchange"))


@pytest.fixture
def copies(made_copies: Copies, tmp_path: Path) -> Iterator[list[Copy]]:
    opened = restore(made_copies, tmp_path / "copies")
    yield opened
    for copy in opened:
        copy.db.close()


def send(source: Copy, target: Copy, folder: Path) -> Path:
    path = folder / f"{source.name}-to-{target.name}-{next(NUMBERS)}.copesync"
    run_to_end(export_changes(source.db, admin_of(source.db), path, target.device))
    return path


def receive(target: Copy, path: Path) -> ImportResult:
    result = run_to_end(import_bundle(target.db, admin_of(target.db), path))
    assert isinstance(result, ImportResult)
    return result


def exchange(a: Copy, b: Copy, folder: Path) -> tuple[ImportResult, ImportResult]:
    """A sends to B, then B (having A's work) sends back to A."""
    first = receive(b, send(a, b, folder))
    second = receive(a, send(b, a, folder))
    return first, second


def family(copy: Copy, reference: str = "F-1") -> Family:
    with copy.db.session() as session:
        found = session.scalars(select(Family).where(Family.reference == reference)).one()
        session.expunge(found)
        return found


def edit_family(copy: Copy, reference: str, **values: Any) -> None:
    with copy.db.session() as session:
        found = session.scalars(select(Family).where(Family.reference == reference)).one()
        for name, value in values.items():
            setattr(found, name, value)


def test_the_new_copy_opens_with_the_same_password_and_knows_the_office(
    copies: list[Copy], made_copies: Copies
) -> None:
    office, laptop = copies[0], copies[1]
    db, admin = sign_in(laptop.db.path, "admin", PASSWORD, laptop.db.path.parent / "backups")
    db.close()
    assert admin.username == "admin"
    assert table_rows(laptop.db) == table_rows(office.db)
    with laptop.db.session() as session:
        tag = session.execute(text("SELECT tag FROM sync_device WHERE is_self")).scalar_one()
        known = peers(session, admin_of(laptop.db))
        terms = session.scalar(select(func.count()).select_from(SearchTerm))
    assert len(tag) == 4
    assert [peer.device_id for peer in known] == [office.device]
    assert laptop.device != office.device
    assert terms  # the search words were built: the laptop finds families by name
    assert (made_copies.folder / "laptop-1.db.keys").exists()
    assert not list(made_copies.folder.glob("*.creating*"))


def test_different_fields_of_one_family_merge_without_a_question(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    edit_family(laptop, "F-1", referral_source=ReferralSource.SCHOOL)
    edit_family(office, "F-1", close_reason="Moved to Milan")
    first, second = exchange(laptop, office, tmp_path)
    for copy in (office, laptop):
        merged = family(copy)
        assert (merged.referral_source, merged.close_reason) == (
            ReferralSource.SCHOOL,
            "Moved to Milan",
        )
    assert first.conflicts_new == second.conflicts_new == 0
    assert first.rows_applied == 1
    with office.db.session() as session:
        assert conflicts(session, admin_of(office.db)) == []
    assert table_rows(office.db) == table_rows(laptop.db)


def test_the_same_field_changed_on_both_is_one_conflict_resolved_everywhere(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    edit_family(office, "F-2", close_reason="Office says")
    edit_family(laptop, "F-2", close_reason="Laptop says")
    first, second = exchange(office, laptop, tmp_path)
    assert (first.conflicts_new, second.conflicts_new) == (1, 1)  # one on each side
    assert "needs a decision" in first.message
    listed = {}
    for copy in (office, laptop):
        with copy.db.session() as session:
            found = conflicts(session, admin_of(copy.db))
        assert [(c.table, c.field, c.record_label) for c in found] == [
            ("family", "close_reason", "F-2")
        ]
        listed[copy.name] = found[0]
    office_view = listed["office"]
    assert sorted(c.value for c in office_view.candidates) == ["Laptop says", "Office says"]
    assert [c.is_mine for c in office_view.candidates if c.value == "Office says"] == [True]
    assert office_view.field_label == "Reason for closing"
    # both copies show the same value until someone decides
    assert family(office, "F-2").close_reason == family(laptop, "F-2").close_reason

    resolve(laptop.db, admin_of(laptop.db), "family", office_view.row_id, "close_reason", "Agreed")
    exchange(laptop, office, tmp_path)
    for copy in (office, laptop):
        assert family(copy, "F-2").close_reason == "Agreed"
        with copy.db.session() as session:
            assert conflicts(session, admin_of(copy.db)) == []
    assert table_rows(office.db) == table_rows(laptop.db)


def test_attendance_ticked_on_both_copies_is_one_attendance(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    with office.db.session() as session:
        activity_id = session.scalars(select(Activity.id).order_by(Activity.held_on)).first()
        child_id = session.scalars(select(Child.id).order_by(Child.reference)).first()
    assert activity_id is not None and child_id is not None
    for copy in (office, laptop):
        with copy.db.session() as session:
            set_present(session, admin_of(copy.db), activity_id, AttendeeKind.CHILD, child_id, True)
    first, _second = exchange(office, laptop, tmp_path)
    assert first.attendances_merged == 1
    for copy in (office, laptop):
        with copy.db.session() as session:
            rows = session.scalars(
                select(Attendance).where(
                    Attendance.activity_id == activity_id, Attendance.child_id == child_id
                )
            ).all()
        assert len(rows) == 1
    assert table_rows(office.db) == table_rows(laptop.db)


def test_a_bundle_imported_twice_changes_nothing_the_second_time(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    edit_family(office, "F-3", close_reason="Twice")
    bundle = send(office, laptop, tmp_path)
    assert receive(laptop, bundle).rows_applied == 1
    rows = table_rows(laptop.db)
    again = receive(laptop, bundle)
    assert (again.rows_applied, again.conflicts_new) == (0, 0)
    assert again.message.startswith("Nothing new from")
    assert table_rows(laptop.db) == rows


def test_bundles_arriving_out_of_order_converge(copies: list[Copy], tmp_path: Path) -> None:
    office, laptop = copies[0], copies[1]
    edit_family(office, "F-1", close_reason="First")
    older = send(office, laptop, tmp_path)
    edit_family(office, "F-1", close_reason="Second")
    edit_family(office, "F-2", close_reason="Only in the newer one")
    newer = send(office, laptop, tmp_path)
    receive(laptop, newer)
    assert receive(laptop, older).rows_applied == 0
    assert family(laptop, "F-1").close_reason == "Second"
    assert table_rows(laptop.db) == table_rows(office.db)


def test_a_crash_half_way_leaves_every_row_as_it_was(
    copies: list[Copy], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cope_desktop.sync import apply as apply_module

    office, laptop = copies[0], copies[1]
    edit_family(office, "F-1", close_reason="Crash")
    edit_family(office, "F-2", close_reason="Crash too")
    bundle = send(office, laptop, tmp_path)

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("power cut (simulated)")

    before = table_rows(laptop.db)
    with laptop.db.session() as session:
        bookkeeping = session.execute(text("SELECT * FROM sync_row ORDER BY seq")).all()
        events = session.scalar(text("SELECT count(*) FROM audit_event"))
    # after every row was written, while the search words are refreshed
    monkeypatch.setattr(apply_module.search_terms, "refresh", fail)
    with pytest.raises(RuntimeError, match="simulated"):
        receive(laptop, bundle)
    assert table_rows(laptop.db) == before
    with laptop.db.session() as session:
        assert session.execute(text("SELECT * FROM sync_row ORDER BY seq")).all() == bookkeeping
        assert session.scalar(text("SELECT count(*) FROM audit_event")) == events


def test_a_family_erased_at_the_office_takes_the_child_added_on_the_laptop(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    erased = family(office, "F-3")
    with laptop.db.session() as session:
        relative = session.scalars(
            select(ImprisonedRelative.id).where(ImprisonedRelative.family_id == erased.id)
        ).one()
        draft = ChildDraft(
            first_name="Nadia",
            last_name="Field",
            birth_year=2018,
            relatives={relative: Relationship.MOTHER},
        )
        people.save_child(session, admin_of(laptop.db), erased.id, None, draft)
    erasure.erase_family(office.db, admin_of(office.db), erased.id)
    first, _second = exchange(office, laptop, tmp_path)
    assert first.local_rows_removed >= 1
    assert "erased on another copy" in first.message
    for copy in (office, laptop):
        with copy.db.session() as session:
            assert session.get(Family, erased.id) is None
            assert not session.scalars(select(Child).where(Child.first_name == "Nadia")).all()
    assert table_rows(office.db) == table_rows(laptop.db)


def test_one_reference_typed_on_two_copies_is_kept_apart(
    copies: list[Copy], tmp_path: Path
) -> None:
    office, laptop = copies[0], copies[1]
    for copy in (office, laptop):
        with copy.db.session() as session:
            session.add(Family(reference="F-77", opened_on=dt.date(2024, 3, 1)))
    first, _second = exchange(office, laptop, tmp_path)
    assert first.references_renamed == 1
    for copy in (office, laptop):
        with copy.db.session() as session:
            references = sorted(
                session.scalars(select(Family.reference).where(Family.reference.like("F-77%")))
            )
        assert references == ["F-77", "F-77 (2)"]
    assert table_rows(office.db) == table_rows(laptop.db)


def test_three_copies_relay_work_through_the_office(copies: list[Copy], tmp_path: Path) -> None:
    office, first_laptop, second_laptop = copies
    edit_family(first_laptop, "F-1", close_reason="From laptop 1")
    receive(office, send(first_laptop, office, tmp_path))
    receive(second_laptop, send(office, second_laptop, tmp_path))
    assert family(second_laptop).close_reason == "From laptop 1"
    with second_laptop.db.session() as session:
        entries = history(session, admin_of(second_laptop.db))
    assert [(e.direction, e.kind) for e in entries][:1] == [("import", "changes")]


def test_case_note_conflicts_are_hidden_from_roles_without_case_notes(
    copies: list[Copy], tmp_path: Path
) -> None:
    from cope_desktop.db.models import CaseNote

    office, laptop = copies[0], copies[1]
    note_id = uuid.uuid4()
    with office.db.session() as session:
        session.add(
            CaseNote(
                id=note_id,
                family_id=family(office, "F-1").id,
                written_on=dt.date(2024, 5, 1),
                text="Visit went well.",
            )
        )
    receive(laptop, send(office, laptop, tmp_path))
    for copy, words in ((office, "Office note."), (laptop, "Laptop note.")):
        with copy.db.session() as session:
            note = session.get(CaseNote, note_id)
            assert note is not None
            note.text = words
    exchange(office, laptop, tmp_path)
    coordinator = CurrentUser(uuid.uuid4(), "marco", "Marco", Role.COORDINATOR)
    with office.db.session() as session:
        assert [c.table for c in conflicts(session, admin_of(office.db))] == ["case_note"]
        assert conflicts(session, coordinator) == []
    with pytest.raises(PermissionDenied):
        resolve(office.db, coordinator, "case_note", note_id, "text", "Mine")
