"""Prometheus metrics, in a registry of the app's own (created in main, not at import time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "bot_updates_total",
            "Telegram updates by type and outcome (received, processed, duplicate, failed, set_aside)",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_update_handling_seconds",
            "Time to handle one update, from dispatch to committed effects",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.telegram_errors = Counter(
            "bot_telegram_errors_total",
            "Outbound calls answered 429 (rate limited) or 403 (blocked), and acknowledgements dropped",
            ["kind"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "bot_outbound_queue_depth", "Outbound calls waiting to be sent", registry=self.registry
        )
        # labels() looks the child up under a lock each time; updates are counted on a hot path.
        self._update_counters: dict[tuple[str, str], Any] = {}
        self._event_counters: dict[str, Any] = {}

    def observe_update(self, outcome: str, update: Update, seconds: float | None = None) -> None:
        kind = update_kind(update)
        counter = self._update_counters.get((kind, outcome))
        if counter is None:
            counter = self._update_counters[(kind, outcome)] = self.updates.labels(kind, outcome)
        counter.inc()
        if seconds is not None:
            self.latency.observe(seconds)

    def update_set_aside(self, kind: str) -> None:
        self.updates.labels(kind, "set_aside").inc()

    def telegram_event(self, kind: str) -> None:
        counter = self._event_counters.get(kind)
        if counter is None:
            counter = self._event_counters[kind] = self.telegram_errors.labels(kind)
        counter.inc()

    def track_queue(self, depth: Callable[[], int]) -> None:
        self.queue_depth.set_function(depth)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def update_kind(update: Update) -> str:
    if update.message is not None:
        return "message"
    try:
        return update.event_type
    except LookupError:
        return "unknown"
