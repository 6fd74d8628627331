"""Question banks and their questions, built by the coordinators of the bank's provider
(Perm.CATALOG_MANAGE over it; state administrators everywhere). Every rule is checked
before anything is written, and every change is audited.

A question that has been set in an attempt keeps its kind, choices and key: its wording
may be corrected, but a change of what is right goes through a key correction
(`grading.question_key_correct`), which regrades the attempts that answered it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.assessments.models import Choice, Question, QuestionBank, QuizRule
from govtrain.assessments.selectors import may_manage, question_in_use
from govtrain.audit.services import audit_changes, audit_record
from govtrain.catalog.models import Course, Provider, Topic

K = Question.Kind
MAX_CHOICES = 10
MAX_ACCEPTED = 20


@dataclass
class BankInput:
    title_en: str
    title_ml: str = ""
    course_id: int | None = None
    topic_id: int | None = None


def _require_manager(user: User, provider_id: int) -> None:
    if not may_manage(user=user, provider_id=provider_id):
        raise PermissionDenied


@transaction.atomic
def bank_save(
    *, provider: Provider, data: BankInput, by: User, bank: QuestionBank | None = None
) -> QuestionBank:
    """Create a bank of the provider, or change `bank` (its provider stays)."""
    if bank is not None:
        provider = bank.provider
    _require_manager(by, provider.pk)
    errors: dict[str, list[str]] = {}
    if not data.title_en.strip():
        errors["title_en"] = [_("Give a title in English.")]
    if data.course_id and data.topic_id:
        errors["topic_id"] = [_("A bank is for one course or one topic, not both.")]
    if data.course_id and not Course.objects.filter(pk=data.course_id, provider=provider).exists():
        errors["course_id"] = [_("Choose a course of this institute.")]
    if data.topic_id and not Topic.objects.filter(pk=data.topic_id).exists():
        errors["topic_id"] = [_("Choose a topic of the catalog.")]
    if errors:
        raise ValidationError(errors)
    before = _bank_snapshot(bank) if bank is not None else None
    bank = bank or QuestionBank(provider=provider)
    bank.title_en, bank.title_ml = data.title_en.strip(), data.title_ml.strip()
    bank.course_id, bank.topic_id = data.course_id, data.topic_id
    bank.save()
    if before is None:
        audit_record(
            actor=by, action="assessments.bank_created", target=bank, after=_bank_snapshot(bank)
        )
    else:
        audit_changes(
            actor=by,
            action="assessments.bank_changed",
            target=bank,
            before=before,
            after=_bank_snapshot(bank),
        )
    return bank


def _bank_snapshot(bank: QuestionBank) -> dict[str, object]:
    return {
        "title_en": bank.title_en,
        "title_ml": bank.title_ml,
        "course": bank.course_id,
        "topic": bank.topic_id,
    }


@dataclass
class ChoiceInput:
    text_en: str
    text_ml: str = ""
    is_correct: bool = False


@dataclass
class QuestionInput:
    kind: str
    text_en: str
    text_ml: str = ""
    points: Decimal = Decimal(1)
    competency: str = ""
    difficulty: str = Question.Difficulty.MEDIUM
    explanation_en: str = ""
    explanation_ml: str = ""
    choices: list[ChoiceInput] = field(default_factory=list)
    true_is_correct: bool | None = None
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    accepted_answers: list[str] = field(default_factory=list)
    is_active: bool = True


def key_errors(
    *,
    kind: str,
    correct_marks: Sequence[bool],
    true_is_correct: bool | None,
    numeric_answer: Decimal | None,
    numeric_tolerance: Decimal,
    accepted_answers: Sequence[str],
    points: Decimal,
) -> dict[str, list[str]]:
    """What is missing or wrong in a question's key, by field."""
    errors: dict[str, list[str]] = {}
    if not points.is_finite() or points <= 0 or points > 1000:
        errors["points"] = [_("Give the points as a number above 0 (at most 1000).")]
    elif points != points.quantize(Decimal("0.01")):
        errors["points"] = [_("Give the points to two decimal places at most.")]
    right = sum(1 for mark in correct_marks if mark)
    if kind == K.SINGLE and right != 1:
        errors["choices"] = [_("Mark exactly one choice as correct.")]
    if kind == K.MULTIPLE and right < 1:
        errors["choices"] = [_("Mark at least one choice as correct.")]
    if kind == K.TRUE_FALSE and true_is_correct is None:
        errors["true_is_correct"] = [_("Say whether the statement is true or false.")]
    if kind == K.NUMERIC:
        if numeric_answer is None or not numeric_answer.is_finite():
            errors["numeric_answer"] = [_("Give the correct number.")]
        if not numeric_tolerance.is_finite() or numeric_tolerance < 0:
            errors["numeric_tolerance"] = [_("The tolerance cannot be negative.")]
    if kind == K.SHORT:
        accepted = [a for a in accepted_answers if a.strip()]
        if not accepted:
            errors["accepted_answers"] = [_("Give at least one accepted answer.")]
        elif len(accepted) > MAX_ACCEPTED or any(len(a) > 200 for a in accepted):
            errors["accepted_answers"] = [
                _("At most %(n)d accepted answers of 200 characters each.") % {"n": MAX_ACCEPTED}
            ]
    return errors


def _question_errors(data: QuestionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in K.values:
        return {"kind": [_("Choose the kind of question.")]}
    if not data.text_en.strip():
        errors["text_en"] = [_("Write the question in English.")]
    if data.difficulty not in Question.Difficulty.values:
        errors["difficulty"] = [_("Choose the difficulty.")]
    if len(data.competency) > 100:
        errors["competency"] = [_("The competency tag is at most 100 characters.")]
    choices = [c for c in data.choices if c.text_en.strip() or c.text_ml.strip()]
    if data.kind in Question.CHOICE_KINDS:
        if len(choices) < 2:
            errors["choices"] = [_("Give at least two choices.")]
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = [_("At most %(n)d choices.") % {"n": MAX_CHOICES}]
        elif any(not c.text_en.strip() for c in choices):
            errors["choices"] = [_("Write every choice in English.")]
    elif choices:
        errors["choices"] = [_("Only single and multiple choice questions have choices.")]
    for name, messages in key_errors(
        kind=data.kind,
        correct_marks=[c.is_correct for c in choices],
        true_is_correct=data.true_is_correct,
        numeric_answer=data.numeric_answer,
        numeric_tolerance=data.numeric_tolerance,
        accepted_answers=data.accepted_answers,
        points=data.points,
    ).items():
        errors.setdefault(name, []).extend(messages)
    return errors


_KEYED = ("kind", "points", "true_is_correct", "numeric_answer", "numeric_tolerance")


def _snapshot(question: Question) -> dict[str, object]:
    values: dict[str, object] = {
        name: getattr(question, name)
        for name in (
            "kind",
            "text_en",
            "text_ml",
            "competency",
            "difficulty",
            "explanation_en",
            "explanation_ml",
            "true_is_correct",
            "accepted_answers",
            "is_active",
        )
    }
    values["points"] = str(question.points)
    values["numeric_answer"] = str(question.numeric_answer) if question.numeric_answer else None
    values["numeric_tolerance"] = str(question.numeric_tolerance)
    values["choices"] = [
        [c.text_en, c.text_ml, c.is_correct] for c in question.choices.order_by("position", "pk")
    ]
    return values


def _used_question_changes(question: Question, data: QuestionInput) -> list[str]:
    """What a question already set in attempts may not change this way."""
    problems = []
    for name in _KEYED:
        old, new = getattr(question, name), getattr(data, name)
        if name in ("points", "numeric_answer", "numeric_tolerance") and old is not None:
            old = Decimal(old)
        if old != new and not (name == "numeric_answer" and data.kind != K.NUMERIC):
            problems.append(name)
    if [a.strip() for a in question.accepted_answers] != [
        a.strip() for a in data.accepted_answers if a.strip()
    ] and data.kind == K.SHORT:
        problems.append("accepted_answers")
    stored = list(question.choices.order_by("position", "pk"))
    given = [c for c in data.choices if c.text_en.strip() or c.text_ml.strip()]
    if len(stored) != len(given) or any(
        s.is_correct != g.is_correct for s, g in zip(stored, given, strict=False)
    ):
        problems.append("choices")
    return problems


@transaction.atomic
def question_save(
    *, bank: QuestionBank, data: QuestionInput, by: User, question: Question | None = None
) -> Question:
    """Add a question to the bank, or change `question`. Once the question has been set in
    an attempt, only its wording, explanation, tags and whether it is still drawn may
    change; its kind, choices, key and points only through a key correction."""
    _require_manager(by, bank.provider_id)
    if question is not None and question.bank_id != bank.pk:
        raise ValidationError(_("The question is not in this bank."))
    errors = _question_errors(data)
    if question is not None and not errors:
        used = question_in_use(question=question)
        if used and _used_question_changes(question, data):
            errors[_first_field(_used_question_changes(question, data))] = [
                _(
                    "This question has been answered in %(n)d attempts: its kind, choices, "
                    "key and points stay. To change what is right, correct its key, and "
                    "those attempts are regraded."
                )
                % {"n": used}
            ]
    if errors:
        raise ValidationError(errors)
    before = _snapshot(question) if question is not None else None
    question = question or Question(bank=bank)
    question.kind = data.kind
    question.text_en, question.text_ml = data.text_en.strip(), data.text_ml.strip()
    question.points = data.points
    question.competency = data.competency.strip()
    question.difficulty = data.difficulty
    question.explanation_en = data.explanation_en.strip()
    question.explanation_ml = data.explanation_ml.strip()
    question.true_is_correct = data.true_is_correct if data.kind == K.TRUE_FALSE else None
    question.numeric_answer = data.numeric_answer if data.kind == K.NUMERIC else None
    question.numeric_tolerance = data.numeric_tolerance if data.kind == K.NUMERIC else Decimal(0)
    question.accepted_answers = (
        [a.strip() for a in data.accepted_answers if a.strip()] if data.kind == K.SHORT else []
    )
    question.is_active = data.is_active
    question.save()
    _save_choices(question, data)
    after = _snapshot(question)
    if before is None:
        audit_record(actor=by, action="assessments.question_created", target=question, after=after)
    else:
        audit_changes(
            actor=by,
            action="assessments.question_changed",
            target=question,
            before=before,
            after=after,
        )
    return question


def _first_field(names: list[str]) -> str:
    return "choices" if "choices" in names else names[0]


def _save_choices(question: Question, data: QuestionInput) -> None:
    """The choices in the order given, matched to the stored ones by position."""
    given = [c for c in data.choices if c.text_en.strip() or c.text_ml.strip()]
    if data.kind not in Question.CHOICE_KINDS:
        given = []
    stored = list(question.choices.order_by("position", "pk"))
    for position, choice in enumerate(given, start=1):
        row = stored[position - 1] if position <= len(stored) else Choice(question=question)
        row.position = position
        row.text_en, row.text_ml = choice.text_en.strip(), choice.text_ml.strip()
        row.is_correct = choice.is_correct
        row.save()
    for row in stored[len(given) :]:
        row.delete()


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """Remove a question that was never set and no quiz names; else retire it instead."""
    _require_manager(by, question.bank.provider_id)
    if question_in_use(question=question):
        raise ValidationError(
            _("This question has been answered in attempts: retire it instead (untick “in use”).")
        )
    if QuizRule.objects.filter(question=question).exists():
        raise ValidationError(_("A quiz sets this question: remove it from the quiz first."))
    audit_record(
        actor=by,
        action="assessments.question_deleted",
        target=question,
        before={"text_en": question.text_en[:200], "bank": question.bank_id},
    )
    try:
        question.delete()
    except ProtectedError as error:  # a response written since the check
        raise ValidationError(_("This question has been answered in attempts.")) from error
