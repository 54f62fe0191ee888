"""The A/B block of `/posts <id>`: each variant's 👍 rate among its views with its interval,
each other variant against the first with the difference's interval and a verdict.

The counts are read in the command's transaction, which is then committed (a read: the
update settles, and the members' next updates do not wait for the statistics); the
statistics run in the worker process (statsmodels stays out of the bot). If the worker
fails, the counts are shown without statistics.
"""

from __future__ import annotations

import logging

from aiogram.methods import SendChatAction

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import plain
from bot.worker import Worker
from core.schedule.ab_results import ABResults, VariantCounts, ab_results
from core.schedule.post_results import variant_counts
from core.statistics.proportions import MIN_SUCCESSES, MIN_TRIALS, Comparison, Verdict
from core.text import shorten
from core.uow import UnitOfWork
from storage.queries.schedule.posts import Post

logger = logging.getLogger(__name__)

NAMES = "ABCDEFGHIJ"
STATS_TIMEOUT = 30.0  # seconds, the worker's start and statsmodels' import included


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _points(value: float) -> str:
    return f"{value * 100:+.1f}"


def _confidence(value: float) -> str:
    return f"{value * 100:.4g}%"


def _summary(text: str) -> str:
    return shorten(plain(text).replace("\n", " "), 40)


async def ab_lines(
    uow: UnitOfWork, t: Translator, post: Post, worker: Worker, outbox: Outbox
) -> list[str]:
    """The A/B block for a post with text variants ([] for any other post)."""
    counts = await variant_counts(uow, post)
    if not counts:
        return []
    await uow.commit()  # reads only: settle the update before waiting for the worker
    if not worker.running:  # a few seconds to start it: show "typing…" meanwhile
        outbox.send(
            post.group_id,
            SendChatAction(chat_id=post.group_id, action="typing"),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    try:
        results = await worker.run(ab_results, counts, timeout=STATS_TIMEOUT)
    except Exception:  # noqa: BLE001  (the counts are still worth showing)
        logger.exception("A/B statistics of post %s could not be computed", post.id)
        return [t("ab-title"), *(_variant_line(t, i, c, None) for i, c in enumerate(counts))] + [
            t("ab-unavailable")
        ]
    return render(t, results)


def render(t: Translator, results: ABResults) -> list[str]:
    lines = [t("ab-title")]
    for index, result in enumerate(results.variants):
        lines.append(_variant_line(t, index, result.counts, result))
    for index, comparison in results.comparisons:
        lines += _comparison_lines(t, NAMES[0], NAMES[index], comparison)
    if len(results.comparisons) > 1:
        lines.append(
            t(
                "ab-bonferroni",
                confidence=_confidence(results.comparison_confidence),
                n=len(results.comparisons),
                a=NAMES[0],
            )
        )
    return lines


def _variant_line(t: Translator, index: int, counts: VariantCounts, result: object) -> str:
    name, summary = NAMES[index], _summary(counts.text)
    if counts.sends == 0:
        return t("ab-variant-unsent", name=name, summary=summary)
    rate = getattr(result, "rate", None)
    return t(
        "ab-variant",
        name=name,
        sends=counts.sends,
        votes=counts.votes,
        views=counts.views,
        rate=_percent(rate.rate) if rate else "?",
        low=_percent(rate.low) if rate else "?",
        high=_percent(rate.high) if rate else "?",
        summary=summary,
    )


def _comparison_lines(t: Translator, a: str, b: str, found: Comparison) -> list[str]:
    if found.verdict is Verdict.NOT_ENOUGH_DATA:
        return [t("ab-verdict-not-enough", a=a, b=b, min=MIN_TRIALS, votes=MIN_SUCCESSES)]
    difference = t(
        "ab-difference",
        a=a,
        b=b,
        diff=_points(found.difference),
        confidence=_confidence(found.confidence),
        low=_points(found.low),
        high=_points(found.high),
    )
    if found.verdict is Verdict.B_BETTER:
        verdict = t("ab-verdict-b-better", a=a, b=b)
    elif found.verdict is Verdict.A_BETTER:
        verdict = t("ab-verdict-a-better", a=a, b=b)
    elif found.more_needed is not None:
        verdict = t("ab-verdict-unclear-more", a=a, b=b, more=found.more_needed)
    else:
        verdict = t("ab-verdict-unclear", a=a, b=b)
    return [difference, verdict]
