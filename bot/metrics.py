"""Prometheus metrics, in a registry of the app's own (created in main, not at import time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.metrics_core import Metric


class _WithReplica:
    """Every sample of a registry, with the process's `replica` label added (several
    processes of one bot are told apart in the same Prometheus)."""

    def __init__(self, registry: CollectorRegistry, replica: str) -> None:
        self._registry = registry
        self._replica = replica

    def collect(self) -> Any:
        for family in self._registry.collect():
            labelled = Metric(family.name, family.documentation, family.type, family.unit)
            labelled.samples = [
                s._replace(labels={"replica": self._replica, **s.labels}) for s in family.samples
            ]
            yield labelled


class Metrics:
    def __init__(self, replica: str | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._exposed = self.registry
        if replica is not None:
            self._exposed = CollectorRegistry(auto_describe=False)
            self._exposed.register(_WithReplica(self.registry, replica))  # type: ignore[arg-type]
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
        self.outbound_waits = Counter(
            "bot_outbound_waits_total",
            "Sends the shared limiter (Redis) made wait, by reason: global, chat, pause (a 429 "
            "seen by some process), demand (answers of some process go first), unavailable",
            ["reason"],
            registry=self.registry,
        )
        self.redis_up = Gauge(
            "bot_redis_up",
            "1 while Redis answers (only with REDIS_URL); sends wait while it is 0",
            registry=self.registry,
        )
        self.redis_errors = Counter(
            "bot_redis_errors_total", "Redis calls that failed", registry=self.registry
        )
        self.leader = Gauge(
            "bot_scheduler_leader",
            "1 in the one process that fires scheduled work (posts, feeds, closings, reports)",
            registry=self.registry,
        )
        self.lease_waits = Counter(
            "bot_update_lease_waits_total",
            "Webhook updates that waited for another process still handling the same update",
            registry=self.registry,
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
            if kind.startswith("gate_"):  # the shared limiter's waits (bot/outbound.py)
                child = self.outbound_waits.labels(kind.removeprefix("gate_"))
            else:
                child = self.telegram_errors.labels(kind)
            counter = self._event_counters[kind] = child
        counter.inc()

    def redis_state(self, up: bool) -> None:
        self.redis_up.set(1 if up else 0)

    def track_queue(self, depth: Callable[[], int]) -> None:
        self.queue_depth.set_function(depth)

    def render(self) -> bytes:
        return generate_latest(self._exposed)


def update_kind(update: Update) -> str:
    if update.message is not None:
        return "message"
    try:
        return update.event_type
    except LookupError:
        return "unknown"
