"""Telegram-style HTML: validate the allowed tags and get the plain text (for length limits)."""

from __future__ import annotations

from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


class HtmlError(ValueError):
    pass


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            raise HtmlError(f'Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise HtmlError(f'Unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def plain_text(text: str, parse_mode: str | None) -> str:
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.text)
