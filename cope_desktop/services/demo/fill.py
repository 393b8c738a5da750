"""Filling a database with a demo organisation's records: the order of the parts, users, checks."""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass, fields

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cope_desktop.db import keys
from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.enums import CaseStatus, Role
from cope_desktop.db.keys import Slot
from cope_desktop.db.models import (
    Activity,
    CaseStatusChange,
    Family,
    Organisation,
    Prison,
    User,
)
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import find_user, publish_slots, stage_user
from cope_desktop.services.demo.activities import FEEDBACK_SHARE, make_activities
from cope_desktop.services.demo.bulk import BulkWriter, check_storage_forms
from cope_desktop.services.demo.context import DemoContext, cumulative
from cope_desktop.services.demo.names import NamePools, draw_pools, language_of
from cope_desktop.services.demo.people import ROWS_PER_FAMILY, make_people
from cope_desktop.services.demo.prisons import make_prisons
from cope_desktop.services.demo.sizes import SIZES, DemoSize
from cope_desktop.services.demo.texts import texts_for
from cope_desktop.services.setup import check_country

log = logging.getLogger(__name__)

DEMO_CASEWORKERS = ("caseworker1", "caseworker2", "caseworker3")
DEMO_COORDINATOR = "coordinator"


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind one demo fill wrote."""

    families: int
    children: int
    caregivers: int
    relatives: int
    custody_events: int
    child_relatives: int
    prisons: int
    activities: int
    attendances: int
    feedback: int
    support: int
    consents: int
    case_notes: int
    users: int
    """Users added by this fill (none without a password)."""

    @property
    def records(self) -> int:
        """Rows written, users aside."""
        return sum(getattr(self, f.name) for f in fields(self) if f.name != "users")


_TABLE_OF_FIELD = {
    "families": "family",
    "children": "child",
    "caregivers": "caregiver",
    "relatives": "imprisoned_relative",
    "custody_events": "custody_event",
    "child_relatives": "child_relative",
    "prisons": "prison",
    "activities": "activity",
    "attendances": "attendance",
    "feedback": "feedback",
    "support": "support_service",
    "consents": "consent",
    "case_notes": "case_note",
}


def seed_tag(seed: int) -> str:
    """Return the prefix of every reference a fill with ``seed`` writes (``D1-F000001``)."""
    return f"D{seed}"


def demo_size(size: str) -> DemoSize:
    try:
        return SIZES[size]
    except KeyError:
        raise UserInputError(
            _("Unknown demo size {size}; choose one of: {sizes}.").format(
                size=size, sizes=", ".join(SIZES)
            )
        ) from None


def fill_demo(
    db: Database,
    size: str,
    seed: int = 1,
    country: str = "IT",
    anchor: dt.date | None = None,
    password: str | None = None,
) -> ProgressGenerator[DemoSummary]:
    """Add a synthetic organisation's records to ``db``, yielding progress; return the counts.

    The same size, seed, country and anchor always give the same records (ids, references,
    names, dates), whatever the database already holds; only the created/updated times
    differ. All records are written in one transaction: closing the generator before it ends
    rolls everything back. With ``password``, three caseworkers and a coordinator are added in
    the same transaction (their key slots reach the key file only after it commits), and the
    families are shared among the caseworkers; otherwise the administrator has them.
    """
    spec = demo_size(size)
    country = check_country(country)
    if seed < 0:
        raise UserInputError(_("The demo seed must be zero or a positive whole number."))
    if password is not None:
        keys.check_password_strength(password)
    tag = seed_tag(seed)
    today = anchor or dt.date.today()
    with db.session() as session:
        _refuse_repeated_seed(session, tag, seed)
        stores_names = session.scalar(select(Organisation.stores_names).limit(1))
    total = _estimate(spec)
    yield Progress(0, total, _("Preparing demo data…"))

    master = random.Random(seed)
    pools = draw_pools(country, seed)
    staff = _staff(master, pools, spec.staff)
    with db.session() as session:
        slots = _stage_users(session, db.data_key, password, staff) if password else []
        caseworkers = _caseworkers(session, demo_users=password is not None)
        connection = session.connection()
        check_storage_forms(connection.dialect)
        writer = BulkWriter(connection, utcnow())
        ctx = DemoContext(
            size=spec,
            seed=seed,
            tag=tag,
            country=country,
            start=_years_before(today, spec.years).toordinal(),
            anchor=today.toordinal(),
            pools=pools,
            texts=texts_for(language_of(country)),
            stores_names=stores_names is not False,
            caseworkers=caseworkers,
            caseworker_weights=tuple(
                cumulative([1.0 / (1 + 0.15 * i) for i in range(len(caseworkers))])
            ),
            staff=staff,
            writer=writer,
            total=total,
            chunk=max(50, min(20_000, total // 100)),
            master=master,
        )
        prisons = make_prisons(ctx)
        people = yield from make_people(ctx, prisons)
        yield from make_activities(ctx, prisons, people)
        writer.flush()
        _record_closings(session, tag)
        search_terms.rebuild_all(session)
        audit.record(
            session,
            "demo_data_added",
            detail=f"size={size} seed={seed} country={country} anchor={today.isoformat()}",
        )
        yield ctx.progress(_("Saving demo data…"))
    publish_slots(db.key_file, slots)
    _checkpoint(db)
    counts = {name: writer.counts.get(table, 0) for name, table in _TABLE_OF_FIELD.items()}
    summary = DemoSummary(**counts, users=len(slots))
    log.info("demo fill %s seed %s (%s): %s", size, seed, country, summary)
    yield Progress(total, total, _("Demo data ready."))
    return summary


def _record_closings(session: Session, tag: str) -> None:
    """Give each closed demo case its closing as history (ids derived from the family's)."""
    closed = session.execute(
        select(Family.id, Family.closed_on, Family.close_reason).where(
            Family.reference.startswith(f"{tag}-", autoescape=True),
            Family.closed_on.is_not(None),
        )
    ).all()
    rows = [
        {
            "id": uuid.uuid5(family_id, "closed"),
            "family_id": family_id,
            "status": CaseStatus.CLOSED,
            "changed_on": closed_on,
            "reason": reason,
        }
        for family_id, closed_on, reason in closed
    ]
    for start in range(0, len(rows), 20000):
        session.execute(insert(CaseStatusChange), rows[start : start + 20000])


def _refuse_repeated_seed(session: Session, tag: str, seed: int) -> None:
    """Refuse a second fill with the same seed: its references would collide."""
    prefix = f"{tag}-"
    for model in (Family, Prison, Activity):
        found = session.scalar(
            select(model.reference)
            .where(model.reference.startswith(prefix, autoescape=True))
            .limit(1)
        )
        if found is not None:
            raise UserInputError(
                _(
                    "This database already holds demo records made with seed {seed} "
                    "(references starting with {prefix}). Choose another seed."
                ).format(seed=seed, prefix=prefix)
            )


def _estimate(spec: DemoSize) -> int:
    """Estimate the work of a fill for the progress bar: the rows, and the commit after them.

    Committing (writing the log, then the database file) takes about a tenth of the time.
    """
    attendance = spec.attendances * (1 + FEEDBACK_SHARE)
    rows = spec.families * ROWS_PER_FAMILY + spec.prisons + spec.activities + attendance
    return int(rows * 1.1)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _staff(rng: random.Random, pools: NamePools, count: int) -> tuple[str, ...]:
    """Make up the organisation's staff: the names written on activities."""
    names: dict[str, None] = {}
    while len(names) < count:
        first = rng.choice(pools.female if rng.random() < 0.7 else pools.male)
        names[f"{first} {rng.choice(pools.last)}"] = None
    return tuple(names)


def _stage_users(
    session: Session, data_key: bytes, password: str, staff: tuple[str, ...]
) -> list[Slot]:
    """Add the demo caseworkers and coordinator that do not exist yet; return their slots."""
    wanted = [(name, Role.CASEWORKER) for name in DEMO_CASEWORKERS]
    wanted.append((DEMO_COORDINATOR, Role.COORDINATOR))
    slots = []
    for (username, role), display_name in zip(wanted, staff, strict=False):
        if find_user(session, username) is None:
            _id, slot = stage_user(session, data_key, username, password, role, display_name)
            slots.append(slot)
    return slots


def _caseworkers(session: Session, *, demo_users: bool) -> tuple[bytes | None, ...]:
    """Return the ids (storage form) of the users that families are assigned to.

    The demo caseworkers when there are any and users were asked for, else the administrator
    (the first by user name), else nobody.
    """
    if demo_users:
        ids = session.scalars(
            select(User.id)
            .where(User.username.in_(DEMO_CASEWORKERS), User.role == Role.CASEWORKER)
            .order_by(User.username)
        ).all()
        if ids:
            return tuple(user_id.bytes for user_id in ids)
    admin = session.scalar(
        select(User.id).where(User.role == Role.ADMINISTRATOR).order_by(User.username).limit(1)
    )
    return (admin.bytes if admin is not None else None,)


def _checkpoint(db: Database) -> None:
    """Move the fill from the write-ahead log into the database file and shrink the log."""
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
