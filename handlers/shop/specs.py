"""The shop's commands, declared once (menus, /help and wrong-chat answers follow)."""

from __future__ import annotations

from bot.features import Area, CommandSpec, Role, Where

SHOP = CommandSpec("shop", area=Area.SHOP, personal=False)
REDEEM = CommandSpec("redeem", area=Area.SHOP)
MYREWARDS = CommandSpec("myrewards", where=Where.ANY, area=Area.SHOP)
REWARD_ADD = CommandSpec("reward_add", role=Role.ADMIN, area=Area.SHOP)
REWARD_EDIT = CommandSpec("reward_edit", role=Role.ADMIN, area=Area.SHOP)
REWARD_DISABLE = CommandSpec("reward_disable", role=Role.ADMIN, area=Area.SHOP)
REWARD_ENABLE = CommandSpec("reward_enable", role=Role.ADMIN, area=Area.SHOP)
REWARDS = CommandSpec("rewards", role=Role.ADMIN, area=Area.SHOP)
CODES = CommandSpec("codes", role=Role.ADMIN, area=Area.SHOP)
REDEMPTIONS = CommandSpec("redemptions", role=Role.ADMIN, where=Where.ANY, area=Area.SHOP)
REJECT = CommandSpec("reject", role=Role.ADMIN, where=Where.ANY, area=Area.SHOP)
FLASH = CommandSpec("flash", role=Role.ADMIN, area=Area.SHOP)

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
