"""Shop queries: the catalogue, codes, redemptions and badges (never commit)."""
