"""Statistics the reports share: rates with intervals and A against B (`proportions`), and
before/after a date against the group's usual variation (`before_after`). See
docs/statistics.md."""
