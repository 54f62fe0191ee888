"""Typed domain errors. Each carries a locale key and its arguments; one handler renders them."""

from __future__ import annotations


class DomainError(Exception):
    key = "error-generic"

    def __init__(self, **args: object) -> None:
        super().__init__(self.key, args)
        self.args_map = args


class DuplicateUpdate(Exception):
    """The update (or job occurrence) was already processed; do nothing and say nothing."""


class NotAdmin(DomainError):
    key = "error-not-admin"


class OwnerOnly(DomainError):
    key = "error-owner-only"


class GroupOnly(DomainError):
    key = "error-group-only"


class UnknownGroup(DomainError):
    key = "error-unknown-group"


class InvalidSetting(DomainError):
    key = "error-invalid-setting"


class UnknownSetting(DomainError):
    key = "error-unknown-setting"


class InvalidAmount(DomainError):
    key = "error-invalid-amount"


class TargetRequired(DomainError):
    key = "error-target-required"


class TargetNotFound(DomainError):
    key = "error-target-not-found"


class InsufficientPoints(DomainError):
    key = "error-insufficient-points"


class UnknownSubcommand(DomainError):
    key = "error-unknown-subcommand"


class TextTooLong(DomainError):
    key = "error-text-too-long"
