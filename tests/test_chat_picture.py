"""The README's picture is laid out from what was said: members' text escaped, the bot's HTML
kept as Telegram shows it, its buttons in rows."""

from __future__ import annotations

from datetime import UTC, datetime

from devtools.chat_picture import Bubble, render_html


def test_the_page_shows_the_session_as_telegram_would() -> None:
    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    page = render_html(
        [
            Bubble("Bob", 1002, "/checkin &lt;now&gt;", at),
            Bubble(
                "Community Bot",
                0,
                "✅ <b>Bob</b> checked in<tg-spoiler>!</tg-spoiler>",
                at,
                from_bot=True,
                quote=("Bob", "/checkin <now>"),
                buttons=[["🎯 Points", "🎁 Shop"], ["⚙️ Settings"]],
            ),
        ]
    )
    assert page.index(">Bob</div>") < page.index(">Community Bot</div>")
    assert "/checkin &lt;now&gt;" in page and "<now>" not in page
    assert "✅ <b>Bob</b> checked in!" in page  # Telegram's own tags become plain text
    assert "<div><span>🎯 Points</span><span>🎁 Shop</span></div><div><span>⚙️ Settings" in page
    assert page.count('class="time">02:00<') == 2
