"""Albums of photos: the emulator's sendMediaGroup refuses what Telegram refuses; the bot sends
charts as albums over HTTP (aiogram's real multipart upload) through the Outbox, which counts
an album as one message per photo; a report with nothing to draw says so."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import SendChatAction, SendMediaGroup, SendMessage, SendPhoto
from PIL import Image

from bot.api_session import BotApiSession
from bot.i18n import Locales
from bot.outbound import OutboundLimits, Outbox
from bot.replies import send_photos
from core.charts.model import CheckinsPerDay, Texts
from devtools.emulator import BotAPIEmulator
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import load
from devtools.emulator.world import World
from devtools.inprocess import InProcessSession
from handlers.numbers import charts
from tests.inline_worker import InlineWorker

GROUP = -1001234567890
FAST = OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1000)


def png(width: int = 1080, height: int = 720, colour: str = "#2563eb") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "chart.png") -> dict[str, Any]:
    return {"file_name": name, "data": data}


def photo(part: str, caption: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "photo", "media": f"attach://{part}"}
    if caption is not None:
        item["caption"] = caption
    return item


@pytest.fixture
def world() -> World:
    w = World(bot_username="community_test_bot", files_dir=None)
    w.add_group(GROUP, "Group")
    return w


REFUSALS: list[tuple[str, Callable[[], dict[str, Any]], str]] = [
    ("absent", lambda: {}, 'Bad Request: parameter "media" is required'),
    ("empty", lambda: {"media": []}, "Bad Request: there are no messages to send"),
    (
        "eleven",
        lambda: {"media": [photo("a")] * 11, "a": upload(png())},
        "Bad Request: too many messages to send as an album",
    ),
    (
        "animation",
        lambda: {"media": [{"type": "animation", "media": "attach://a"}], "a": upload(png())},
        "Bad Request: can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup",
    ),
    (
        "sticker",
        lambda: {"media": [{"type": "sticker", "media": "attach://a"}], "a": upload(png())},
        'Bad Request: can\'t parse InputMedia: type "sticker" is unsupported',
    ),
    (
        "mixed",
        lambda: {
            "media": [photo("a"), {"type": "document", "media": "attach://a"}],
            "a": upload(png()),
        },
        "Bad Request: document can't be mixed with other media types",
    ),
    (
        "unattached",
        lambda: {"media": [photo("a"), photo("missing")], "a": upload(png())},
        "Bad Request: can't parse InputMedia: media not found",
    ),
    (
        "not an image",
        lambda: {"media": [photo("a"), photo("b")], "a": upload(png()), "b": upload(b"hello")},
        'Bad Request: failed to send message #2 with the error message "IMAGE_PROCESS_FAILED"',
    ),
    (
        "too narrow",
        lambda: {
            "media": [photo("a"), photo("b")],
            "a": upload(png()),
            "b": upload(png(2000, 50)),
        },
        'Bad Request: failed to send message #2 with the error message "PHOTO_INVALID_DIMENSIONS"',
    ),
    (
        "unknown file id",
        lambda: {"media": [photo("a"), {"type": "photo", "media": "nope"}], "a": upload(png())},
        "Bad Request: failed to send message #2 with the error message "
        '"Wrong file identifier/HTTP URL specified"',
    ),
    (
        "long caption",
        lambda: {"media": [photo("a", "x" * 1025), photo("a")], "a": upload(png())},
        "Bad Request: message caption is too long",
    ),
    (
        "caption placement",
        lambda: {
            "media": [{**photo("a"), "show_caption_above_media": True}, photo("a")],
            "a": upload(png()),
        },
        "Bad Request: parameter show_caption_above_media must be the same for all messages",
    ),
]


@pytest.mark.parametrize(("case", "params", "error"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_the_emulator_refuses_an_album_as_telegram_does(
    world: World, case: str, params: Callable[[], dict[str, Any]], error: str
) -> None:
    with pytest.raises(ApiError) as refused:
        load()["sendMediaGroup"](world, {"chat_id": GROUP, **params()})
    assert refused.value.code == 400 and refused.value.description == error
    assert world.sent == [] and world.messages == {}  # a refused album sends nothing


def test_an_album_is_sent_as_messages_of_one_group(world: World) -> None:
    send = load()["sendMediaGroup"]
    sent = send(
        world,
        {
            "chat_id": GROUP,
            "media": [photo("a", "<b>Stats</b>"), photo("b")],
            "parse_mode": None,
            "a": upload(png()),
            "b": upload(png(1080, 1350)),
        },
    )
    assert len(sent) == 2 and sent[0]["media_group_id"] == sent[1]["media_group_id"]
    assert sent[0]["caption"] == "<b>Stats</b>" and "caption" not in sent[1]
    largest = sent[0]["photo"][-1]
    assert (largest["width"], largest["height"]) == (1080, 720)  # Telegram keeps ≤ 1280 px
    assert sent[1]["photo"][-1]["height"] == 1280 and sent[1]["photo"][0]["height"] == 320
    assert [s.method for s in world.sent] == ["sendMediaGroup", "sendMediaGroup"]
    # An uploaded photo's id may be sent again, alone or in another album.
    again = load()["sendPhoto"](world, {"chat_id": GROUP, "photo": largest["file_id"]})
    assert again["photo"][-1]["file_id"] == largest["file_id"]
    # One item is an ordinary message, outside any album.
    single = send(world, {"chat_id": GROUP, "media": [photo("a")], "a": upload(png())})
    assert len(single) == 1 and "media_group_id" not in single[0]


async def test_charts_go_out_as_albums_over_http() -> None:
    """aiogram uploads the album (multipart, attach://), the Outbox paces it, the emulator
    takes it; more than ten photos go as two albums, a single photo as sendPhoto."""
    async with BotAPIEmulator(port=0) as emu:
        emu.add_group(GROUP, "Group")
        session = BotApiSession(api=TelegramAPIServer.from_base(emu.base_url))
        bot = Bot("123456:TEST", session=session, default=DefaultBotProperties(parse_mode="HTML"))
        outbox = Outbox(bot, FAST)
        outbox.start()
        try:
            images = [png(colour=c) for c in ("#2563eb", "#16a34a", "#dc2626")]
            [album] = send_photos(outbox, GROUP, images, caption="📊 <b>Stats</b>")
            messages = await asyncio.wait_for(album, 10)
            assert len(messages) == 3 and len({m.media_group_id for m in messages}) == 1
            assert messages[0].caption == "📊 Stats"  # HTML applied
            sent = [s for s in emu.sent if s.method == "sendMediaGroup"]
            assert [Image.open(io.BytesIO(s.document)).size for s in sent] == [(1080, 720)] * 3

            futures = send_photos(outbox, GROUP, [png()] * 11 + [png()])
            sizes = [len(await asyncio.wait_for(f, 10)) for f in futures]
            assert sizes == [10, 2]
            [one] = send_photos(outbox, GROUP, [png()], caption="one")
            single = await asyncio.wait_for(one, 10)
            assert single.photo and single.caption == "one"
            assert emu.sent[-1].method == "sendPhoto"
        finally:
            await outbox.stop()
            await bot.session.close()


class Recorder(InProcessSession):
    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__()
        self.clock = clock
        self.times: list[tuple[float, str]] = []

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        self.times.append((self.clock(), type(method).__name__))
        return await super().make_request(bot, method, timeout)


async def test_an_album_takes_one_place_per_photo_in_the_groups_window() -> None:
    clock = _Clock()
    session = Recorder(clock)
    limits = OutboundLimits(global_per_second=1000, group_per_minute=12, private_per_second=1000)
    outbox = Outbox(Bot("123456:TEST", session=session), limits, clock=clock)
    send_photos(outbox, GROUP, [png(10, 10)] * 10)
    send_photos(outbox, GROUP, [png(10, 10)] * 5)
    assert outbox.chat_load(GROUP) == 15
    outbox.start()
    try:
        await asyncio.sleep(0.05)
        assert [name for _, name in session.times] == ["SendMediaGroup"]  # 10 + 5 > 12
        clock.now += 60 * 1.1 + 0.01
        outbox.send(1, SendMessage(chat_id=1, text="nudge"))  # wakes the loop
        for _ in range(100):
            if len(session.times) == 3:
                break
            await asyncio.sleep(0.01)
        assert [name for _, name in session.times if name != "SendMessage"] == [
            "SendMediaGroup",
            "SendMediaGroup",
        ]
    finally:
        await outbox.stop()


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class BrokenWorker:
    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any:
        raise RuntimeError("the worker died")


async def test_a_report_sends_what_it_can_draw_and_says_when_nothing() -> None:
    session = InProcessSession()
    outbox = Outbox(Bot("123456:TEST", session=session), FAST)
    outbox.start()
    t = Locales().get("en")
    texts = Texts("Check-ins")
    from datetime import date

    empty = CheckinsPerDay((), (), texts)
    full = CheckinsPerDay((date(2026, 12, 1), date(2026, 12, 2)), (3, 5), texts)
    try:
        sent = await charts.send_charts(outbox, InlineWorker(), t, GROUP, [empty, full, full])  # type: ignore[arg-type]
        assert sent == 2
        assert await outbox.drain(5)
        calls = [type(c) for c in session.calls]
        assert calls == [SendChatAction, SendMediaGroup]  # "sending a photo…" first
        session.calls.clear()
        assert await charts.send_charts(outbox, InlineWorker(), t, GROUP, [empty]) == 0  # type: ignore[arg-type]
        assert await charts.send_charts(outbox, BrokenWorker(), t, GROUP, [full]) == 0  # type: ignore[arg-type]
        assert await outbox.drain(5)
        texts_sent = [c.text for c in session.calls if isinstance(c, SendMessage)]
        assert texts_sent == [t("charts-not-enough-data"), t("charts-failed")]
        assert not [c for c in session.calls if isinstance(c, (SendPhoto, SendMediaGroup))]
    finally:
        await outbox.stop()
