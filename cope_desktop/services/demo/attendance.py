"""Who attended an activity, and the feedback children gave.

People attend only what they could have attended: an activity at a prison draws the families
of relatives held there at the time (after their custody began and while the case was open);
other activities draw families whose case was open that day, and children only once their own
support had started. People not on file are recorded as anonymous head counts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from cope_desktop.db.enums import ActivityType, AttendeeKind, Rating
from cope_desktop.db.models import Attendance, Feedback
from cope_desktop.services.demo.bulk import iso_date
from cope_desktop.services.demo.context import DemoContext, cumulative, weighted
from cope_desktop.services.demo.people import DemoFamily, People
from cope_desktop.services.demo.prisons import DemoPrison
from cope_desktop.services.demo.profiles import Profile

T = TypeVar("T")

RATINGS = (Rating.POSITIVE.value, Rating.NEUTRAL.value, Rating.NEGATIVE.value)
RATING_WEIGHTS = cumulative((72, 19, 9))
FACES = {
    Rating.POSITIVE.value: (4, 5, 5),
    Rating.NEUTRAL.value: (3,),
    Rating.NEGATIVE.value: (1, 2),
}
CHILD = AttendeeKind.CHILD.value
CAREGIVER = AttendeeKind.CAREGIVER.value
RELATIVE = AttendeeKind.RELATIVE.value
ANONYMOUS_CHILDREN = AttendeeKind.ANONYMOUS_CHILDREN.value
ANONYMOUS_ADULTS = AttendeeKind.ANONYMOUS_ADULTS.value

Present = list[tuple[bytes | None, str | None]]
"""The children present (id and first name; no id for a child not on file)."""


class Attendances:
    """Buffers the attendance and feedback of one activity at a time.

    Create it after the activities' buffer, so that attendance rows are inserted after the
    activities they refer to.
    """

    def __init__(
        self, ctx: DemoContext, people: People, rng: random.Random, new_id: Callable[[], bytes]
    ) -> None:
        self.ctx = ctx
        self.people = people
        self.rng = rng
        self.rand = rng.random
        self.new_id = new_id
        self.out = ctx.writer.buffer(
            Attendance,
            ("id", "activity_id", "kind", "child_id", "caregiver_id", "relative_id", "head_count",
             "deleted_at"),
        )  # fmt: skip
        self.feedback_out = ctx.writer.buffer(
            Feedback,
            ("id", "activity_id", "child_id", "rating", "face", "quote", "quote_approved"),
        )
        self.activity_id = b""
        self.removed = ""

    def add(
        self,
        activity_id: bytes,
        activity_type: ActivityType,
        day: int,
        prison: DemoPrison | None,
        profile: Profile,
        families: int,
    ) -> int:
        """Buffer up to ``families`` families at an activity; return the named rows added."""
        self.activity_id = activity_id
        self.removed = f"{iso_date(day)} 18:30:00.000000"  # when a mistaken row was removed
        before = len(self.out)
        present: Present = []
        if families:
            month = self.people.month_of[day - self.ctx.start]
            if prison is not None:
                present = self._at_prison(prison, month, day, families, profile)
            else:
                present = self._at_office(month, day, families, profile)
        named = len(self.out) - before
        present += self._head_counts(activity_type, profile)
        for child_id, first_name in present:
            if child_id is None or self.rand() < profile.feedback:
                self._feedback(child_id, first_name, prison)
        return named

    def _at_prison(
        self, prison: DemoPrison, month: int, day: int, wanted: int, profile: Profile
    ) -> Present:
        """Buffer the families of relatives held at ``prison`` on ``day``."""
        candidates = _some(self.rng, self.people.at_prison[prison.index][month], wanted * 2 + 2)
        seen: set[bytes] = set()
        present: Present = []
        for relative in candidates:
            family = relative.family
            if (
                not relative.since <= day <= relative.until
                or family.id in seen
                or (profile.parents_only and not relative.is_parent)
            ):
                continue
            seen.add(family.id)
            if self.rand() < profile.relative:
                self._row(RELATIVE, None, None, relative.id)
            self._family(family, day, profile.children, profile.caregiver, present)
            if len(seen) == wanted:
                break
        return present

    def _at_office(self, month: int, day: int, wanted: int, profile: Profile) -> Present:
        """Buffer families whose case was open on ``day`` (a group is children or carers)."""
        candidates = _some(self.rng, self.people.open_in[month], wanted * 2 + 2)
        children, caregiver = profile.children, profile.caregiver
        if profile.group:
            children_group = self.rand() < 0.5
            children, caregiver = (children, 0.0) if children_group else (0.0, 1.0)
        seen: set[bytes] = set()
        present: Present = []
        for family in candidates:
            if not family.opened <= day <= family.until or family.id in seen:
                continue
            seen.add(family.id)
            self._family(family, day, children, caregiver, present)
            if len(seen) == wanted:
                break
        return present

    def _family(
        self, family: DemoFamily, day: int, children: float, caregiver: float, present: Present
    ) -> None:
        """Buffer the children (once their support began) and the main caregiver of a family."""
        rand = self.rand
        if children:
            for child in family.children:
                if child.since <= day <= child.until and rand() < children:
                    self._row(CHILD, child.id, None, None)
                    present.append((child.id, child.first_name))
        if family.caregivers and rand() < caregiver:
            self._row(CAREGIVER, None, family.caregivers[0], None)

    def _row(
        self,
        kind: str,
        child_id: bytes | None,
        caregiver_id: bytes | None,
        relative_id: bytes | None,
    ) -> None:
        # A few rows are marked deleted (entered by mistake), for later checks to meet.
        removed = self.removed if self.rand() < 0.002 else None
        self.out.append(
            (self.new_id(), self.activity_id, kind, child_id, caregiver_id, relative_id, 1,
             removed)
        )  # fmt: skip

    def _head_counts(self, activity_type: ActivityType, profile: Profile) -> Present:
        """Buffer head counts of people not on file; return the children who give feedback."""
        rand = self.rand
        present: Present = []
        if rand() < profile.anonymous_children:
            school = activity_type is ActivityType.SCHOOL_SESSION
            count = 12 + int(rand() * 17) if school else 1 + int(rand() * 12)
            self.out.append(
                (self.new_id(), self.activity_id, ANONYMOUS_CHILDREN, None, None, None, count, None)
            )
            if rand() < profile.feedback:
                present = [(None, None)] * min(count, 1 + int(rand() * 3))
        if rand() < profile.anonymous_adults:
            count = 1 + int(rand() * 6)
            self.out.append(
                (self.new_id(), self.activity_id, ANONYMOUS_ADULTS, None, None, None, count, None)
            )
        return present

    def _feedback(
        self, child_id: bytes | None, first_name: str | None, prison: DemoPrison | None
    ) -> None:
        """Buffer one child's rating: a face on the five-face scale for some, a quote for few.

        A few quotes name a place or the child: a disclosure check has to catch those.
        """
        rng, texts = self.rng, self.ctx.texts
        rating = weighted(rng, RATINGS, RATING_WEIGHTS)
        face = rng.choice(FACES[rating]) if rng.random() < 0.5 else None
        quote = None
        if rng.random() < 0.04:
            draw = rng.random()
            if draw < 0.1 and prison is not None:
                quote = rng.choice(texts.place_quotes).format(city=prison.city)
            elif draw < 0.15 and first_name:
                quote = rng.choice(texts.name_quotes).format(name=first_name)
            else:
                quote = rng.choice(texts.quotes)
        approved = quote is not None and rng.random() < 0.6
        if child_id is not None and rng.random() < 0.05:
            child_id = None  # an anonymous feedback card
        self.feedback_out.append(
            (self.new_id(), self.activity_id, child_id, rating, face, quote, int(approved))
        )


def _some(rng: random.Random, population: list[T], count: int) -> list[T]:
    """Return up to ``count`` members of ``population`` in random order, repeats possible.

    ``random.sample`` costs much more per call; the callers skip repeated families anyway.
    """
    size = len(population)
    if size <= count:
        return rng.sample(population, size)
    rand = rng.random
    return [population[int(rand() * size)] for _ in range(count)]
