"""The Privacy & safety page: users, audit trail, backups, retention, requests, Art. 30."""
