"""Campaign queries (never commit)."""
