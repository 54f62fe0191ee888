"""The shop's refusals: each a locale key with its arguments (handlers/errors.py renders them)."""

from __future__ import annotations

from core.errors import DomainError


class InvalidReward(DomainError):
    """A /reward_add or /reward_edit argument out of range (`field` says which)."""

    key = "shop-error-invalid"


class RewardUnknown(DomainError):
    key = "shop-error-unknown"


class RewardDisabled(DomainError):
    key = "shop-error-disabled"


class SoldOut(DomainError):
    key = "shop-error-sold-out"


class OutOfCodes(DomainError):
    key = "shop-error-out-of-codes"


class NotEnoughPoints(DomainError):
    key = "shop-error-points"


class LevelTooLow(DomainError):
    key = "shop-error-level"


class LimitReached(DomainError):
    key = "shop-error-limit"


class PriceChanged(DomainError):
    """The confirmation shows another price than the reward has now (an old or forged button)."""

    key = "shop-error-stale"


class NotCodeReward(DomainError):
    key = "shop-error-not-code"


class NoCodes(DomainError):
    key = "shop-error-no-codes"


class RedemptionUnknown(DomainError):
    key = "shop-error-redemption-unknown"


class AlreadyDecided(DomainError):
    key = "shop-error-decided"


class NotYourButton(DomainError):
    key = "shop-error-not-yours"


class ClaimUnknown(DomainError):
    key = "shop-error-claim"
