"""Locale files (Fluent .ftl under locales/<lang>/) and the choice of language per update."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

from core.text import shorten

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("en", "zh")


def pick_language(language_code: str | None, group_language: str | None, default: str) -> str:
    """zh* speakers get Chinese; everyone else the group's language, else the bot's default."""
    if language_code and language_code.lower().startswith("zh"):
        return "zh"
    return group_language or default


# Fluent refuses a placeable longer than 2,500 characters and prints "{???}" instead of the
# whole message; an escaped argument stays well below that.
MAX_ARG = 1000
_FLUENT_LIMIT = 2400


def _safe_arg(value: str) -> str:
    """HTML-escaped, and short enough for Fluent (a name or a word someone typed may be long)."""
    text = shorten(value, MAX_ARG) if len(value) > MAX_ARG else value
    escaped = html.escape(text, quote=False)
    while len(escaped) > _FLUENT_LIMIT:  # mostly "&" and "<": each grows fivefold
        text = shorten(text, len(text) // 2)
        escaped = html.escape(text, quote=False)
    return escaped


class Translator:
    """Messages of one language. String arguments are HTML-escaped: every message is HTML."""

    def __init__(self, language: str, bundle: FluentBundle, fallback: FluentBundle | None) -> None:
        self.language = language
        self._bundle = bundle
        self._fallback = fallback

    def __call__(self, key: str, /, **args: object) -> str:
        safe = {k: _safe_arg(v) if isinstance(v, str) else v for k, v in args.items()}
        for bundle in (self._bundle, self._fallback):
            if bundle is not None and bundle.has_message(key):
                text, errors = bundle.format_pattern(bundle.get_message(key).value, safe)
                if errors:
                    logger.warning("locale %s key %s: %s", self.language, key, errors)
                return text
        logger.error("missing locale key %s", key)
        return key

    def has(self, key: str) -> bool:
        return self._bundle.has_message(key)


class Locales:
    """All languages, loaded once at start-up."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._directory = directory
        self._bundles: dict[str, FluentBundle] = {}
        for language in LANGUAGES:
            bundle = FluentBundle([language], use_isolating=False)
            for path in sorted((directory / language).glob("*.ftl")):
                errors = bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
                if errors:
                    raise ValueError(f"{path}: {errors}")
            self._bundles[language] = bundle
        self._translators = {
            lang: Translator(lang, bundle, self._bundles["en"] if lang != "en" else None)
            for lang, bundle in self._bundles.items()
        }

    def get(self, language: str) -> Translator:
        return self._translators.get(language, self._translators["en"])

    def client_texts(self, language: str, prefix: str) -> dict[str, str]:
        """The messages starting with `prefix` as patterns for a page's script: text kept as
        written, each variable as `{name}` (the script fills them in, as text, never HTML)."""
        from fluent.syntax import FluentParser, ast

        found: dict[str, str] = {}
        for lang in ("en", language):  # English first: a missing key still says something
            for path in sorted((self._directory / lang).glob("*.ftl")):
                resource = FluentParser().parse(path.read_text(encoding="utf-8"))
                for entry in resource.body:
                    if not isinstance(entry, ast.Message) or not entry.id.name.startswith(prefix):
                        continue
                    if entry.value is not None:
                        found[entry.id.name] = _pattern_text(entry.value)
        return found

    def message_ids(self, language: str) -> set[str]:
        return set(self._bundles[language]._messages)  # noqa: SLF001


def _pattern_text(pattern) -> str:  # type: ignore[no-untyped-def]
    from fluent.syntax import ast

    out = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            out.append(element.value)
        elif isinstance(element.expression, ast.VariableReference):
            out.append("{" + element.expression.id.name + "}")
        elif isinstance(element.expression, ast.StringLiteral):
            out.append(element.expression.parse()["value"])
        else:
            raise ValueError("dashboard texts use plain variables only")
    return "".join(out)
