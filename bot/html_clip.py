"""Clip Telegram HTML by the length Telegram counts: the visible text, not the markup.

Telegram's 4,096-character limit applies to the text after entity parsing, counted in UTF-16
code units. Clipping the HTML source instead drops entries a message had room for (a `&lt;`
counts 4 there, 1 here) and can cut a tag or an entity in half (a 400 "can't parse entities").
"""

from __future__ import annotations

import html
import re

from core.text import ELLIPSIS

# A tag, an entity, or one character of text.
_TOKEN = re.compile(r"<[^>]*>|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);|.", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    return units(html.unescape(re.sub(r"<[^>]*>", "", html_text)))


def clip_html(text: str, limit: int) -> str:
    """At most `limit` visible units; cut between tokens, open tags closed, "…" at the cut."""
    if units(text) <= limit or visible_length(text) <= limit:
        return text
    budget = limit - units(ELLIPSIS)
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.startswith("<") and len(token) > 1:
            name = _TAG_NAME.match(token)
            if name is not None:
                if token.startswith("</"):
                    if open_tags and open_tags[-1] == name.group(1).lower():
                        open_tags.pop()
                elif not token.endswith("/>"):
                    open_tags.append(name.group(1).lower())
            out.append(token)
            continue
        size = units(html.unescape(token))
        if used + size > budget:
            break
        used += size
        out.append(token)
    out.append(ELLIPSIS)
    out.extend(f"</{name}>" for name in reversed(open_tags))
    return "".join(out)
