"""aiogram's types are built on first use once the bot is imported, and every one builds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = textwrap.dedent(
    """
    import bot  # first, as `python -m bot` does
    import aiogram.methods as methods
    import aiogram.types as types
    from pydantic import BaseModel

    models = [
        getattr(types, name) for name in types.__all__
        if isinstance(getattr(types, name), type) and issubclass(getattr(types, name), BaseModel)
    ]
    assert len(models) > 300, len(models)
    assert not types.Message.__pydantic_complete__, "built at import"
    from aiogram.methods.base import Response  # what getUpdates answers are parsed into
    batch = Response[list[types.Update]].model_validate({"ok": True, "result": [{
        "update_id": 2, "message": {"message_id": 2, "date": 0, "chat": {"id": 1, "type": "private"},
                                    "from": {"id": 1, "is_bot": False, "first_name": "B"}, "text": "hi"}}]})
    assert batch.result[0].message.text == "hi"
    update = types.Update.model_validate({
        "update_id": 1,
        "message": {
            "message_id": 1, "date": 0, "chat": {"id": -5, "type": "supergroup", "title": "G"},
            "from": {"id": 7, "is_bot": False, "first_name": "A"}, "text": "/checkin",
            "reply_to_message": {
                "message_id": 0, "date": 0, "chat": {"id": -5, "type": "supergroup"},
                "poll": {"id": "p", "question": "Q?", "options": [], "total_voter_count": 0,
                         "is_closed": False, "is_anonymous": True, "type": "regular",
                         "allows_multiple_answers": False, "allows_revoting": False,
                         "members_only": False},
            },
        },
    })
    assert update.message.reply_to_message.poll.question == "Q?"
    sent = methods.SendMessage(chat_id=1, text="x", reply_markup={"inline_keyboard": [[
        {"text": "b", "callback_data": "d"}]]})
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "d"
    models += [
        getattr(methods, name) for name in methods.__all__
        if isinstance(getattr(methods, name), type)
        and issubclass(getattr(methods, name), BaseModel)
    ]
    for model in models:  # as on first use: pydantic's own rebuild, references resolved
        model.model_rebuild(raise_errors=True)
        assert model.__pydantic_complete__, model
    print("ok", len(models))
    """
)


def test_every_aiogram_type_builds_on_first_use() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok ")


HOT = textwrap.dedent(
    """
    import bot
    import aiogram.types as types
    from aiogram.methods import EditMessageText, GetUpdates, SendMessage, SetMessageReaction
    from aiogram.methods.base import Response
    from bot.api_session import BotApiSession
    from bot.hot_models import build_hot_models

    assert not types.Update.__pydantic_complete__ and not types.Message.__pydantic_complete__
    session = BotApiSession()
    build_hot_models(session)
    for model in (types.Update, types.Message, SendMessage, EditMessageText, SetMessageReaction):
        assert model.__pydantic_complete__, model
    for method in (GetUpdates, SendMessage, EditMessageText):
        assert session._response_models[method.__returning__].__pydantic_complete__, method
    assert Response[list[types.Update]] is session._response_models[list[types.Update]]
    print("ok")
    """
)


def test_the_models_of_every_burst_are_built_at_start_up() -> None:
    """Update, Message and the usual replies are built before the first getUpdates: built
    lazily, the first burst of updates waited about half a second for their schemas."""
    done = subprocess.run(
        [sys.executable, "-c", HOT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"
