"""Question banks, quizzes, attempts and their grading (issue #5).

A quiz's paper is drawn when an attempt starts and frozen in the attempt's responses (one
per question, in the order shown, with the order of its choices), so that neither a later
change to the quiz nor a reshuffle changes what a learner answered. A question's key is
changed only through a key correction, which is kept with its version and regrades every
attempt that answered it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


def bilingual(en: str, ml: str) -> str:
    """The reader's language, the other as fallback (Malayalam only when written)."""
    if get_language() == "ml" and ml:
        return ml
    return en


def bilingual_lang(en: str, ml: str) -> str:
    """The language of what `bilingual` shows, for the element's lang attribute."""
    return "ml" if get_language() == "ml" and ml else "en"


class QuestionBank(TimeStampedModel):
    """An institute's questions, for one course, one topic, or the institute at large."""

    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.PROTECT,
        related_name="question_banks",
        verbose_name=_("provider"),
    )
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="question_banks",
        verbose_name=_("course"),
    )
    topic = models.ForeignKey(
        "catalog.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="question_banks",
        verbose_name=_("topic"),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ml = models.CharField(_("title (Malayalam)"), max_length=200, blank=True)

    class Meta:
        ordering = ["title_en", "pk"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(topic__isnull=True),
                name="bank_course_or_topic",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return bilingual(self.title_en, self.title_ml)


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        NUMERIC = "numeric", _("Numeric")
        SHORT = "short", _("Short answer")
        ESSAY = "essay", _("Essay (graded by hand)")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text_en = models.TextField(_("question (English)"))
    text_ml = models.TextField(_("question (Malayalam)"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(1))
    # Free text until the competency framework arrives (DESIGN.md, Competencies).
    competency = models.CharField(_("competency"), max_length=100, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    explanation_ml = models.TextField(_("explanation (Malayalam)"), blank=True)
    # The key of each kind; choices carry their own (Choice.is_correct).
    true_is_correct = models.BooleanField(_("the statement is true"), null=True, blank=True)
    numeric_answer = models.DecimalField(
        _("answer"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance (±)"), max_digits=16, decimal_places=4, default=Decimal(0)
    )
    accepted_answers = models.JSONField(_("accepted answers"), default=list, blank=True)
    # Raised by every key correction (QuestionKeyChange keeps each one).
    version = models.PositiveIntegerField(_("version"), default=1)
    # A retired question is drawn into no new paper; attempts that had it keep it.
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["bank_id", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
            models.CheckConstraint(
                condition=Q(numeric_tolerance__gte=0), name="question_tolerance_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["bank", "is_active", "difficulty"], name="question_draw"),
        ]

    def __str__(self) -> str:
        return self.text_en[:80]

    @property
    def text(self) -> str:
        return bilingual(self.text_en, self.text_ml)

    @property
    def text_lang(self) -> str:
        return bilingual_lang(self.text_en, self.text_ml)

    @property
    def explanation(self) -> str:
        return bilingual(self.explanation_en, self.explanation_ml)

    @property
    def explanation_lang(self) -> str:
        return bilingual_lang(self.explanation_en, self.explanation_ml)

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Choice(TimeStampedModel):
    """One option of a single or multiple choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_en = models.CharField(_("choice (English)"), max_length=500)
    text_ml = models.CharField(_("choice (Malayalam)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question_id", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return bilingual(self.text_en, self.text_ml)

    @property
    def text_lang(self) -> str:
        return bilingual_lang(self.text_en, self.text_ml)


class QuestionKeyChange(TimeStampedModel):
    """A correction of a question's key, and the regrade it caused."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_changes")
    version = models.PositiveIntegerField(_("version"))
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attempts_regraded = models.PositiveIntegerField(default=0)
    results_changed = models.PositiveIntegerField(default=0)
    # The attempts whose pass the correction gave or took away (ids).
    now_passed = models.JSONField(default=list)
    now_failed = models.JSONField(default=list)

    class Meta:
        ordering = ["question_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="one_key_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.version}"


class Quiz(TimeStampedModel):
    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson quiz")
        FINAL = "final", _("Final exam")

    class Feedback(models.TextChoices):
        NONE = "none", _("None: only whether the quiz was passed")
        SCORE = "score", _("The score, after submitting")
        ANSWERS = (
            "answers",
            _("The score after submitting; the answers once passed or out of attempts"),
        )
        AFTER_CLOSE = "after_close", _("The score after submitting; answers after the quiz closes")

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("course")
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ml = models.CharField(_("title (Malayalam)"), max_length=200, blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    instructions_ml = models.TextField(_("instructions (Malayalam)"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LESSON)
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    # 0: as many attempts as the learner wants.
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    feedback = models.CharField(
        _("feedback"), max_length=12, choices=Feedback.choices, default=Feedback.SCORE
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["course_id", "kind", "title_en", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__range=(0, 100)), name="quiz_pass_percent_in_range"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gt=0),
                name="quiz_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return bilingual(self.title_en, self.title_ml)

    @property
    def instructions(self) -> str:
        return bilingual(self.instructions_en, self.instructions_ml)


class QuizRule(TimeStampedModel):
    """One line of a quiz's paper: a fixed question, or N questions drawn at random from a
    bank (optionally only those with a competency tag and a difficulty)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank"),
    )
    count = models.PositiveSmallIntegerField(_("number of questions"), default=1)
    competency = models.CharField(_("competency"), max_length=100, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=6, choices=Question.Difficulty.choices, blank=True
    )

    class Meta:
        ordering = ["quiz_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(bank__isnull=True))
                | (Q(question__isnull=True) & Q(bank__isnull=False)),
                name="rule_fixed_or_drawn",
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="rule_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} #{self.position}"

    @property
    def is_draw(self) -> bool:
        return self.bank_id is not None


class Attempt(TimeStampedModel):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Waiting for grading")
        GRADED = "graded", _("Graded")

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    enrolment = models.ForeignKey(
        "records.Enrolment", on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    started_at = models.DateTimeField(_("started"))
    # The server's: the time limit, and the quiz's closing time if sooner. None: no limit.
    deadline = models.DateTimeField(_("time is up at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Closed by the deadline rather than by the learner.
    timed_out = models.BooleanField(_("closed when time was up"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("out of"), max_digits=8, decimal_places=2, default=Decimal(0))
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["quiz_id", "employee_id", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "employee", "number"], name="one_attempt_number"
            ),
            # Two tabs starting at once get the same attempt, never two.
            models.UniqueConstraint(
                fields=["quiz", "employee"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="closed_attempt_has_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "status"], name="attempt_quiz_status"),
            models.Index(fields=["enrolment", "quiz"], name="attempt_enrolment_quiz"),
            models.Index(fields=["status", "deadline"], name="attempt_overdue"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} {self.employee_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class Response(TimeStampedModel):
    """One question of an attempt's paper, and the learner's answer to it.

    Created for every question when the attempt starts, in the order shown; `answer` is
    None until the learner answers. The score is the grader's when there is one (an essay,
    or a short answer they overrode), else the automatic one."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    position = models.PositiveSmallIntegerField()
    # The choices' ids in the order this learner sees them.
    choice_order = models.JSONField(default=list, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    answer = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    auto_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    manual_score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment to the learner"), blank=True)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_response_per_q"),
            models.UniqueConstraint(fields=["attempt", "position"], name="one_response_per_pos"),
        ]
        indexes = [
            models.Index(fields=["question", "attempt"], name="response_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} q{self.question_id}"

    @property
    def score(self) -> Decimal | None:
        return self.manual_score if self.manual_score is not None else self.auto_score

    @property
    def needs_grading(self) -> bool:
        return self.score is None

    def answer_value(self, key: str) -> Any:
        return (self.answer or {}).get(key)
