"""An aiogram session answered in-process: for the benchmark and handler tests (no network).

It answers the methods the bot uses with plausible results and records every call. The
end-to-end tests use the HTTP emulator instead; this one only removes the network.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    ApproveChatJoinRequest,
    CopyMessage,
    CreateChatInviteLink,
    DeclineChatJoinRequest,
    EditChatInviteLink,
    EditMessageCaption,
    EditMessageText,
    GetChatAdministrators,
    GetChatMember,
    GetMe,
    GetUpdates,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    Chat,
    ChatInviteLink,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    Document,
    Message,
    MessageId,
    PhotoSize,
    User,
)

BOT_USER = User(
    id=123456,
    is_bot=True,
    first_name="Community Bot",
    username="community_test_bot",
    can_read_all_group_messages=True,  # getMe says it; privacy mode off
)


class InProcessSession(BaseSession):
    def __init__(
        self,
        admins: set[tuple[int, int]] | None = None,
        record: bool = True,
        unreachable: set[int] | None = None,
    ) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.admins = admins or set()
        # Private chats Telegram refuses (403): users who never started the bot or blocked it.
        self.unreachable = unreachable if unreachable is not None else set()
        self._record = record
        self.me = BOT_USER  # what getMe says (a test may turn privacy mode on)
        self._ids = itertools.count(1_000_000)
        # Private chats of users who never started the bot: sendMessage there fails with 403.
        self.unreachable: set[int] = set()
        # Messages deleted (chat, message id): copyMessage of one fails as Telegram's does.
        self.deleted: set[tuple[int, int]] = set()
        # Invite links the bot made (URL -> revoked?), pending join requests (chat, user), and
        # chats where the bot is an administrator without the invite right (else it has it).
        self.invite_links: dict[str, bool] = {}
        self.join_requests: set[tuple[int, int]] = set()
        self.no_invite_right: set[int] = set()
        # Chats where the bot is a plain member, not an administrator (it is one elsewhere).
        self.bot_not_admin: set[int] = set()
        # Messages (chat, message id) Telegram no longer lets the bot edit (older than 48 h).
        self.uneditable: set[tuple[int, int]] = set()

    async def close(self) -> None:
        pass

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if self._record:
            self.calls.append(method)
        if isinstance(method, SendMessage) and method.chat_id in self.unreachable:
            raise TelegramForbiddenError(
                method, "Forbidden: bot can't initiate conversation with a user"
            )
        if (
            isinstance(method, CopyMessage)
            and (int(method.from_chat_id), method.message_id) in self.deleted  # type: ignore[arg-type]
        ):
            raise TelegramBadRequest(method, "Bad Request: message to copy not found")
        if (
            isinstance(method, EditMessageText)
            and (int(method.chat_id or 0), method.message_id) in self.uneditable  # type: ignore[arg-type]
        ):
            raise TelegramBadRequest(method, "Bad Request: message can't be edited")
        return self._answer(method)  # type: ignore[return-value]

    def _invites(self, method: TelegramMethod[Any]) -> Any:
        """Invite links and join requests, with Telegram's refusals (the emulator has all)."""
        chat_id = int(method.chat_id)  # type: ignore[attr-defined]
        if chat_id in self.no_invite_right:
            raise TelegramBadRequest(
                method, "Bad Request: not enough rights to manage chat invite link"
            )
        if isinstance(method, (ApproveChatJoinRequest, DeclineChatJoinRequest)):
            key = (chat_id, method.user_id)
            if key not in self.join_requests:
                raise TelegramBadRequest(method, "Bad Request: HIDE_REQUESTER_MISSING")
            self.join_requests.discard(key)
            return True
        if isinstance(method, EditChatInviteLink):
            link = method.invite_link
            if self.invite_links.get(link, True):
                raise TelegramBadRequest(method, "Bad Request: INVITE_HASH_EXPIRED")
        else:
            link = f"https://t.me/+inproc{next(self._ids)}"
            self.invite_links[link] = False
        return ChatInviteLink(
            invite_link=link,
            creator=BOT_USER,
            creates_join_request=bool(method.creates_join_request),  # type: ignore[union-attr]
            is_primary=False,
            is_revoked=False,
            name=method.name,  # type: ignore[union-attr]
        )

    def _answer(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(
            method,
            (
                CreateChatInviteLink,
                EditChatInviteLink,
                ApproveChatJoinRequest,
                DeclineChatJoinRequest,
            ),
        ):
            return self._invites(method)
        if isinstance(method, GetMe):
            return self.me
        if isinstance(method, GetUpdates):
            return []
        if isinstance(
            method, (SendMessage, EditMessageText, SendDocument, SendPhoto, EditMessageCaption)
        ):
            chat_id = int(method.chat_id)  # type: ignore[arg-type]
            chat = Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup")
            document = None
            if isinstance(method, SendDocument):
                document = Document(file_id="f", file_unique_id="f", file_name="export.csv")
            photo = None
            if isinstance(method, (SendPhoto, EditMessageCaption)):
                file_id = method.photo if isinstance(method, SendPhoto) else "p"
                photo = [PhotoSize(file_id=str(file_id), file_unique_id="p", width=1, height=1)]
            return Message(
                message_id=getattr(method, "message_id", None) or next(self._ids),
                date=datetime.now(UTC),
                chat=chat,
                from_user=BOT_USER,
                text=getattr(method, "text", None),
                caption=getattr(method, "caption", None),
                document=document,
                photo=photo,
            )
        if isinstance(method, SendMediaGroup):
            chat_id = int(method.chat_id)  # type: ignore[arg-type]
            chat = Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup")
            return [
                Message(
                    message_id=next(self._ids),
                    date=datetime.now(UTC),
                    chat=chat,
                    from_user=BOT_USER,
                    caption=getattr(item, "caption", None),
                    media_group_id="album" if len(method.media) > 1 else None,
                    photo=[PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)],
                )
                for item in method.media
            ]
        if isinstance(method, GetChatAdministrators):
            chat_id = int(method.chat_id)  # type: ignore[arg-type]
            return [
                ChatMemberOwner(user=User(id=u, is_bot=False, first_name="A"), is_anonymous=False)
                for c, u in sorted(self.admins)
                if c == chat_id
            ]
        if isinstance(method, CopyMessage):
            return MessageId(message_id=next(self._ids))
        if (
            isinstance(method, GetChatMember)
            and method.user_id == BOT_USER.id
            and int(method.chat_id) not in self.bot_not_admin  # type: ignore[arg-type]
        ):
            rights = {
                name: name != "can_invite_users" or int(method.chat_id) not in self.no_invite_right  # type: ignore[arg-type]
                for name, info in ChatMemberAdministrator.model_fields.items()
                if name.startswith("can_") and info.is_required()
            }
            return ChatMemberAdministrator(user=BOT_USER, is_anonymous=False, **rights)
        if isinstance(method, GetChatMember):
            user = User(id=method.user_id, is_bot=False, first_name="U")
            if (int(method.chat_id), method.user_id) in self.admins:  # type: ignore[arg-type]
                return ChatMemberOwner(user=user, is_anonymous=False)
            return ChatMemberMember(user=user)
        return True

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.text
            for c in self.calls
            if isinstance(c, SendMessage) and (chat_id is None or c.chat_id == chat_id)
        ]
