"""The release log: every return or report written, to flag differencing (TARGETS.md R13).

Two returns whose periods overlap, or the same period issued twice with different figures,
let a reader subtract one from the other and find small numbers that disclosure control hid
in each. Neither is forbidden (a corrected return is sometimes needed), but the coordinator
must see it before anything leaves. The log also keeps each return's suppression pattern,
so that next year's return can hide the same cells where the data allow it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ReleaseKind
from cope_desktop.db.models import ReleaseLog
from cope_desktop.i18n import _, format_datetime
from cope_desktop.reports.period import Period


@dataclass(frozen=True)
class Release:
    kind: ReleaseKind
    period: Period
    file_format: str
    file_name: str
    threshold: int | None
    checksum: str | None
    fingerprint: str
    suppressed: Sequence[str]


def _returns(session: Session) -> list[ReleaseLog]:
    return list(
        session.scalars(
            select(ReleaseLog)
            .where(ReleaseLog.kind == ReleaseKind.NETWORK_RETURN)
            .order_by(ReleaseLog.generated_at.desc())
        )
    )


def preferred_cells(session: Session, period: Period) -> set[str]:
    """Cells hidden in the latest return of this period, or else of the period before it."""
    entries = _returns(session)
    for wanted in (period, period.previous()):
        for entry in entries:
            if wanted is not None and (entry.period_start, entry.period_end) == (
                wanted.start,
                wanted.end,
            ):
                return set((entry.suppression or {}).get("cells", []))  # type: ignore[call-overload]
    return set()


def warnings(session: Session, period: Period, fingerprint: str) -> list[str]:
    """What the coordinator must see before this return leaves the organisation."""
    found: list[str] = []
    seen_periods: set[tuple[object, object]] = set()
    for entry in _returns(session):
        logged = Period(entry.period_start, entry.period_end)
        key = (logged.start, logged.end)
        if key in seen_periods or not logged.overlaps(period):
            continue
        seen_periods.add(key)
        when = format_datetime(entry.generated_at)
        if logged == period:
            if (entry.suppression or {}).get("figures") != fingerprint:
                found.append(
                    _(
                        "A return for {period} was already written on {when} with different "
                        "figures. Anyone who has both can compare them and work out small "
                        "numbers that each one hides. Send the new one only as a correction, "
                        "and ask the secretariat to discard the old one."
                    ).format(period=period.label(), when=when)
                )
        else:
            found.append(
                _(
                    "This period overlaps the return for {other} written on {when}. Anyone "
                    "who has both can subtract one from the other and work out small numbers. "
                    "Returns are usually for a calendar year or a half year that does not "
                    "overlap another."
                ).format(other=logged.label(), when=when)
            )
    return found


def log_release(session: Session, user_id: uuid.UUID | None, release: Release) -> None:
    session.add(
        ReleaseLog(
            kind=release.kind,
            period_start=release.period.start,
            period_end=release.period.end,
            user_id=user_id,
            file_format=release.file_format,
            threshold=release.threshold,
            checksum=release.checksum,
            file_name=release.file_name[:260],
            suppression={"cells": list(release.suppressed), "figures": release.fingerprint},
        )
    )
    session.flush()
