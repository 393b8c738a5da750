"""Search terms: the words of each family's names and references, folded for matching.

Search-as-you-type over 120,000 children (TARGETS.md P3) cannot scan every name with
``LIKE '%...%'`` on each keystroke. Each family instead has one row per distinct folded word
(lower case, accents removed) of its reference and of its members' names and references, so a
prefix search is an index range scan. ``cope_desktop.services.search_terms`` keeps the rows
in step with every write.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cope_desktop.db.base import Base


class SearchTerm(Base):
    __tablename__ = "search_term"
    __table_args__ = (
        Index("ix_search_term_term", "term", "family_id"),
        {"sqlite_with_rowid": False},
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(100), primary_key=True)
