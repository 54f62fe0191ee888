"""Per-group settings, declared by the feature that owns them.

A feature declares a `SettingsSection` (its name and its `SettingSpec`s); the composition hands
the list of sections to a `SettingsCatalogue`, which checks that keys and aliases are unique
(a clash is a programming error, raised at start-up) and resolves, parses and loads values.

Values are stored as their canonical text (`spec.format(value)`), one row per group and key; a
group without a row for a key has the spec's default.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import InvalidSetting, UnknownSetting

logger = logging.getLogger(__name__)

# Deployment-wide defaults a spec's default may depend on, e.g. {"timezone": DEFAULT_TIMEZONE}.
DeploymentDefaults = Mapping[str, Any]
# Keys travel in button callback data (64 bytes at most, with the action and a choice index).
MAX_KEY_LENGTH = 32
MAX_VALUE_LENGTH = 2000
_WORD = re.compile(rf"[a-z][a-z0-9_]{{0,{MAX_KEY_LENGTH - 1}}}")


@dataclass(frozen=True, slots=True, eq=False)
class SettingSpec:
    """One setting as admins see it: `/settings <key> <value>`.

    parse: admin text -> value, raising ValueError for anything it does not accept; it must
        accept its own canonical text (`format(value)`), which is what is stored.
    default: the value of a group that never set it, or a callable of the deployment defaults
        (such a default is written when a group is registered, so that changing the deployment
        default later only affects groups added afterwards).
    choices: values the /settings buttons offer (each one valid for `parse`).
    hint: shown when a value is rejected (e.g. "0–23").
    """

    key: str
    parse: Callable[[str], Any]
    default: Any
    format: Callable[[Any], str] = str
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    hint: str = ""

    @property
    def depends_on_deployment(self) -> bool:
        return callable(self.default)

    def default_for(self, deployment: DeploymentDefaults) -> Any:
        return self.default(deployment) if callable(self.default) else self.default

    def text(self, value: Any) -> str:
        """The canonical text of a value (what is stored and what buttons compare with)."""
        return self.format(value)


@dataclass(frozen=True, slots=True)
class SettingsSection:
    """A feature's settings: shown together under the header `settings-section-<name>`."""

    name: str
    specs: tuple[SettingSpec, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "specs", tuple(self.specs))


class SettingsCatalogue:
    """Every setting of the running bot, from the sections the composition lists (in order)."""

    def __init__(self, sections: Iterable[SettingsSection]) -> None:
        self.sections: tuple[SettingsSection, ...] = tuple(sections)
        self._specs: dict[str, SettingSpec] = {}
        self._words: dict[str, str] = {}  # key or alias (lower case) -> key
        section_names: set[str] = set()
        for section in self.sections:
            if section.name in section_names:
                raise ValueError(f"settings section {section.name!r} is declared twice")
            section_names.add(section.name)
            for spec in section.specs:
                for word in (spec.key, *spec.aliases):
                    _check_word(word, section.name)
                    if word in self._words:
                        raise ValueError(
                            f"setting {word!r} of section {section.name!r} is already "
                            f"declared (as {self._words[word]!r})"
                        )
                    self._words[word] = spec.key
                self._specs[spec.key] = spec
        self.keys: tuple[str, ...] = tuple(self._specs)

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def spec(self, key: str) -> SettingSpec:
        return self._specs[key]

    def resolve(self, word: str) -> SettingSpec:
        """The setting an admin meant (its key or an alias, any case); UnknownSetting otherwise."""
        word = word.lower()
        key = self._words.get(word)
        if key is None:
            raise UnknownSetting(key=word[:32], keys=", ".join(self.keys))
        return self._specs[key]

    def parse(self, word: str, text: str) -> tuple[SettingSpec, Any]:
        """Validate an admin's `/settings <key> <value>`: (its spec, the parsed value)."""
        spec = self.resolve(word)
        try:
            value = spec.parse(text)
        except ValueError:
            raise InvalidSetting(key=spec.key, value=text[:64], hint=spec.hint) from None
        if len(spec.text(value)) > MAX_VALUE_LENGTH:
            raise InvalidSetting(key=spec.key, value=text[:64], hint=spec.hint)
        return spec, value

    def defaults(self, deployment: DeploymentDefaults) -> dict[str, Any]:
        return {key: spec.default_for(deployment) for key, spec in self._specs.items()}

    def pinned_defaults(self, deployment: DeploymentDefaults) -> dict[str, str]:
        """Canonical text of the defaults taken from the deployment: stored at registration."""
        return {
            key: spec.text(spec.default_for(deployment))
            for key, spec in self._specs.items()
            if spec.depends_on_deployment
        }

    def load(self, stored: Mapping[str, str], deployment: DeploymentDefaults) -> dict[str, Any]:
        """Values from stored canonical texts; missing keys have their default.

        A stored text the spec no longer accepts (a narrowed range, say) falls back to the
        default, with a warning; rows of keys no section declares are ignored.
        """
        return {
            key: self.value_of(spec, stored.get(key), deployment)
            for key, spec in self._specs.items()
        }

    @staticmethod
    def value_of(spec: SettingSpec, text: str | None, deployment: DeploymentDefaults) -> Any:
        """The value a stored text (None: no row) stands for."""
        if text is None:
            return spec.default_for(deployment)
        try:
            return spec.parse(text)
        except ValueError:
            default = spec.default_for(deployment)
            if spec.text(default) != text:  # a deployment default the parser is stricter about
                _warn_once(spec.key, text)
            return default


def _check_word(word: str, section: str) -> None:
    if not _WORD.fullmatch(word):
        raise ValueError(
            f"setting key or alias {word!r} of section {section!r}: a-z, 0-9 and _, "
            f"starting with a letter, at most {MAX_KEY_LENGTH} characters"
        )


_warned: set[tuple[str, str]] = set()


def _warn_once(key: str, text: str) -> None:
    if (key, text) in _warned or len(_warned) > 1000:
        return
    _warned.add((key, text))
    logger.warning("stored value %r of setting %s is not valid; using its default", text, key)


# ---- parsers the sections share ----------------------------------------------------------


def int_in(low: int, high: int) -> Callable[[str], int]:
    """Whole numbers low..high (full-width digits too; no sign, no decimals)."""

    def parse(text: str) -> int:
        text = text.strip()
        if not text.lstrip("-").isdecimal() or len(text) > 9:
            raise ValueError(text)
        value = int(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return parse


def int_spec(
    key: str,
    low: int,
    high: int,
    default: int,
    *,
    choices: Sequence[str] = (),
    aliases: Sequence[str] = (),
) -> SettingSpec:
    return SettingSpec(
        key=key,
        parse=int_in(low, high),
        default=default,
        aliases=tuple(aliases),
        choices=tuple(choices),
        hint=f"{low}–{high}",
    )
