"""The Telegram calls growth makes (invite links, join requests), through the Outbox (paced,
429s waited out), with Telegram's refusals sorted into what the handlers tell people."""

from __future__ import annotations

import logging
from enum import StrEnum

from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    ApproveChatJoinRequest,
    CreateChatInviteLink,
    DeclineChatJoinRequest,
    EditChatInviteLink,
    GetChatMember,
)

from bot.outbound import Outbox, Priority

logger = logging.getLogger(__name__)

# What Telegram says when the bot lacks a right (or is no administrator at all).
_RIGHTS = (
    "not enough rights",
    "chat_admin_required",
    "need administrator rights",
    "admin privileges",
    "have no rights",
)
# The join request is no longer pending (processed, or withdrawn).
_GONE = ("hide_requester_missing", "user_already_participant", "request not found")


class Outcome(StrEnum):
    OK = "ok"
    RIGHTS = "rights"  # the bot is no admin with the invite right
    GONE = "gone"  # the join request is no longer pending
    DEAD = "dead"  # the invite link no longer works (revoked, expired, unknown)
    FAILED = "failed"  # anything else (Telegram down, a timeout): try later


class Rights(StrEnum):
    INVITE = "invite"  # an administrator with can_invite_users
    ADMIN_WITHOUT_INVITE = "admin_without_invite"
    NOT_ADMIN = "not_admin"
    UNKNOWN = "unknown"


def outcome_of(exc: BaseException, *, link: bool = False) -> Outcome:
    if isinstance(exc, TelegramForbiddenError):
        return Outcome.RIGHTS  # not in the chat any more
    if isinstance(exc, TelegramBadRequest):
        text = exc.message.lower()
        if any(s in text for s in _RIGHTS):
            return Outcome.RIGHTS
        if any(s in text for s in _GONE):
            return Outcome.GONE
        return Outcome.DEAD if link else Outcome.FAILED
    return Outcome.FAILED


class LinkRefused(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome


async def create_link(outbox: Outbox, chat_id: int, name: str, join_request: bool) -> str:
    try:
        made = await outbox.send(
            chat_id,
            CreateChatInviteLink(
                chat_id=chat_id, name=name, creates_join_request=join_request or None
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    except TelegramAPIError as exc:
        raise LinkRefused(outcome_of(exc)) from exc
    return str(made.invite_link)


async def edit_link(outbox: Outbox, chat_id: int, link: str, name: str, join_request: bool) -> str:
    """Keep the link, with the member's current name and the group's approval mode; Telegram's
    answer also tells whether it still works."""
    try:
        kept = await outbox.send(
            chat_id,
            EditChatInviteLink(
                chat_id=chat_id, invite_link=link, name=name, creates_join_request=join_request
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    except TelegramAPIError as exc:
        raise LinkRefused(outcome_of(exc, link=True)) from exc
    if getattr(kept, "is_revoked", False):
        raise LinkRefused(Outcome.DEAD)
    return str(kept.invite_link)


async def bot_rights(outbox: Outbox, chat_id: int, bot_id: int) -> Rights:
    try:
        member = await outbox.send(
            chat_id,
            GetChatMember(chat_id=chat_id, user_id=bot_id),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    except TelegramAPIError:
        return Rights.UNKNOWN
    if member.status == ChatMemberStatus.CREATOR:
        return Rights.INVITE
    if member.status != ChatMemberStatus.ADMINISTRATOR:
        return Rights.NOT_ADMIN
    return (
        Rights.INVITE
        if getattr(member, "can_invite_users", False)
        else Rights.ADMIN_WITHOUT_INVITE
    )


async def is_member(outbox: Outbox, chat_id: int, user_id: int) -> bool | None:
    """Whether Telegram says the user is in the chat now (None: it did not say)."""
    try:
        member = await outbox.send(
            chat_id,
            GetChatMember(chat_id=chat_id, user_id=user_id),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    except TelegramAPIError:
        return None
    status = member.status
    if status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return status in (
        ChatMemberStatus.CREATOR,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.MEMBER,
    )


async def approve(outbox: Outbox, chat_id: int, user_id: int) -> Outcome:
    return await _request_call(
        outbox, chat_id, ApproveChatJoinRequest(chat_id=chat_id, user_id=user_id)
    )


async def decline(outbox: Outbox, chat_id: int, user_id: int) -> Outcome:
    return await _request_call(
        outbox, chat_id, DeclineChatJoinRequest(chat_id=chat_id, user_id=user_id)
    )


async def _request_call(
    outbox: Outbox, chat_id: int, method: ApproveChatJoinRequest | DeclineChatJoinRequest
) -> Outcome:
    try:
        await outbox.send(chat_id, method, priority=Priority.HIGH, counts_as_message=False)
    except TelegramAPIError as exc:
        found = outcome_of(exc)
        logger.info("%s in %s refused: %s", type(method).__name__, chat_id, exc)
        return found
    except Exception:  # noqa: BLE001  (the outbox stopped: try later)
        logger.warning("%s in %s failed", type(method).__name__, chat_id, exc_info=True)
        return Outcome.FAILED
    return Outcome.OK
