"""Fixtures for the interchange tests: those of every service test (database, users, prison)."""

from __future__ import annotations

from service_support import db, fixed_today, prison_id, session, users

__all__ = ["db", "fixed_today", "prison_id", "session", "users"]
