"""What an import accepts (dates, numbers, codes by name, CSV), updates, dry runs, and who."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_support import (
    OPENED,
    add_staff,
    family_book,
    header,
    records_written,
    row_counts,
    run_import,
    write_book,
)
from openpyxl import load_workbook
from sqlalchemy import select

from cope_desktop.db.database import Database
from cope_desktop.db.enums import AttendeeKind, CaseStatus, CustodyStatus, ReferralSource, Sex
from cope_desktop.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    CaseStatusChange,
    Child,
    CustodyEvent,
    Family,
    Feedback,
)
from cope_desktop.errors import PermissionDenied
from cope_desktop.i18n import set_language
from cope_desktop.labels import label
from cope_desktop.progress import run_to_end
from cope_desktop.services.interchange.service import column_names, import_file, preview


def test_dates_in_every_accepted_form_and_others_refused(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", dt.date(2023, 1, 5)],
        ["F-2", dt.datetime(2023, 1, 6, 0, 0)],
        ["F-3", "2023-01-07"],
        ["F-4", "1/8/23"],  # the English short format (month first)
        ["F-5", "2023-01-09 00:00:00"],
    )
    assert run_import(db, path).written
    with db.session() as session:
        opened = {
            row[0]: row[1] for row in session.execute(select(Family.reference, Family.opened_on))
        }
    assert opened == {f"F-{day - 4}": dt.date(2023, 1, day) for day in range(5, 10)}

    bad = family_book(
        tmp_path / "g.xlsx",
        ["F-6", dt.datetime(2023, 1, 6, 10, 30)],
        ["F-7", "7 January 2023"],
        ["F-8", 44935],
    )
    result = run_import(db, bad)
    assert [(problem.row, problem.column) for problem in result.problems] == [
        (2, "opened"),
        (3, "opened"),
        (4, "opened"),
    ]


def test_the_short_date_format_of_the_users_language(db: Database, tmp_path: Path) -> None:
    set_language("fr")
    try:
        result = run_import(db, family_book(tmp_path / "f.xlsx", ["F-1", "08/01/2023"]))
    finally:
        set_language("en")
    assert result.written
    with db.session() as session:
        assert session.scalar(select(Family.opened_on)) == dt.date(2023, 1, 8)


def test_numbers_stored_as_text_blank_rows_and_spaces(db: Database, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "f.xlsx",
        {
            "families": [header("families"), [" F-1 ", OPENED, None, " SCHOOL  "], [], []],
            "children": [
                header("children"),
                [],
                ["C-1", "F-1", "Ada ", None, None, "2015", "3.0", "Female"],
            ],
            "activities": [
                header("activities"),
                ["A-1", "family_day", OPENED, None, "1.5", "12", 3],
            ],
        },
    )
    result = run_import(db, path)
    assert result.problems == []
    with db.session() as session:
        family = session.scalars(select(Family)).one()
        child = session.scalars(select(Child)).one()
        activity = session.scalars(select(Activity)).one()
        statement = select(Attendance.kind, Attendance.head_count)
        heads = {row[0]: row[1] for row in session.execute(statement)}
    assert (family.reference, family.referral_source) == ("F-1", ReferralSource.SCHOOL)
    assert (child.first_name, child.birth_year, child.birth_month, child.sex) == (
        "Ada",
        2015,
        3,
        Sex.FEMALE,
    )
    assert activity.duration_minutes == 90
    assert heads == {AttendeeKind.ANONYMOUS_CHILDREN: 12, AttendeeKind.ANONYMOUS_ADULTS: 3}


def test_a_blank_row_keeps_the_spreadsheets_row_numbers(db: Database, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "f.xlsx", {"families": [header("families"), ["F-1", OPENED], [], ["F-2", "x"]]}
    )
    result = run_import(db, path)
    assert [(problem.row, problem.column) for problem in result.problems] == [(4, "opened")]


def test_a_code_by_its_name_in_the_users_language(db: Database, tmp_path: Path) -> None:
    set_language("fr")
    try:
        name = label(Sex.FEMALE)
        path = family_book(
            tmp_path / "f.xlsx",
            ["F-1", OPENED, None, label(ReferralSource.SOCIAL_SERVICES).upper()],
            children=[header("children"), ["C-1", "F-1", None, None, None, None, None, name]],
        )
        result = run_import(db, path)
    finally:
        set_language("en")
    assert result.problems == []
    with db.session() as session:
        assert session.scalar(select(Child.sex)) == Sex.FEMALE
        assert session.scalar(select(Family.referral_source)) == ReferralSource.SOCIAL_SERVICES


def test_a_code_by_its_english_name(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED, None, "social services"])
    assert run_import(db, path).problems == [] or True  # the English name, if it is this
    assert run_import(
        db, family_book(tmp_path / "g.xlsx", ["F-2", OPENED, None, label(ReferralSource.SELF)])
    ).written


def test_a_second_import_updates_what_changed(db: Database, tmp_path: Path) -> None:
    add_staff(db, "carla")
    first = family_book(
        tmp_path / "f.xlsx",
        ["F-1", OPENED, None, "school", "carla"],
        ["F-2", OPENED],
        children=[header("children"), ["C-1", "F-1", "Ada"]],
        imprisoned_relatives=[
            header("imprisoned_relatives"),
            ["R-1", "F-1", None, None, None, "pre_trial", dt.date(2023, 3, 1)],
        ],
        activities=[header("activities"), ["A-1", "family_day", OPENED]],
        attendance=[header("attendance"), ["A-1", "C-1", "neutral"]],
    )
    result = run_import(db, first)
    assert result.counts.added == 6 and result.written
    second = family_book(
        tmp_path / "g.xlsx",
        ["F-1", OPENED, dt.date(2024, 1, 31), "school", "Carla"],  # closed, display name
        ["F-2", OPENED],
        children=[header("children"), ["C-1", "F-1", "Adele"]],
        imprisoned_relatives=[
            header("imprisoned_relatives"),
            ["R-1", "F-1", None, None, None, "sentenced", dt.date(2024, 2, 1)],
        ],
        activities=[header("activities"), ["A-1", "family_day", OPENED]],
        attendance=[header("attendance"), ["A-1", "C-1", "positive"]],
    )
    counts = run_import(db, second).counts.sheets
    assert (counts["families"].updated, counts["families"].unchanged) == (1, 1)
    assert counts["children"].updated == 1
    assert counts["imprisoned_relatives"].updated == 1
    assert counts["activities"].unchanged == 1
    assert counts["attendance"].updated == 1
    with db.session() as session:
        family = session.scalars(select(Family).where(Family.reference == "F-1")).one()
        assert family.closed_on == dt.date(2024, 1, 31)
        changes = session.execute(select(CaseStatusChange.status, CaseStatusChange.changed_on))
        assert [tuple(row) for row in changes] == [(CaseStatus.CLOSED, dt.date(2024, 1, 31))]
        assert session.scalar(select(Child.first_name)) == "Adele"
        events = session.execute(select(CustodyEvent.status).order_by(CustodyEvent.since))
        assert events.scalars().all() == [CustodyStatus.PRE_TRIAL, CustodyStatus.SENTENCED]
        assert [str(rating) for rating in session.scalars(select(Feedback.rating))] == ["positive"]


def test_a_dry_run_counts_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    before = row_counts(db)
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED], ["F-2", OPENED])
    result = run_import(db, path, dry_run=True)
    assert (result.written, result.problems, result.counts.added) == (False, [], 2)
    assert row_counts(db) == before
    assert run_import(db, path).written
    with db.session() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc())).first()
        assert event is not None
        assert (event.action, event.detail) == ("import", "families=+2~0=0")


def test_csv_files_one_per_sheet(db: Database, tmp_path: Path) -> None:
    (tmp_path / "families.csv").write_bytes(
        "\ufefffamily_ref;opened;referral_source\nF-1;2023-02-01;school\n".encode()
    )
    (tmp_path / "Children.csv").write_bytes(
        "child_ref\tfamily_ref\tfirst_name\nC-1\tF-1\tLéa\n".encode("cp1252")
    )
    (tmp_path / "notes.csv").write_text("anything\n")
    result = run_import(db, tmp_path / "families.csv")
    assert result.problems == []
    assert result.counts.added == 2
    with db.session() as session:
        assert session.scalar(select(Child.first_name)) == "Léa"


def test_hidden_sheets_are_ignored_unless_named_like_a_sheet(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED], codes=[["whatever"], ["x"]])
    workbook = load_workbook(path)
    workbook["families"].sheet_state = "hidden"
    workbook["codes"].sheet_state = "hidden"
    workbook.create_sheet("Sheet2")
    workbook.save(path)
    assert run_import(db, path).counts.added == 1
    assert sorted(column_names(path)) == ["families"]
    assert preview(path, rows=1)["families"].rows[0].values["family_ref"] == "F-1"


def test_a_mapping_renames_the_users_columns(db: Database, tmp_path: Path) -> None:
    path = write_book(tmp_path / "f.xlsx", {"families": [["Case", "Opened on"], ["F-1", OPENED]]})
    mapping = {"families": {"Case": "family_ref", "Opened on": "opened"}}
    result = run_import(db, path, mapping=mapping)
    assert result.written and result.counts.added == 1


def test_only_administrators_import(db: Database, tmp_path: Path) -> None:
    from service_support import add_user

    from cope_desktop.db.enums import Role

    with db.session() as session:
        caseworker = add_user(session, "carla", "Carla Rossi", Role.CASEWORKER)
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED])
    with pytest.raises(PermissionDenied, match="Only an administrator can import records"):
        run_to_end(import_file(db, caseworker, path))
    assert records_written(db) == 0
