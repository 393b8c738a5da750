"""case status history, search terms, attendance by caregiver

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from cope_desktop.db.base import UUIDType  # storage fixed forever: 16 bytes, native on PostgreSQL

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_status_change",
        sa.Column("family_id", UUIDType(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="case_status", native_enum=False,
                    create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("user_id", UUIDType(), nullable=True),
        sa.Column("id", UUIDType(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_case_status_change_family_id_family")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"],
            name=op.f("fk_case_status_change_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_change")),
    )
    with op.batch_alter_table("case_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_status_change_family_id"), ["family_id"], unique=False
        )
    op.create_table(
        "search_term",
        sa.Column("family_id", UUIDType(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_search_term_family_id_family")
        ),
        sa.PrimaryKeyConstraint("family_id", "term", name=op.f("pk_search_term")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.create_index("ix_search_term_term", ["term", "family_id"], unique=False)
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_caregiver_id"), ["caregiver_id"], unique=False
        )
    _backfill()


def _backfill() -> None:
    """Closed cases get their closing as the first history entry; every family its terms."""
    bind = op.get_bind()
    family = sa.table(
        "family",
        sa.column("id", UUIDType()),
        sa.column("closed_on", sa.Date()),
        sa.column("close_reason", sa.String()),
    )
    change = sa.table(
        "case_status_change",
        sa.column("id", UUIDType()),
        sa.column("family_id", UUIDType()),
        sa.column("status", sa.String()),
        sa.column("changed_on", sa.Date()),
        sa.column("reason", sa.String()),
        sa.column("created_at", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    now = sa.func.current_timestamp()
    closed = bind.execute(
        sa.select(family.c.id, family.c.closed_on, family.c.close_reason).where(
            family.c.closed_on.is_not(None)
        )
    ).all()
    rows = [
        {"id": uuid.uuid4(), "family_id": row.id, "status": "closed",
         "changed_on": row.closed_on, "reason": row.close_reason}
        for row in closed
    ]
    for start in range(0, len(rows), 10000):
        bind.execute(
            sa.insert(change).values(created_at=now, updated_at=now), rows[start : start + 10000]
        )
    from cope_desktop.services import search_terms

    search_terms.rebuild_all(Session(bind=bind))


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_caregiver_id"))
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.drop_index("ix_search_term_term")
    op.drop_table("search_term")
    with op.batch_alter_table("case_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status_change_family_id"))
    op.drop_table("case_status_change")
