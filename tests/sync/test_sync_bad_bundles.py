"""Bundles that must not be imported: each is refused with one sentence, nothing changes.

A laptop receives a bundle of the office's latest work, then a damaged, cut-short, edited,
foreign, too-new or its own bundle; or the import crashes half-way. After each, every synced
row, the sync bookkeeping and the audit trail are exactly as before. (A bundle imported twice
or out of order is test_sync_exchange.py's; the file format alone is test_sync_bundle.py's.)
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from sqlalchemy import select, text
from three_copies_support import (
    Copies,
    Copy,
    admin_of,
    audit_count,
    build_copies,
    restore,
    table_rows,
)

from cope_desktop.db.database import Database
from cope_desktop.db.models import Child
from cope_desktop.errors import UserInputError
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.records import people
from cope_desktop.services.records.drafts import ChildDraft
from cope_desktop.services.setup import NewDatabase, create_database

SYNC_TABLES = ("sync_device", "sync_row", "sync_field", "sync_peer", "sync_history")


@pytest.fixture(scope="module")
def made_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Copies]:
    home = tmp_path_factory.mktemp("bad-bundles-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(home))
        yield build_copies(tmp_path_factory.mktemp("bad-bundles"))


@pytest.fixture
def copies(made_copies: Copies, tmp_path: Path) -> Iterator[list[Copy]]:
    opened = restore(made_copies, tmp_path / "copies")
    yield opened
    for copy in opened:
        copy.db.close()


def rename_first_child(copy: Copy, first_name: str) -> None:
    actor = admin_of(copy.db)
    with copy.db.session() as session:
        child = session.scalars(select(Child).order_by(Child.reference)).first()
        assert child is not None
        links = {link.relative_id: link.relationship_to_child for link in child.relative_links}
        draft = ChildDraft(
            reference=child.reference,
            first_name=first_name,
            last_name=child.last_name,
            birth_year=child.birth_year,
            relatives=links,
        )
        people.save_child(session, actor, child.family_id, child.id, draft)


def first_child_name(db: Database) -> str | None:
    with db.session() as session:
        return session.scalars(select(Child.first_name).order_by(Child.reference)).first()


def export_for(source: Copy, target: Copy, path: Path) -> Path:
    from cope_desktop.sync.export import export_changes

    run_to_end(export_changes(source.db, admin_of(source.db), path, target.device))
    return path


def import_into(target: Copy, path: Path) -> Any:
    from cope_desktop.sync.apply import import_bundle

    return run_to_end(import_bundle(target.db, admin_of(target.db), path))


def state(db: Database) -> tuple[Any, ...]:
    """Everything an import could change: synced rows, sync bookkeeping, audit trail."""
    with db.session() as session:
        bookkeeping = {
            name: sorted(map(tuple, session.execute(text(f"SELECT * FROM {name}")).all()))
            for name in SYNC_TABLES
        }
    return table_rows(db), bookkeeping, audit_count(db)


def refused(target: Copy, path: Path, sentence: str) -> None:
    """The import is refused with this sentence and the database is as it was."""
    before = state(target.db)
    with pytest.raises(UserInputError) as error:
        import_into(target, path)
    assert sentence in str(error.value)
    assert "\n" not in str(error.value).strip()
    assert state(target.db) == before


@pytest.fixture
def office_work(copies: list[Copy], tmp_path: Path) -> Path:
    """A bundle of the office's latest change (a child renamed), written for laptop 1."""
    rename_first_child(copies[0], "Renamed")
    return export_for(copies[0], copies[1], tmp_path / "office-work.copesync")


def rewrite_header(path: Path, **changes: object) -> None:
    data = path.read_bytes()
    end = data.index(b"\n")
    header = json.loads(data[:end])
    header.update(changes)
    path.write_bytes(json.dumps(header).encode() + b"\n" + data[end + 1 :])


def test_the_untouched_bundle_is_imported(copies: list[Copy], office_work: Path) -> None:
    """The control case: the same bundle, unharmed, brings the office's change."""
    import_into(copies[1], office_work)
    assert first_child_name(copies[1].db) == "Renamed"


def test_a_truncated_bundle_is_refused(copies: list[Copy], office_work: Path) -> None:
    data = office_work.read_bytes()
    office_work.write_bytes(data[: len(data) - 100])
    refused(copies[1], office_work, "is incomplete (the file was cut short")


def test_a_flipped_byte_in_the_ciphertext_is_refused(copies: list[Copy], office_work: Path) -> None:
    data = bytearray(office_work.read_bytes())
    data[data.index(b"\n") + 40] ^= 0x10
    office_work.write_bytes(bytes(data))
    refused(copies[1], office_work, "is damaged or was changed after it was written")


@pytest.mark.parametrize(
    "changes",
    [{"rows": 999}, {"organisation_name": "Another Name"}, {"seq_from": 0, "seq_to": 1}],
    ids=["row-count", "organisation-name", "sequence-range"],
)
def test_a_changed_header_field_is_refused(
    copies: list[Copy], office_work: Path, changes: dict[str, object]
) -> None:
    rewrite_header(office_work, **changes)
    refused(copies[1], office_work, "is damaged or was changed after it was written")


def test_a_bundle_of_a_newer_format_is_refused(copies: list[Copy], office_work: Path) -> None:
    rewrite_header(office_work, format="cope-sync-bundle/2")
    refused(copies[1], office_work, "was written by a newer version of COPE Desktop")


def test_a_bundle_of_a_newer_schema_is_refused(copies: list[Copy], office_work: Path) -> None:
    rewrite_header(office_work, schema="9999_from_the_future")
    refused(copies[1], office_work, "was written by a newer version of COPE Desktop")


def test_a_bundle_of_another_organisation_is_refused(copies: list[Copy], tmp_path: Path) -> None:
    from cope_desktop.sync.export import export_changes

    other_path = tmp_path / "other" / "other.db"
    create_database(NewDatabase(other_path, "Other Organisation", "FR", "admin", PASSWORD))
    other, admin = sign_in(other_path, "admin", PASSWORD, tmp_path / "backups")
    try:
        bundle = tmp_path / "other.copesync"
        run_to_end(export_changes(other, admin, bundle))
    finally:
        other.close()
    refused(
        copies[1],
        bundle,
        "This bundle comes from another organisation (Other Organisation) "
        "and cannot be imported here.",
    )


def test_a_bundle_of_this_same_copy_is_refused(copies: list[Copy], tmp_path: Path) -> None:
    rename_first_child(copies[1], "Laptop")
    bundle = export_for(copies[1], copies[0], tmp_path / "laptop.copesync")
    refused(copies[1], bundle, "was written by this copy; import it on the other computer.")


def test_a_crash_half_way_through_an_import_leaves_the_database_as_it_was(
    copies: list[Copy], office_work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import fails on its second row: nothing stays, and the bundle imports later.

    (test_sync_exchange.py crashes after the last row instead.)
    """
    from cope_desktop.sync import apply as apply_module

    # more than one row travels: the office also archives a caregiver
    rename_first_child(copies[0], "Renamed again")
    _archive_a_caregiver(copies[0])
    bundle = export_for(copies[0], copies[1], office_work.with_name("bigger.copesync"))
    real = apply_module.write_states
    calls = {"n": 0}

    def crash_on_second(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(apply_module, "write_states", crash_on_second)
    before = state(copies[1].db)
    with pytest.raises(OSError, match="simulated"):
        import_into(copies[1], bundle)
    assert calls["n"] == 2
    assert state(copies[1].db) == before
    monkeypatch.setattr(apply_module, "write_states", real)
    import_into(copies[1], bundle)
    assert first_child_name(copies[1].db) == "Renamed again"


def _archive_a_caregiver(copy: Copy) -> None:
    from cope_desktop.db.models import Caregiver
    from cope_desktop.services.records.archive import RecordKind, archive

    with copy.db.session() as session:
        caregiver = session.scalars(
            select(Caregiver).where(Caregiver.is_main.is_(False)).order_by(Caregiver.reference)
        ).first()
        assert caregiver is not None
        archive(session, admin_of(copy.db), RecordKind.CAREGIVER, caregiver.id)


def test_a_full_bundle_with_damaged_key_slots_makes_no_copy(
    made_copies: Copies, tmp_path: Path
) -> None:
    from cope_desktop.sync.setup_copy import create_copy

    bundle = tmp_path / "full.copesync"
    shutil.copyfile(made_copies.full_bundle, bundle)
    rewrite_header(bundle, key_slots=[{"id": "not a slot"}])
    laptop = tmp_path / "laptop" / "laptop.db"
    laptop.parent.mkdir()
    with pytest.raises(UserInputError, match="key slots in the bundle are damaged"):
        run_to_end(create_copy(bundle, laptop, "admin", PASSWORD, "Laptop"))
    assert list(laptop.parent.iterdir()) == []
