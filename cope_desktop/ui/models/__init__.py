"""Qt item models, one per module, with column constants and custom roles."""
