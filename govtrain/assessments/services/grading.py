"""Grading: closing an attempt and scoring it automatically, the grader's scores for
essays and overridden short answers, and the regrade after a key correction.

Every change of an attempt locks its enrolment first, then the attempt (always in this
order, as learning.services.progress.lesson_complete does), so that a submit, a grade and
a regrade of one learner queue instead of deadlocking. A graded attempt that passes
completes the lessons that play the quiz and, through the course rule, the course
(`progress.quiz_passed`); passing and failing are xAPI statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from govtrain.accounts.access import access_for
from govtrain.accounts.models import User
from govtrain.assessments import events
from govtrain.assessments.models import Attempt, Question, QuestionKeyChange, Response
from govtrain.assessments.selectors import may_grade, may_manage
from govtrain.assessments.services.answers import auto_score, money, plain
from govtrain.assessments.services.banks import key_errors
from govtrain.audit.services import audit_record
from govtrain.learning.services import progress
from govtrain.notifications.services import notify
from govtrain.records.models import Enrolment

S = Attempt.Status
K = Question.Kind
HAND_GRADED = (K.ESSAY, K.SHORT)


def lock_attempt(attempt: Attempt) -> Attempt:
    """The attempt, locked after its enrolment (only those rows), with what grading reads."""
    Enrolment.objects.select_for_update(of=("self",)).filter(pk=attempt.enrolment_id).first()
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz__course", "employee", "enrolment__course")
        .get(pk=attempt.pk)
    )


def correct_choices(question: Question) -> set[int]:
    return {c.pk for c in question.choices.all() if c.is_correct}


def _responses(attempt: Attempt) -> list[Response]:
    return list(
        attempt.responses.select_related("question")
        .prefetch_related("question__choices")
        .order_by("position")
    )


def _finalise(attempt: Attempt, responses: Iterable[Response]) -> None:
    """The attempt's total from its answers: graded with its percentage and pass when no
    answer waits for a grader, else waiting (no score shown yet)."""
    responses = list(responses)
    attempt.max_score = sum((r.points for r in responses), Decimal(0))
    if any(r.score is None for r in responses):
        attempt.status = S.SUBMITTED
        attempt.score = attempt.percent = attempt.passed = None
    else:
        attempt.status = S.GRADED
        attempt.score = sum((r.score or Decimal(0) for r in responses), Decimal(0))
        attempt.percent = (
            money(attempt.score * 100 / attempt.max_score) if attempt.max_score else Decimal(0)
        )
        attempt.passed = attempt.percent >= attempt.quiz.pass_percent
    attempt.save(update_fields=["status", "score", "max_score", "percent", "passed", "updated_at"])


def _result_recorded(
    attempt: Attempt, *, before: tuple[str, bool | None], by: User | None, now: dt.datetime
) -> None:
    """A graded attempt's pass or fail, once and again whenever a regrade changes it."""
    if attempt.status != S.GRADED or before == (S.GRADED, attempt.passed):
        return
    events.attempt_result(attempt=attempt)
    if attempt.passed:
        progress.quiz_passed(enrolment=attempt.enrolment, quiz_id=attempt.quiz_id, by=by, now=now)


def _snapshot(attempt: Attempt) -> dict[str, object]:
    return {
        "status": attempt.status,
        "score": str(attempt.score) if attempt.score is not None else None,
        "percent": str(attempt.percent) if attempt.percent is not None else None,
        "passed": attempt.passed,
    }


def close_attempt(attempt: Attempt, *, by: User | None, now: dt.datetime) -> None:
    """Close a locked attempt in progress with the answers saved: by the learner, or at its
    deadline (then it counts as submitted at the deadline). Scores every answer that needs
    no grader; graded at once when none does."""
    timed_out = attempt.deadline is not None and now > attempt.deadline
    attempt.submitted_at = attempt.deadline if timed_out and attempt.deadline else now
    attempt.timed_out = timed_out
    attempt.save(update_fields=["submitted_at", "timed_out", "updated_at"])
    responses = _responses(attempt)
    for response in responses:
        question = response.question
        response.auto_score = auto_score(
            question, response.answer, response.points, correct_choices(question)
        )
    Response.objects.bulk_update(responses, ["auto_score"])
    _finalise(attempt, responses)
    audit_record(
        actor=by,
        action="assessments.attempt_submitted",
        target=attempt,
        after={
            **_snapshot(attempt),
            "timed_out": timed_out,
            "answered": sum(1 for r in responses if r.answer is not None),
            "questions": len(responses),
        },
    )
    _result_recorded(attempt, before=(S.IN_PROGRESS, None), by=by, now=now)


def parse_score(raw: object, points: Decimal) -> Decimal:
    """A grader's score: a number from 0 to the question's points, in hundredths at most."""
    try:
        score = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"score": _("Give the score as a number.")}) from error
    if not score.is_finite() or score < 0 or score > points:
        raise ValidationError(
            {"score": _("Give a score from 0 to %(points)s.") % {"points": plain(points)}}
        )
    if score != money(score):
        raise ValidationError({"score": _("Give the score to two decimal places at most.")})
    return score


@transaction.atomic
def response_grade(
    *,
    response: Response,
    score: object,
    comment: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> Response:
    """A grader scores an essay, or overrides a short answer's automatic score, of a
    submitted attempt; grading again replaces the score (each one audited). The attempt is
    graded once no answer waits. PermissionDenied outside the grader's providers and on
    their own attempt; ValidationError for a score out of range or an attempt in progress."""
    now = now or timezone.now()
    attempt = response.attempt
    if not may_grade(user=by, provider_id=attempt.quiz.course.provider_id):
        raise PermissionDenied
    if access_for(by).employee_id == attempt.employee_id:
        raise PermissionDenied  # nobody grades their own attempt
    attempt = lock_attempt(attempt)
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("question")
        .get(pk=response.pk)
    )
    if attempt.is_open:
        raise ValidationError(
            _("This attempt is still in progress: grade it once it is submitted.")
        )
    if response.question.kind not in HAND_GRADED:
        raise ValidationError(_("Only essays and short answers are graded by hand."))
    value = parse_score(score, response.points)
    comment = comment.strip()
    before = {"score": _str(response.score), "comment": response.comment}
    response.manual_score = value
    response.comment = comment
    response.grader = by
    response.graded_at = now
    response.save(update_fields=["manual_score", "comment", "grader", "graded_at", "updated_at"])
    audit_record(
        actor=by,
        action="assessments.response_graded",
        target=attempt,
        before={"question": response.question_id, **before},
        after={"question": response.question_id, "score": str(value), "comment": comment},
    )
    state = (attempt.status, attempt.passed)
    _finalise(attempt, _responses(attempt))
    _result_recorded(attempt, before=state, by=by, now=now)
    if state[0] != S.GRADED and attempt.status == S.GRADED:
        _tell(
            [attempt],
            gettext_lazy("Your attempt at “%(quiz)s” has been graded."),
        )
    return response


def _str(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _tell(attempts: list[Attempt], message: StrOrPromise) -> None:
    """The learners in their notifications: a grade is news, not an emergency."""
    for attempt in attempts:
        notify(
            users=[attempt.employee.user],
            message=message,
            params={"quiz": attempt.quiz},  # its title in each reader's language
            url=reverse("assessments:attempt-result", args=[attempt.pk]),
            email=False,
        )


# --- Key corrections ---------------------------------------------------------------------


@dataclass
class KeyInput:
    """A question's key as corrected; fields of other kinds are ignored."""

    correct_choices: list[int] | None = None
    true_is_correct: bool | None = None
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    accepted_answers: list[str] = field(default_factory=list)
    points: Decimal | None = None


def key_of(question: Question) -> dict[str, object]:
    """The question's key as stored in its history (JSON)."""
    key: dict[str, object] = {"points": str(question.points)}
    if question.kind in Question.CHOICE_KINDS:
        key["correct_choices"] = sorted(correct_choices(question))
    elif question.kind == K.TRUE_FALSE:
        key["true_is_correct"] = question.true_is_correct
    elif question.kind == K.NUMERIC:
        key["numeric_answer"] = _str(question.numeric_answer)
        key["numeric_tolerance"] = str(question.numeric_tolerance)
    elif question.kind == K.SHORT:
        key["accepted_answers"] = list(question.accepted_answers)
    return key


@dataclass
class Regrade:
    change: QuestionKeyChange
    attempts: int = 0
    changed: int = 0
    now_passed: list[int] = field(default_factory=list)
    now_failed: list[int] = field(default_factory=list)


def _check_key(question: Question, key: KeyInput) -> dict[str, list[str]]:
    choices = list(question.choices.all())
    ids = {c.pk for c in choices}
    errors: dict[str, list[str]] = {}
    if question.kind in Question.CHOICE_KINDS:
        picked = set(key.correct_choices or [])
        if not picked <= ids:
            errors["correct_choices"] = [_("Mark choices of this question only.")]
    marks = [c.pk in set(key.correct_choices or []) for c in choices]
    found = key_errors(
        kind=question.kind,
        correct_marks=marks,
        true_is_correct=key.true_is_correct,
        numeric_answer=key.numeric_answer,
        numeric_tolerance=key.numeric_tolerance,
        accepted_answers=key.accepted_answers,
        points=key.points if key.points is not None else question.points,
    )
    for name, messages in found.items():
        errors.setdefault(name, []).extend(messages)
    return errors


def question_key_correct(
    *, question: Question, key: KeyInput, reason: str, by: User, now: dt.datetime | None = None
) -> Regrade:
    """Correct a question's key (and points) and regrade every submitted attempt that had
    it: its score, percentage and pass. A pass gained completes lessons and the course as
    any pass does; a pass lost is recorded and told to the learner, but a completion
    already recorded stays (it is evidence; the audit lists those attempts). Attempts in
    progress are graded with the new key when they close. Coordinators of the bank's
    provider only (PermissionDenied); ValidationError for a key that is incomplete,
    unchanged, or without a reason, and nothing is written."""
    now = now or timezone.now()
    if not may_manage(user=by, provider_id=question.bank.provider_id):
        raise PermissionDenied
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("bank")
            .prefetch_related("choices")
            .get(pk=question.pk)
        )
        reason = reason.strip()
        errors = _check_key(question, key)
        if not reason:
            errors.setdefault("reason", []).append(
                _("Say why the key changes: the learners whose results change are told.")
            )
        if question.kind == K.ESSAY and key.points is None:
            errors.setdefault("points", []).append(_("An essay's key is its points: give them."))
        if errors:
            raise ValidationError(errors)
        before = key_of(question)
        if question.kind in Question.CHOICE_KINDS:
            wanted = set(key.correct_choices or [])
            for choice in question.choices.all():
                if choice.is_correct != (choice.pk in wanted):
                    choice.is_correct = choice.pk in wanted
                    choice.save(update_fields=["is_correct", "updated_at"])
            # The prefetched choices now hold the new key.
        elif question.kind == K.TRUE_FALSE:
            question.true_is_correct = key.true_is_correct
        elif question.kind == K.NUMERIC:
            question.numeric_answer = key.numeric_answer
            question.numeric_tolerance = key.numeric_tolerance
        elif question.kind == K.SHORT:
            question.accepted_answers = [a.strip() for a in key.accepted_answers if a.strip()]
        if key.points is not None:
            question.points = key.points
        after = key_of(question)
        if after == before:
            raise ValidationError(_("The key is unchanged: there is nothing to correct."))
        question.version += 1
        question.save()
        change = QuestionKeyChange.objects.create(
            question=question,
            version=question.version,
            before=before,
            after=after,
            reason=reason,
            changed_by=by,
        )
        audit_record(
            actor=by,
            action="assessments.key_corrected",
            target=question,
            before=before,
            after={**after, "version": question.version},
            reason=reason,
        )
        if before["points"] != after["points"]:
            Response.objects.filter(question=question).update(points=question.points)
        result = _regrade(question, change, by=by, now=now)
        change.attempts_regraded = result.attempts
        change.results_changed = result.changed
        change.now_passed, change.now_failed = result.now_passed, result.now_failed
        change.save(
            update_fields=[
                "attempts_regraded",
                "results_changed",
                "now_passed",
                "now_failed",
                "updated_at",
            ]
        )
    return result


def _regrade(
    question: Question, change: QuestionKeyChange, *, by: User, now: dt.datetime
) -> Regrade:
    result = Regrade(change=change)
    correct = correct_choices(question)
    attempt_ids = list(
        Response.objects.filter(question=question, attempt__status__in=(S.SUBMITTED, S.GRADED))
        .order_by("attempt_id")
        .values_list("attempt_id", flat=True)
    )
    lost: list[Attempt] = []
    for attempt_id in attempt_ids:
        attempt = lock_attempt(Attempt.objects.only("pk", "enrolment_id").get(pk=attempt_id))
        responses = _responses(attempt)
        for response in responses:
            if response.question_id == question.pk:
                response.question = question
                response.auto_score = auto_score(
                    question, response.answer, response.points, correct
                )
                if response.manual_score is not None and response.manual_score > response.points:
                    response.manual_score = response.points  # the points were lowered
                response.save(update_fields=["auto_score", "manual_score", "updated_at"])
        before = _snapshot(attempt)
        state = (attempt.status, attempt.passed)
        _finalise(attempt, responses)
        result.attempts += 1
        after = _snapshot(attempt)
        if after == before:
            continue
        result.changed += 1
        audit_record(
            actor=by,
            action="assessments.attempt_regraded",
            target=attempt,
            before=before,
            after={**after, "question": question.pk, "version": change.version},
            reason=change.reason,
        )
        if state[1] is not True and attempt.passed:
            result.now_passed.append(attempt.pk)
        if state[1] is True and attempt.passed is False:
            result.now_failed.append(attempt.pk)
            lost.append(attempt)
        _result_recorded(attempt, before=state, by=by, now=now)
        _tell(
            [attempt],
            gettext_lazy("Your result in “%(quiz)s” changed: a question's key was corrected."),
        )
    if lost:
        audit_record(
            actor=by,
            action="assessments.regrade_lost_passes",
            target=question,
            after={"attempts": [a.pk for a in lost], "version": change.version},
            reason=_("Completions already recorded were kept."),
        )
    return result
