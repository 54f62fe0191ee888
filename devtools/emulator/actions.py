"""What people do in the emulated Telegram (write, join, leave, press buttons, add the bot), each
turned into the updates Telegram would send the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devtools.emulator.members import chat_member
from devtools.emulator.methods.invites import link_object, new_link
from devtools.emulator.world import World


class WorldActions(World):
    def _user_message(
        self,
        chat: dict[str, Any],
        user_id: int,
        text: str | None,
        date: datetime | int | None,
        **extra: Any,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": self.next_message_id(chat["id"]),
            "date": self.date(date),
            "chat": chat,
            "from": self.users[user_id],
            **extra,
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                msg["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                ]
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        date: datetime | int | None = None,
        reply_to_message_id: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if reply_to_message_id is not None:
            extra["reply_to_message"] = self.messages[(chat_id, reply_to_message_id)]
        if thread_id is not None:  # a message in a forum topic
            extra["message_thread_id"] = thread_id
            extra["is_topic_message"] = True
        if self.status.get((chat_id, user_id), "left") in ("left", "kicked"):
            self.status[(chat_id, user_id)] = "member"
        msg = self._user_message(self.chats[chat_id], user_id, text, date, **extra)
        return self.push_update({"message": msg})

    def send_photo(
        self,
        chat_id: int,
        user_id: int,
        *,
        caption: str | None = None,
        date: datetime | int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """A photo (two sizes, each with a file id the bot may send again), with a caption: a
        command in it is marked as Telegram marks one (caption_entities)."""
        n = len(self.files) // 2 + 1
        sizes = [
            {"file_id": f"photo{n}-small", "file_unique_id": f"p{n}s", "width": 90, "height": 90},
            {"file_id": f"photo{n}", "file_unique_id": f"p{n}", "width": 1280, "height": 960},
        ]
        for size in sizes:
            self.files[size["file_id"]] = sizes
        extra: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            extra["caption"] = caption
            if caption.startswith("/"):
                length = len(caption.split()[0])
                extra["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": length}
                ]
        if reply_to_message_id is not None:
            extra["reply_to_message"] = self.messages[(chat_id, reply_to_message_id)]
        if self.status.get((chat_id, user_id), "left") in ("left", "kicked"):
            self.status[(chat_id, user_id)] = "member"
        msg = self._user_message(self.chats[chat_id], user_id, None, date, **extra)
        return self.push_update({"message": msg})

    def send_private(
        self, user_id: int, text: str, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        self.start_private(user_id)
        msg = self._user_message(self.private_chat(user_id), user_id, text, date)
        return self.push_update({"message": msg})

    def _member_update(
        self,
        key: str,
        chat_id: int,
        actor_id: int,
        user: dict[str, Any],
        old: str,
        new: str,
        date: int,
    ) -> dict[str, Any]:
        return self.push_update(
            {
                key: {
                    "chat": self.chats[chat_id],
                    "from": self.users.get(actor_id, user),
                    "date": date,
                    "old_chat_member": chat_member(user, old),
                    "new_chat_member": chat_member(user, new),
                }
            }
        )

    def add_bot_to_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        as_admin: bool = True,
        date: datetime | int | None = None,
    ) -> dict[str, Any]:
        status = "administrator" if as_admin else "member"
        bot = self.bot_user()
        self.status[(chat_id, bot["id"])] = status
        when = self.date(date)
        update = self._member_update(
            "my_chat_member", chat_id, by_user_id, bot, "left", status, when
        )
        msg = self._user_message(
            self.chats[chat_id], by_user_id, None, when, new_chat_members=[bot]
        )
        self.push_update({"message": msg})
        return update

    def remove_bot_from_group(self, chat_id: int, by_user_id: int) -> dict[str, Any]:
        bot = self.bot_user()
        old = self.status.get((chat_id, bot["id"]), "member")
        self.status[(chat_id, bot["id"])] = "left"
        return self._member_update(
            "my_chat_member", chat_id, by_user_id, bot, old, "left", self.date(None)
        )

    def join(
        self, chat_id: int, user_id: int, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        old = self.status.get((chat_id, user_id), "left")
        self.status[(chat_id, user_id)] = "member"
        when = self.date(date)
        user = self.users[user_id]
        msg = self._user_message(self.chats[chat_id], user_id, None, when, new_chat_members=[user])
        self.push_update({"message": msg})
        return self._member_update("chat_member", chat_id, user_id, user, old, "member", when)

    def leave(
        self, chat_id: int, user_id: int, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        old = self.status.get((chat_id, user_id), "member")
        self.status[(chat_id, user_id)] = "left"
        when = self.date(date)
        user = self.users[user_id]
        msg = self._user_message(self.chats[chat_id], user_id, None, when, left_chat_member=user)
        self.push_update({"message": msg})
        return self._member_update("chat_member", chat_id, user_id, user, old, "left", when)

    # ---- invite links and join requests -------------------------------------------------

    def create_invite_link(self, chat_id: int, creator_id: int, **options: Any) -> str:
        """A link an administrator made in Telegram's own interface (not the bot's)."""
        return new_link(self, chat_id, creator_id, **options)

    def revoke_invite_link(self, link: str) -> None:
        """An administrator revokes a link in Telegram's interface (the bot is not told)."""
        self.invite_links[link]["is_revoked"] = True

    def join_via_link(
        self, user_id: int, link: str, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        """Someone opens an invite link: they join, or (a link requiring approval) they ask to
        join. A revoked or expired link lets nobody in."""
        data = self.invite_links[link]
        expire = data.get("expire_date")
        if data["is_revoked"] or (expire is not None and self.date(date) >= expire):
            raise ValueError(f"the invite link {link} has expired")
        if data["creates_join_request"]:
            return self.request_to_join(data["chat_id"], user_id, link=link, date=date)
        return self.admit(data["chat_id"], user_id, link=link, date=date)

    def request_to_join(
        self,
        chat_id: int,
        user_id: int,
        *,
        link: str | None = None,
        date: datetime | int | None = None,
        bio: str | None = None,
    ) -> dict[str, Any]:
        """A join request (through a link requiring approval, or a public group's button): the
        bot may write to the person through user_chat_id for 5 minutes while it is pending."""
        when = self.date(date)
        self.join_requests[(chat_id, user_id)] = {"date": when, "link": link}
        request: dict[str, Any] = {
            "chat": self.chats[chat_id],
            "from": self.users[user_id],
            "user_chat_id": user_id,
            "date": when,
        }
        if bio is not None:
            request["bio"] = bio
        if link is not None:
            request["invite_link"] = link_object(self, link, for_updates=True)
        return self.push_update({"chat_join_request": request})

    def admit(
        self,
        chat_id: int,
        user_id: int,
        *,
        link: str | None = None,
        via_join_request: bool = False,
        date: datetime | int | None = None,
    ) -> dict[str, Any]:
        """The person is in: the service message and chat_member (with the link used, and
        who let them in: the bot, for an approved request)."""
        old = self.status.get((chat_id, user_id), "left")
        self.status[(chat_id, user_id)] = "member"
        when = self.date(date)
        user = self.users[user_id]
        msg = self._user_message(self.chats[chat_id], user_id, None, when, new_chat_members=[user])
        self.push_update({"message": msg})
        update: dict[str, Any] = {
            "chat": self.chats[chat_id],
            "from": self.bot_user() if via_join_request else user,
            "date": when,
            "old_chat_member": chat_member(user, old),
            "new_chat_member": chat_member(user, "member"),
        }
        if link is not None:
            update["invite_link"] = link_object(self, link, for_updates=True)
        if via_join_request:
            update["via_join_request"] = True
        return self.push_update({"chat_member": update})

    def press_button(
        self, chat_id: int, user_id: int, message_id: int, data: str
    ) -> dict[str, Any]:
        message = self.messages[(chat_id, message_id)]
        return self.push_update(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": self.users[user_id],
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    def vote(self, poll_id: str, user_id: int, option_ids: list[int]) -> dict[str, Any] | None:
        """A member votes in a poll ([] retracts the vote). Telegram sends poll_answer only for
        non-anonymous polls that are still open; None when it sends nothing."""
        poll = self.polls[poll_id]
        if poll["closed"]:
            return None
        if option_ids:
            poll["votes"][user_id] = list(option_ids)
        else:
            poll["votes"].pop(user_id, None)
        if poll["anonymous"]:
            return None
        return self.push_update(
            {
                "poll_answer": {
                    "poll_id": poll_id,
                    "user": self.users[user_id],
                    "option_ids": list(option_ids),
                    "option_persistent_ids": [f"{poll_id}-{i}" for i in option_ids],
                }
            }
        )

    def press_button_by_label(self, chat_id: int, user_id: int, label: str) -> dict[str, Any]:
        for sent in reversed(self.sent):
            if sent.chat_id != chat_id:
                continue
            for row in (sent.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label and "callback_data" in button:
                        return self.press_button(
                            chat_id, user_id, sent.message_id, button["callback_data"]
                        )
        raise LookupError(f"no button {label!r} in chat {chat_id}")
