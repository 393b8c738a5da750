"""The exact figures of a period, counted in the database (REPORT-SPEC.md counting rules).

``count_figures`` builds its statements (``figure_statements``), runs each once and folds
the few aggregated rows they return into a ``RawFigures``: no attendance, activity or child
row is ever loaded. Deleted records never count, nor anything that belongs to a deleted
family, child, activity or person. The statements are plain SQLAlchemy Core and run the
same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType
from cope_desktop.reports import queries_activities, queries_breakdowns, queries_people, quotes
from cope_desktop.reports.model import ActivityFigures, GameFigures, InternalFigures, RawFigures
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries_common import AnySelect, Draft, Rows, Step

GAME = ActivityType.GAME_WITH_MUM_AND_DAD.value


def figure_statements(period: Period) -> list[AnySelect]:
    """Every statement ``count_figures`` runs for ``period``, in the order it runs them.

    The last one (names and places to check quotes against) runs only when the period has
    approved quotes; then one more, which depends on the quotes' words, looks those words up
    among the names on file (``quotes.name_terms``, an index lookup).
    """
    return [step.statement for step in _steps(period)]


def count_figures(session: Session, period: Period) -> RawFigures:
    """The exact figures of the network return for ``period``."""
    return run_steps(session, _steps(period))


def count_parts(session: Session, period: Period, parts: Collection[str]) -> RawFigures:
    """Only the named parts of the figures (``Step.name``); the others stay empty."""
    return run_steps(session, [step for step in _steps(period) if step.name in parts])


def run_steps(session: Session, steps: Iterable[Step]) -> RawFigures:
    draft = Draft()
    for step in steps:
        if step.needed is None or step.needed(draft):
            step.read(session.execute(step.statement).all(), draft)
    if draft.quote_rows:
        draft.term_rows = session.execute(quotes.name_terms(draft.quote_rows)).all()
    return _finish(draft)


def internal_figures(session: Session, period: Period) -> InternalFigures:
    """The return's exact figures and the internal breakdowns by prison, caseworker, month."""
    return InternalFigures(
        count_figures(session, period), queries_breakdowns.breakdowns(session, period)
    )


def _steps(period: Period) -> list[Step]:
    quote_rows, text_rows = quotes.quote_statements(period)
    return [
        *queries_people.steps(period),
        *queries_activities.steps(period),
        Step("quotes", quote_rows, _keep_quotes),
        # The names and places on file are read only when there are quotes to check.
        Step("quote_texts", text_rows, _keep_texts, needed=lambda draft: bool(draft.quote_rows)),
    ]


def _keep_quotes(rows: Rows, draft: Draft) -> None:
    draft.quote_rows = rows


def _keep_texts(rows: Rows, draft: Draft) -> None:
    draft.word_rows = rows


def _finish(draft: Draft) -> RawFigures:
    """Join the activity and attendance rows of each type; the Game table; the quotes."""
    raw = draft.raw
    for kind in sorted(draft.activity_rows.keys() | draft.people_rows.keys()):
        sessions, minutes, _prisons = draft.activity_rows.get(kind, (0, 0, 0))
        attended, children, relatives, _caregivers = draft.people_rows.get(kind, (0, 0, 0, 0))
        raw.activities[kind] = ActivityFigures(sessions, attended, children, relatives, minutes)
    game = raw.activities.get(GAME)
    if game is not None:
        raw.game = GameFigures(
            events=game.sessions,
            prisons=draft.activity_rows.get(GAME, (0, 0, 0))[2],
            child_attendances=game.child_attendances,
            distinct_children=game.distinct_children,
            imprisoned_parents=game.distinct_relatives,
            caregivers=draft.people_rows.get(GAME, (0, 0, 0, 0))[3],
        )
    raw.quotes, raw.quotes_withheld = quotes.screen(
        draft.quote_rows, draft.word_rows, draft.term_rows
    )
    return raw
