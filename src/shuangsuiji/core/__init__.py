"""Framework-free domain code: it imports nothing from Django, so a verifier can run anywhere."""
