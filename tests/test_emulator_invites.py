"""The emulator's invite links and join requests refuse what Telegram refuses: links only from
an administrator with the invite right, names of at most 32 characters, only the bot's own
links edited; joins through links say which link; a requester can be written to for 5
minutes while the request is pending; a request is approved or declined once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devtools.emulator.actions import WorldActions
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import load

GROUP = -100888
BOT = 1
ADMIN, ANN, BEN = 10, 11, 12
METHODS = load()


def world() -> WorldActions:
    w = WorldActions(bot_username="test_bot", files_dir=None)
    w.bot_id = BOT
    w.add_group(GROUP, "G")
    for user_id, name in ((ADMIN, "Ada"), (ANN, "Ann"), (BEN, "Ben")):
        w.add_user(user_id, name)
    w.set_member_status(GROUP, ADMIN, "creator")
    w.set_member_status(GROUP, BOT, "administrator")
    return w


def call(w: WorldActions, method: str, **params: object) -> object:
    return METHODS[method](w, params)


def test_links_need_an_administrator_with_the_invite_right() -> None:
    w = world()
    made = call(w, "createChatInviteLink", chat_id=GROUP, name="Ann")
    assert made["name"] == "Ann" and made["creator"]["id"] == BOT  # type: ignore[index]
    assert made["invite_link"].startswith("https://t.me/+")  # type: ignore[index]
    w.set_rights(GROUP, BOT, can_invite_users=False)
    with pytest.raises(ApiError, match="not enough rights"):
        call(w, "createChatInviteLink", chat_id=GROUP, name="Ann")
    w.set_member_status(GROUP, BOT, "member")
    with pytest.raises(ApiError, match="not enough rights"):
        call(w, "createChatInviteLink", chat_id=GROUP)
    member = call(w, "getChatMember", chat_id=GROUP, user_id=BOT)
    assert member["status"] == "member"  # type: ignore[index]


def test_link_options_are_checked() -> None:
    w = world()
    with pytest.raises(ApiError, match="name is too long"):
        call(w, "createChatInviteLink", chat_id=GROUP, name="x" * 33)
    call(w, "createChatInviteLink", chat_id=GROUP, name="x" * 32)
    with pytest.raises(ApiError, match="member limit"):
        call(w, "createChatInviteLink", chat_id=GROUP, member_limit=5, creates_join_request=True)


def test_only_the_bots_own_live_links_are_edited() -> None:
    w = world()
    link = call(w, "createChatInviteLink", chat_id=GROUP, name="Ann")["invite_link"]  # type: ignore[index]
    edited = call(
        w,
        "editChatInviteLink",
        chat_id=GROUP,
        invite_link=link,
        name="Ann B",
        creates_join_request=True,
    )
    assert edited["name"] == "Ann B" and edited["creates_join_request"] is True  # type: ignore[index]
    others = w.create_invite_link(GROUP, ADMIN, name="Ada's")
    with pytest.raises(ApiError, match="CHAT_ADMIN_REQUIRED"):
        call(w, "editChatInviteLink", chat_id=GROUP, invite_link=others, name="mine")
    with pytest.raises(ApiError, match="INVITE_HASH_INVALID"):
        call(w, "editChatInviteLink", chat_id=GROUP, invite_link="https://t.me/+nope", name="x")
    w.revoke_invite_link(link)
    with pytest.raises(ApiError, match="INVITE_HASH_EXPIRED"):
        call(w, "editChatInviteLink", chat_id=GROUP, invite_link=link, name="x")
    with pytest.raises(ValueError, match="expired"):
        w.join_via_link(ANN, link)


def test_a_join_through_a_link_names_it() -> None:
    w = world()
    mine = call(w, "createChatInviteLink", chat_id=GROUP, name="Ann")["invite_link"]  # type: ignore[index]
    update = w.join_via_link(ANN, mine)["chat_member"]
    assert update["invite_link"]["invite_link"] == mine and update["from"]["id"] == ANN
    assert w.status[(GROUP, ANN)] == "member"
    others = w.create_invite_link(GROUP, ADMIN)
    shown = w.join_via_link(BEN, others)["chat_member"]["invite_link"]["invite_link"]
    assert shown != others and shown.endswith("...")  # another admin's link: partly hidden


def test_join_requests_and_the_five_minute_window() -> None:
    w = world()
    link = call(w, "createChatInviteLink", chat_id=GROUP, creates_join_request=True)["invite_link"]  # type: ignore[index]
    request = w.join_via_link(ANN, link)["chat_join_request"]
    assert request["user_chat_id"] == ANN and request["invite_link"]["invite_link"] == link
    assert w.status.get((GROUP, ANN)) is None  # not in yet
    # Ann never started the bot, yet it may write to her while the request is fresh.
    call(w, "sendMessage", chat_id=ANN, text="Which city?")
    with pytest.raises(ApiError, match="can't initiate"):
        call(w, "sendMessage", chat_id=BEN, text="hello")  # no request, never started
    w.advance(timedelta(minutes=5, seconds=1))
    with pytest.raises(ApiError, match="can't initiate"):
        call(w, "sendMessage", chat_id=ANN, text="Still there?")

    with pytest.raises(ApiError, match="HIDE_REQUESTER_MISSING"):
        call(w, "declineChatJoinRequest", chat_id=GROUP, user_id=BEN)
    assert call(w, "approveChatJoinRequest", chat_id=GROUP, user_id=ANN) is True
    joined = w._updates[-1]["chat_member"]
    assert joined["via_join_request"] is True and joined["from"]["id"] == BOT
    assert joined["invite_link"]["invite_link"] == link
    assert w.status[(GROUP, ANN)] == "member"
    with pytest.raises(ApiError, match="USER_ALREADY_PARTICIPANT"):
        call(w, "approveChatJoinRequest", chat_id=GROUP, user_id=ANN)

    w.request_to_join(GROUP, BEN)
    call(w, "sendMessage", chat_id=BEN, text="Hi Ben")
    assert call(w, "declineChatJoinRequest", chat_id=GROUP, user_id=BEN) is True
    with pytest.raises(ApiError, match="can't initiate"):  # processed: the window is closed
        call(w, "sendMessage", chat_id=BEN, text="Sorry")
    w.set_rights(GROUP, BOT, can_invite_users=False)
    w.request_to_join(GROUP, BEN)
    with pytest.raises(ApiError, match="not enough rights"):
        call(w, "approveChatJoinRequest", chat_id=GROUP, user_id=BEN)
