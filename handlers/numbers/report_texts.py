"""Texts of /retention, /funnel and /compare (HTML; numbers formatted as /stats does)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Translator
from core.analytics.cohorts import MAX_ROWS, Observed, Retention
from core.analytics.compare import Comparison, Metric
from core.analytics.periods import Period
from core.analytics.reports import Cohort, Funnel
from core.statistics.before_after import THRESHOLD, Change
from core.text import shorten
from handlers.analytics.render import NAME, escape, number, percent

TABLE_DAYS = (1, 7, 14, 30)
TABLE_WEEKS = (1, 2, 4, 8)  # the picture has all eight; a phone's line holds four
EMPTY = "·"
FUNNEL_KEYS = ("checkin", "streak3", "streak7", "redeem")


def _title(group_title: str) -> str:
    return escape(shorten(group_title, NAME))


def _range(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), period.end.isoformat()


def _share(value: float | None) -> str:
    return EMPTY if value is None else f"{round(value * 100)}%"


def _row(label: str, size: str, cells: list[str], size_width: int) -> str:
    return f"{label:<5} {size:>{size_width}} " + " ".join(f"{c:>4}" for c in cells)


def retention_table(r: Retention) -> str:
    """A monospaced table of the latest cohorts: join day (week's Monday), size, rates."""
    offsets = TABLE_WEEKS if r.weeks else TABLE_DAYS
    letter = "W" if r.weeks else "D"
    shown: list[Cohort] = r.shown  # oldest first, as in the picture
    sizes = [number(c.size) for c in shown]
    width = max([len(s) for s in sizes] + [1])
    lines = [_row("", "", [f"{letter}{n}" for n in offsets], width)]
    for cohort, size in zip(shown, sizes, strict=True):
        cells = [_share(cohort.rate(n)) for n in offsets]
        lines.append(_row(cohort.start.strftime("%m-%d"), size, cells, width))
    return "<pre>" + escape("\n".join(line.rstrip() for line in lines)) + "</pre>"


def _average(t: Translator, r: Retention) -> str:
    letter = "W" if r.weeks else "D"

    def cell(n: int, found: Observed | None) -> str:
        return f"{letter}{n} {percent(found.rate if found else None)}"  # —: none yet

    return t("retention-average", rates=" · ".join(cell(n, r.average[n]) for n in r.offsets))


def retention_text(t: Translator, title: str, r: Retention, today: date) -> str:
    start, end = _range(r.period)
    head = t(
        "retention-title-weeks" if r.weeks else "retention-title-days",
        group=_title(title),
        start=start,
        end=end,
    )
    if not r.cohorts:
        return "\n".join([head, "", t("retention-no-data")])
    lines = [
        head,
        t("retention-cohorts", cohorts=len(r.cohorts), joined=number(r.joined)),
        _average(t, r),
        "",
        t("retention-table-weeks" if r.weeks else "retention-table-days"),
        retention_table(r),
    ]
    if len(r.cohorts) > MAX_ROWS:
        lines.append(t("retention-latest", shown=MAX_ROWS, cohorts=len(r.cohorts)))
    # D30 is over for those who joined 31 days ago or earlier: a month ending then has them all.
    earlier = f"{today - timedelta(days=61)}..{today - timedelta(days=31)}"
    lines.append(t("retention-how-weeks" if r.weeks else "retention-how-days", example=earlier))
    return "\n".join(lines)


def funnel_text(t: Translator, title: str, period: Period, f: Funnel, today: date) -> str:
    start, end = _range(period)
    head = t("funnel-title", group=_title(title), start=start, end=end, days=period.days)
    if not f.joined:
        return "\n".join([head, "", t("funnel-no-data")])
    lines = [head, "", t("funnel-joined", count=number(f.joined))]
    above = f.joined
    for key, (_, count) in zip(FUNNEL_KEYS, f.steps()[1:], strict=True):
        lines.append(
            t(
                f"funnel-step-{key}",
                count=number(count),
                of_joined=percent(count / f.joined),
                of_above=percent(count / above if above else None),
            )
        )
        above = count
    lines += ["", t("funnel-how", today=today.isoformat())]
    return "\n".join(lines)


def _average_value(value: float | None) -> str:
    if value is None:
        return EMPTY
    if value == 0:
        return "0"
    return f"{value:,.1f}" if abs(value) < 100 else f"{round(value):,}"


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + _average_value(abs(value))


def _metric_line(t: Translator, m: Metric) -> str:
    c = m.change
    relative = f", {c.relative * 100:+.0f}%" if c.relative is not None and c.change else ""
    verdict = {
        Change.UP: t("compare-verdict-up"),
        Change.DOWN: t("compare-verdict-down"),
        Change.NO_CLEAR_CHANGE: t("compare-verdict-none"),
        Change.NOT_ENOUGH_HISTORY: t("compare-verdict-history"),
    }[c.verdict]
    usual = (
        t(
            "compare-usual",
            usual=_signed(c.usual_change) or "±0",
            band=_average_value(THRESHOLD * c.usual_spread),
        )
        if c.usual_change is not None and c.usual_spread is not None
        else ""
    )
    return t(
        f"compare-metric-{m.name}",
        before=_average_value(c.before),
        after=_average_value(c.after),
        change=(_signed(c.change) or "±0") + relative if c.change is not None else EMPTY,
        usual=usual,
        verdict=verdict,
    )


def compare_text(t: Translator, title: str, c: Comparison) -> str:
    head = t("compare-title", group=_title(title), day=c.day.isoformat(), days=c.days)
    before_start, before_end = _range(c.before)
    after_start, after_end = _range(c.after)
    windows = t(
        "compare-windows",
        days=c.days,
        before_start=before_start,
        before_end=before_end,
        after_start=after_start,
        after_end=after_end,
    )
    if not c.has_data:
        first = c.first_day.isoformat() if c.first_day else ""
        key = "compare-no-data-since" if first else "compare-no-data"
        return "\n".join([head, windows, "", t(key, first=first)])
    lines = [head, windows, "", *(_metric_line(t, m) for m in c.metrics), ""]
    lines.append(t("compare-how", days=c.days))
    return "\n".join(line.replace("  ", " ").rstrip() for line in lines)
