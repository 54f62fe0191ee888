"""Shop texts and keyboards (shared by the members' and the administrators' handlers)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from core.shop.levels import LevelCurve, Progress
from core.shop.redeem import ShopPage, unavailable
from core.text import shorten
from storage.tables import Redemption, Reward

BUTTON_NAME = 24


class ShopNav(CallbackData, prefix="sn"):
    u: int  # the member the listing is for
    p: int


class ShopPick(CallbackData, prefix="sk"):
    u: int
    n: int


class ShopConfirm(CallbackData, prefix="sc"):
    u: int  # only this member may press it
    n: int  # reward number
    c: int  # the cost shown (a changed price makes the button stale)
    k: int  # the update that asked: one confirmation redeems once


class ShopCancel(CallbackData, prefix="sx"):
    u: int


class Decide(CallbackData, prefix="sd"):
    r: int  # redemption id
    a: int  # 1 approve, 0 reject


def stock_text(t: Translator, reward: Reward) -> str:
    if reward.stock is None:
        return t("shop-stock-unlimited")
    return t("shop-stock-left", left=reward.stock)


def level_title(t: Translator, curve: LevelCurve, level: int) -> str:
    title = curve.title(level)
    if title is not None:
        return title
    key = f"level-title-{level}"
    return t(key) if t.has(key) else t("level-title-other", level=level)


def level_lines(t: Translator, curve: LevelCurve, progress: Progress) -> list[str]:
    lines = [t("level-line", level=progress.level, title=level_title(t, curve, progress.level))]
    if progress.next_at is None:
        lines.append(t("level-top", bar=progress.bar()))
    else:
        lines.append(
            t(
                "level-progress",
                bar=progress.bar(),
                earned=progress.earned,
                next=progress.next_at,
                level=progress.level + 1,
            )
        )
    return lines


def shop_text(t: Translator, page: ShopPage) -> str:
    who = page.who
    lines = [t("shop-title", balance=who.balance, level=who.level)]
    if not page.rewards:
        return "\n".join([*lines, "", t("shop-empty")])
    for reward in page.rewards:
        line = t(
            "shop-item",
            number=reward.number,
            name=reward.name,
            cost=reward.cost,
            stock=stock_text(t, reward),
        )
        if reward.min_level > 1:
            line += " " + t("shop-item-level", level=reward.min_level)
        if reward.per_member_limit is not None:
            line += " " + t("shop-item-limit", limit=reward.per_member_limit)
        lines += ["", line]
        if reward.description:
            lines.append(shorten(reward.description, 200))
        why = unavailable(reward, who)
        if why is not None:
            lines.append(
                t(
                    f"shop-why-{why}",
                    level=reward.min_level,
                    mine=who.level,
                    missing=reward.cost - who.balance,
                )
            )
    if page.pages > 1:
        lines += ["", t("shop-page", page=page.page + 1, pages=page.pages)]
    lines += ["", t("shop-how")]
    return "\n".join(lines)


def shop_keyboard(t: Translator, page: ShopPage, user_id: int) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                text=t("shop-button", number=r.number, name=shorten(r.name, BUTTON_NAME)),
                callback_data=ShopPick(u=user_id, n=r.number).pack(),
            )
        ]
        for r in page.rewards
        if unavailable(r, page.who) is None
    ]
    nav = []
    if page.page > 0:
        nav.append(
            InlineKeyboardButton(
                text=t("shop-prev"), callback_data=ShopNav(u=user_id, p=page.page - 1).pack()
            )
        )
    if page.page + 1 < page.pages:
        nav.append(
            InlineKeyboardButton(
                text=t("shop-next"), callback_data=ShopNav(u=user_id, p=page.page + 1).pack()
            )
        )
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def confirm_text(t: Translator, reward: Reward, balance: int) -> str:
    return t(
        "shop-confirm",
        number=reward.number,
        name=reward.name,
        cost=reward.cost,
        balance=balance,
        after=balance - reward.cost,
    )


def confirm_keyboard(
    t: Translator, reward: Reward, user_id: int, nonce: int
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("shop-confirm-yes"),
                    callback_data=ShopConfirm(
                        u=user_id, n=reward.number, c=reward.cost, k=nonce
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text=t("shop-confirm-no"), callback_data=ShopCancel(u=user_id).pack()
                ),
            ]
        ]
    )


def status_text(t: Translator, status: str) -> str:
    return t(f"shop-status-{status}")


def pending_text(t: Translator, items: list[tuple[Redemption, str]]) -> str:
    if not items:
        return t("shop-pending-empty")
    lines = [t("shop-pending-title")]
    for r, name in items:
        lines.append(
            t(
                "shop-pending-item",
                id=r.id,
                name=name,
                number=r.reward_number,
                reward=r.reward_name,
                cost=r.cost,
                date=f"{r.created_at:%Y-%m-%d %H:%M}",
            )
        )
    return "\n".join(lines)


def pending_keyboard(t: Translator, items: list[Redemption]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                text=t("shop-approve", id=r.id), callback_data=Decide(r=r.id or 0, a=1).pack()
            ),
            InlineKeyboardButton(
                text=t("shop-reject", id=r.id), callback_data=Decide(r=r.id or 0, a=0).pack()
            ),
        ]
        for r in items
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def profile_lines(session, group, user_id: int, t: Translator) -> str:  # type: ignore[no-untyped-def]
    """Level, title, progress bar and badges: the lines /me adds for the shop."""
    from core.shop.profile import level_and_badges

    found = await level_and_badges(session, group, user_id)
    lines = level_lines(t, found.curve, found.progress)
    if found.badges:
        lines.append(t("badges-line", badges=", ".join(badge_name(t, b) for b in found.badges)))
    return "\n".join(lines)


def badge_name(t: Translator, badge: str) -> str:
    if badge.startswith("top3_"):
        year, _, month = badge.removeprefix("top3_").partition("_")
        return t("badge-top3", month=f"{year}-{month}")
    key = f"badge-{badge}"
    return t(key) if t.has(key) else badge
