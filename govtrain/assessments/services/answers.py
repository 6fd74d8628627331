"""Answers: their one stored shape per kind of question, their checks, and automatic
grading. Pure functions: nothing here reads or writes the database.

Stored shapes (`Response.answer`; the API takes the same JSON):

| kind        | answer                        |
| ----------- | ----------------------------- |
| single      | {"choice": 12}                |
| multiple    | {"choices": [12, 14]}         |
| true_false  | {"value": true}               |
| numeric     | {"value": "12.5"}             |
| short/essay | {"text": "..."}               |

None (or an empty answer) is no answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govtrain.assessments.models import Question

K = Question.Kind
Answer = dict[str, Any]
CENT = Decimal("0.01")
SHORT_MAX = 500
ESSAY_MAX = 20_000
NUMBER_MAX_DIGITS = 30
# No key has more than 12 digits before the point (Question.numeric_answer), so a number
# of more than 15 answers nothing; and taken as it comes, "1e999999999" would overflow
# Decimal's arithmetic when the answer is scored.
NUMBER_MAX_EXPONENT = 15


def money(value: Decimal) -> Decimal:
    """Scores are kept to two decimal places, rounded half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A number as people write it: 10, 2.5 (never 1E+1 or 2.50)."""
    return format(value.normalize(), "f")


def parse_decimal(raw: object) -> Decimal | None:
    """A finite decimal number from text or a JSON number ("12.5", 12.5, "-3"); None if it
    is not one, or is too large to answer any question. Digit grouping is not taken
    ("1,000" and "1_000" are refused, not read as 1 or 1000)."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    text = str(raw).strip()
    if not text or len(text) > NUMBER_MAX_DIGITS or "_" in text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or (value and value.adjusted() > NUMBER_MAX_EXPONENT):
        return None
    return value


def clean_answer(question: Question, raw: object, choice_ids: Sequence[int]) -> Answer | None:
    """The stored shape of `raw` for `question`, or None for no answer. `choice_ids` are the
    choices the learner was shown. Raises ValidationError with a message for the learner."""
    if raw is None or raw == {} or raw == "":
        return None
    if not isinstance(raw, dict):
        raise ValidationError(_("The answer is not in the expected form."))
    kind = question.kind
    if kind == K.SINGLE:
        choice = raw.get("choice")
        if choice in (None, ""):
            return None
        if not _is_id(choice) or int(choice) not in choice_ids:
            raise ValidationError(_("Choose one of the options shown."))
        return {"choice": int(choice)}
    if kind == K.MULTIPLE:
        choices = raw.get("choices")
        if choices in (None, []):
            return None
        if not isinstance(choices, list) or not all(_is_id(c) for c in choices):
            raise ValidationError(_("Choose among the options shown."))
        picked = sorted({int(c) for c in choices})
        if any(c not in choice_ids for c in picked):
            raise ValidationError(_("Choose among the options shown."))
        return {"choices": picked}
    if kind == K.TRUE_FALSE:
        value = raw.get("value")
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return {"value": True}
        if value in (False, "false", "False", "0"):
            return {"value": False}
        raise ValidationError(_("Answer true or false."))
    if kind == K.NUMERIC:
        value = raw.get("value")
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = parse_decimal(value)
        if number is None:
            raise ValidationError(_("Give a number, such as 12 or 12.5."))
        return {"value": str(number)}
    text = raw.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValidationError(_("The answer is not in the expected form."))
    limit = SHORT_MAX if kind == K.SHORT else ESSAY_MAX
    if len(text) > limit:
        raise ValidationError(_("The answer is too long: at most %(n)d characters.") % {"n": limit})
    if not text.strip():
        return None
    return {"text": text}


def _is_id(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isdigit() and len(value) < 19


# Malayalam chillu letters are written either as one character (Unicode 5.1 and later,
# U+0D7A-U+0D7F) or, by older keyboards, as the consonant, virama and a zero-width joiner
# (The Unicode Standard, section 12.9). Both must count as the same answer.
_CHILLU = {
    "\u0d23\u0d4d\u200d": "\u0d7a",  # ൺ
    "\u0d28\u0d4d\u200d": "\u0d7b",  # ൻ
    "\u0d30\u0d4d\u200d": "\u0d7c",  # ർ
    "\u0d32\u0d4d\u200d": "\u0d7d",  # ൽ
    "\u0d33\u0d4d\u200d": "\u0d7e",  # ൾ
    "\u0d15\u0d4d\u200d": "\u0d7f",  # ൿ
}
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """A short answer as it is compared: Unicode NFC, one chillu spelling, no zero-width
    joiners, case folded, runs of spaces as one, no spaces at the ends."""
    text = unicodedata.normalize("NFC", text)
    for old, new in _CHILLU.items():
        text = text.replace(old, new)
    text = text.replace("\u200d", "").replace("\u200c", "")
    return _SPACES.sub(" ", text).strip().casefold()


def auto_score(
    question: Question, answer: Answer | None, points: Decimal, correct_choices: set[int]
) -> Decimal | None:
    """The automatic score of an answer; None when a person must grade it (an answered
    essay). `correct_choices` are the ids of the question's correct choices.

    Multiple choice earns a share for each correct choice picked, less one for each wrong
    one, never below zero: points * max(0, (right - wrong) / number of correct choices)."""
    if answer is None:
        return Decimal(0)
    kind = question.kind
    if kind == K.ESSAY:
        return None
    if kind == K.SINGLE:
        return points if answer.get("choice") in correct_choices else Decimal(0)
    if kind == K.MULTIPLE:
        picked = set(answer.get("choices") or [])
        if not correct_choices:
            return Decimal(0)
        right = len(picked & correct_choices)
        wrong = len(picked - correct_choices)
        share = max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct_choices)))
        return money(points * share)
    if kind == K.TRUE_FALSE:
        return points if answer.get("value") is question.true_is_correct else Decimal(0)
    if kind == K.NUMERIC:
        value = parse_decimal(answer.get("value"))
        if value is None or question.numeric_answer is None:
            return Decimal(0)
        close = abs(value - question.numeric_answer) <= question.numeric_tolerance
        return points if close else Decimal(0)
    accepted = {normalise_text(a) for a in question.accepted_answers}
    return points if normalise_text(str(answer.get("text", ""))) in accepted else Decimal(0)
