"""The shop's commands, declared once (menus, /help and wrong-chat answers follow)."""

from __future__ import annotations

from bot.features import CommandSpec, Role, Where

SHOP = CommandSpec("shop")
REDEEM = CommandSpec("redeem")
MYREWARDS = CommandSpec("myrewards", where=Where.ANY)
REWARD_ADD = CommandSpec("reward_add", role=Role.ADMIN)
REWARD_EDIT = CommandSpec("reward_edit", role=Role.ADMIN)
REWARD_DISABLE = CommandSpec("reward_disable", role=Role.ADMIN)
REWARD_ENABLE = CommandSpec("reward_enable", role=Role.ADMIN)
REWARDS = CommandSpec("rewards", role=Role.ADMIN)
CODES = CommandSpec("codes", role=Role.ADMIN)
REDEMPTIONS = CommandSpec("redemptions", role=Role.ADMIN, where=Where.ANY)
REJECT = CommandSpec("reject", role=Role.ADMIN, where=Where.ANY)
FLASH = CommandSpec("flash", role=Role.ADMIN)

MEMBER_COMMANDS = (SHOP, REDEEM, MYREWARDS)
ADMIN_COMMANDS = (
    REWARD_ADD,
    REWARD_EDIT,
    REWARD_DISABLE,
    REWARD_ENABLE,
    REWARDS,
    CODES,
    REDEMPTIONS,
    REJECT,
    FLASH,
)
