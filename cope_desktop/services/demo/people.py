"""Families and the people in them, with custody histories, consent, support and case notes.

Besides buffering the rows, this part keeps, for the activities that follow, which families
could attend what and when: every imprisoned relative's time at their prison while the
family's case was open, and every family's open period, both filed by month.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cope_desktop.db.enums import (
    ConsentKind,
    CustodyStatus,
    PrisonType,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)
from cope_desktop.db.models import (
    Caregiver,
    CaseNote,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    SupportService,
)
from cope_desktop.i18n import _
from cope_desktop.progress import ProgressGenerator
from cope_desktop.services.demo.bulk import Row, iso_date
from cope_desktop.services.demo.context import DemoContext, cumulative, weighted
from cope_desktop.services.demo.names import ascii_slug
from cope_desktop.services.demo.prisons import DemoPrison

T = TypeVar("T")

ROWS_PER_FAMILY = 17
"""About how many rows one family brings (people, custody, links, consent, support, notes)."""
CLOSED_SHARE = 0.6
"""About this share of all families have a closed case."""

REFERRALS = tuple(ReferralSource)
REFERRAL_WEIGHTS = cumulative((15, 15, 20, 25, 8, 12, 5))
SEXES = (Sex.FEMALE.value, Sex.MALE.value, Sex.OTHER.value, Sex.NOT_STATED.value)
SEX_WEIGHTS = cumulative((48.5, 48.5, 1, 2))
CHILD_COUNTS = (1, 2, 3, 4)
CHILD_COUNT_WEIGHTS = cumulative((22, 33, 25, 20))

# The first imprisoned relative: relationship to the children, weight, share who are men.
RELATIVE_KINDS = (
    (Relationship.FATHER, 72, 1.0),
    (Relationship.MOTHER, 12, 0.0),
    (Relationship.STEP_PARENT, 5, 0.85),
    (Relationship.SIBLING, 6, 0.85),
    (Relationship.GRANDPARENT, 3, 0.7),
    (Relationship.OTHER, 2, 0.8),
)
RELATIVE_WEIGHTS = cumulative([weight for _, weight, _ in RELATIVE_KINDS])

Carers = tuple[list[tuple[str, bool]], list[float]]


def _carer_table(*options: tuple[str, bool, int]) -> Carers:
    """Turn (relationship, is a woman, weight) options into values and cumulative weights."""
    values = [(relation, woman) for relation, woman, _ in options]
    return values, cumulative([weight for _, _, weight in options])


# Main caregiver by who is in prison: relationship to the children, is a woman, weight.
CARERS_IF_FATHER = _carer_table(
    ("mother", True, 78),
    ("grandmother", True, 10),
    ("aunt", True, 4),
    ("foster carer", True, 4),
    ("family friend", False, 4),
)
CARERS_IF_MOTHER = _carer_table(
    ("father", False, 40),
    ("grandmother", True, 35),
    ("aunt", True, 10),
    ("foster carer", True, 15),
)
CARERS_IF_BOTH = _carer_table(
    ("grandmother", True, 55), ("aunt", True, 20), ("foster carer", True, 25)
)
CARERS_IF_OTHER = _carer_table(
    ("mother", True, 70), ("father", False, 15), ("grandmother", True, 15)
)
SECOND_CARERS = (
    ("grandmother", True),
    ("grandfather", False),
    ("aunt", True),
    ("uncle", False),
    ("older sibling", True),
    ("mother's partner", False),
)

SCHOOL_LEVELS = (
    (3, None),
    (6, "pre-school"),
    (11, "primary"),
    (14, "lower secondary"),
    (19, "upper secondary"),
)

PRE_TRIAL = CustodyStatus.PRE_TRIAL.value
SENTENCED = CustodyStatus.SENTENCED.value
RELEASED = CustodyStatus.RELEASED.value

# Consents of the main caregiver: kind, share of families, share of those withdrawn later.
CAREGIVER_CONSENTS = (
    (ConsentKind.DATA_PROCESSING.value, 0.92, 0.03),
    (ConsentKind.PHOTOS.value, 0.35, 0.05),
    (ConsentKind.CONTACT.value, 0.6, 0.02),
)

SERVICES = tuple(ServiceType)
SERVICE_WEIGHTS = cumulative((25, 25, 18, 10, 10, 10, 2))
CHILD_SERVICES = frozenset({"emotional_support", "visit_preparation", "school_liaison"})


class DemoChild:
    __slots__ = ("first_name", "id", "since", "until")

    def __init__(self, id: bytes, first_name: str | None, since: int, until: int) -> None:
        self.id = id
        self.first_name = first_name
        self.since = since
        self.until = until


class DemoFamily:
    __slots__ = ("caregivers", "children", "id", "opened", "until")

    def __init__(self, id: bytes, opened: int, until: int) -> None:
        self.id = id
        self.opened = opened
        self.until = until
        """Last day of the case: its close date, or the day before the anchor."""
        self.children: list[DemoChild] = []
        self.caregivers: list[bytes] = []
        """Caregiver ids, the main caregiver first."""


class DemoRelative:
    """An imprisoned relative while at their (last) prison and the family's case was open."""

    __slots__ = ("family", "id", "is_parent", "since", "until")

    def __init__(
        self, id: bytes, family: DemoFamily, since: int, until: int, is_parent: bool
    ) -> None:
        self.id = id
        self.family = family
        self.since = since
        self.until = until
        self.is_parent = is_parent


@dataclass
class People:
    families: list[DemoFamily]
    month_of: list[int]
    """Month of each day of the period (counted from its first day): 0 for the first month."""
    at_prison: list[list[list[DemoRelative]]]
    """Per prison and month: the relatives who were at that prison during that month."""
    open_in: list[list[DemoFamily]]
    """Per month: the families whose case was open during that month."""
    relatives_at: list[int]
    """Per prison: how many relatives (with an open case) were held there."""
    parents_at: list[int]


class _PrisonPicker:
    """Chooses a prison for a relative, by sex and age, weighted by the prisons' capacity."""

    def __init__(self, prisons: list[DemoPrison]) -> None:
        def pool(types: set[PrisonType]) -> tuple[list[DemoPrison], list[float]]:
            chosen = [p for p in prisons if p.type in types]
            return chosen, cumulative([p.capacity for p in chosen])

        self.men = pool({PrisonType.MEN, PrisonType.MIXED})
        self.women = pool({PrisonType.WOMEN, PrisonType.MIXED})
        self.youth = pool({PrisonType.YOUTH})

    def pick(self, rng: random.Random, male: bool, young: bool) -> DemoPrison | None:
        prisons, weights = self.youth if young else self.men if male else self.women
        if not prisons:
            prisons, weights = self.men if male else self.women
        return weighted(rng, prisons, weights) if prisons else None


def make_people(ctx: DemoContext, prisons: list[DemoPrison]) -> ProgressGenerator[People]:
    """Buffer every family with its people and records, yielding progress as rows are written."""
    households = _Households(ctx, prisons)
    message = _("Creating families…")
    for number in range(1, ctx.size.families + 1):
        households.add(number)
        if ctx.writer.pending >= ctx.chunk:
            ctx.writer.flush()
            yield ctx.progress(message)
    ctx.writer.flush()
    yield ctx.progress(message)
    return households.people()


class _Households:
    """Makes up families one at a time, buffering their rows and filing who could attend when.

    The generator's hot loop: ``int(rand() * n)`` and ``pick()`` stand in for ``randrange(n)``
    and ``choice()``, which are several times slower.
    """

    def __init__(self, ctx: DemoContext, prisons: list[DemoPrison]) -> None:
        self.ctx = ctx
        self.rng, self.new_id = ctx.stream(ctx.size.families * ROWS_PER_FAMILY)
        self.rand = self.rng.random
        w = ctx.writer
        self.families_out = w.buffer(
            Family,
            ("id", "reference", "opened_on", "closed_on", "close_reason", "referral_source",
             "caseworker_id", "notes_allowed", "deleted_at"),
        )  # fmt: skip
        self.children_out = w.buffer(
            Child,
            ("id", "reference", "first_name", "last_name", "family_id", "birth_date",
             "birth_year", "birth_month", "sex", "school_level", "knows_parent_location",
             "support_start", "support_end", "deleted_at"),
        )  # fmt: skip
        self.caregivers_out = w.buffer(
            Caregiver,
            ("id", "reference", "first_name", "last_name", "family_id",
             "relationship_to_children", "phone", "email", "address", "is_main", "deleted_at"),
        )  # fmt: skip
        self.relatives_out = w.buffer(
            ImprisonedRelative,
            ("id", "reference", "first_name", "last_name", "family_id", "prison_id", "deleted_at"),
        )
        self.custody_out = w.buffer(
            CustodyEvent, ("id", "relative_id", "status", "since", "prison_id")
        )
        self.links_out = w.buffer(
            ChildRelative, ("id", "child_id", "relative_id", "relationship_to_child")
        )
        self.consents_out = w.buffer(
            Consent, ("id", "family_id", "child_id", "kind", "given_by", "given_on", "withdrawn_on")
        )
        self.support_out = w.buffer(
            SupportService,
            ("id", "family_id", "child_id", "service", "provided_on", "provided_by_id"),
        )
        self.notes_out = w.buffer(CaseNote, ("id", "family_id", "author_id", "written_on", "text"))
        self.month_of = _month_table(ctx.start, ctx.anchor)
        months = self.month_of[-1] + 1
        self.picker = _PrisonPicker(prisons)
        self.at_prison: list[list[list[DemoRelative]]] = [
            [[] for _ in range(months)] for _ in prisons
        ]
        self.open_in: list[list[DemoFamily]] = [[] for _ in range(months)]
        self.relatives_at = [0] * len(prisons)
        self.parents_at = [0] * len(prisons)
        self.families: list[DemoFamily] = []
        # The chance of being closed grows with the case's age, 1 - exp(-age / tau); this tau
        # gives CLOSED_SHARE closed overall when opening days are spread evenly.
        self.tau = (ctx.anchor - ctx.start) / _closure_rate(CLOSED_SHARE)
        self.child_no = self.carer_no = self.relative_no = 0

    def pick(self, values: Sequence[T]) -> T:
        return values[int(self.rand() * len(values))]

    def person(self, woman: bool, surname: str | None = None) -> tuple[str | None, str | None]:
        """Return a first and last name, or none when the organisation keeps no names."""
        if not self.ctx.stores_names:
            return None, None
        pools = self.ctx.pools
        return self.pick(pools.female if woman else pools.male), surname or self.pick(pools.last)

    def people(self) -> People:
        return People(
            self.families,
            self.month_of,
            self.at_prison,
            self.open_in,
            self.relatives_at,
            self.parents_at,
        )

    def add(self, number: int) -> None:
        """Buffer family ``number`` and everything about it."""
        ctx, rand = self.ctx, self.rand
        start, anchor = ctx.start, ctx.anchor
        opened = start + int(rand() * (anchor - start - 7))
        closed: int | None = None
        closing_chance = 1 - math.exp(-(anchor - opened) / self.tau)
        if rand() < closing_chance:
            duration = -self.tau * math.log(1 - rand() * closing_chance)
            closed = min(opened + max(14, int(duration)), anchor - 1)
        family = DemoFamily(self.new_id(), opened, closed if closed is not None else anchor - 1)
        self.families.append(family)
        caseworker = weighted(self.rng, ctx.caseworkers, ctx.caseworker_weights)
        deleted = ctx.deleted_stamp(self.rng, opened) if rand() < 0.004 else None
        notes_allowed = rand() < 0.95
        referral = None if rand() < 0.03 else weighted(self.rng, REFERRALS, REFERRAL_WEIGHTS)
        self.families_out.append(
            (family.id, ctx.ref("F", number), iso_date(opened),
             iso_date(closed) if closed is not None else None,
             self.pick(ctx.texts.close_reasons) if closed is not None and rand() < 0.9 else None,
             referral.value if referral else None, caseworker, int(notes_allowed), deleted)
        )  # fmt: skip
        month_of = self.month_of
        for families_then in self.open_in[
            month_of[opened - start] : month_of[family.until - start] + 1
        ]:
            families_then.append(family)
        surname = self.pick(ctx.pools.last)
        self._children(family, surname, closed, deleted)
        held = self._relatives(family, surname, deleted)
        main_carer = self._caregivers(family, surname, held, deleted)
        self._support(family, caseworker)
        if notes_allowed:
            self._notes(family, caseworker, main_carer)

    def _children(
        self, family: DemoFamily, surname: str, closed: int | None, deleted: str | None
    ) -> None:
        """Buffer the children, eldest first; ages are at the opening, a few already adults."""
        ctx, rand, opened = self.ctx, self.rand, family.opened
        if rand() < 0.02:
            eldest = 18 + int(rand() * 3)
        else:
            eldest = min(17, int(self.rng.triangular(0, 18, 9)))
        ages = [eldest]
        for _i in range(weighted(self.rng, CHILD_COUNTS, CHILD_COUNT_WEIGHTS) - 1):
            ages.append(max(0, ages[-1] - 1 - int(rand() * 4)))
        assent_family = rand() < 0.5
        for age in ages:
            self.child_no += 1
            sex = weighted(self.rng, SEXES, SEX_WEIGHTS)
            born = opened - age * 365 - age // 4 - int(rand() * 365)
            birth_date = birth_year = birth_month = None
            precision = rand()
            if precision < 0.90:
                birth_date = iso_date(born)
            elif precision < 0.99:  # year and month only, or the year alone
                birthday = dt.date.fromordinal(born)
                birth_year = birthday.year
                birth_month = birthday.month if precision < 0.97 else None
            girl = sex == "female" or (sex not in ("female", "male") and rand() < 0.5)
            first, last = self.person(girl, surname if rand() < 0.85 else None)
            since = opened if rand() < 0.8 else min(opened + 1 + int(rand() * 59), family.until)
            child = DemoChild(self.new_id(), first, since, family.until)
            family.children.append(child)
            knows = None if age < 4 or rand() < 0.1 else rand() < 0.7
            gone = deleted or (ctx.deleted_stamp(self.rng, opened) if rand() < 0.003 else None)
            self.children_out.append(
                (child.id, ctx.ref("C", self.child_no), first, last, family.id, birth_date,
                 birth_year, birth_month, sex, _school_level(age),
                 None if knows is None else int(knows), iso_date(since),
                 iso_date(closed) if closed is not None else None, gone)
            )  # fmt: skip
            if assent_family and age >= 7:
                given = iso_date(_day_between(self.rng, since, family.until))
                self.consents_out.append(
                    (self.new_id(), family.id, child.id, ConsentKind.CHILD_ASSENT.value,
                     first or ctx.texts.child_word, given, None)
                )  # fmt: skip

    def _relatives(
        self, family: DemoFamily, surname: str, deleted: str | None
    ) -> set[Relationship]:
        """Buffer the imprisoned relatives (usually one, mostly the father) and their custody.

        Returns how they are related to the children.
        """
        rand, rng = self.rand, self.rng
        count = 0 if rand() < 0.02 else 1 if rand() < 0.9 else 2
        kinds: list[tuple[Relationship, bool]] = []
        if count:
            relationship, _w, men = weighted(rng, RELATIVE_KINDS, RELATIVE_WEIGHTS)
            kinds.append((relationship, rand() < men))
        if count == 2:
            kinds.append(_second_relative(rng, kinds[0][0]))
        for relationship, is_man in kinds:
            self.relative_no += 1
            relative_id = self.new_id()
            own_name = relationship in (Relationship.FATHER, Relationship.SIBLING) or (
                relationship is Relationship.MOTHER and rand() < 0.5
            )
            first, last = self.person(not is_man, surname if own_name else None)
            young = relationship is Relationship.SIBLING and rand() < 0.4
            prison = None if rand() < 0.03 else self.picker.pick(rng, is_man, young)
            remand = self.picker.pick(rng, is_man, young) if prison and rand() < 0.12 else prison
            self.relatives_out.append(
                (relative_id, self.ctx.ref("R", self.relative_no), first, last, family.id,
                 prison.id if prison else None, deleted)
            )  # fmt: skip
            here_since, released = _custody(
                rng, self.new_id, self.custody_out, relative_id, family, self.ctx.anchor,
                prison, remand,
            )  # fmt: skip
            for child in family.children:
                link = relationship
                if link is Relationship.FATHER and child is not family.children[0]:
                    link = Relationship.STEP_PARENT if rand() < 0.08 else link
                self.links_out.append((self.new_id(), child.id, relative_id, link.value))
            if prison is not None:
                is_parent = relationship in (Relationship.FATHER, Relationship.MOTHER)
                self._file_at_prison(family, relative_id, prison, here_since, released, is_parent)
        return {relationship for relationship, _man in kinds}

    def _file_at_prison(
        self,
        family: DemoFamily,
        relative_id: bytes,
        prison: DemoPrison,
        here_since: int,
        released: int | None,
        is_parent: bool,
    ) -> None:
        """Note when the relative could be visited: at the prison, while the case was open."""
        since = max(family.opened, here_since)
        until = min(family.until, released - 1 if released is not None else family.until)
        if since > until:
            return
        relative = DemoRelative(relative_id, family, since, until, is_parent)
        self.relatives_at[prison.index] += 1
        self.parents_at[prison.index] += int(is_parent)
        start, month_of = self.ctx.start, self.month_of
        held = self.at_prison[prison.index]
        for held_then in held[month_of[since - start] : month_of[until - start] + 1]:
            held_then.append(relative)

    def _caregivers(
        self, family: DemoFamily, surname: str, held: set[Relationship], deleted: str | None
    ) -> str | None:
        """Buffer one or two caregivers; return the main caregiver's first name."""
        rand, pools, pick = self.rand, self.ctx.pools, self.pick
        main = weighted(self.rng, *_carers_for(held))
        carers = [main]
        if rand() < 0.3:
            second = pick(SECOND_CARERS)
            if second[0] != main[0]:
                carers.append(second)
        main_first: str | None = None
        for position, (relation, woman) in enumerate(carers):
            self.carer_no += 1
            carer_id = self.new_id()
            family.caregivers.append(carer_id)
            keeps_name = relation in ("father", "older sibling") or (
                relation == "mother" and rand() < 0.4
            )
            first, last = self.person(woman, surname if keeps_name else None)
            is_main = position == 0
            phone = pick(pools.phones) if rand() < (0.85 if is_main else 0.4) else None
            email = None
            if first and last and rand() < (0.45 if is_main else 0.2):
                mailbox = f"{ascii_slug(first)}.{ascii_slug(last)}"
                email = (
                    f"{mailbox}{int(rand() * 100)}@{pick(pools.email_domains)}"
                    if len(mailbox) > 3
                    else pick(pools.emails)
                )
            address = pick(pools.addresses) if is_main and rand() < 0.6 else None
            self.caregivers_out.append(
                (carer_id, self.ctx.ref("G", self.carer_no), first, last, family.id,
                 relation, phone, email, address, int(is_main), deleted)
            )  # fmt: skip
            if is_main:
                main_first = first
                given_by = f"{first} {last}" if first else relation
                _consents(self.rng, self.new_id, self.consents_out, family, given_by)
        return main_first

    def _support(self, family: DemoFamily, caseworker: bytes | None) -> None:
        """Buffer support given on days while the case was open, some of it to one child."""
        rng = self.rng
        for _i in range(min(12, int(rng.expovariate(1 / 2.6)))):
            service = weighted(rng, SERVICES, SERVICE_WEIGHTS).value
            day = _day_between(rng, family.opened, family.until)
            child_id = None
            if service in CHILD_SERVICES and self.rand() < 0.6:
                child = self.pick(family.children)
                child_id = child.id if child.since <= day else None
            self.support_out.append(
                (self.new_id(), family.id, child_id, service, iso_date(day), caseworker)
            )

    def _notes(self, family: DemoFamily, caseworker: bytes | None, carer: str | None) -> None:
        texts = self.ctx.texts
        for _i in range(int(self.rand() * 5)):
            text = self.pick(texts.case_notes).format(
                child=self.pick(family.children).first_name or texts.child_word,
                caregiver=carer or texts.caregiver_word,
            )
            day = _day_between(self.rng, family.opened, family.until)
            self.notes_out.append((self.new_id(), family.id, caseworker, iso_date(day), text))


def _day_between(rng: random.Random, first: int, last: int) -> int:
    return first + int(rng.random() * (last - first + 1))


def _closure_rate(closed_share: float) -> float:
    """Solve (1 - exp(-x)) / x = 1 - closed_share for x (period length over tau)."""
    low, high = 1e-6, 50.0
    for _i in range(60):
        middle = (low + high) / 2
        if (1 - math.exp(-middle)) / middle > 1 - closed_share:
            low = middle
        else:
            high = middle
    return low


def _month_table(start: int, anchor: int) -> list[int]:
    """Return the month of every day from ``start`` to ``anchor``, counted from 0."""
    first = dt.date.fromordinal(start)
    months = []
    for ordinal in range(start, anchor + 1):
        day = dt.date.fromordinal(ordinal)
        months.append((day.year - first.year) * 12 + day.month - first.month)
    return months


def _school_level(age: int) -> str | None:
    for below, level in SCHOOL_LEVELS:
        if age < below:
            return level
    return None


def _second_relative(rng: random.Random, first: Relationship) -> tuple[Relationship, bool]:
    """Choose a second imprisoned relative of the same children (the other parent, a brother)."""
    draw = rng.random()
    if first in (Relationship.FATHER, Relationship.STEP_PARENT):
        if draw < 0.4:
            return Relationship.MOTHER, False
        if draw < 0.9:
            return Relationship.SIBLING, rng.random() < 0.85
        return Relationship.OTHER, True
    if first is Relationship.MOTHER and draw < 0.3:
        return Relationship.SIBLING, rng.random() < 0.85
    return Relationship.FATHER, True


def _carers_for(held: set[Relationship]) -> Carers:
    father = bool(held & {Relationship.FATHER, Relationship.STEP_PARENT})
    mother = Relationship.MOTHER in held
    if father and mother:
        return CARERS_IF_BOTH
    if mother:
        return CARERS_IF_MOTHER
    return CARERS_IF_FATHER if father else CARERS_IF_OTHER


def _custody(
    rng: random.Random,
    new_id: Callable[[], bytes],
    out: list[Row],
    relative_id: bytes,
    family: DemoFamily,
    anchor: int,
    prison: DemoPrison | None,
    remand: DemoPrison | None,
) -> tuple[int, int | None]:
    """Buffer a relative's custody history; return when they came to ``prison``, and release.

    Most histories start in pre-trial detention, some months or years before the family's
    case was opened, are followed by a sentence and, for some, a release before the anchor.
    Some people are held on remand in another prison (``remand``) until sentenced.
    """
    if rng.random() < 0.92:
        arrested = family.opened - min(2500, int(rng.expovariate(1 / 240)))
    else:
        arrested = min(family.opened + rng.randrange(21), family.until)
    pre_trial = rng.random() < 0.75
    sentenced: int | None = arrested
    released: int | None = None
    if pre_trial:
        if rng.random() < 0.03:  # released without a sentence
            sentenced = None
            released = arrested + rng.randrange(30, 300)
        else:
            sentenced = arrested + rng.randrange(60, 540)
    if sentenced is not None and sentenced >= anchor:
        sentenced = None
    if sentenced is not None:
        released = sentenced + int(rng.gammavariate(2.0, 550))
    if released is not None and released >= anchor:
        released = None
    if sentenced is None or not pre_trial:
        remand = prison
    prison_id = prison.id if prison else None
    if pre_trial:
        out.append(
            (new_id(), relative_id, PRE_TRIAL, iso_date(arrested), remand.id if remand else None)
        )
    if sentenced is not None:
        out.append((new_id(), relative_id, SENTENCED, iso_date(sentenced), prison_id))
    if released is not None:
        out.append((new_id(), relative_id, RELEASED, iso_date(released), prison_id))
    here_since = arrested if remand is prison or sentenced is None else sentenced
    return here_since, released


def _consents(
    rng: random.Random,
    new_id: Callable[[], bytes],
    out: list[Row],
    family: DemoFamily,
    given_by: str,
) -> None:
    """Buffer the consents the main caregiver gave when the case opened (a few withdrawn)."""
    given = min(family.opened + rng.randrange(8), family.until)
    for kind, share, withdrawn_share in CAREGIVER_CONSENTS:
        if rng.random() < share:
            withdrawn = None
            if rng.random() < withdrawn_share:
                withdrawn = iso_date(_day_between(rng, given, family.until))
            out.append((new_id(), family.id, None, kind, given_by, iso_date(given), withdrawn))
