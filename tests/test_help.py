"""/help by area: a manager's index of areas as buttons, each area's commands with an example,
the same message edited (Back returns), `/help <area>` in both languages; a member's stays
short. All derived from the declarations: a feature of a new area appears without help's code
knowing it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from aiogram import Router
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.features import Area, CommandCatalog, CommandSpec, Feature, Role, Where
from bot.i18n import LANGUAGES, LOCALES_DIR, Locales
from bot.replies import plain
from handlers import features
from handlers.community import help_pages as pages
from tests import factories as f
from tests.app_harness import running_bot

ADMIN, MEMBER, OTHER_ADMIN = 1001, 1002, 1003


def _buttons(method: SendMessage | EditMessageText) -> list[tuple[str, str]]:
    markup = method.reply_markup
    assert markup is not None
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]  # type: ignore[union-attr]


async def test_a_manager_walks_the_areas_in_one_message(db_url: str) -> None:
    admins = {(f.GROUP_ID, ADMIN), (f.GROUP_ID, OTHER_ADMIN)}
    async with running_bot(db_url, admins=admins) as bot:
        await bot.feed(f.message(f.user(ADMIN, "Ada"), "/help"))
        [index] = bot.sent(SendMessage)
        assert index.text.startswith("<b>Help for managers</b>")
        assert len(index.text.splitlines()) <= 3  # an index, not a wall
        buttons = _buttons(index)
        labels = [label for label, _ in buttons]
        # The areas with commands, in the declared order; none for areas with no command yet.
        assert labels == [
            "👤 Basics",
            "🎯 Points and check-ins",
            "🎁 Shop and rewards",
            "🗓 Posts and greetings",
            "💬 Feedback and surveys",
            "📣 Campaigns",
            "⚙️ Settings and export",
        ]
        shop = dict(buttons)["🎁 Shop and rewards"]

        bot.clear()
        await bot.feed(f.callback(f.user(ADMIN, "Ada"), shop, message_id=500))
        [edit] = bot.sent(EditMessageText)
        assert edit.message_id == 500 and edit.chat_id == f.GROUP_ID  # the same message
        lines = edit.text.splitlines()
        assert lines[0] == "<b>🎁 Shop and rewards</b>"
        assert "/redeem — Redeem a reward" in lines
        assert "<code>/redeem 2</code>" in lines  # one example each
        assert "/reward_add — Add a reward" in lines
        assert lines[lines.index("/reward_add — Add a reward") + 1].startswith("<code>/reward_add")
        assert "<i>For admins</i>" in lines
        assert "/grant — " not in edit.text  # another area's
        [(back_label, back)] = _buttons(edit)
        assert back_label == "« All areas"
        assert bot.sent(AnswerCallbackQuery)

        # Someone else's press turns no page of it.
        bot.clear()
        await bot.feed(f.callback(f.user(OTHER_ADMIN), back, message_id=500))
        assert bot.sent(EditMessageText) == []
        [answer] = bot.sent(AnswerCallbackQuery)
        assert answer.text == "This help is someone else's: send /help for your own."

        bot.clear()
        await bot.feed(f.callback(f.user(ADMIN, "Ada"), back, message_id=500))
        [edit] = bot.sent(EditMessageText)
        assert edit.message_id == 500 and edit.text == index.text
        assert _buttons(edit) == buttons


async def test_help_by_text_in_both_languages_and_a_members_stays_short(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN)}) as bot:
        admin, member = f.user(ADMIN, "Ada"), f.user(MEMBER, "Mia")
        for words in ("points", "Check-ins", "积分", "签到"):
            bot.clear()
            await bot.feed(f.message(admin, f"/help {words}"))
            page = bot.last_text()
            assert page.startswith("<b>🎯 Points and check-ins</b>"), words
            assert "/grant — Give points to a member" in page
        zh_admin = f.user(ADMIN, "Ada", lang="zh-hans")
        await bot.feed(f.message(zh_admin, "/help 商城"))
        page = bot.last_text()
        assert page.startswith("<b>🎁 商城与奖品</b>") and "<code>/reward_add 50 10 咖啡券" in page

        # A command in detail: usage, example and who may use it.
        await bot.feed(f.message(admin, "/help /grant"))
        assert bot.last_text().splitlines() == [
            "<b>/grant</b> — Give points to a member",
            "/grant &lt;amount&gt; [reason] — reply to a member's message, or add @username or an id",
            "Example: <code>/grant @alice 50 thanks for the help</code>",
            "Group admins only.",
        ]
        await bot.feed(f.message(admin, "/help fishing"))
        assert bot.last_text().startswith("I have no help on “fishing”.\n\n<b>Help for managers")

        # A member: the short list, no buttons, no admin commands; an area shows their part.
        bot.clear()
        await bot.feed(f.message(member, "/help"))
        [short] = bot.sent(SendMessage)
        assert short.reply_markup is None
        assert short.text.startswith("<b>Member commands</b>\n/checkin — Check in for today")
        assert len(short.text.splitlines()) <= 13
        assert "/grant" not in short.text and "/reward_add" not in short.text
        await bot.feed(f.message(member, "/help shop"))
        assert "/redeem — " in bot.last_text() and "/reward_add" not in bot.last_text()

        # In private: the short list, and every area on buttons (managers read there too).
        bot.clear()
        await bot.feed(f.message(member, "/help", chat_id=MEMBER))
        [private] = bot.sent(SendMessage)
        assert "/inbox — Open the feedback inbox" in private.text
        assert "/reject" not in private.text  # an admin's command: on its area's page only
        shop = dict(_buttons(private))["🎁 Shop and rewards"]
        await bot.feed(f.callback(member, shop, message_id=77, chat_id=MEMBER))
        [edit] = bot.sent(EditMessageText)
        assert "/reject — Reject a redemption and refund it" in edit.text
        assert "/flash — Post a flash sale (in the group)" in edit.text


def test_every_command_has_an_example_and_descriptions_read_alike() -> None:
    """Menu texts: capitalised (en), imperative or a noun phrase, no final stop, no "(admins)"
    (the admins' menu is theirs alone), similar length; one example per command."""
    locales = Locales()
    catalog = CommandCatalog(features())
    for spec in catalog.commands:
        for language in LANGUAGES:
            t = locales.get(language)
            assert t.has(f"example-{spec.name}"), (language, spec.name)
            example = t(f"example-{spec.name}")
            assert example.startswith(f"/{spec.name}") or spec.name == "checkin", example
            text = t(f"cmd-{spec.name}")
            assert not re.search(r"[.。!！;；]$", text), (language, text)
            assert "admin" not in text.lower() and "管理员" not in text, (language, text)
            if language == "en":
                assert text[0].isupper() and 10 <= len(text) <= 40, text
            else:
                assert 2 <= len(text) <= 20, text
    for area in Area:
        for language in LANGUAGES:
            t = locales.get(language)
            assert t.has(f"help-area-{area.value}") and t.has(f"help-area-{area.value}-names")
    names = [pages.area_names(locales, area) for area in Area]
    assert all(not (a & b) for i, a in enumerate(names) for b in names[i + 1 :])  # unambiguous


def test_a_new_areas_commands_appear_without_help_knowing_them(tmp_path: Path) -> None:
    """Another engineer's feature: `area=Area.NUMBERS`, texts in its own locale files."""
    shutil.copytree(LOCALES_DIR, tmp_path, dirs_exist_ok=True)
    (tmp_path / "en" / "numbers.ftl").write_text(
        "cmd-stats = Show the group's numbers\nexample-stats = /stats week\n", encoding="utf-8"
    )
    (tmp_path / "zh" / "numbers.ftl").write_text(
        "cmd-stats = 查看群数据\nexample-stats = /stats week\n", encoding="utf-8"
    )
    stats = CommandSpec("stats", role=Role.ADMIN, area=Area.NUMBERS)
    numbers = Feature("numbers", lambda: [Router(name="numbers")], commands=(stats,))
    catalog = CommandCatalog([*features(), numbers])
    locales = Locales(tmp_path)
    t = locales.get("en")
    admin = {Role.MEMBER, Role.ADMIN}
    labels = [
        b.text for row in pages.index_keyboard(t, catalog, admin, 1).inline_keyboard for b in row
    ]
    assert "📊 Numbers" in labels and "🖥 Dashboard" not in labels
    assert "📊 Numbers" not in [
        b.text
        for row in pages.index_keyboard(t, catalog, {Role.MEMBER}, 1).inline_keyboard
        for b in row
    ]
    page = pages.area_page(t, catalog, Area.NUMBERS, admin, Where.GROUP)
    assert plain(page).splitlines()[:4] == [
        "📊 Numbers",
        "For admins",
        "/stats — Show the group's numbers",
        "/stats week",
    ]
    assert pages.find_topic(locales, catalog, ["数据"]) == Area.NUMBERS
