"""Demo data: Game with Mum & Dad events have a sport and a local club as partner."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from cope_desktop.db.enums import ActivityType
from cope_desktop.db.models import Activity
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.demo import fill_demo
from cope_desktop.services.demo.activities import GAMES
from cope_desktop.services.setup import NewDatabase, create_database

PASSWORD = "demo-password-1"


@pytest.mark.parametrize("country", ["IT", "GB"])
def test_game_events_have_a_sport_and_partners(tmp_path: Path, country: str) -> None:
    path = tmp_path / "org.db"
    create_database(NewDatabase(path, "Demo", country, "admin", PASSWORD))
    db = sign_in(path, "admin", PASSWORD, tmp_path / "backups")[0]
    try:
        run_to_end(fill_demo(db, "small", 1, country, anchor=dt.date(2026, 3, 15)))
        with db.session() as session:
            rows = session.execute(
                select(Activity.type, Activity.sport, Activity.partners, Activity.prison_id)
            ).all()
    finally:
        db.close()
    games = [row for row in rows if row.type is ActivityType.GAME_WITH_MUM_AND_DAD]
    others = [row for row in rows if row.type is not ActivityType.GAME_WITH_MUM_AND_DAD]
    assert games and others
    assert all(row.sport is None and row.partners is None for row in others)
    sports = {sport for sport, _club in GAMES["it" if country == "IT" else "en"]}
    assert {row.sport for row in games} <= sports
    (most, _times), *_rest = Counter(row.sport for row in games).most_common()
    assert most in {"Calcio", "Football"}
    assert all(row.partners for row in games if row.prison_id is not None)
