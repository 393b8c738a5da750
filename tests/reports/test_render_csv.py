"""The CSV archive of a report: one file per table with codes, names, values and flags."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from sample_documents import internal_report, network_return

from cope_desktop import i18n
from cope_desktop.reports.render_csv import write_csv_zip

TABLE_FILES = [
    "families.csv",
    "children_by_age_sex.csv",
    "imprisoned_relatives.csv",
    "activities.csv",
    "game_with_mum_and_dad.csv",
    "support_services.csv",
    "referral_sources.csv",
    "child_feedback.csv",
]


def _archive(document: Mapping[str, Any]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_csv_zip(document, buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _rows(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    data = archive.read(name)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_csv_per_table_and_a_readme() -> None:
    archive = _archive(network_return())
    assert sorted(archive.namelist()) == sorted(["README.txt", *TABLE_FILES])
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert "Network return to Children of Prisoners Europe" in readme
    assert "Period: January 1, 2025 – December 31, 2025" in readme
    assert "In all, 31 figures are hidden" in readme
    assert "INTERNAL" not in readme


def test_rows_carry_codes_names_values_and_flags() -> None:
    rows = _rows(_archive(network_return()), "children_by_age_sex.csv")
    assert rows[0] == ["Age band (code)", "Age band", "Sex (code)", "Sex", "Value", "Flag"]
    assert rows[1] == ["0-4", "0-4", "female", "Female", "", "suppressed"]
    assert rows[2] == ["0-4", "0-4", "male", "Male", "", "suppressed"]
    assert ["5-9", "5-9", "female", "Female", "31", ""] in rows
    assert ["unknown", "Unknown", "male", "Male", "8", ""] in rows
    assert ["0-4", "0-4", "total", "Total", "33", ""] in rows
    assert ["total", "Total", "other", "Other", "", "suppressed"] in rows
    assert rows[-1] == ["total", "Total", "total", "Total", "190", ""]
    assert len(rows) == 1 + 6 * 4 + 6 + 4 + 1


def test_activities_keep_hours_with_one_decimal_and_only_published_totals() -> None:
    rows = _rows(_archive(network_return()), "activities.csv")
    by_key = {(row[0], row[2]): row[4:] for row in rows[1:]}
    assert by_key["prison_visit", "child_attendances"] == ["1046", ""]
    assert by_key["prison_visit", "hours"] == ["424.0", ""]
    assert by_key["helpline", "hours"] == ["", "suppressed"]
    assert by_key["total", "hours"] == ["586.4", ""]
    assert ("total", "distinct_children") not in by_key


def test_an_internal_archive_has_the_breakdowns_and_the_marking() -> None:
    archive = _archive(internal_report())
    assert sorted(archive.namelist()) == sorted(
        ["README.txt", *TABLE_FILES, "by_prison.csv", "by_caseworker.csv", "by_month.csv"]
    )
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert readme.startswith("*** INTERNAL — DO NOT SEND ***")
    months = _rows(archive, "by_month.csv")
    assert months[0] == ["Month (code)", "Month", "Figure (code)", "Figure", "Value", "Flag"]
    assert ["2025-03", "March 2025", "child_attendances", "Child attendances", "101", ""] in months
    children = _rows(archive, "children_by_age_sex.csv")
    assert children[1] == ["0-4", "0-4", "female", "Female", "14", ""]


def test_french_names_beside_the_same_codes_and_values() -> None:
    i18n.set_language("fr")
    try:
        archive = _archive(network_return())
    finally:
        i18n.set_language("en")
    rows = _rows(archive, "activities.csv")
    by_key = {(row[0], row[2]): row[4] for row in rows[1:]}
    assert by_key["prison_visit", "child_attendances"] == "1046"
    assert by_key["total", "hours"] == "586.4"
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert "1 janvier 2025 – 31 décembre 2025" in readme
