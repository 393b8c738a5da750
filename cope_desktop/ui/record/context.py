"""What the family window hands to its editors: who is signed in, the record, the choices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cope_desktop.services.records import families
from cope_desktop.services.records.views import FamilyRecord
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

Choice = tuple[uuid.UUID, str]


@dataclass(frozen=True)
class Choices:
    """The lists the forms pick from, read together with the record."""

    staff: tuple[Choice, ...]
    prisons: tuple[Choice, ...]

    @classmethod
    def read(cls, session: Session) -> Choices:
        return cls(tuple(families.staff_choices(session)), tuple(families.prison_choices(session)))


@dataclass(frozen=True)
class RecordContext:
    signed_in: SignedIn
    runner: TaskRunner
    record: FamilyRecord
    choices: Choices

    @property
    def family_id(self) -> uuid.UUID:
        return self.record.id
