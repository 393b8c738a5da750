"""What quick attendance keeps in memory: each person's tick and face, the filter, the totals.

No Qt here: the window changes these values as people tap, and the list and the header
show them.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.services.activities.views import Attendee

Key = tuple[AttendeeKind, uuid.UUID]
"""One person on the list: what kind of attendee, and the id of that child, caregiver or
relative (ids of different tables could in principle be equal, so the kind is part of it)."""


def key_of(attendee: Attendee) -> Key:
    return (attendee.kind, attendee.person_id)


@dataclass
class Mark:
    """A person as the screen shows them now: ticked or not, and the child's face."""

    attendee: Attendee
    present: bool
    rating: Rating | None

    @property
    def key(self) -> Key:
        return key_of(self.attendee)

    @property
    def editable(self) -> bool:
        """An archived person stays on the list (flagged) but cannot be ticked or unticked."""
        return not self.attendee.archived

    @property
    def counted(self) -> bool:
        """Counted in the totals: present, and neither the person nor the row archived."""
        return self.present and not self.attendee.archived


@dataclass(frozen=True)
class Totals:
    children: int
    caregivers: int
    relatives: int
    anonymous_children: int
    anonymous_adults: int

    @property
    def all_children(self) -> int:
        return self.children + self.anonymous_children

    @property
    def all_adults(self) -> int:
        return self.caregivers + self.relatives + self.anonymous_adults


def totals(marks: Iterable[Mark], anonymous_children: int, anonymous_adults: int) -> Totals:
    counts = {AttendeeKind.CHILD: 0, AttendeeKind.CAREGIVER: 0, AttendeeKind.RELATIVE: 0}
    for mark in marks:
        if mark.counted:
            counts[mark.attendee.kind] += 1
    return Totals(
        counts[AttendeeKind.CHILD],
        counts[AttendeeKind.CAREGIVER],
        counts[AttendeeKind.RELATIVE],
        anonymous_children,
        anonymous_adults,
    )


def fold(text: str) -> str:
    """Lower case without accents, so that "zoe" finds "Zoé" and "ZOË"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_words(text: str) -> list[str]:
    return fold(text).split()


def haystack(attendee: Attendee) -> str:
    return fold(f"{attendee.name} {attendee.reference} {attendee.family_reference}")


def matches(hay: str, words: list[str]) -> bool:
    """True when every typed word is part of the person's name or references."""
    return all(word in hay for word in words)
