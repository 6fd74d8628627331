"""Reads of assessments: who may reach which bank, quiz, attempt and answer, a learner's
standing in a quiz, what the feedback policy lets them see, the grading queue, and the
item analysis. Outside one's scope a record is a 404, never a 403."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.assessments.models import (
    Attempt,
    Choice,
    Question,
    QuestionBank,
    Quiz,
    QuizRule,
    Response,
)
from govtrain.catalog.models import Course, Provider
from govtrain.learning.models import Lesson
from govtrain.learning.selectors import courses_authored_by, enrolment_of
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
CLOSED = (Attempt.Status.SUBMITTED, Attempt.Status.GRADED)
# Item analysis says nothing until this many learners' graded first attempts have a
# question: below it, one strong or weak learner moves the figures more than the item does.
MIN_ITEM_ATTEMPTS = 10
# Upper and lower groups for the discrimination index (Kelley 1939: 27 % of each tail).
GROUP_SHARE = Decimal("0.27")
# Ebel's rule of thumb: an item that discriminates less than this needs revising.
WEAK_DISCRIMINATION = Decimal("0.2")
HUNDREDTH = Decimal("0.01")


# --- Scopes ----------------------------------------------------------------------------


def _providers(user: User, perm: Perm) -> frozenset[int] | None:
    """The providers where the user holds `perm` (None: every provider)."""
    access = access_for(user)
    if perm in access.everywhere:
        return None
    if not access.can(perm):
        return frozenset()
    return access.providers


def may_manage(*, user: User, provider_id: int) -> bool:
    """May the user build banks and quizzes, and see results, of this provider?"""
    return access_for(user).covers_provider(Perm.CATALOG_MANAGE, provider_id)


def may_grade(*, user: User, provider_id: int) -> bool:
    """May the user grade answers to this provider's quizzes?"""
    return access_for(user).covers_provider(Perm.ASSESS_GRADE, provider_id)


def providers_managed_by(*, user: User) -> QuerySet[Provider]:
    """The institutes whose banks the user may build."""
    providers = _providers(user, Perm.CATALOG_MANAGE)
    every = Provider.objects.order_by("code")
    return every if providers is None else every.filter(pk__in=providers)


def banks_managed_by(*, user: User) -> QuerySet[QuestionBank]:
    """Question banks of the providers whose courses the user manages."""
    banks = QuestionBank.objects.select_related("provider", "course", "topic")
    providers = _providers(user, Perm.CATALOG_MANAGE)
    if providers is not None:
        banks = banks.filter(provider_id__in=providers)
    return banks.annotate(question_count=Count("questions")).order_by("provider__code", "title_en")


def bank_get_managed(*, user: User, pk: int) -> QuestionBank:
    return get_object_or_404(banks_managed_by(user=user), pk=pk)


def question_get_managed(*, user: User, pk: int) -> Question:
    providers = _providers(user, Perm.CATALOG_MANAGE)
    questions = Question.objects.select_related("bank__provider").prefetch_related("choices")
    if providers is not None:
        questions = questions.filter(bank__provider_id__in=providers)
    return get_object_or_404(questions, pk=pk)


def questions_of(
    *, bank: QuestionBank, kind: str = "", difficulty: str = "", competency: str = ""
) -> QuerySet[Question]:
    """A bank's questions with their choices (two queries), filtered as asked."""
    questions = bank.questions.prefetch_related("choices").annotate(
        used=Exists(Response.objects.filter(question=OuterRef("pk")))
    )
    if kind:
        questions = questions.filter(kind=kind)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if competency:
        questions = questions.filter(competency__iexact=competency)
    return questions.order_by("pk")


def question_in_use(*, question: Question) -> int:
    """In how many attempts the question has been set."""
    return Response.objects.filter(question=question).count()


def banks_for_course(*, course: Course) -> QuerySet[QuestionBank]:
    """The banks a quiz of the course may draw from: its provider's, not another course's."""
    return (
        QuestionBank.objects.filter(provider_id=course.provider_id)
        .filter(Q(course__isnull=True) | Q(course=course))
        .order_by("title_en")
    )


def competencies_of(*, bank: QuestionBank) -> list[str]:
    return sorted(
        set(bank.questions.exclude(competency="").values_list("competency", flat=True)),
        key=str.casefold,
    )


def quizzes_managed_by(*, user: User) -> QuerySet[Quiz]:
    return Quiz.objects.filter(course__in=courses_authored_by(user=user)).select_related(
        "course__provider"
    )


def quiz_get_managed(*, user: User, pk: int) -> Quiz:
    return get_object_or_404(quizzes_managed_by(user=user), pk=pk)


def quizzes_of_course(*, course: Course) -> QuerySet[Quiz]:
    """A course's quizzes with their number of rules and attempts, finals last."""
    return (
        Quiz.objects.filter(course=course)
        .annotate(
            rule_count=Count("rules", distinct=True),
            attempt_count=Count("attempts", distinct=True),
        )
        .order_by("kind", "title_en", "pk")
    )


def quiz_choices_for(*, course_id: int) -> list[tuple[int, str]]:
    """The quizzes a lesson of the course may play, for a form's select."""
    return [
        (quiz.pk, f"{quiz.title_en} ({quiz.get_kind_display()})")
        for quiz in Quiz.objects.filter(course_id=course_id).order_by("title_en", "pk")
    ]


def quiz_of_course(*, course_id: int, pk: int) -> Quiz | None:
    return Quiz.objects.filter(course_id=course_id, pk=pk).first()


def rules_of(*, quiz: Quiz) -> list[QuizRule]:
    return list(quiz.rules.select_related("question", "bank").order_by("position", "pk"))


def rule_get_managed(*, user: User, pk: int) -> QuizRule:
    return get_object_or_404(
        QuizRule.objects.select_related("quiz__course").filter(
            quiz__in=quizzes_managed_by(user=user)
        ),
        pk=pk,
    )


# --- The learner -----------------------------------------------------------------------


def quiz_for_learner(*, employee: Employee, pk: int) -> tuple[Quiz, Enrolment]:
    """A published quiz of a published course the employee is enrolled in; else 404."""
    quiz = get_object_or_404(
        Quiz.objects.select_related("course__provider"),
        pk=pk,
        is_published=True,
        course__is_published=True,
    )
    enrolment = enrolment_of(employee=employee, course=quiz.course)
    if enrolment is None:
        raise Http404
    return quiz, enrolment


def attempt_for_learner(*, employee: Employee, pk: int) -> Attempt:
    """The employee's own attempt; anyone else's is a 404."""
    return get_object_or_404(
        Attempt.objects.select_related("quiz__course", "enrolment", "employee"),
        pk=pk,
        employee=employee,
    )


def attempts_of(*, quiz: Quiz, employee: Employee) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, employee=employee).order_by("number"))


def attempt_in_progress(*, quiz: Quiz, employee: Employee) -> Attempt | None:
    return Attempt.objects.filter(
        quiz=quiz, employee=employee, status=Attempt.Status.IN_PROGRESS
    ).first()


def quiz_passed_by(*, enrolment_id: int, quiz_id: int) -> bool:
    return Attempt.objects.filter(
        enrolment_id=enrolment_id, quiz_id=quiz_id, status=Attempt.Status.GRADED, passed=True
    ).exists()


def final_exams_pending(*, enrolment: Enrolment) -> int:
    """How many published final exams of the enrolment's course it has not passed."""
    passed = Attempt.objects.filter(
        quiz=OuterRef("pk"), enrolment=enrolment, status=Attempt.Status.GRADED, passed=True
    )
    return (
        Quiz.objects.filter(course_id=enrolment.course_id, kind=Quiz.Kind.FINAL, is_published=True)
        .exclude(Exists(passed))
        .count()
    )


def final_exams_exist(*, course_id: int) -> bool:
    return Quiz.objects.filter(
        course_id=course_id, kind=Quiz.Kind.FINAL, is_published=True
    ).exists()


def final_exams_for(*, course: Course, enrolment: Enrolment | None) -> list[tuple[Quiz, bool]]:
    """The course's published final exams for its page, each with whether the enrolment
    has passed it, as the course rule counts it (two queries)."""
    exams = list(
        Quiz.objects.filter(course=course, kind=Quiz.Kind.FINAL, is_published=True).order_by(
            "title_en", "pk"
        )
    )
    passed: set[int] = set()
    if enrolment is not None and exams:
        passed = set(
            Attempt.objects.filter(
                quiz__in=exams,
                enrolment=enrolment,
                status=Attempt.Status.GRADED,
                passed=True,
            ).values_list("quiz_id", flat=True)
        )
    return [(exam, exam.pk in passed) for exam in exams]


def opening_problem(*, quiz: Quiz, now: dt.datetime | None = None) -> str:
    """Why no attempt can start now because of the quiz's dates ("" when it can)."""
    now = now or timezone.now()
    if quiz.opens_at and now < quiz.opens_at:
        when = date_format(timezone.localtime(quiz.opens_at), "DATETIME_FORMAT")
        return _("This quiz opens on %(when)s.") % {"when": when}
    if quiz.closes_at and now >= quiz.closes_at:
        return _("This quiz has closed.")
    return ""


@dataclass
class QuizStanding:
    """A learner's place in a quiz: what the quiz page and a quiz lesson's panel show."""

    quiz: Quiz
    attempts: list[Attempt]
    in_progress: Attempt | None
    used: int
    allowed: int
    best: Attempt | None
    passed: bool
    waiting: bool  # an attempt waits for a grader
    problem: str  # why no attempt can start ("" when one can)

    @property
    def left(self) -> int | None:
        return None if not self.allowed else max(self.allowed - self.used, 0)

    @property
    def can_start(self) -> bool:
        return self.in_progress is None and not self.problem


def quiz_standing(
    *, quiz: Quiz, enrolment: Enrolment, now: dt.datetime | None = None
) -> QuizStanding:
    """The learner's attempts at the quiz and what they may do next. Attempts count per
    employee, as attempt_start counts them (a blended course's second enrolment gives no
    fresh attempts)."""
    attempts = list(
        Attempt.objects.filter(quiz=quiz, employee_id=enrolment.employee_id).order_by("number")
    )
    in_progress = next((a for a in attempts if a.is_open), None)
    graded = [a for a in attempts if a.status == Attempt.Status.GRADED]
    best = max(graded, key=lambda a: (a.percent or 0, -a.number), default=None)
    problem = opening_problem(quiz=quiz, now=now)
    if not problem and quiz.attempts_allowed and len(attempts) >= quiz.attempts_allowed:
        problem = _("You have used all %(n)d attempts at this quiz.") % {"n": quiz.attempts_allowed}
    if enrolment.status not in ACTIVE:
        problem = _("Enrol in the course to take its quizzes.")
    return QuizStanding(
        quiz=quiz,
        attempts=attempts,
        in_progress=in_progress,
        used=len(attempts),
        allowed=quiz.attempts_allowed,
        best=best,
        passed=any(a.passed for a in graded),
        waiting=any(a.status == Attempt.Status.SUBMITTED for a in attempts),
        problem="" if in_progress else problem,
    )


def response_of(*, attempt: Attempt, question_id: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related("question"), attempt=attempt, question_id=question_id
    )


def lesson_playing(*, quiz: Quiz) -> Lesson | None:
    """The (first) lesson of the course that plays the quiz, to lead back to it."""
    return Lesson.objects.filter(quiz=quiz).order_by("module__position", "position").first()


def paper(*, attempt: Attempt, question_ids: Collection[int] | None = None) -> list[Response]:
    """The attempt's questions in the order shown (only `question_ids`, when given), each
    with `shown_choices`: its choices in the learner's order, each marked `picked` when the
    saved answer has it (two queries)."""
    rows = attempt.responses.select_related("question")
    if question_ids is not None:
        rows = rows.filter(question_id__in=list(question_ids))
    responses = list(
        rows.prefetch_related(
            Prefetch("question__choices", queryset=Choice.objects.order_by("pk"))
        ).order_by("position")
    )
    for response in responses:
        by_id = {c.pk: c for c in response.question.choices.all()}
        answer = response.answer if isinstance(response.answer, dict) else {}
        picked = set(answer.get("choices") or [])
        if answer.get("choice") is not None:
            picked.add(answer["choice"])
        shown = [by_id[pk] for pk in response.choice_order if pk in by_id]
        for choice in shown:
            choice.picked = choice.pk in picked  # type: ignore[attr-defined] # for the templates
        response.shown_choices = shown  # type: ignore[attr-defined] # for the templates
    return responses


def comments_of(*, attempt: Attempt) -> list[Response]:
    """The graders' comments to the learner on an attempt, in the paper's order (the
    question's text with each, never its key)."""
    return list(
        attempt.responses.exclude(comment="").select_related("question").order_by("position")
    )


def enrolment_now(*, enrolment_id: int) -> Enrolment:
    """The enrolment as it is now (a pass may just have completed it)."""
    return Enrolment.objects.select_related("course").get(pk=enrolment_id)


@dataclass(frozen=True)
class Feedback:
    """What the quiz's feedback policy shows the learner of a closed attempt: the score,
    and the answers (the key, explanations and what each answer earned)."""

    score: bool
    answers: bool
    answers_from: dt.datetime | None = None  # AFTER_CLOSE: when the answers will show
    answers_later: bool = False  # ANSWERS: once the learner passes or has no attempt left


def feedback_for(*, attempt: Attempt, now: dt.datetime | None = None) -> Feedback:
    """Whether the learner sees the score and the answers of this attempt now. Nothing of
    an attempt in progress; the pass or fail of a graded one always (it completes lessons).

    The key is never shown while it could still help this learner: under ANSWERS only
    once they have passed the quiz or used every attempt, and with no attempt of theirs
    in progress; under AFTER_CLOSE once the quiz has closed (no attempt runs past it)."""
    if attempt.is_open:
        return Feedback(score=False, answers=False)
    quiz = attempt.quiz
    policy = Quiz.Feedback
    if quiz.feedback == policy.NONE:
        return Feedback(score=False, answers=False)
    if quiz.feedback == policy.SCORE:
        return Feedback(score=True, answers=False)
    if quiz.feedback == policy.ANSWERS:
        theirs = Attempt.objects.filter(quiz=quiz, employee_id=attempt.employee_id)
        running = theirs.filter(status=Attempt.Status.IN_PROGRESS).exists()
        passed = theirs.filter(status=Attempt.Status.GRADED, passed=True).exists()
        used_up = bool(quiz.attempts_allowed) and theirs.count() >= quiz.attempts_allowed
        shown = not running and (passed or used_up)
        return Feedback(score=True, answers=shown, answers_later=not shown)
    now = now or timezone.now()
    closed = quiz.closes_at is not None and now >= quiz.closes_at
    return Feedback(score=True, answers=closed, answers_from=quiz.closes_at)


# --- Results and grading ---------------------------------------------------------------


def quiz_results(*, quiz: Quiz) -> QuerySet[Attempt]:
    """Every attempt at the quiz, latest first, with its learner (one query)."""
    return (
        Attempt.objects.filter(quiz=quiz)
        .select_related("employee__office", "employee__designation")
        .order_by("-started_at", "-pk")
    )


def attempt_get_for_staff(*, user: User, pk: int) -> Attempt:
    """An attempt at a quiz of a provider whose results the user sees or grades."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__course", "employee", "enrolment"), pk=pk
    )
    provider_id = attempt.quiz.course.provider_id
    if not (
        may_manage(user=user, provider_id=provider_id)
        or may_grade(user=user, provider_id=provider_id)
    ):
        raise Http404
    return attempt


def _gradable(user: User) -> QuerySet[Response]:
    providers = _providers(user, Perm.ASSESS_GRADE)
    responses = Response.objects.filter(
        attempt__status__in=CLOSED,
        question__kind__in=(Question.Kind.ESSAY, Question.Kind.SHORT),
    )
    if providers is not None:
        responses = responses.filter(attempt__quiz__course__provider_id__in=providers)
    employee_id = access_for(user).employee_id
    if employee_id is not None:
        # Nobody grades their own attempt: to them its answers are not in the queue at all.
        responses = responses.exclude(attempt__employee_id=employee_id)
    return responses


def grading_queue(*, user: User) -> QuerySet[Response]:
    """Answers waiting for a grader, oldest submission first (one query)."""
    return (
        _gradable(user)
        .filter(question__kind=Question.Kind.ESSAY, manual_score=None, auto_score=None)
        .select_related("question", "attempt__quiz__course", "attempt__employee__designation")
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )


def response_get_gradable(*, user: User, pk: int) -> Response:
    """An essay or short answer the user may grade (or regrade); else 404."""
    return get_object_or_404(
        _gradable(user).select_related(
            "question__bank", "attempt__quiz__course", "attempt__employee", "grader"
        ),
        pk=pk,
    )


def gradable_responses_of(*, user: User, attempt: Attempt) -> set[int]:
    """Which of an attempt's answers the user may grade or override."""
    return set(_gradable(user).filter(attempt=attempt).values_list("pk", flat=True))


# --- Item analysis -----------------------------------------------------------------------


@dataclass
class ChoiceCount:
    choice: Choice
    count: int

    @property
    def is_correct(self) -> bool:
        return self.choice.is_correct


@dataclass
class ItemStats:
    """One question's figures over the learners' graded first attempts that had it.

    facility (the classical difficulty index p): the mean share of the points earned; for
    a question scored right or wrong, the share who answered it correctly. 1 is easy, 0
    hard.
    discrimination (D, Kelley's upper and lower groups): the mean share earned by the 27 %
    of those attempts with the highest percentage on the whole quiz, less that of the 27 %
    with the lowest; from -1 to 1. Below 0.2 the question tells strong from weak learners
    poorly; below 0 it misleads.
    correlation (point-biserial r): the Pearson correlation between the share earned on
    the question and the percentage on the quiz (the question included); for a question
    scored right or wrong this is the point-biserial coefficient."""

    question: Question
    n: int
    answered: int
    facility: Decimal | None = None
    discrimination: Decimal | None = None
    correlation: Decimal | None = None
    mean_score: Decimal | None = None
    choices: list[ChoiceCount] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.n >= MIN_ITEM_ATTEMPTS

    @property
    def weak(self) -> bool:
        return self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION


@dataclass
class ItemAnalysis:
    quiz: Quiz
    attempts: int
    mean_percent: Decimal | None
    pass_rate: Decimal | None
    items: list[ItemStats]
    minimum: int = MIN_ITEM_ATTEMPTS


def _share(response: Response) -> Decimal:
    score = response.score or Decimal(0)
    return score / response.points if response.points else Decimal(0)


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _round(value: Decimal | None) -> Decimal | None:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP) if value is not None else None


def pearson(xs: list[Decimal], ys: list[Decimal]) -> Decimal | None:
    """The Pearson correlation of two series; None when either does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs, Decimal(0)) / n, sum(ys, Decimal(0)) / n
    sxy = sum(((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    sxx = sum(((x - mx) ** 2 for x in xs), Decimal(0))
    syy = sum(((y - my) ** 2 for y in ys), Decimal(0))
    if not sxx or not syy:
        return None
    return sxy / (sxx * syy).sqrt()


def item_analysis(*, quiz: Quiz) -> ItemAnalysis:
    """Facility, discrimination and correlation of each question of the quiz, from each
    learner's first graded attempt (later attempts follow the feedback of earlier ones).
    Three queries."""
    firsts: dict[int, Attempt] = {}
    for attempt in Attempt.objects.filter(quiz=quiz, status=Attempt.Status.GRADED).order_by(
        "employee_id", "number"
    ):
        firsts.setdefault(attempt.employee_id, attempt)
    attempts = list(firsts.values())
    by_question: dict[int, list[Response]] = {}
    questions: dict[int, Question] = {}
    choices = Prefetch("question__choices", queryset=Choice.objects.order_by("position", "pk"))
    responses = (
        Response.objects.filter(attempt_id__in=[a.pk for a in attempts])
        .select_related("question")
        .prefetch_related(choices)
    )
    percent = {a.pk: a.percent or Decimal(0) for a in attempts}
    for response in responses:
        by_question.setdefault(response.question_id, []).append(response)
        questions[response.question_id] = response.question
    items = []

    def paper_order(question_id: int) -> tuple[int, int]:
        return min(r.position for r in by_question[question_id]), question_id

    for question_id in sorted(by_question, key=paper_order):
        rows = sorted(by_question[question_id], key=lambda r: (percent[r.attempt_id], r.attempt_id))
        question = questions[question_id]
        stats = ItemStats(
            question=question,
            n=len(rows),
            answered=sum(1 for r in rows if r.answer is not None),
        )
        if question.has_choices:
            counts: dict[int, int] = {}
            for r in rows:
                answer = r.answer or {}
                picked = answer.get("choices") or ([answer["choice"]] if "choice" in answer else [])
                for pk in picked:
                    counts[pk] = counts.get(pk, 0) + 1
            stats.choices = [
                ChoiceCount(choice=c, count=counts.get(c.pk, 0)) for c in question.choices.all()
            ]
        if stats.enough:
            shares = [_share(r) for r in rows]
            group = max(1, int((GROUP_SHARE * len(rows)).to_integral_value(ROUND_HALF_UP)))
            lower, upper = shares[:group], shares[-group:]
            stats.facility = _round(_mean(shares))
            stats.discrimination = _round(
                (_mean(upper) or Decimal(0)) - (_mean(lower) or Decimal(0))
            )
            stats.correlation = _round(pearson(shares, [percent[r.attempt_id] for r in rows]))
            stats.mean_score = _round(_mean([r.score or Decimal(0) for r in rows]))
        items.append(stats)
    percents = [a.percent or Decimal(0) for a in attempts]
    passed = [a for a in attempts if a.passed]
    return ItemAnalysis(
        quiz=quiz,
        attempts=len(attempts),
        mean_percent=_round(_mean(percents)),
        pass_rate=_round(Decimal(len(passed) * 100) / len(attempts)) if attempts else None,
        items=items,
    )
