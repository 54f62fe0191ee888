"""The chart renderers: every chart is a real PNG 1080 px wide with something drawn on it,
Chinese text is drawn with glyphs (not boxes), and empty data is refused rather than drawn.

The charts are drawn here, in the test process (the bot draws them in its worker process:
tests/test_worker.py)."""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta

import pytest
from PIL import Image, ImageChops, ImageStat

from bot.i18n import Locales
from core.charts import fonts, style
from core.charts.dates import day_label
from core.charts.model import (
    ActiveMembers,
    ActivityHeatmap,
    CheckinsPerDay,
    Funnel,
    JoinsLeaves,
    MemberGrowth,
    NothingToDraw,
    RetentionHeatmap,
    Texts,
)
from core.charts.render import render, render_all
from handlers.numbers import charts as chart_texts

DAYS = tuple(date(2026, 11, 3) + timedelta(days=i) for i in range(30))
ZH = Locales().get("zh")
EN = Locales().get("en")


def _charts() -> dict[str, object]:
    heat = [
        [(d * 7 + h * 3) % 40 + (60 if 19 <= h <= 21 else 0) for h in range(24)] for d in range(7)
    ]
    return {
        "growth": chart_texts.growth_chart(
            ZH, DAYS, [1000 + 5 * i for i in range(30)], partial_last=True
        ),
        "active": chart_texts.active_chart(
            EN, DAYS, [100 + i % 7 for i in range(30)], [300] * 30, [900] * 30
        ),
        "joins": chart_texts.joins_chart(
            ZH, DAYS, [i % 9 for i in range(30)], [i % 4 for i in range(30)]
        ),
        "checkins": chart_texts.checkins_chart(
            EN, DAYS, [50 + i for i in range(30)], partial_last=True
        ),
        "activity": chart_texts.activity_chart(ZH, heat, timezone="Asia/Shanghai", days=28),
        "retention": chart_texts.retention_chart(
            EN,
            ["Nov 1", "Nov 2", "Nov 3"],
            [40, 35, 12],
            ["D1", "D7", "D14", "D30"],
            [[0.6, 0.4, 0.3, 0.25], [0.5, 0.35, 0.3, None], [0.7, None, None, None]],
        ),
        "funnel": chart_texts.funnel_chart(ZH, [800, 500, 230, 90, 30]),
    }


@pytest.fixture(scope="module")
def drawn() -> dict[str, bytes]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning from matplotlib: fail
        return {name: render(chart) for name, chart in _charts().items()}  # type: ignore[arg-type]


def _image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated file fails here
    return image.convert("RGB")


EXPECTED_HEIGHTS = {"growth": 720, "active": 720, "joins": 720, "checkins": 720, "activity": 750}


def test_every_chart_is_a_png_a_phone_can_show(drawn: dict[str, bytes]) -> None:
    assert set(drawn) == {
        "growth",
        "active",
        "joins",
        "checkins",
        "activity",
        "retention",
        "funnel",
    }
    for name, png in drawn.items():
        image = _image(png)
        assert image.width == 1080, name
        assert EXPECTED_HEIGHTS.get(name, image.height) == image.height, name
        assert 540 <= image.height <= 1350, name
        # Not blank: many colours, and some of the picture is drawn on (not background).
        assert len(image.getcolors(maxcolors=1 << 20) or []) > 50, name
        histogram = image.convert("L").histogram()
        drawn_share = sum(histogram[:230]) / (image.width * image.height)
        assert drawn_share > 0.01, (name, drawn_share)
        assert len(png) < 500_000, name  # sends fast on a phone connection


def test_chinese_labels_are_drawn_with_glyphs() -> None:
    """The chosen font has every character of the Chinese chart texts (the locale file), and
    a title drawn with it differs from the same title drawn in boxes (a font without CJK)."""
    font = fonts.chart_font()
    assert font.family in fonts.FAMILIES
    zh_texts = "".join(
        ZH(key, days=30, tz="Asia/Shanghai", **{"from": "1", "to": "2"})
        for key in Locales().message_ids("zh")
        if key.startswith("chart-")
    ) + "".join(day_label(d, "zh", with_year=True) for d in DAYS)
    assert fonts.missing_glyphs(zh_texts, font) == set()
    assert fonts.missing_glyphs("会员增长 Member growth") == set()

    title = Texts("会员增长", "近30天")
    chart = MemberGrowth(DAYS[:7], (1, 2, 3, 4, 5, 6, 7), title, "zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        real = _image(render(chart))

    tofu_font = fonts.ChartFont("DejaVu Sans", "", 0)  # matplotlib's own: no CJK glyphs
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(style, "chart_font", lambda: tofu_font)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tofu = _image(render(chart))
    assert any("missing from font" in str(w.message) for w in caught)  # the check can fail
    region = (0, 0, 540, 70)  # the title, top left
    difference = ImageChops.difference(real.crop(region), tofu.crop(region))
    assert ImageStat.Stat(difference).mean[0] > 5.0
    # And the real title has ink where glyphs are: more than a row of empty boxes would.
    assert ImageStat.Stat(real.crop(region).convert("L")).mean[0] < 250


def test_empty_data_is_refused_not_drawn_as_zeros() -> None:
    texts = Texts("t")
    empty = [
        MemberGrowth((), (), texts),
        MemberGrowth(DAYS[:3], (None, None, None), texts),
        ActiveMembers((), (), (), (), texts),
        CheckinsPerDay((), (), texts),
        JoinsLeaves((), (), (), texts),
        ActivityHeatmap(tuple((0,) * 24 for _ in range(7)), ("x",) * 7, texts),
        RetentionHeatmap((), (), ("D1",), (), texts),
        RetentionHeatmap(("a",), (3,), ("D1", "D7"), ((None, None),), texts),
        Funnel(("joined", "checked in"), (0, 0), texts),
    ]
    for chart in empty:
        with pytest.raises(NothingToDraw):
            render(chart)
    # An album leaves the empty ones out.
    drawn = render_all([empty[0], CheckinsPerDay(DAYS[:2], (3, 4), texts)])
    assert drawn[0] is None and drawn[1] is not None
    with pytest.raises(ValueError):
        render(CheckinsPerDay(DAYS[:3], (1, 2), texts))  # a value per day


def test_cells_still_in_the_future_stay_empty() -> None:
    """A retention cell whose day has not come is the 'empty' colour with no number, not 0 %."""
    texts = Texts("Retention")

    def row_colours(shares: tuple[float | None, ...]) -> set[tuple[int, int, int]]:
        chart = RetentionHeatmap(("c",), (10,), ("D1", "D7"), (shares,), texts)
        image = _image(render(chart))
        middle = image.height // 2 + 20
        return {image.getpixel((x, middle)) for x in range(image.width // 2, image.width - 20)}

    empty_rgb = (0xF3, 0xF4, 0xF6)
    assert empty_rgb in row_colours((0.5, None))
    assert empty_rgb not in row_colours((0.5, 0.0))  # a real 0 % is drawn as 0 %


def test_dates_per_language() -> None:
    assert day_label(date(2026, 12, 1), "en") == "Dec 1"
    assert day_label(date(2026, 12, 1), "zh") == "12月1日"
    assert day_label(date(2027, 1, 2), "zh", with_year=True) == "2027年1月2日"
    assert chart_texts.period_subtitle(EN, DAYS) == "Nov 3 – Dec 2"
    assert chart_texts.period_subtitle(ZH, DAYS, last_days=30) == "近 30 天"
