"""Use cases. Each takes a session (or a database) and plain values, returns plain values."""
