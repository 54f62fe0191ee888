"""Run in the worker process while a weekly report reads its numbers: the worker starts and
imports matplotlib and the chart modules (and finds the font) in the meantime, so the
report's charts do not wait for a cold start after the reads (seconds on a loaded machine)."""

from __future__ import annotations


def warm_charts() -> bool:
    from core.charts import fonts, render

    render._renderers()  # noqa: SLF001  (imports the drawing modules, matplotlib with them)
    fonts.chart_font()
    return True
