"""The font charts are drawn with: one with Chinese glyphs, chosen explicitly.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: Chinese labels would come out as
empty boxes. The font is looked up by family in matplotlib's font manager, after registering
the files of the fonts we know (Debian's `fonts-noto-cjk`, which `make run` and `make test`
install, and `fonts-wqy-zenhei`): matplotlib caches its list of system fonts, so a font
installed after that cache was written is found only when registered by file. Found nowhere,
`MissingChineseFont` says what to install; nothing is drawn with boxes.

Noto Sans CJK comes as a collection (.ttc) of faces for several languages; matplotlib ≥ 3.11
addresses a face by its family ("Noto Sans CJK SC": Simplified Chinese glyph forms).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

# Preferred first. Simplified Chinese forms before the Japanese face of the same collection.
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "PingFang SC",  # macOS
    "Hiragino Sans GB",  # macOS
    "Microsoft YaHei",  # Windows
    "Droid Sans Fallback",
)
# Where Debian (and most Linux distributions) put them.
FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
INSTALL_HINT = (
    "no font with Chinese glyphs found: install Debian's fonts-noto-cjk "
    "(apt-get install fonts-noto-cjk; `make run` and `make test` do it)"
)


class MissingChineseFont(RuntimeError):
    def __init__(self, message: str = INSTALL_HINT) -> None:  # (picklable: from the worker)
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ChartFont:
    family: str
    path: str
    face_index: int


@lru_cache(maxsize=1)
def chart_font() -> ChartFont:
    """The font family to draw with (the first of FAMILIES that is installed)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in FILES:
        if path not in known and os.path.exists(path):
            font_manager.fontManager.addfont(path)
    for family in FAMILIES:
        try:
            found = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return ChartFont(family, str(found), int(getattr(found, "face_index", 0)))
    raise MissingChineseFont()


def missing_glyphs(text: str, font: ChartFont | None = None) -> set[str]:
    """The characters of `text` the chart font has no glyph for (spaces and controls aside)."""
    from matplotlib.ft2font import FT2Font

    font = font or chart_font()
    charmap = FT2Font(font.path, face_index=font.face_index).get_charmap()
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in charmap}
