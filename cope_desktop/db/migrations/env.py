"""Alembic environment: always run on a connection the application opened (already keyed)."""

from alembic import context

from cope_desktop.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - guarded by cope_desktop.db.migrate
    raise RuntimeError("migrations run only through cope_desktop.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
