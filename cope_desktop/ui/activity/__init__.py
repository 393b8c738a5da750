"""Activity screens: the activity editor with its attendance, feedback faces, series."""
