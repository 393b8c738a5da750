"""Synchronisation between copies of one database (field laptops): see API.md."""
