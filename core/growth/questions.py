"""Onboarding questions as admins write them, and answers as requesters give them (no I/O).

The one-line form: `<field> | <question>` asks for a text answer; `<field> | <question> |
<option>, <option>, …` offers the options as buttons. The field names the profile field the
answer becomes (`city`, `来源`), which selectors use as `field:city=上海`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from core.errors import DomainError

CHOICE, TEXT = "choice", "text"
MAX_QUESTIONS = 10
MAX_FIELD = 24
MAX_PROMPT = 300
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_OPTION = 40  # a button's label
MAX_ANSWER = 200
# Letters (any script), digits and _; not starting with a digit.
_FIELD = re.compile(rf"[^\W\d]\w{{0,{MAX_FIELD - 1}}}")
_OPTION_SEPARATORS = re.compile(r"[,，、;；]")
# The export's own columns (/export onboarding): no question may fill one of them.
RESERVED_FIELDS = frozenset({"user_id", "username", "display_name", "updated_at"})


class QuestionError(DomainError):
    pass


class BadQuestionForm(QuestionError):
    key = "onboarding-error-form"


class BadField(QuestionError):
    key = "onboarding-error-field"  # args: field, max


class PromptTooLong(QuestionError):
    key = "onboarding-error-prompt-long"  # args: max


class BadOptionCount(QuestionError):
    key = "onboarding-error-options"  # args: count, min, max


class OptionTooLong(QuestionError):
    key = "onboarding-error-option-long"  # args: option, max


class DuplicateOption(QuestionError):
    key = "onboarding-error-option-twice"  # args: option


class DuplicateField(QuestionError):
    key = "onboarding-error-field-twice"  # args: field


class TooManyQuestions(QuestionError):
    key = "onboarding-error-too-many"  # args: max


class NoSuchQuestion(QuestionError):
    key = "onboarding-error-no-question"  # args: number, count


class AnswerTooLong(QuestionError):
    key = "onboarding-error-answer-long"  # args: max


class EmptyAnswer(QuestionError):
    key = "onboarding-error-answer-empty"


@dataclass(frozen=True, slots=True)
class Question:
    field: str
    kind: str  # CHOICE | TEXT
    prompt: str
    options: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "kind": self.kind,
            "prompt": self.prompt,
            "options": list(self.options),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Question:
        options = data.get("options") or []
        assert isinstance(options, list)
        return cls(
            str(data["field"]), str(data["kind"]), str(data["prompt"]), tuple(map(str, options))
        )


def dump(questions: list[Question]) -> str:
    return json.dumps([q.as_json() for q in questions], ensure_ascii=False)


def load(text: str) -> list[Question]:
    return [Question.from_json(item) for item in json.loads(text or "[]")]


def dump_options(options: tuple[str, ...]) -> str:
    return json.dumps(list(options), ensure_ascii=False)


def load_options(text: str) -> list[str]:
    return [str(o) for o in json.loads(text or "[]")]


def clean_field(text: str) -> str:
    field = text.strip().lower()
    if not _FIELD.fullmatch(field) or field in RESERVED_FIELDS:
        raise BadField(field=text.strip()[:40], max=MAX_FIELD)
    return field


def parse_question(line: str, *, kind: str | None = None) -> Question:
    """`field | question [| options]`; `kind` (from the guided flow's button) insists on one."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise BadQuestionForm()
    field = clean_field(parts[0])
    prompt = " ".join(parts[1].split())
    if len(prompt) > MAX_PROMPT:
        raise PromptTooLong(max=MAX_PROMPT)
    choice = len(parts) == 3 if kind is None else kind == CHOICE
    if not choice:
        if len(parts) == 3 and parts[2]:
            raise BadQuestionForm()  # options given to a text question
        return Question(field, TEXT, prompt)
    options = parse_options(parts[2] if len(parts) == 3 else "")
    return Question(field, CHOICE, prompt, options)


def parse_options(text: str) -> tuple[str, ...]:
    options = [" ".join(o.split()) for o in _OPTION_SEPARATORS.split(text)]
    options = [o for o in options if o]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise BadOptionCount(count=len(options), min=MIN_OPTIONS, max=MAX_OPTIONS)
    seen: set[str] = set()
    for option in options:
        if len(option) > MAX_OPTION:
            raise OptionTooLong(option=option[:MAX_OPTION] + "…", max=MAX_OPTION)
        if option.casefold() in seen:
            raise DuplicateOption(option=option)
        seen.add(option.casefold())
    return tuple(options)


def check_new(existing: list[Question], question: Question) -> None:
    if len(existing) >= MAX_QUESTIONS:
        raise TooManyQuestions(max=MAX_QUESTIONS)
    if any(q.field == question.field for q in existing):
        raise DuplicateField(field=question.field)


def clean_answer(text: str) -> str:
    answer = " ".join(text.split())
    if not answer:
        raise EmptyAnswer()
    if len(answer) > MAX_ANSWER:
        raise AnswerTooLong(max=MAX_ANSWER)
    return answer


def moved(count: int, number: int, to: int) -> list[int]:
    """The order of questions 0..count-1 after moving question `number` (1-based) to place
    `to` (1-based, clamped)."""
    if not 1 <= number <= count:
        raise NoSuchQuestion(number=number, count=count)
    order = list(range(count))
    item = order.pop(number - 1)
    order.insert(min(max(to, 1), count) - 1, item)
    return order
