"""Database layer: SQLAlchemy models, the SQLCipher engine, key slots and migrations."""
