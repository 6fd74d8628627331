"""A learner's attempt at a quiz: starting it (the paper drawn and frozen), saving answers
one question at a time, and submitting, by the learner or by the clock.

Only the server's clock counts. An attempt's deadline is fixed when it starts (the time
limit, or the quiz's closing time if sooner); an answer that arrives after it is refused,
and a submit or any access after it closes the attempt with the answers saved before
then. Answers are saved as they are given, so a dropped connection loses nothing saved:
the learner comes back to the same attempt (starting again resumes it).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Choice, Question, Quiz, Response
from govtrain.assessments.selectors import opening_problem
from govtrain.assessments.services.answers import clean_answer
from govtrain.assessments.services.grading import close_attempt, lock_attempt
from govtrain.assessments.services.quizzes import (
    DrawPlan,
    draw,
    draw_first_fit,
    draw_plan,
    paper_problems,
)
from govtrain.audit.services import audit_record
from govtrain.records.models import Enrolment

S = Attempt.Status
ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
OVERDUE_BATCH = 500
DRAW_TRIES = 20


class AttemptClosed(ValidationError):
    """The attempt is submitted or its time is up: answers can no longer change."""


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def is_overdue(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.is_open and attempt.deadline is not None and now > attempt.deadline


def _owner(attempt_or_enrolment: Attempt | Enrolment, by: User) -> None:
    if attempt_or_enrolment.employee.user_id != by.pk:
        raise PermissionDenied


def draw_paper(quiz: Quiz, rng: random.Random) -> list[Question]:
    """The questions of a new paper: the rules in order, fixed questions as they are and
    draws at random, no question twice; shuffled if the quiz says so.

    Draws are made narrowest pool first (quizzes.draw_plan). Pools that overlap can still
    leave a later draw short after an unlucky pick: the draw is then made again, and after
    DRAW_TRIES the first paper that fits is taken, so that a quiz that was published as
    drawable is never refused."""
    plan = draw_plan(quiz=quiz)
    problems = paper_problems(quiz=quiz, plan=plan)
    picked = None if problems else _draw_at_random(plan, rng) or draw_first_fit(plan)
    if picked is None:
        # Questions retired or a bank emptied since the quiz was published.
        raise ValidationError(
            " ".join(
                [_("This quiz cannot be taken just now: please tell its institute."), *problems[:1]]
            )
        )
    chosen: list[Question] = []
    for rule in plan.rules:
        if rule.question is not None:
            chosen.append(rule.question)
        else:
            chosen.extend(picked[rule.pk])
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _draw_at_random(plan: DrawPlan, rng: random.Random) -> dict[int, list[Question]] | None:
    for _attempt in range(DRAW_TRIES):
        picked = draw(plan, rng.sample)
        if picked is not None:
            return picked
    return None


def attempt_start(
    *,
    quiz: Quiz,
    enrolment: Enrolment,
    by: User,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[Attempt, bool]:
    """Start the learner's next attempt: draw the paper and freeze it (questions, their
    order and each one's order of choices) with the deadline. An attempt in progress is
    resumed instead: (attempt, False). Refused (ValidationError) when the quiz is closed
    or not yet open, or the attempts allowed are used up; PermissionDenied for anyone but
    the enrolled learner."""
    now = _now(now)
    _owner(enrolment, by)
    current = Attempt.objects.filter(
        quiz=quiz, employee_id=enrolment.employee_id, status=S.IN_PROGRESS
    ).first()
    if current is not None:
        current = attempt_close_if_due(attempt=current, by=by, now=now)
        if current.is_open:
            return current, False
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        # The enrolment's lock queues two tabs starting at once: the second resumes.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("employee", "course")
            .get(pk=enrolment.pk)
        )
        current = Attempt.objects.filter(
            quiz=quiz, employee_id=enrolment.employee_id, status=S.IN_PROGRESS
        ).first()
        if current is not None:
            return current, False
        if enrolment.course_id != quiz.course_id:
            raise ValidationError(_("This quiz is not part of the course."))
        if enrolment.status not in ACTIVE:
            raise ValidationError(_("Enrol in the course to take its quizzes."))
        if not quiz.is_published:
            raise ValidationError(_("This quiz is not open to learners."))
        problem = opening_problem(quiz=quiz, now=now)
        if problem:
            raise ValidationError(problem)
        used = Attempt.objects.filter(quiz=quiz, employee_id=enrolment.employee_id)
        if quiz.attempts_allowed and used.count() >= quiz.attempts_allowed:
            raise ValidationError(
                _("You have used all %(n)d attempts at this quiz.") % {"n": quiz.attempts_allowed}
            )
        questions = draw_paper(quiz, rng)
        deadline = None
        if quiz.time_limit_minutes:
            deadline = now + dt.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.closes_at is not None:
            deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
        number = (used.aggregate(m=Max("number"))["m"] or 0) + 1
        attempt = Attempt.objects.create(
            quiz=quiz,
            enrolment=enrolment,
            employee=enrolment.employee,
            number=number,
            started_at=now,
            deadline=deadline,
        )
        choices: dict[int, list[int]] = {}
        for choice in Choice.objects.filter(question__in=questions).order_by("position", "pk"):
            choices.setdefault(choice.question_id, []).append(choice.pk)
        responses = []
        for position, question in enumerate(questions, start=1):
            order = choices.get(question.pk, []) if question.has_choices else []
            if quiz.shuffle_choices:
                rng.shuffle(order)
            responses.append(
                Response(
                    attempt=attempt,
                    question=question,
                    position=position,
                    choice_order=order,
                    points=question.points,
                )
            )
        Response.objects.bulk_create(responses)
        attempt.max_score = sum((q.points for q in questions), attempt.max_score)
        attempt.save(update_fields=["max_score", "updated_at"])
        audit_record(
            actor=by,
            action="assessments.attempt_started",
            target=attempt,
            after={
                "quiz": quiz.pk,
                "number": number,
                "questions": [q.pk for q in questions],
                "deadline": deadline.isoformat() if deadline else None,
            },
        )
    return attempt, True


def attempt_close_if_due(
    *, attempt: Attempt, by: User | None = None, now: dt.datetime | None = None
) -> Attempt:
    """Close an attempt whose time is up, with the answers saved before the deadline (any
    page or request that reaches it calls this). The attempt, as it now is."""
    now = _now(now)
    if not is_overdue(attempt, now):
        return attempt
    with transaction.atomic():
        attempt = lock_attempt(attempt)
        if is_overdue(attempt, now):
            close_attempt(attempt, by=by, now=now)
    return attempt


def attempts_close_overdue(*, quiz: Quiz | None = None, now: dt.datetime | None = None) -> int:
    """Close attempts whose time is up and that nobody came back to (results and grading
    pages call this, so that what they show is closed). How many were closed."""
    now = _now(now)
    overdue = Attempt.objects.filter(status=S.IN_PROGRESS, deadline__lt=now)
    if quiz is not None:
        overdue = overdue.filter(quiz=quiz)
    closed = 0
    for attempt in overdue.order_by("deadline")[:OVERDUE_BATCH]:
        if not attempt_close_if_due(attempt=attempt, now=now).is_open:
            closed += 1
    return closed


def _closed_message(attempt: Attempt) -> str:
    if attempt.timed_out and attempt.deadline is not None:
        return _(
            "Time was up at %(time)s: the attempt was closed with the answers saved before "
            "then, and this answer was not saved."
        ) % {"time": time_format(timezone.localtime(attempt.deadline), "TIME_FORMAT")}
    return _("This attempt has been submitted: its answers can no longer change.")


def responses_save(
    *,
    attempt: Attempt,
    answers: Mapping[int, object],
    by: User,
    now: dt.datetime | None = None,
) -> list[Response]:
    """Save the learner's answers, by question id, to their attempt in progress: one from
    the page as it is given (htmx) or the API, or all of them with the page's form. All or
    nothing: a malformed answer is refused (by `q<id>`) and nothing is written. Saving the
    same answer again writes nothing. After the deadline nothing is saved, the attempt is
    closed with what was saved before, and AttemptClosed says so."""
    now = _now(now)
    _owner(attempt, by)
    with transaction.atomic():
        attempt = lock_attempt(attempt)
        overdue = is_overdue(attempt, now)
        if not attempt.is_open:
            raise AttemptClosed(_closed_message(attempt))
        if not overdue:
            return _save(attempt, answers, now)
    attempt = attempt_close_if_due(attempt=attempt, by=by, now=now)
    raise AttemptClosed(_closed_message(attempt))


def _save(attempt: Attempt, answers: Mapping[int, object], now: dt.datetime) -> list[Response]:
    responses = {
        r.question_id: r
        for r in attempt.responses.select_related("question").filter(question_id__in=list(answers))
    }
    if any(question_id not in responses for question_id in answers):
        raise ValidationError(_("That question is not part of this attempt."))
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for question_id, raw in answers.items():
        response = responses[question_id]
        try:
            cleaned[question_id] = clean_answer(response.question, raw, response.choice_order)
        except ValidationError as error:
            errors[f"q{question_id}"] = error.messages
    if errors:
        raise ValidationError(errors)
    changed = []
    for question_id, value in cleaned.items():
        response = responses[question_id]
        if response.answer != value:
            response.answer = value
            response.saved_at = now
            response.updated_at = timezone.now()  # bulk_update skips auto_now
            changed.append(response)
    if changed:
        Response.objects.bulk_update(changed, ["answer", "saved_at", "updated_at"])
    return list(responses.values())


def response_save(
    *, attempt: Attempt, question_id: int, answer: object, by: User, now: dt.datetime | None = None
) -> Response:
    """Save one answer (see responses_save)."""
    return responses_save(attempt=attempt, answers={question_id: answer}, by=by, now=now)[0]


def attempt_submit(*, attempt: Attempt, by: User, now: dt.datetime | None = None) -> Attempt:
    """The learner hands in the attempt; it is graded at once unless an essay waits for a
    grader. After the deadline it closes as at the deadline, with what was saved before.
    Submitting a closed attempt changes nothing."""
    now = _now(now)
    _owner(attempt, by)
    with transaction.atomic():
        attempt = lock_attempt(attempt)
        if attempt.is_open:
            close_attempt(attempt, by=by, now=now)
    return attempt
