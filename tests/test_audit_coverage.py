"""Everything a person does that the trail must show leaves exactly one row (TARGETS.md R9).

Also: every action code written anywhere in the application has a name in the viewer.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase
from service_support import OPENED, add_prison, add_user, fixed_today
from sqlalchemy import func, select

import cope_desktop
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ConsentKind, CustodyStatus, Relationship, Role
from cope_desktop.db.models import AuditEvent, ImprisonedRelative
from cope_desktop.i18n import PSEUDO_LANGUAGE, pseudo, set_language
from cope_desktop.progress import run_to_end
from cope_desktop.reports import service as reports
from cope_desktop.reports.period import Period
from cope_desktop.services import accounts, audit_actions
from cope_desktop.services.accounts import CurrentUser, find_user
from cope_desktop.services.interchange.export import export_records
from cope_desktop.services.records import archive, families, people
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)

__all__ = ["fixed_today"]

Row = tuple[str, str | None, str, uuid.UUID | None]
"""(action, object type, user name, object id) of an audit row."""


@dataclass
class Office:
    created: CreatedDatabase
    db: Database
    admin: CurrentUser
    caseworker: CurrentUser
    coordinator: CurrentUser
    family_id: uuid.UUID

    def rows_after(self, mark: int) -> list[Row]:
        with self.db.session() as session:
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.sequence > mark).order_by(AuditEvent.sequence)
            )
            return [(e.action, e.object_type, e.username, e.object_id) for e in events]

    def last_sequence(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.max(AuditEvent.sequence))) or 0


def new_family(prison_id: uuid.UUID) -> NewFamily:
    return NewFamily(
        family=FamilyDraft(reference="", opened_on=OPENED),
        caregiver=CaregiverDraft(first_name="Anna", last_name="Kowalska"),
        relative=RelativeDraft(first_name="Piotr", last_name="Kowalski", prison_id=prison_id),
        custody=CustodyDraft(CustodyStatus.SENTENCED, dt.date(2023, 11, 2), prison_id),
        children=[NewChild(ChildDraft(first_name="Zoë", birth_year=2015), Relationship.FATHER)],
        data_consent=ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna Kowalska", OPENED),
    )


@pytest.fixture
def office(created_db: CreatedDatabase) -> Iterator[Office]:
    """The created database, signed in, with a caseworker, a coordinator and one family."""
    db = created_db.sign_in()
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        me = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
        caseworker = add_user(session, "carla", "Carla Rossi", Role.CASEWORKER)
        coordinator = add_user(session, "marco", "Marco Bianchi", Role.COORDINATOR)
        prison_id = add_prison(session, "Casa Circondariale di Bollate", "P1")
        family_id = families.create_family(session, caseworker, new_family(prison_id))
    yield Office(created_db, db, me, caseworker, coordinator, family_id)
    db.close()


def test_signing_in_is_one_login_row(office: Office) -> None:
    mark = office.last_sequence()
    db, user = accounts.sign_in(
        office.created.path, "admin", PASSWORD, office.created.paths.backup_dir
    )
    db.close()
    assert office.rows_after(mark) == [("login", None, "admin", None)]
    assert user.username == "admin"


def test_opening_a_family_is_one_view_row(office: Office) -> None:
    mark = office.last_sequence()
    with office.db.session() as session:
        families.read_family(session, office.caseworker, office.family_id)
    assert office.rows_after(mark) == [("view", "family", "carla", office.family_id)]


def test_creating_a_family_is_one_create_row(office: Office) -> None:
    mark = office.last_sequence()
    with office.db.session() as session:
        prison_id = add_prison(session, "Casa di Reclusione di Opera", "P2")
        family_id = families.create_family(session, office.caseworker, new_family(prison_id))
    assert office.rows_after(mark) == [("create", "family", "carla", family_id)]


def test_adding_a_child_is_one_create_row(office: Office) -> None:
    with office.db.session() as session:
        relative_id = session.scalars(
            select(ImprisonedRelative.id).where(ImprisonedRelative.family_id == office.family_id)
        ).one()
    mark = office.last_sequence()
    draft = ChildDraft(first_name="Ola", relatives={relative_id: Relationship.MOTHER})
    with office.db.session() as session:
        child_id = people.save_child(session, office.caseworker, office.family_id, None, draft)
    assert office.rows_after(mark) == [("create", "child", "carla", child_id)]


def test_changing_a_family_is_one_change_row_naming_the_fields(office: Office) -> None:
    mark = office.last_sequence()
    draft = FamilyDraft(reference="FAM-0042", opened_on=OPENED, notes_allowed=False)
    with office.db.session() as session:
        families.update_family(session, office.caseworker, office.family_id, draft)
    assert office.rows_after(mark) == [("change", "family", "carla", office.family_id)]
    with office.db.session() as session:
        detail = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.sequence == mark + 1)
        ).one()
    assert detail == "reference,notes_allowed"


def test_closing_reopening_and_archiving_a_family(office: Office) -> None:
    mark = office.last_sequence()
    with office.db.session() as session:
        families.close_family(
            session, office.caseworker, office.family_id, dt.date(2024, 5, 1), "Moved away"
        )
    with office.db.session() as session:
        families.reopen_family(
            session, office.caseworker, office.family_id, dt.date(2024, 6, 1), "Came back"
        )
    with office.db.session() as session:
        archive.archive(session, office.caseworker, archive.RecordKind.FAMILY, office.family_id)
    assert office.rows_after(mark) == [
        ("close", "family", "carla", office.family_id),
        ("reopen", "family", "carla", office.family_id),
        ("archive", "family", "carla", office.family_id),
    ]


def test_exporting_every_record_is_one_export_row(office: Office, tmp_path: Path) -> None:
    mark = office.last_sequence()
    run_to_end(export_records(office.db, office.admin, tmp_path / "records.xlsx"))
    assert office.rows_after(mark) == [("export", "records", "admin", None)]


@pytest.mark.parametrize(
    ("internal", "fmt", "object_type"),
    [(False, "json", "network_return"), (True, "pdf", "internal_report")],
)
def test_writing_a_return_or_report_is_one_export_row(
    office: Office, tmp_path: Path, internal: bool, fmt: str, object_type: str
) -> None:
    mark = office.last_sequence()
    prepared = run_to_end(
        reports.prepare_report(office.db, office.coordinator, Period.year(2023), internal=internal)
    )
    run_to_end(
        reports.write_report(office.db, office.coordinator, prepared, fmt, tmp_path / f"r.{fmt}")
    )
    assert office.rows_after(mark) == [("export", object_type, "marco", None)]


# --- every code written has a name ----------------------------------------------------------

PACKAGE = Path(cope_desktop.__file__).parent
CONTRACT = PACKAGE / "services" / "PRIVACY-API.md"
ACTION_ARGUMENT = {"record": 1, "record_by": 2}
"""Where the action is among the positional arguments of ``audit.record`` / ``record_by``."""
OBJECT_ARGUMENT = {"record_by": 3}


@dataclass
class Source:
    path: Path
    tree: ast.Module
    constants: dict[str, str]


def sources() -> list[Source]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.append(Source(path, tree, module_constants(tree)))
    return found


def module_constants(tree: ast.Module) -> dict[str, str]:
    """``NAME = "text"`` at the top of a module."""
    constants: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            constants[node.targets[0].id] = node.value.value
    return constants


def called(node: ast.Call) -> str:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def wrappers(found: list[Source]) -> dict[str, int]:
    """Functions that pass one of their parameters on as the action (``users._audit``...).

    Returns the function names with the position of that parameter; ``record`` and
    ``record_by`` themselves included.
    """
    positions = dict(ACTION_ARGUMENT)
    for source in found:
        for function in ast.walk(source.tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            parameters = [argument.arg for argument in function.args.args]
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or called(node) not in ACTION_ARGUMENT:
                    continue
                index = ACTION_ARGUMENT[called(node)]
                if len(node.args) > index:
                    argument = node.args[index]
                    if isinstance(argument, ast.Name) and argument.id in parameters:
                        positions.setdefault(function.name, parameters.index(argument.id))
    return positions


def texts(node: ast.expr, source: Source, everywhere: dict[str, dict[str, str]]) -> set[str]:
    """The strings an argument can be: a literal, a constant, or both sides of a condition."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return texts(node.body, source, everywhere) | texts(node.orelse, source, everywhere)
    if isinstance(node, ast.Name) and node.id in source.constants:
        return {source.constants[node.id]}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        module = everywhere.get(node.value.id, {})  # signin_guard.LOCKED_OUT
        return {module[node.attr]} if node.attr in module else set()
    return set()


@functools.cache
def written_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The action codes and object types the application's source passes to the trail."""
    found = sources()
    everywhere = {source.path.stem: source.constants for source in found}
    positions = wrappers(found)
    actions: set[str] = set()
    objects: set[str] = set()
    for source in found:
        for node in ast.walk(source.tree):
            if not isinstance(node, ast.Call) or called(node) not in positions:
                continue
            index = positions[called(node)]
            if len(node.args) > index:
                actions |= texts(node.args[index], source, everywhere)
            if called(node) in OBJECT_ARGUMENT and len(node.args) > OBJECT_ARGUMENT[called(node)]:
                objects |= texts(node.args[OBJECT_ARGUMENT[called(node)]], source, everywhere)
            for keyword in node.keywords:
                if keyword.arg == "object_type":
                    objects |= texts(keyword.value, source, everywhere)
    return frozenset(actions), frozenset(objects)


def contract_codes() -> set[str]:
    """The action codes listed in the contract of issue 9 (PRIVACY-API.md)."""
    text = CONTRACT.read_text(encoding="utf-8")
    after_heading = text.split("## Audit action codes", 1)[1].split("\n", 1)[1]
    section = after_heading.split("(", 1)[0]
    codes = section.replace("\n", " ").rstrip(" .").split(",")
    return {code.strip() for code in codes if code.strip()}


def object_types_elsewhere() -> set[str]:
    """Object types that come from enums: record kinds, release kinds, subjects."""
    from cope_desktop.db.enums import ReleaseKind
    from cope_desktop.services.activities import _common

    constants = {_common.ACTIVITY, _common.ATTENDANCE, _common.FEEDBACK, _common.SERIES}
    return (
        constants
        | {kind.value for kind in archive.RecordKind}
        | {kind.value for kind in ReleaseKind}
        | {"family", "child", "caregiver", "relative"}
    )


def test_the_scan_finds_the_codes_written_directly_and_through_helpers() -> None:
    actions, objects = written_codes()
    assert {"login", "view", "create", "change", "close", "reopen", "export"} <= actions
    assert {"database_created", "demo_data_added", "password_change", "password_reset"} <= actions
    assert {"family", "custody", "prison", "records", "user", "settings"} <= objects


def test_the_contract_codes_are_read() -> None:
    codes = contract_codes()
    assert {"login", "locked_out", "view", "audit_export", "processing_record"} <= codes
    assert len(codes) == 34


def test_every_action_written_or_agreed_has_a_name() -> None:
    actions, _objects = written_codes()
    every = actions | contract_codes()
    assert sorted(every - set(audit_actions.ACTION_LABELS)) == []


def test_every_object_type_written_has_a_name() -> None:
    _actions, objects = written_codes()
    every = objects | object_types_elsewhere()
    assert sorted(every - set(audit_actions.OBJECT_LABELS)) == []


def test_names_are_translated_and_unknown_codes_shown_as_they_are() -> None:
    assert audit_actions.action_label("view") == "Viewed"
    assert audit_actions.object_label("relative") == "Imprisoned relative"
    assert audit_actions.action_label("something_new") == "something_new"
    assert audit_actions.object_label("thing") == "thing"
    assert audit_actions.object_label(None) == ""
    set_language(PSEUDO_LANGUAGE)
    try:
        assert audit_actions.action_label("view") == pseudo("Viewed")
        assert audit_actions.object_label("family") == pseudo("Family")
        assert audit_actions.action_label("something_new") == "something_new"
    finally:
        set_language("en")
