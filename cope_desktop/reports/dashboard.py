"""The year at a glance: exact figures of the calendar year so far, for the dashboard.

The dashboard stays inside the organisation, so nothing is suppressed; the figures are those
of the return (same counting rules), from 1 January to today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cope_desktop.reports.period import Period
from cope_desktop.reports.queries import count_parts
from cope_desktop.reports.queries_breakdowns import month_figures


@dataclass(frozen=True)
class Dashboard:
    year: int
    families_supported: int = 0
    families_new: int = 0
    children_supported: int = 0
    activities: int = 0
    child_attendances: int = 0
    children_by_age_sex: dict[tuple[str, str], int] = field(default_factory=dict)
    """(age band, sex) -> children supported; only the pairs that occur."""
    activities_by_type: dict[str, int] = field(default_factory=dict)
    """Activity type code -> activities held; only the types that occur."""
    feedback: dict[str, int] = field(default_factory=dict)
    """Rating code -> feedback given, over all activity types."""
    by_month: list[tuple[int, int, int]] = field(default_factory=list)
    """(month 1..12, activities, child attendances) for each month up to today's."""


def year_at_a_glance(session: Session, year: int, today: dt.date) -> Dashboard:
    """Figures of ``year`` from 1 January to ``today`` (the whole year once it is over).

    Only the parts of the return the dashboard shows are counted; its attendances come
    from the monthly figures, which add up to the year's.
    """
    start = dt.date(year, 1, 1)
    if today < start:
        return Dashboard(year)
    period = Period(start, min(dt.date(year, 12, 31), today))
    raw = count_parts(session, period, ("families", "children", "activities", "feedback"))
    feedback: dict[str, int] = {}
    for (_kind, rating), count in raw.feedback.items():
        feedback[rating] = feedback.get(rating, 0) + count
    months = [
        (month, activities, attended)
        for (_year, month), (_new, activities, attended, _children) in month_figures(
            session, period
        ).items()
    ]
    return Dashboard(
        year=year,
        families_supported=raw.families_new + raw.families_continuing,
        families_new=raw.families_new,
        children_supported=sum(raw.children.values()),
        activities=sum(row.sessions for row in raw.activities.values()),
        child_attendances=sum(attended for _month, _activities, attended in months),
        children_by_age_sex=dict(raw.children),
        activities_by_type={kind: row.sessions for kind, row in raw.activities.items()},
        feedback=feedback,
        by_month=months,
    )
