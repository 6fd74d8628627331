"""Grading: an essay waits in the grading queue of the institute's coordinators and
faculty; its score grades the attempt, which completes the quiz lesson and the course. A
key correction regrades every attempt and can turn a pass into a fail and back."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from govtrain.accounts.models import User
from govtrain.assessments import selectors
from govtrain.assessments.models import Attempt, Question, QuestionKeyChange, Quiz
from govtrain.assessments.models import Response as Answer
from govtrain.assessments.services import attempts, grading
from govtrain.assessments.tests.builders import quiz_of, responses_of, right_answer, wrong_answer
from govtrain.assessments.tests.conftest import T0
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.learning.services import authoring, progress
from govtrain.lrs.models import Statement
from govtrain.notifications.models import Notification
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
K = Question.Kind


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def take(quiz: Quiz, enrolment: Enrolment, *, right: set[str], now: dt.datetime = T0) -> Attempt:
    """Start, answer (right for the kinds in `right`, wrong for the others), submit."""
    by = enrolment.employee.user
    attempt, _ = attempts.attempt_start(
        quiz=quiz,
        enrolment=enrolment,
        by=by,
        now=now,
        rng=random.Random(1),  # noqa: S311 - a repeatable paper
    )
    answers = {
        r.question_id: right_answer(r) if r.question.kind in right else wrong_answer(r)
        for r in responses_of(attempt)
    }
    attempts.responses_save(attempt=attempt, answers=answers, by=by, now=now)
    return attempts.attempt_submit(attempt=attempt, by=by, now=now + dt.timedelta(minutes=5))


def verb_of(statement: Statement) -> str:
    return str(json.loads(statement.body)["verb"]["id"]).rsplit("/", 1)[1]


def essay_of(attempt: Attempt) -> Answer:
    return next(r for r in responses_of(attempt) if r.question.kind == K.ESSAY)


@pytest.fixture
def quiz_lesson(
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    module: Module,
    reading: Lesson,
) -> Lesson:
    """The course's second lesson plays a quiz of a single choice question and an essay
    (6 points; 60 % to pass)."""
    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE], questions[K.ESSAY]])
    return authoring.lesson_save(
        module=module,
        data=authoring.LessonInput(
            kind=Lesson.Kind.QUIZ, title_en="Check yourself", quiz_id=quiz.pk
        ),
        by=author,
    )


def read(enrolment: Enrolment, lesson: Lesson) -> None:
    row = progress.lesson_open(enrolment=enrolment, lesson=lesson, now=T0)
    progress.lesson_complete(progress=row, by=enrolment.employee.user, now=T0)


def test_a_graded_essay_passes_the_quiz_and_completes_the_lesson_and_the_course(
    quiz_lesson: Lesson, reading: Lesson, enrolment: Enrolment, faculty: Employee
) -> None:
    read(enrolment, reading)
    assert quiz_lesson.quiz is not None
    attempt = take(quiz_lesson.quiz, enrolment, right={K.SINGLE}, now=at(1))
    assert attempt.status == Attempt.Status.SUBMITTED
    queue = list(selectors.grading_queue(user=faculty.user))
    assert [r.attempt_id for r in queue] == [attempt.pk]

    grading.response_grade(
        response=queue[0], score="3.5", comment="Cite section 6(3).", by=faculty.user, now=at(30)
    )

    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.percent) == (
        "graded",
        Decimal("4.5"),
        Decimal(75),
    )
    assert attempt.passed is True
    assert not selectors.grading_queue(user=faculty.user).exists()
    lesson_done = LessonProgress.objects.get(enrolment=enrolment, lesson=quiz_lesson)
    assert lesson_done.status == LessonProgress.Status.COMPLETED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    graded = AuditEvent.objects.get(action="assessments.response_graded")
    assert (graded.actor, graded.after["score"]) == (faculty.user, "3.5")
    # The quiz passed, then its lesson and the course completed.
    verbs = [verb_of(s) for s in Statement.objects.order_by("seq")]
    assert verbs[-3:] == ["passed", "completed", "completed"]
    told = Notification.objects.get(user=enrolment.employee.user)
    assert "has been graded" in told.message


def test_a_learner_reading_malayalam_is_told_the_quizs_malayalam_title(
    quiz_lesson: Lesson, enrolment: Enrolment, faculty: Employee
) -> None:
    quiz = quiz_lesson.quiz
    assert quiz is not None
    Quiz.objects.filter(pk=quiz.pk).update(title_ml="സ്വയം പരിശോധിക്കുക")
    quiz.refresh_from_db()
    user = enrolment.employee.user
    assert user is not None
    user.language = "ml"
    user.save(update_fields=["language"])
    attempt = take(quiz, enrolment, right={K.SINGLE}, now=at(1))

    grading.response_grade(
        response=selectors.grading_queue(user=faculty.user).get(attempt=attempt),
        score="3.5",
        comment="",
        by=faculty.user,
        now=at(30),
    )

    assert "സ്വയം പരിശോധിക്കുക" in Notification.objects.get(user=user).message


def test_a_final_exam_must_be_passed_before_the_course_completes(
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    reading: Lesson,
    enrolment: Enrolment,
) -> None:
    exam = quiz_of(
        online_course,
        author,
        fixed=[questions[K.TRUE_FALSE]],
        kind=Quiz.Kind.FINAL,
        title_en="Final",
    )
    read(enrolment, reading)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED  # the exam is still to pass

    failed = take(exam, enrolment, right=set(), now=at(1))
    enrolment.refresh_from_db()
    assert failed.passed is False
    assert enrolment.status == Enrolment.Status.ENROLLED

    exam.attempts_allowed = 2
    exam.save()
    passed = take(exam, enrolment, right={K.TRUE_FALSE}, now=at(10))
    enrolment.refresh_from_db()
    assert passed.passed is True
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_grader_of_another_institute_sees_nothing_and_grades_nothing(
    quiz_lesson: Lesson, enrolment: Enrolment, other_faculty: Employee, other_coordinator: Employee
) -> None:
    attempt = take(quiz_lesson.quiz, enrolment, right={K.SINGLE})
    essay = essay_of(attempt)

    for user in (other_faculty.user, other_coordinator.user):
        assert not selectors.grading_queue(user=user).exists()
        with pytest.raises(Http404):
            selectors.response_get_gradable(user=user, pk=essay.pk)
        with pytest.raises(PermissionDenied):
            grading.response_grade(response=essay, score="5", by=user)

    assert essay_of(attempt).manual_score is None


def test_nobody_grades_their_own_attempt(
    online_course: Course, author: User, questions: dict[str, Question], coordinator: Employee
) -> None:
    quiz = quiz_of(online_course, author, fixed=[questions[K.ESSAY]])
    own = progress.course_enrol(employee=coordinator, course=online_course, by=author)
    attempt = take(quiz, own, right={K.ESSAY})

    assert not selectors.grading_queue(user=author).exists()
    with pytest.raises(PermissionDenied):
        grading.response_grade(response=essay_of(attempt), score="5", by=author)


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("6", "from 0 to 5"),
        ("-1", "from 0 to 5"),
        ("four", "as a number"),
        ("2.555", "two decimal places"),
    ],
)
def test_a_score_out_of_range_is_refused_and_nothing_changes(
    quiz_lesson: Lesson, enrolment: Enrolment, faculty: Employee, score: str, message: str
) -> None:
    attempt = take(quiz_lesson.quiz, enrolment, right={K.SINGLE})

    with pytest.raises(ValidationError) as refused:
        grading.response_grade(response=essay_of(attempt), score=score, by=faculty.user)

    assert message in refused.value.message_dict["score"][0]
    assert essay_of(attempt).manual_score is None
    assert not AuditEvent.objects.filter(action="assessments.response_graded").exists()


def test_an_attempt_in_progress_is_not_graded(
    quiz_lesson: Lesson, enrolment: Enrolment, faculty: Employee
) -> None:
    attempt, _ = attempts.attempt_start(
        quiz=quiz_lesson.quiz, enrolment=enrolment, by=enrolment.employee.user
    )

    with pytest.raises(Http404):  # not in the grader's reach at all
        selectors.response_get_gradable(user=faculty.user, pk=essay_of(attempt).pk)
    with pytest.raises(ValidationError, match="still in progress"):
        grading.response_grade(response=essay_of(attempt), score="5", by=faculty.user)


def test_a_grader_may_accept_a_short_answer_the_key_did_not_foresee(
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    enrolment: Enrolment,
    faculty: Employee,
) -> None:
    quiz = quiz_of(online_course, author, fixed=[questions[K.SHORT], questions[K.TRUE_FALSE]])
    attempt = take(quiz, enrolment, right={K.TRUE_FALSE})
    assert (attempt.percent, attempt.passed) == (Decimal(50), False)
    short = next(r for r in responses_of(attempt) if r.question.kind == K.SHORT)

    grading.response_grade(
        response=short, score="1", comment="The PIO's superior: right.", by=faculty.user
    )

    attempt.refresh_from_db()
    assert (attempt.percent, attempt.passed) == (Decimal(100), True)


@pytest.fixture
def time_limit_quiz(
    online_course: Course, author: User, questions: dict[str, Question], module: Module
) -> Quiz:
    """Two questions of a point each (a single choice and a true or false); 60 % to pass,
    played by a lesson."""
    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE], questions[K.TRUE_FALSE]])
    authoring.lesson_save(
        module=module,
        data=authoring.LessonInput(kind=Lesson.Kind.QUIZ, title_en="Time limits", quiz_id=quiz.pk),
        by=author,
    )
    return quiz


def test_a_key_correction_regrades_every_attempt_and_flips_pass_and_fail(
    time_limit_quiz: Quiz,
    questions: dict[str, Question],
    enrolment: Enrolment,
    learner_b: Employee,
    online_course: Course,
    author: User,
) -> None:
    single = questions[K.SINGLE]
    thirty, forty_five = single.choices.order_by("position")[:2]
    # Anitha answers 45 days; Biju 30 days (the key). Both get the true or false right.
    other = progress.course_enrol(employee=learner_b, course=online_course, by=learner_b.user)
    anitha = take(time_limit_quiz, enrolment, right={K.TRUE_FALSE})
    biju = take(time_limit_quiz, other, right={K.TRUE_FALSE, K.SINGLE})
    assert (anitha.passed, biju.passed) == (False, True)
    assert next(r for r in responses_of(anitha) if r.question_id == single.pk).answer == {
        "choice": forty_five.pk
    }

    result = grading.question_key_correct(
        question=single,
        key=grading.KeyInput(correct_choices=[forty_five.pk]),
        reason="The circular of 2026 set 45 days for this office.",
        by=author,
        now=at(60),
    )

    anitha.refresh_from_db()
    biju.refresh_from_db()
    assert (anitha.percent, anitha.passed) == (Decimal(100), True)
    assert (biju.percent, biju.passed) == (Decimal(50), False)
    assert (result.attempts, result.changed) == (2, 2)
    assert (result.now_passed, result.now_failed) == ([anitha.pk], [biju.pk])
    change = QuestionKeyChange.objects.get()
    assert (change.version, change.attempts_regraded, change.results_changed) == (2, 2, 2)
    assert change.before["correct_choices"] == [thirty.pk]
    assert change.after["correct_choices"] == [forty_five.pk]
    assert (change.now_passed, change.now_failed) == ([anitha.pk], [biju.pk])
    single.refresh_from_db()
    assert single.version == 2
    # Anitha's pass completes the lesson now; Biju's completion, already recorded, stays.
    assert LessonProgress.objects.get(enrolment=enrolment).status == "completed"
    assert LessonProgress.objects.get(enrolment=other).status == "completed"
    lost = AuditEvent.objects.get(action="assessments.regrade_lost_passes")
    assert lost.after["attempts"] == [biju.pk]
    assert AuditEvent.objects.filter(action="assessments.attempt_regraded").count() == 2
    verbs = {
        (
            json.loads(s.body)["actor"]["account"]["name"],
            json.loads(s.body)["verb"]["id"].rsplit("/", 1)[1],
        )
        for s in Statement.objects.all()
    }
    assert (learner_b.pen, "failed") in verbs
    assert (enrolment.employee.pen, "passed") in verbs
    for learner in (enrolment.employee, learner_b):
        assert Notification.objects.filter(
            user=learner.user, message__contains="key was corrected"
        ).exists()


def test_a_key_correction_needs_a_reason_a_change_and_the_institutes_coordinator(
    time_limit_quiz: Quiz,
    questions: dict[str, Question],
    author: User,
    other_coordinator: Employee,
    faculty: Employee,
) -> None:
    single = questions[K.SINGLE]
    same = grading.KeyInput(correct_choices=[single.choices.get(is_correct=True).pk])

    with pytest.raises(ValidationError) as refused:
        grading.question_key_correct(question=single, key=same, reason="", by=author)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="unchanged"):
        grading.question_key_correct(question=single, key=same, reason="Checked", by=author)
    for user in (other_coordinator.user, faculty.user):
        with pytest.raises(PermissionDenied):
            grading.question_key_correct(question=single, key=same, reason="Mine", by=user)

    assert not QuestionKeyChange.objects.exists()


def test_lowering_an_essays_points_caps_the_scores_given(
    quiz_lesson: Lesson,
    enrolment: Enrolment,
    faculty: Employee,
    questions: dict[str, Question],
    author: User,
) -> None:
    attempt = take(quiz_lesson.quiz, enrolment, right={K.SINGLE})
    grading.response_grade(response=essay_of(attempt), score="5", by=faculty.user)

    grading.question_key_correct(
        question=questions[K.ESSAY],
        key=grading.KeyInput(points=Decimal(4)),
        reason="Too heavy",
        by=author,
    )

    attempt.refresh_from_db()
    assert essay_of(attempt).manual_score == Decimal(4)
    assert (attempt.score, attempt.max_score) == (Decimal(5), Decimal(5))
