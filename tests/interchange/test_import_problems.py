"""Each kind of problem in an import file: listed with sheet, row and column; nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from import_support import (
    OPENED,
    family_book,
    header,
    records_written,
    row_counts,
    run_import,
    write_book,
)

from cope_desktop.db.database import Database
from cope_desktop.services.interchange.problems import Problem
from cope_desktop.services.interchange.service import ImportResult

CHILD = ["C-1", "F-1", "Ada", None, dt.date(2015, 3, 2), None, None, "female", None, None]


def import_refused_nothing(db: Database, path: Path) -> ImportResult:
    before = row_counts(db)
    result = run_import(db, path)
    assert not result.written
    assert row_counts(db) == before  # not even an audit event
    return result


def where(result: ImportResult) -> list[tuple[str, int | None, str | None]]:
    return [(problem.sheet, problem.row, problem.column) for problem in result.problems]


def only_problem(db: Database, path: Path) -> Problem:
    result = import_refused_nothing(db, path)
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def test_a_value_of_the_wrong_type(db: Database, tmp_path: Path) -> None:
    wrong = [*CHILD[:4], "soon", *CHILD[5:]]
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", OPENED],
        children=[header("children"), CHILD, ["C-2", *wrong[1:]]],
    )
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("children", 3, "birth_date")
    assert "YYYY-MM-DD" in problem.message


def test_an_unknown_code_and_a_text_in_a_number_column(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", OPENED, None, "friend"],
        ["F-2", OPENED, None, "school", None, "maybe"],
    )
    result = import_refused_nothing(db, path)
    assert where(result) == [("families", 2, "referral_source"), ("families", 3, "notes_allowed")]
    assert "social_services" in result.problems[0].message


def test_a_missing_required_column_and_an_unknown_column(db: Database, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "f.xlsx", {"families": [["family_ref", "nickname"], ["F-1", "The Rossis"]]}
    )
    result = import_refused_nothing(db, path)
    assert sorted(where(result)) == [("families", 1, "nickname"), ("families", 1, "opened")]


def test_a_missing_required_value(db: Database, tmp_path: Path) -> None:
    problem = only_problem(db, family_book(tmp_path / "f.xlsx", ["F-1", None]))
    assert (problem.sheet, problem.row, problem.column) == ("families", 2, "opened")


def test_a_reference_to_nothing(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx", ["F-1", OPENED], children=[header("children"), ["C-1", "F-9"]]
    )
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("children", 2, "family_ref")
    assert "F-9" in problem.message


def test_a_key_repeated_within_a_sheet(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED], ["F-2", OPENED], ["F-1", OPENED])
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("families", 4, "family_ref")
    assert "Row 2" in problem.message


def test_the_record_rules_of_the_forms(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", dt.date(2024, 3, 1), dt.date(2024, 2, 1)],  # closed before opened
        ["F-2", dt.date(2030, 1, 1)],  # in the future (today is 2024-06-15)
        children=[
            header("children"),
            ["C-1", "F-1", None, None, dt.date(2015, 1, 1), 2015],  # date and year
            ["C-2", "F-1", None, None, None, None, 13],  # month without year, out of range
        ],
        caregivers=[header("caregivers"), ["G-1", "F-1", None, None, None, None, "not-an-email"]],
        prisons=[header("prisons"), ["P-1", "Bollate", "XX"]],
        imprisoned_relatives=[
            header("imprisoned_relatives"),
            ["R-1", "F-1", None, None, None, "sentenced"],  # status without since
        ],
    )
    result = import_refused_nothing(db, path)
    assert where(result) == [
        ("families", 2, "closed"),
        ("families", 3, "opened"),
        ("children", 2, "birth_year"),
        ("children", 3, "birth_month"),
        ("children", 3, "birth_month"),
        ("caregivers", 2, "email"),
        ("prisons", 2, "country"),
        ("imprisoned_relatives", 2, "status_since"),
    ]
    assert result.problems[-1].message == "status_since is required with custody_status."


def test_an_unknown_caseworker(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED, None, None, "nobody"])
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("families", 2, "caseworker")


def test_feedback_for_an_adult_and_a_person_in_two_tables(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", OPENED],
        children=[header("children"), ["X-1", "F-1"]],
        caregivers=[header("caregivers"), ["G-1", "F-1"], ["X-1", "F-1"]],
        activities=[header("activities"), ["A-1", "family_day", dt.date(2024, 1, 5)]],
        attendance=[header("attendance"), ["A-1", "G-1", "positive"], ["A-1", "X-1"]],
    )
    result = import_refused_nothing(db, path)
    assert where(result) == [("attendance", 2, "feedback"), ("attendance", 3, "person_ref")]


def test_a_support_child_of_another_family(db: Database, tmp_path: Path) -> None:
    path = family_book(
        tmp_path / "f.xlsx",
        ["F-1", OPENED],
        ["F-2", OPENED],
        children=[header("children"), ["C-1", "F-1"]],
        support=[header("support"), ["F-2", "C-1", "referral", dt.date(2024, 1, 5)]],
    )
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("support", 2, "child_ref")


def test_a_merged_header_cell_over_values(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED, None, None, None, True, "extra"])
    workbook = load_workbook(path)
    worksheet = workbook["families"]
    worksheet.merge_cells("F1:G1")
    workbook.save(path)
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("families", 1, None)
    assert "Column 7" in problem.message


def test_a_formula_without_a_saved_value(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED], ["F-2", "=B2+1"])
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("families", 3, "opened")
    assert "formula" in problem.message


def test_a_cell_longer_than_a_spreadsheet_allows(db: Database, tmp_path: Path) -> None:
    (tmp_path / "families.csv").write_text("family_ref,opened\nF-1,2023-02-01\n")
    path = tmp_path / "children.csv"
    path.write_text("child_ref,family_ref,first_name\nC-1,F-1," + "x" * 40_000 + "\n")
    problem = only_problem(db, path)
    assert (problem.sheet, problem.row, problem.column) == ("children", 2, "first_name")
    assert "32,767" in problem.message


def test_an_archived_record_is_not_changed_silently(db: Database, tmp_path: Path) -> None:
    path = family_book(tmp_path / "f.xlsx", ["F-1", OPENED, None, "school"])
    assert run_import(db, path).written
    from sqlalchemy import update

    from cope_desktop.db.models import Family

    with db.session() as session:
        session.execute(update(Family).values(deleted_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC)))
    assert run_import(db, path).counts.sheets["families"].unchanged == 1  # equal: fine
    changed = family_book(tmp_path / "g.xlsx", ["F-1", OPENED, None, "prison"])
    problem = only_problem(db, changed)
    assert (problem.sheet, problem.row) == ("families", 2)
    assert problem.message == "F-1 is archived; restore it before importing changes."


def test_many_problems_are_capped_with_a_count_of_the_rest(db: Database, tmp_path: Path) -> None:
    rows: list[list[Any]] = [[f"F-{number}", "not a date"] for number in range(1, 1_006)]
    result = import_refused_nothing(db, family_book(tmp_path / "f.xlsx", *rows))
    assert result.problem_count == 1_005
    assert len(result.problems) == 1_001
    assert result.problems[0].row == 2
    assert result.problems[-1].message == "… and 5 more problems."
    assert records_written(db) == 0
