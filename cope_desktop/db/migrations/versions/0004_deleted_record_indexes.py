"""partial indexes of deleted records

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Reports exclude deleted people and everything in a deleted family. Those are a few hundred
rows among 120,000 children: a partial index holding only the deleted rows lets every report
statement find them without reading the whole table (TARGETS.md P4).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("family", "child", "caregiver", "imprisoned_relative")


def upgrade() -> None:
    deleted = sa.text("deleted_at IS NOT NULL")
    for table in TABLES:
        op.create_index(
            f"ix_{table}_deleted",
            table,
            ["id"],
            sqlite_where=deleted,
            postgresql_where=deleted,
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_deleted", table_name=table)
