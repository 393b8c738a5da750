"""field-laptop synchronisation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Copies of the database (the office computer, field laptops) exchange bundles of changes.
These tables record which device wrote which field of each synced row (version vectors),
the other copies this one knows, and the bundles written and read. Audit events gain the
copy and sequence they came from. This database becomes a device with a new random id.
"""

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cope_desktop.db.base import UUIDType

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    device = op.create_table(
        "sync_device",
        sa.Column("id", UUIDType(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tag", sa.String(length=8), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_device")),
    )
    op.create_table(
        "sync_row",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", UUIDType(), nullable=False),
        sa.Column("vv", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_row")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_sync_row_seq"), "sync_row", ["seq"], unique=False)
    op.create_table(
        "sync_field",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", UUIDType(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("device", UUIDType(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("table_name", "row_id", "field", name=op.f("pk_sync_field")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "sync_peer",
        sa.Column("device_id", UUIDType(), nullable=False),
        sa.Column("their_seq", sa.Integer(), nullable=False),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["sync_device.id"], name=op.f("fk_sync_peer_device_id_sync_device")
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_history",
        sa.Column("device_id", UUIDType(), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("user_id", UUIDType(), nullable=True),
        sa.Column("id", UUIDType(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["sync_device.id"], name=op.f("fk_sync_history_device_id_sync_device")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sync_history_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")),
    )
    op.create_index(op.f("ix_sync_history_device_id"), "sync_history", ["device_id"], unique=False)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_device", UUIDType(), nullable=True))
        batch_op.add_column(sa.Column("origin_sequence", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_event_origin_device"), ["origin_device", "origin_sequence"]
        )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.bulk_insert(
        device,
        [
            {
                "id": uuid.uuid4(),
                "name": "",
                "tag": "",
                "is_self": True,
                "counter": 0,
                "seq": 0,
                "created_at": now,
            }
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_origin_device"), type_="unique")
        batch_op.drop_column("origin_sequence")
        batch_op.drop_column("origin_device")
    op.drop_index(op.f("ix_sync_history_device_id"), table_name="sync_history")
    op.drop_table("sync_history")
    op.drop_table("sync_peer")
    op.drop_table("sync_field")
    op.drop_index(op.f("ix_sync_row_seq"), table_name="sync_row")
    op.drop_table("sync_row")
    op.drop_table("sync_device")
