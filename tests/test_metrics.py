"""Prometheus metrics: updates counted by type and outcome, handling time observed."""

from __future__ import annotations

from aiogram.types import Update

from bot.metrics import Metrics
from tests import factories as f

ADA = f.user(1, "Ada")


def test_updates_are_counted_by_type_and_outcome() -> None:
    metrics = Metrics()
    metrics.observe_update("processed", f.message(ADA, "签到"), 0.004)
    metrics.observe_update("processed", f.message(ADA, "/me"), 0.2)
    metrics.observe_update("duplicate", f.callback(ADA, "settings", message_id=5))
    metrics.observe_update("failed", f.member_update(ADA, "member", "left"))
    metrics.observe_update("received", Update(update_id=1))  # a type the bot does not know
    body = metrics.render().decode()
    assert 'bot_updates_total{outcome="processed",type="message"} 2.0' in body
    assert 'bot_updates_total{outcome="duplicate",type="callback_query"} 1.0' in body
    assert 'bot_updates_total{outcome="failed",type="chat_member"} 1.0' in body
    assert 'bot_updates_total{outcome="received",type="unknown"} 1.0' in body
    assert 'bot_update_handling_seconds_bucket{le="0.005"} 1.0' in body
    assert "bot_update_handling_seconds_count 2.0" in body


def test_telegram_errors_and_queue_depth() -> None:
    metrics = Metrics()
    metrics.telegram_event("429")
    metrics.telegram_event("429")
    metrics.telegram_event("403")
    metrics.track_queue(lambda: 7)
    body = metrics.render().decode()
    assert 'bot_telegram_errors_total{kind="429"} 2.0' in body
    assert 'bot_telegram_errors_total{kind="403"} 1.0' in body
    assert "bot_outbound_queue_depth 7.0" in body
