"""Quizzes of an online or blended course: their settings and the rules of their paper
(fixed questions, random draws from the provider's banks). Coordinators of the course's
provider only; every change audited. A paper that could not be drawn is refused when the
quiz is published, and when a rule is added to a published quiz.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz, QuizRule
from govtrain.assessments.selectors import banks_for_course, may_manage, rules_of
from govtrain.audit.services import audit_changes, audit_record
from govtrain.catalog.models import Course

AUTHORED = (Course.Modality.ONLINE, Course.Modality.BLENDED)
MAX_ATTEMPTS = 100
MAX_MINUTES = 24 * 60
MAX_DRAW = 200


@dataclass
class QuizInput:
    title_en: str
    title_ml: str = ""
    instructions_en: str = ""
    instructions_ml: str = ""
    kind: str = Quiz.Kind.LESSON
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    time_limit_minutes: int | None = None
    attempts_allowed: int = 1
    pass_percent: int = 60
    feedback: str = Quiz.Feedback.SCORE
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    is_published: bool = False


_FIELDS = (
    "title_en",
    "title_ml",
    "instructions_en",
    "instructions_ml",
    "kind",
    "shuffle_questions",
    "shuffle_choices",
    "time_limit_minutes",
    "attempts_allowed",
    "pass_percent",
    "feedback",
    "opens_at",
    "closes_at",
    "is_published",
)


def _require_author(user: User, course: Course) -> None:
    if not may_manage(user=user, provider_id=course.provider_id):
        raise PermissionDenied
    if course.modality not in AUTHORED:
        raise ValidationError(_("Only online and blended courses have quizzes."))


def _snapshot(quiz: Quiz) -> dict[str, object]:
    values = {name: getattr(quiz, name) for name in _FIELDS}
    for name in ("opens_at", "closes_at"):
        moment = values[name]
        values[name] = moment.isoformat() if isinstance(moment, dt.datetime) else None
    return values


def _quiz_errors(data: QuizInput, quiz: Quiz | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.title_en.strip():
        fail("title_en", _("Give a title in English."))
    if data.kind not in Quiz.Kind.values:
        fail("kind", _("Choose the kind of quiz."))
    if data.feedback not in Quiz.Feedback.values:
        fail("feedback", _("Choose what learners see after submitting."))
    if not 0 <= data.pass_percent <= 100:
        fail("pass_percent", _("The pass mark is a percentage from 0 to 100."))
    if not 0 <= data.attempts_allowed <= MAX_ATTEMPTS:
        fail(
            "attempts_allowed",
            _("Allow from 1 to %(n)d attempts, or 0 for no limit.") % {"n": MAX_ATTEMPTS},
        )
    if data.time_limit_minutes is not None and not 1 <= data.time_limit_minutes <= MAX_MINUTES:
        fail("time_limit_minutes", _("The time limit is from 1 minute to 24 hours."))
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        fail("closes_at", _("The quiz must close after it opens."))
    if data.feedback == Quiz.Feedback.AFTER_CLOSE and not data.closes_at:
        fail("closes_at", _("Give the closing time: answers are shown after it."))
    if quiz is not None and data.pass_percent != quiz.pass_percent and quiz.attempts.exists():
        fail(
            "pass_percent",
            _(
                "Learners have attempted this quiz: its pass mark stays, or their results "
                "would change after they were told."
            ),
        )
    return errors


@transaction.atomic
def quiz_save(*, course: Course, data: QuizInput, by: User, quiz: Quiz | None = None) -> Quiz:
    """Create a quiz of the course, or change `quiz`. Publishing needs a paper that can be
    drawn; once learners have attempted it the pass mark stays (other settings apply to
    new attempts: a paper once drawn is frozen)."""
    if quiz is not None:
        course = quiz.course
    _require_author(by, course)
    errors = _quiz_errors(data, quiz)
    if not errors and data.is_published and quiz is None:
        errors["is_published"] = [_("Add the quiz's questions first, then publish it.")]
    if not errors and data.is_published and quiz is not None:
        problems = paper_problems(quiz=quiz)
        if problems:
            errors["is_published"] = problems
    if errors:
        raise ValidationError(errors)
    before = _snapshot(quiz) if quiz is not None else None
    quiz = quiz or Quiz(course=course)
    for name in _FIELDS:
        value = getattr(data, name)
        setattr(quiz, name, value.strip() if isinstance(value, str) else value)
    quiz.save()
    if before is None:
        audit_record(
            actor=by, action="assessments.quiz_created", target=quiz, after=_snapshot(quiz)
        )
    else:
        audit_changes(
            actor=by,
            action="assessments.quiz_changed",
            target=quiz,
            before=before,
            after=_snapshot(quiz),
        )
    return quiz


def question_pool(rule: QuizRule, exclude: set[int]) -> QuerySet[Question]:
    """The questions a draw rule may take, less those already taken."""
    pool = Question.objects.filter(bank_id=rule.bank_id, is_active=True).exclude(pk__in=exclude)
    if rule.competency:
        pool = pool.filter(competency__iexact=rule.competency)
    if rule.difficulty:
        pool = pool.filter(difficulty=rule.difficulty)
    return pool


@dataclass
class DrawPlan:
    """A paper's rules with what each draw may take (fixed questions left out), and the
    order in which the draws are made: the narrowest pool first, so that a broad draw
    ("any 5 from the bank") cannot use up what a narrow one ("2 hard ones") needs."""

    rules: list[QuizRule]
    pools: dict[int, list[Question]]
    order: list[QuizRule]

    @property
    def fixed(self) -> set[int]:
        return {r.question_id for r in self.rules if r.question_id is not None}


def draw_plan(*, quiz: Quiz) -> DrawPlan:
    """The quiz's rules and the pool of each draw (one query per draw)."""
    rules = rules_of(quiz=quiz)
    fixed = {r.question_id for r in rules if r.question_id is not None}
    pools = {
        r.pk: list(question_pool(r, fixed).order_by("pk")) for r in rules if r.bank_id is not None
    }
    order = sorted(
        (r for r in rules if r.bank_id is not None),
        key=lambda r: (len(pools[r.pk]), r.position, r.pk),
    )
    return DrawPlan(rules=rules, pools=pools, order=order)


def draw(
    plan: DrawPlan, pick: Callable[[list[Question], int], list[Question]]
) -> dict[int, list[Question]] | None:
    """The draws' questions by rule, made in the plan's order, none twice: `pick(available,
    count)` chooses each draw's; None when a draw finds too few left."""
    taken = set(plan.fixed)
    picked: dict[int, list[Question]] = {}
    for rule in plan.order:
        available = [q for q in plan.pools[rule.pk] if q.pk not in taken]
        if len(available) < rule.count:
            return None
        picked[rule.pk] = pick(available, rule.count)
        taken.update(q.pk for q in picked[rule.pk])
    return picked


def draw_first_fit(plan: DrawPlan) -> dict[int, list[Question]] | None:
    """The draws' questions taken in order, the lowest numbers first, none twice: one paper
    that can be drawn, or None when there is none this way."""
    return draw(plan, lambda available, count: available[:count])


def paper_problems(*, quiz: Quiz, plan: DrawPlan | None = None) -> list[str]:
    """Why a paper could not be drawn for the quiz now (empty: it can); `plan`, when the
    caller has drawn it up already."""
    plan = plan or draw_plan(quiz=quiz)
    if not plan.rules:
        return [_("The quiz has no questions yet: add a fixed question or a random draw.")]
    problems = []
    for rule in plan.rules:
        if rule.question is not None and not rule.question.is_active:
            problems.append(
                _("Question “%(q)s” is retired: remove it from the quiz or put it back in use.")
                % {"q": rule.question.text_en[:60]}
            )
    # Draws take questions in the plan's order, none twice: a later draw gets what earlier
    # ones left.
    taken = set(plan.fixed)
    for rule in plan.order:
        available = [q.pk for q in plan.pools[rule.pk] if q.pk not in taken]
        if len(available) < rule.count:
            problems.append(
                _("“%(bank)s” has %(have)d questions left for the draw of %(need)d%(filters)s.")
                % {
                    "bank": rule.bank.title_en if rule.bank else "",
                    "have": len(available),
                    "need": rule.count,
                    "filters": _filters(rule),
                }
            )
        taken.update(available[: rule.count])
    return problems


def _filters(rule: QuizRule) -> str:
    parts = []
    if rule.competency:
        parts.append(_("tagged “%(tag)s”") % {"tag": rule.competency})
    if rule.difficulty:
        parts.append(Question.Difficulty(rule.difficulty).label.lower())
    return (" (" + ", ".join(str(p) for p in parts) + ")") if parts else ""


@transaction.atomic
def quiz_rule_add(
    *,
    quiz: Quiz,
    by: User,
    question: Question | None = None,
    bank: QuestionBank | None = None,
    count: int = 1,
    competency: str = "",
    difficulty: str = "",
) -> QuizRule:
    """Add a fixed question, or a draw of `count` questions from a bank (optionally only
    those with the competency tag and difficulty), at the end of the paper. Questions and
    banks of the course's provider only."""
    _require_author(by, quiz.course)
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()  # two authors adding at once
    allowed = banks_for_course(course=quiz.course)
    if (question is None) == (bank is None):
        raise ValidationError(_("Choose a question, or a bank to draw from."))
    if question is not None:
        if not allowed.filter(pk=question.bank_id).exists():
            raise ValidationError({"question": [_("Choose a question of this institute's banks.")]})
        if quiz.rules.filter(question=question).exists():
            raise ValidationError({"question": [_("This question is already in the quiz.")]})
        count, competency, difficulty = 1, "", ""
    if bank is not None and not allowed.filter(pk=bank.pk).exists():
        raise ValidationError({"bank": [_("Choose a bank of this institute (and course).")]})
    if not 1 <= count <= MAX_DRAW:
        raise ValidationError({"count": [_("Draw from 1 to %(n)d questions.") % {"n": MAX_DRAW}]})
    if difficulty and difficulty not in Question.Difficulty.values:
        raise ValidationError({"difficulty": [_("Choose the difficulty.")]})
    known = paper_problems(quiz=quiz) if bank is not None else []
    last = quiz.rules.aggregate(m=Max("position"))["m"] or 0
    rule = QuizRule.objects.create(
        quiz=quiz,
        position=last + 1,
        question=question,
        bank=bank,
        count=count,
        competency=competency.strip(),
        difficulty=difficulty,
    )
    if bank is not None:
        # The draw must be possible now: refused, and nothing is kept.
        new = [p for p in paper_problems(quiz=quiz) if p not in known]
        if new:
            raise ValidationError({"count": new})
    audit_record(
        actor=by,
        action="assessments.quiz_rule_added",
        target=quiz,
        after={
            "question": rule.question_id,
            "bank": rule.bank_id,
            "count": rule.count,
            "competency": rule.competency,
            "difficulty": rule.difficulty,
        },
    )
    return rule


@transaction.atomic
def quiz_rule_remove(*, rule: QuizRule, by: User) -> None:
    """Remove a line of the paper (papers already drawn keep it); a published quiz keeps
    at least one."""
    quiz = rule.quiz
    _require_author(by, quiz.course)
    if quiz.is_published and quiz.rules.count() == 1:
        raise ValidationError(_("A published quiz needs questions: unpublish it first."))
    audit_record(
        actor=by,
        action="assessments.quiz_rule_removed",
        target=quiz,
        before={"question": rule.question_id, "bank": rule.bank_id, "count": rule.count},
    )
    rule.delete()
    for position, row in enumerate(quiz.rules.order_by("position", "pk"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])


@transaction.atomic
def quiz_delete(*, quiz: Quiz, by: User) -> None:
    """Remove a quiz nobody attempted and no lesson plays."""
    _require_author(by, quiz.course)
    if Attempt.objects.filter(quiz=quiz).exists():
        raise ValidationError(_("Learners have attempted this quiz: unpublish it instead."))
    if quiz.lessons.exists():
        raise ValidationError(_("A lesson plays this quiz: remove the lesson first."))
    audit_record(
        actor=by, action="assessments.quiz_deleted", target=quiz, before={"title_en": quiz.title_en}
    )
    quiz.delete()
