"""Two copies for the Field laptops GUI tests: the sample office database and a laptop.

The laptop is made once from the office's full bundle (a key derivation and a migration);
each test gets byte copies of both files. A test module imports the fixtures it uses
(``two_copies``, ``copies``) from here.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from ui_support import PASSWORD

from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import Child
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import sign_in
from cope_desktop.ui.session import SignedIn, open_signed_in

OFFICE, LAPTOP = "office.db", "laptop.db"
LAPTOP_NAME = "Laptop Anna"


@dataclass(frozen=True)
class TwoCopies:
    folder: Path
    full_bundle: Path


def make_two_copies(office_template: Path, folder: Path) -> TwoCopies:
    """The office (a copy of ``office_template``), its full bundle and a laptop made from it."""
    from cope_desktop.sync.export import export_full
    from cope_desktop.sync.setup_copy import create_copy

    folder.mkdir(parents=True, exist_ok=True)
    office = copy_files(office_template, folder / OFFICE)
    db, admin = sign_in(office, "admin", PASSWORD, folder / "backups")
    try:
        bundle = folder / "full-office.copesync"
        run_to_end(export_full(db, admin, bundle))
    finally:
        db.close()
    run_to_end(create_copy(bundle, folder / LAPTOP, "admin", PASSWORD, LAPTOP_NAME))
    return TwoCopies(folder, bundle)


def copy_files(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    shutil.copyfile(KeyFile.path_for(source), KeyFile.path_for(target))
    return target


def open_copies(copies: TwoCopies, into: Path, backup_dir: Path) -> tuple[SignedIn, SignedIn]:
    """Byte copies of both databases in ``into``, each signed in as its administrator."""
    into.mkdir(parents=True, exist_ok=True)
    opened = []
    for name in (OFFICE, LAPTOP):
        path = copy_files(copies.folder / name, into / name)
        opened.append(open_signed_in(path, "admin", PASSWORD, backup_dir))
    return opened[0], opened[1]


def first_child(signed_in: SignedIn) -> uuid.UUID:
    with signed_in.db.session() as session:
        child = session.scalars(select(Child).order_by(Child.reference)).first()
        assert child is not None
        return child.id


def set_child(signed_in: SignedIn, child_id: uuid.UUID, **values: object) -> None:
    with signed_in.db.session() as session:
        child = session.get(Child, child_id)
        assert child is not None
        for name, value in values.items():
            setattr(child, name, value)


def read_child(signed_in: SignedIn, child_id: uuid.UUID) -> Child:
    with signed_in.db.session() as session:
        child = session.get(Child, child_id)
        assert child is not None
        session.expunge(child)
        return child


def send(source: SignedIn, out: Path, peer: uuid.UUID | None = None) -> Path:
    """``source``'s changes in a bundle at ``out``."""
    from cope_desktop.sync.export import export_changes

    run_to_end(export_changes(source.db, source.user, out, peer))
    return out


def bring_back(target: SignedIn, bundle: Path) -> object:
    from cope_desktop.sync.apply import import_bundle

    return run_to_end(import_bundle(target.db, target.user, bundle))


def self_device(signed_in: SignedIn) -> uuid.UUID:
    from cope_desktop.sync.preview import this_copy

    with signed_in.db.session() as session:
        device = this_copy(session).device_id
    assert device is not None
    return device


_made: dict[Path, TwoCopies] = {}


def two_copies_once(office_template: Path, folder_factory: Callable[[], Path]) -> TwoCopies:
    """``make_two_copies`` once per test session, whichever test module asks first."""
    if office_template not in _made:
        _made[office_template] = make_two_copies(office_template, folder_factory())
    return _made[office_template]


@pytest.fixture(scope="session")
def two_copies(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> TwoCopies:
    return two_copies_once(sample_template, lambda: tmp_path_factory.mktemp("two_copies"))


@pytest.fixture
def copies(
    two_copies: TwoCopies, tmp_path: Path, paths: AppPaths
) -> Iterator[tuple[SignedIn, SignedIn]]:
    """The office and the laptop for one test, each signed in as its administrator."""
    office, laptop = open_copies(two_copies, tmp_path / "copies", paths.backup_dir)
    try:
        yield office, laptop
    finally:
        laptop.db.close()
        office.db.close()


def make_conflicts(
    office: SignedIn, laptop: SignedIn, folder: Path, **fields: tuple[object, object]
) -> uuid.UUID:
    """The first child, changed on both copies, then the laptop's work brought back.

    ``fields`` are ``name=(office value, laptop value)``: one conflict each. Returns the child.
    """
    child = first_child(office)
    set_child(office, child, **{name: values[0] for name, values in fields.items()})
    set_child(laptop, child, **{name: values[1] for name, values in fields.items()})
    bring_back(office, send(laptop, folder / "day.copesync", self_device(office)))
    return child
