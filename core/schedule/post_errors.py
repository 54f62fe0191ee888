"""What can go wrong with a scheduled post, as domain errors (each a locale key)."""

from __future__ import annotations

from core.errors import DomainError


class EmptyPost(DomainError):
    key = "schedule-error-empty"


class PostTooLong(DomainError):
    key = "schedule-error-too-long"


class PostNotFound(DomainError):
    key = "schedule-error-not-found"


class UnknownVariant(PostNotFound):
    key = "schedule-error-not-found"


class TooManyPosts(DomainError):
    key = "schedule-error-too-many"


class TooManyVariants(DomainError):
    key = "schedule-error-too-many-variants"


class NeverRuns(DomainError):
    """A rule with no occurrence ahead (a cron for 31 February)."""

    key = "schedule-error-never"
