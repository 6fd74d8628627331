"""Feedback: participants rate the programme and each faculty member once, after the batch.

Answers are kept per person only so that nobody answers twice; everyone else sees them
summed up (`selectors.feedback_summary`), comments without names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Provider
from govtrain.classroom import selectors
from govtrain.classroom.models import (
    Batch,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackResponse,
)
from govtrain.people.models import Employee
from govtrain.records.selectors import is_participant

K = FeedbackQuestion.Kind
MAX_COMMENT = 2000

# The common form every provider starts from (kind, English, Malayalam, required).
DEFAULT_QUESTIONS = (
    (
        K.COURSE_RATING,
        "Overall, how useful was this programme for your work?",
        "മൊത്തത്തിൽ, ഈ പരിശീലന പരിപാടി നിങ്ങളുടെ ജോലിക്ക് എത്രത്തോളം ഉപകാരപ്പെട്ടു?",
        True,
    ),
    (
        K.FACULTY_RATING,
        "How well did this faculty member teach?",
        "ഈ ഫാക്കൽറ്റി അംഗം എത്ര നന്നായി പഠിപ്പിച്ചു?",
        True,
    ),
    (
        K.TEXT,
        "What should we keep, and what should we change?",
        "എന്ത് നിലനിർത്തണം, എന്ത് മാറ്റണം?",
        False,
    ),
)


def answer_key(question_id: int, faculty_id: int | None = None) -> str:
    """The name of one answer in forms and error messages: `q7`, or `q7_f42` per faculty."""
    return f"q{question_id}" if faculty_id is None else f"q{question_id}_f{faculty_id}"


def _create_form(*, provider: Provider | None, name: str) -> FeedbackForm:
    form = FeedbackForm.objects.create(provider=provider, name=name, is_default=True)
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(
            form=form, position=i, kind=kind, text_en=en, text_ml=ml, required=required
        )
        for i, (kind, en, ml, required) in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    return form


@transaction.atomic
def feedback_form_default() -> FeedbackForm:
    """The common form (no provider), made with the default questions the first time."""
    form = FeedbackForm.objects.filter(provider=None, is_default=True).order_by("pk").first()
    return form or _create_form(provider=None, name="Common feedback form")


def feedback_form_for(*, batch: Batch) -> FeedbackForm:
    """The batch's own form, else its provider's default form, else the common one."""
    if batch.feedback_form is not None:
        return batch.feedback_form
    own = (
        FeedbackForm.objects.filter(provider_id=batch.course.provider_id, is_default=True)
        .order_by("pk")
        .first()
    )
    return own or feedback_form_default()


Answers = Mapping[tuple[int, int | None], int | str | None]


@transaction.atomic
def feedback_submit(*, batch: Batch, employee: Employee, answers: Answers) -> FeedbackResponse:
    """A participant's feedback, once, from the batch's last day on.

    `answers` maps (question id, faculty id or None) to a rating 1-5 or a comment.
    ValidationError when the person is not a participant (or the batch was cancelled),
    feedback is not open yet or already given, or an answer is missing or out of range
    (keyed by `answer_key`).
    """
    if batch.status == Batch.Status.CANCELLED or not is_participant(
        batch=batch, employee_id=employee.pk
    ):
        raise ValidationError(_("Only participants of the batch can give feedback."))
    if timezone.localdate() < selectors.feedback_opens_on(batch=batch):
        raise ValidationError(_("Feedback opens on the last day of the batch."))
    if selectors.feedback_given(batch=batch, employee_id=employee.pk):
        raise ValidationError(_("You have already given feedback on this batch. Thank you."))
    form = feedback_form_for(batch=batch)
    questions = list(form.questions.all())
    faculty = selectors.batch_faculty(batch=batch)
    expected: dict[tuple[int, int | None], FeedbackQuestion] = {}
    for q in questions:
        if q.kind == K.FACULTY_RATING:
            expected.update({(q.pk, f.pk): q for f in faculty})
        else:
            expected[(q.pk, None)] = q
    errors: dict[str, list[str]] = {}
    unknown = set(answers) - set(expected)
    if unknown:
        raise ValidationError(_("Some answers are to questions this form does not ask."))
    rows: list[FeedbackAnswer] = []
    for (question_id, faculty_id), question in expected.items():
        value = answers.get((question_id, faculty_id))
        key = answer_key(question_id, faculty_id)
        if question.kind == K.TEXT:
            text = str(value or "").strip()
            if len(text) > MAX_COMMENT:
                errors[key] = [_("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}]
            elif not text and question.required:
                errors[key] = [_("Please answer this question.")]
            elif text:
                rows.append(FeedbackAnswer(question=question, text=text))
            continue
        if value in (None, ""):
            if question.required:
                errors[key] = [_("Please choose a rating from 1 to 5.")]
            continue
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            errors[key] = [_("Please choose a rating from 1 to 5.")]
            continue
        rows.append(FeedbackAnswer(question=question, faculty_id=faculty_id, rating=rating))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(batch=batch, employee=employee)
    except IntegrityError as e:  # the same person submitting twice at once
        raise ValidationError(_("You have already given feedback on this batch. Thank you.")) from e
    for row in rows:
        row.response = response
    FeedbackAnswer.objects.bulk_create(rows)
    return response


# --- A provider's own form ---------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """One question as the coordinator wants it; `pk` None for a new one."""

    pk: int | None
    position: int
    kind: str
    text_en: str
    text_ml: str
    required: bool


def _check_manages(*, by: User, provider_id: int) -> None:
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, provider_id):
        raise PermissionDenied(_("You do not manage this provider."))


@transaction.atomic
def feedback_form_create_for_provider(*, provider: Provider, by: User) -> FeedbackForm:
    """Give a provider its own default form, starting from the common form's questions."""
    _check_manages(by=by, provider_id=provider.pk)
    existing = FeedbackForm.objects.filter(provider=provider, is_default=True).first()
    if existing is not None:
        return existing
    common = feedback_form_default()
    form = FeedbackForm.objects.create(
        provider=provider, name=f"{provider.code} feedback form", is_default=True
    )
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(
            form=form,
            position=q.position,
            kind=q.kind,
            text_en=q.text_en,
            text_ml=q.text_ml,
            required=q.required,
        )
        for q in common.questions.all()
    )
    audit_record(actor=by, action="feedback_form.created", target=form, after={"name": form.name})
    return form


@transaction.atomic
def feedback_questions_update(
    *, form: FeedbackForm, by: User, questions: Sequence[QuestionSpec], delete: Sequence[int] = ()
) -> FeedbackForm:
    """Change, add and remove the questions of a provider's form (its coordinators only).

    A question that has been answered keeps its kind and cannot be removed: the answers
    already given would lose their meaning (ValidationError).
    """
    if form.provider_id is None:
        raise PermissionDenied(_("The common form is kept by the state administration."))
    _check_manages(by=by, provider_id=form.provider_id)
    current = {q.pk: q for q in FeedbackQuestion.objects.select_for_update().filter(form=form)}
    answered = set(
        FeedbackAnswer.objects.filter(question__form=form).values_list("question_id", flat=True)
    )
    if any(pk not in current for pk in delete) or any(
        s.pk is not None and s.pk not in current for s in questions
    ):
        raise ValidationError(_("That question is not on this form."))
    if answered & set(delete):
        raise ValidationError(_("A question that has been answered cannot be removed."))
    changes: list[dict[str, object]] = []
    for spec in questions:
        if spec.kind not in K.values or not spec.text_en.strip():
            raise ValidationError(_("Every question needs a kind and its English text."))
        question = current.get(spec.pk) if spec.pk is not None else None
        if question is None:
            question = FeedbackQuestion(form=form)
        elif question.kind != spec.kind and question.pk in answered:
            raise ValidationError(_("A question that has been answered keeps its kind."))
        before = (
            question.position,
            question.kind,
            question.text_en,
            question.text_ml,
            question.required,
        )
        question.position = spec.position
        question.kind = spec.kind
        question.text_en = spec.text_en.strip()
        question.text_ml = spec.text_ml.strip()
        question.required = spec.required
        after = (spec.position, spec.kind, question.text_en, question.text_ml, spec.required)
        if question.pk is None or after != before:
            question.save()
            changes.append({"question": question.pk, "text_en": question.text_en})
    if delete:
        FeedbackQuestion.objects.filter(pk__in=delete).delete()
    if changes or delete:
        audit_record(
            actor=by,
            action="feedback_form.changed",
            target=form,
            after={"changed": changes, "removed": list(delete)},
        )
    return form
