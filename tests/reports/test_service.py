"""Preparing and writing reports as the CLI and the GUI do: permissions, files, release log."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from service_support import Users, add_user
from sqlalchemy import select

from cope_desktop.db.database import Database
from cope_desktop.db.enums import ReleaseKind, Role
from cope_desktop.db.models import AuditEvent, Family, ReleaseLog
from cope_desktop.errors import PermissionDenied, UserInputError
from cope_desktop.progress import run_to_end
from cope_desktop.reports import service
from cope_desktop.reports.document import canonical_bytes, checksum
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import validate
from cope_desktop.services import demo
from cope_desktop.services.accounts import CurrentUser, find_user

ANCHOR = dt.date(2024, 6, 15)
YEAR = 2023
"""A full year of the demo data made with today fixed to 2024-06-15."""


@pytest.fixture
def demo_db(db: Database) -> Iterator[Database]:
    run_to_end(demo.fill_demo(db, "small", 3, "IT", password=PASSWORD, anchor=ANCHOR))
    yield db


@pytest.fixture
def users(demo_db: Database) -> Users:
    """The service fixtures' users, committed (the demo fill needs the database unlocked)."""
    with demo_db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        return Users(
            admin=CurrentUser(admin.id, admin.username, admin.display_name, admin.role),
            caseworker=add_user(session, "carla", "Carla Rossi", Role.CASEWORKER),
            coordinator=add_user(session, "marco", "Marco Bianchi", Role.COORDINATOR),
            other_caseworker=add_user(session, "giulia", "Giulia Verdi", Role.CASEWORKER),
        )


def prepare(db: Database, user: Any, period: Period, **kwargs: Any) -> service.PreparedReport:
    return run_to_end(service.prepare_report(db, user, period, **kwargs))


def published_headcounts(document: dict[str, Any]) -> list[int]:
    """Every published head count of the return: inner cells and totals."""
    return [
        figure["value"]
        for figure in service.published_figures(document)
        if figure.get("measure") not in service.NOT_HEAD_COUNTS and figure["value"] is not None
    ]


def test_a_network_return_is_protected_validated_and_checksummed(
    demo_db: Database, users: Users
) -> None:
    prepared = prepare(demo_db, users.coordinator, Period.year(YEAR))
    document = prepared.document
    validate(document)
    assert document["schema"] == "cope-network-return/1"
    assert document["checksum"] == checksum(document)
    assert b'"checksum"' not in canonical_bytes(document)
    assert all(value == 0 or value >= 5 for value in published_headcounts(document))
    hidden = prepared.primary | prepared.secondary
    assert document["disclosure"] == {
        "method": "threshold+secondary",
        "threshold": 5,
        "suppressed": len(hidden),
    }
    assert prepared.primary, "a small organisation's return has small cells to hide"
    assert prepared.explanation
    families = document["tables"]["families"]
    assert families["totals"]["all"]["value"] is None or families["totals"]["all"]["value"] > 0


def test_only_coordinators_and_administrators_prepare_reports(
    demo_db: Database, users: Users
) -> None:
    with pytest.raises(PermissionDenied):
        prepare(demo_db, users.caseworker, Period.year(YEAR))
    with pytest.raises(PermissionDenied):
        prepare(demo_db, users.caseworker, Period.year(YEAR), internal=True)
    assert prepare(demo_db, users.admin, Period.year(YEAR)).document


def test_a_network_return_needs_a_standard_period_and_a_threshold_of_three(
    demo_db: Database, users: Users
) -> None:
    odd = Period(dt.date(YEAR, 2, 1), dt.date(YEAR, 4, 30))
    with pytest.raises(UserInputError, match="calendar year or a half year"):
        prepare(demo_db, users.coordinator, odd)
    with pytest.raises(UserInputError, match="at least 3"):
        prepare(demo_db, users.coordinator, Period.year(YEAR), threshold=2)
    internal = prepare(demo_db, users.coordinator, odd, internal=True)
    assert internal.document["schema"] == "cope-internal-report/1"
    assert internal.document["marking"] == "internal"
    assert set(internal.document["breakdowns"]) == {"by_prison", "by_caseworker", "by_month"}
    assert all(
        cell["flag"] is None
        for table in internal.document["tables"].values()
        for cell in table["cells"]
    )


@pytest.mark.parametrize("fmt", ["json", "pdf", "xlsx", "csv"])
def test_writing_logs_the_release_and_the_export(
    demo_db: Database, users: Users, tmp_path: Path, fmt: str
) -> None:
    prepared = prepare(demo_db, users.coordinator, Period.year(YEAR))
    name = service.default_file_name(prepared, fmt)
    assert name.startswith(f"network-return-{YEAR}.")
    path = run_to_end(
        service.write_report(demo_db, users.coordinator, prepared, fmt, tmp_path / name)
    )
    assert path.stat().st_size > 0
    if fmt == "json":
        written = json.loads(path.read_text(encoding="utf-8"))
        assert written == prepared.document
        validate(written)
    with demo_db.session() as session:
        logged = session.scalars(select(ReleaseLog)).one()
        assert (logged.kind, logged.period_start, logged.file_format) == (
            ReleaseKind.NETWORK_RETURN,
            dt.date(YEAR, 1, 1),
            fmt,
        )
        assert logged.checksum == prepared.document["checksum"]
        assert sorted(logged.suppression["cells"]) == sorted(prepared.primary | prepared.secondary)
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [event.object_type for event in exports] == ["network_return"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_write_leaves_no_file_and_no_release(
    demo_db: Database, users: Users, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared = prepare(demo_db, users.coordinator, Period.year(YEAR))

    def broken(document: dict[str, Any], out: Any) -> None:
        out.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(service, "write_json", broken)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(OSError, match="disk full"):
        run_to_end(
            service.write_report(demo_db, users.coordinator, prepared, "json", folder / "r.json")
        )
    assert list(folder.iterdir()) == []
    with demo_db.session() as session:
        assert session.scalars(select(ReleaseLog)).all() == []


def test_overlapping_and_reissued_periods_are_flagged(
    demo_db: Database, users: Users, tmp_path: Path
) -> None:
    year = prepare(demo_db, users.coordinator, Period.year(YEAR))
    assert not year.warnings
    run_to_end(service.write_report(demo_db, users.coordinator, year, "json", tmp_path / "a.json"))

    again = prepare(demo_db, users.coordinator, Period.year(YEAR))
    assert again.warnings == [], "the same figures again are no new disclosure"

    half = prepare(demo_db, users.coordinator, Period.half(YEAR, 1))
    assert len(half.warnings) == 1 and "overlaps" in half.warnings[0]

    with demo_db.session() as session:
        session.add(Family(reference="F-LATE", opened_on=dt.date(YEAR, 5, 1)))
    changed = prepare(demo_db, users.coordinator, Period.year(YEAR))
    assert len(changed.warnings) == 1 and "different figures" in changed.warnings[0]

    other_year = prepare(demo_db, users.coordinator, Period.year(YEAR - 1))
    assert other_year.warnings == []


def test_report_years_run_from_the_first_record_to_this_year(demo_db: Database) -> None:
    with demo_db.session() as session:
        years = service.report_years(session)
    assert years[0] == 2024 and years == sorted(years, reverse=True)
    assert len(years) >= 2


def test_last_years_hidden_cells_are_preferred_this_year(
    demo_db: Database, users: Users, tmp_path: Path
) -> None:
    from cope_desktop.reports import release

    last_year = prepare(demo_db, users.coordinator, Period.year(YEAR - 1))
    path = tmp_path / "last.json"
    run_to_end(service.write_report(demo_db, users.coordinator, last_year, "json", path))
    with demo_db.session() as session:
        preferred = release.preferred_cells(session, Period.year(YEAR))
        assert preferred == last_year.primary | last_year.secondary
        assert release.preferred_cells(session, Period.year(YEAR + 1)) == set()


def test_a_return_with_a_small_published_figure_is_never_written(
    demo_db: Database, users: Users, tmp_path: Path
) -> None:
    prepared = prepare(demo_db, users.coordinator, Period.year(YEAR))
    document = copy.deepcopy(prepared.document)
    cell = document["tables"]["families"]["cells"][0]
    cell.update(value=3, flag=None)
    tampered = dataclasses.replace(prepared, document=document)
    with pytest.raises(service.DisclosureRefused, match="below the threshold of 5"):
        run_to_end(
            service.write_report(demo_db, users.coordinator, tampered, "json", tmp_path / "r.json")
        )
    assert not (tmp_path / "r.json").exists()
