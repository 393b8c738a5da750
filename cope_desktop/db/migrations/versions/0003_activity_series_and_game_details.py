"""activity series and Game with Mum & Dad details

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The new activity columns are added with ALTER TABLE ... ADD COLUMN (a foreign key with a NULL
default is allowed there on SQLite), not by rebuilding the activity table: a rebuild would copy
250,000 activities and drop a table that attendance rows point to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cope_desktop.db.base import UTCDateTime, UUIDType  # storage fixed forever

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVITY_TYPES = (
    "prison_visit",
    "family_day",
    "game_with_mum_and_dad",
    "support_group",
    "school_session",
    "visiting_room_session",
    "parenting_course",
    "helpline",
    "other",
)


def upgrade() -> None:
    op.create_table(
        "activity_series",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "type",
            sa.Enum(*ACTIVITY_TYPES, name="activity_type", native_enum=False,
                    create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("interval_weeks", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("prison_id", UUIDType(), nullable=True),
        sa.Column("staff", sa.String(length=200), nullable=True),
        sa.Column("id", UUIDType(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "interval_weeks BETWEEN 1 AND 52", name=op.f("ck_activity_series_interval")
        ),
        sa.CheckConstraint(
            "last_on >= first_on", name=op.f("ck_activity_series_last_after_first")
        ),
        sa.ForeignKeyConstraint(
            ["prison_id"], ["prison.id"], name=op.f("fk_activity_series_prison_id_prison")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_series")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Alembic only adds a column with a foreign key by rebuilding the table on SQLite.
        op.execute(
            "ALTER TABLE activity ADD COLUMN series_id BLOB "
            "CONSTRAINT fk_activity_series_id_activity_series "
            "REFERENCES activity_series (id)"
        )
    else:
        op.add_column("activity", sa.Column("series_id", UUIDType(), nullable=True))
        op.create_foreign_key(
            op.f("fk_activity_series_id_activity_series"),
            "activity",
            "activity_series",
            ["series_id"],
            ["id"],
        )
    op.add_column("activity", sa.Column("sport", sa.String(length=100), nullable=True))
    op.add_column("activity", sa.Column("partners", sa.Text(), nullable=True))
    op.create_index(op.f("ix_activity_series_id"), "activity", ["series_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_series_id"), table_name="activity")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("partners")
        batch_op.drop_column("sport")
        batch_op.drop_column("series_id")
    op.drop_table("activity_series")
