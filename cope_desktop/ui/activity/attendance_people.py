"""What the attendance part knows and says about people: keys, order, feedback, the totals.

People whose record or family is archived are left out of the totals (REPORT-SPEC.md: a
deleted record never counts).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.services.activities.views import Attendee

PersonKey = tuple[AttendeeKind, uuid.UUID]

MUTED = QColor("#8a96a3")
KIND_ORDER = {AttendeeKind.CHILD: 0, AttendeeKind.CAREGIVER: 1, AttendeeKind.RELATIVE: 2}


def key_of(person: Attendee) -> PersonKey:
    return person.kind, person.person_id


def sort_key(person: Attendee) -> tuple[str, int, str]:
    return person.family_reference, KIND_ORDER.get(person.kind, 9), person.name.casefold()


def kind_text(person: Attendee) -> str:
    """How a person is described in the lists: "Child, 10-14", "Caregiver"..."""
    if person.kind == AttendeeKind.CHILD:
        if person.age_band:
            return _("Child, {band}").format(band=person.age_band)
        return _("Child")
    if person.kind == AttendeeKind.CAREGIVER:
        return _("Caregiver")
    return _("Imprisoned relative")


@dataclass(frozen=True)
class Feedback:
    """A child's feedback as stored: the face and the quote."""

    rating: Rating
    quote: str | None = None
    approved: bool = False


def totals_text(people: Iterable[Attendee], children: int, adults: int) -> str:
    """What counts at this activity, in one sentence; archived people are left out."""
    everyone = list(people)
    counted = [person for person in everyone if not person.archived]
    left_out = len(everyone) - len(counted)

    def named(kind: AttendeeKind) -> int:
        return sum(1 for person in counted if person.kind == kind)

    kids, carers, relatives = (
        named(AttendeeKind.CHILD),
        named(AttendeeKind.CAREGIVER),
        named(AttendeeKind.RELATIVE),
    )
    on_file = _("{children}, {caregivers} and {relatives} on file").format(
        children=ngettext("{n} child", "{n} children", kids).format(n=format_number(kids)),
        caregivers=ngettext("{n} caregiver", "{n} caregivers", carers).format(
            n=format_number(carers)
        ),
        relatives=ngettext("{n} imprisoned relative", "{n} imprisoned relatives", relatives).format(
            n=format_number(relatives)
        ),
    )
    not_on_file = _("{children} and {adults} not on file").format(
        children=ngettext("{n} child", "{n} children", children).format(n=format_number(children)),
        adults=ngettext("{n} adult", "{n} adults", adults).format(n=format_number(adults)),
    )
    if not (kids or carers or relatives or children or adults):
        text = _("Nobody is counted yet.")
    else:
        text = _("Counted: {named}, plus {anonymous}.").format(named=on_file, anonymous=not_on_file)
    if left_out:
        text += " " + ngettext(
            "{n} archived person is shown but not counted.",
            "{n} archived people are shown but not counted.",
            left_out,
        ).format(n=format_number(left_out))
    return text
