"""Small named helpers for the Django side (no junk drawer: one concern per module)."""
