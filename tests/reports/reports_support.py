"""Small helpers that insert records straight through the ORM, for the counting tests.

The services would check and audit every record; these tests only need rows in the tables,
with exactly the dates, kinds and deletions each rule is about.
"""

from __future__ import annotations

import datetime as dt
import uuid

from record_rows import RecordRows
from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    ReferralSource,
    Relationship,
    Sex,
)
from cope_desktop.db.models import (
    Activity,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
)


class Rows(RecordRows):
    """People and activities with references made up in turn (F00001, C00002, ...)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._count = 0

    def ref(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count:05d}"

    def family(
        self,
        opened: dt.date,
        closed: dt.date | None = None,
        *,
        referral: ReferralSource | None = None,
        caseworker: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> Family:
        family = Family(
            reference=self.ref("F"),
            opened_on=opened,
            closed_on=closed,
            referral_source=referral,
            caseworker_id=caseworker,
        )
        return self.add(family, deleted=deleted)

    def child(
        self,
        family: Family,
        *,
        born: dt.date | None = None,
        year: int | None = None,
        month: int | None = None,
        sex: Sex = Sex.FEMALE,
        first_name: str | None = None,
        last_name: str | None = None,
        support_start: dt.date | None = None,
        support_end: dt.date | None = None,
        deleted: bool = False,
    ) -> Child:
        child = Child(
            reference=self.ref("C"),
            family_id=family.id,
            birth_date=born,
            birth_year=year,
            birth_month=month,
            sex=sex,
            first_name=first_name,
            last_name=last_name,
            support_start=support_start,
            support_end=support_end,
        )
        return self.add(child, deleted=deleted)

    def caregiver(
        self,
        family: Family,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        address: str | None = None,
        deleted: bool = False,
    ) -> Caregiver:
        caregiver = Caregiver(
            reference=self.ref("G"),
            family_id=family.id,
            first_name=first_name,
            last_name=last_name,
            address=address,
        )
        return self.add(caregiver, deleted=deleted)

    def relative(
        self,
        family: Family,
        *links: tuple[Child, Relationship],
        prison_id: uuid.UUID | None = None,
        first_name: str | None = None,
        deleted: bool = False,
    ) -> ImprisonedRelative:
        relative = self.add(
            ImprisonedRelative(
                reference=self.ref("R"),
                family_id=family.id,
                prison_id=prison_id,
                first_name=first_name,
            ),
            deleted=deleted,
        )
        for child, relationship in links:
            self.link(child, relative, relationship)
        return relative

    def activity(
        self,
        held_on: dt.date,
        kind: ActivityType = ActivityType.FAMILY_DAY,
        *,
        minutes: int | None = None,
        prison_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> Activity:
        activity = Activity(
            reference=self.ref("A"),
            type=kind,
            held_on=held_on,
            duration_minutes=minutes,
            prison_id=prison_id,
        )
        return self.add(activity, deleted=deleted)
