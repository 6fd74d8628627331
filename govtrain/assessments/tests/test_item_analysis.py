"""The item analysis an author reads after ten learners have taken a quiz, checked
against figures worked out by hand (docs/assessments.md, "Item analysis")."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.assessments import selectors
from govtrain.assessments.models import Question, QuestionBank, Quiz
from govtrain.assessments.services import attempts
from govtrain.assessments.tests.builders import question, quiz_of, responses_of
from govtrain.assessments.tests.conftest import T0
from govtrain.catalog.models import Course
from govtrain.learning.services import progress
from govtrain.organisation.models import Office

pytestmark = pytest.mark.django_db

# Ten learners' answers to three true-or-false questions (1: right), in the order they
# sat the quiz. Their percentages: 100, 100, 66.67, 66.67, 66.67, 33.33, 33.33, 33.33, 0, 0.
SHEETS = [
    (1, 1, 1),
    (1, 1, 1),
    (1, 1, 0),
    (1, 0, 1),
    (1, 1, 0),
    (0, 1, 0),
    (1, 0, 0),
    (0, 0, 1),
    (0, 0, 0),
    (0, 0, 0),
]


@pytest.fixture
def three_statements(online_course: Course, author: User, bank: QuestionBank) -> Quiz:
    statements = [
        question(bank, author, Question.Kind.TRUE_FALSE, f"Statement {n}", true_is_correct=True)
        for n in (1, 2, 3)
    ]
    return quiz_of(online_course, author, fixed=statements, attempts_allowed=2, pass_percent=60)


def sit(quiz: Quiz, office: Office, sheets: list[tuple[int, ...]]) -> None:
    for n, sheet in enumerate(sheets):
        employee = t.make_employee(office, name=f"Clerk {n}")
        enrolment = progress.course_enrol(employee=employee, course=quiz.course, by=employee.user)
        attempt, _ = attempts.attempt_start(
            quiz=quiz,
            enrolment=enrolment,
            by=employee.user,
            now=T0,
            rng=random.Random(n),  # noqa: S311 - a repeatable paper
        )
        answers = {
            r.question_id: {"value": bool(right)}
            for r, right in zip(responses_of(attempt), sheet, strict=True)
        }
        attempts.responses_save(attempt=attempt, answers=answers, by=employee.user, now=T0)
        attempts.attempt_submit(attempt=attempt, by=employee.user, now=T0)


def test_facility_discrimination_and_correlation_match_the_hand_computed_figures(
    three_statements: Quiz, office_a: Office, django_assert_num_queries: object
) -> None:
    sit(three_statements, office_a, SHEETS)

    with django_assert_num_queries(3):  # type: ignore[operator]
        analysis = selectors.item_analysis(quiz=three_statements)

    assert (analysis.attempts, analysis.mean_percent, analysis.pass_rate) == (
        10,
        Decimal(50),
        Decimal(50),
    )
    figures = [(i.n, i.facility, i.discrimination, i.correlation) for i in analysis.items]
    # Facility: 6, 5 and 4 of 10 right. Groups of round(0.27 x 10) = 3: the lower three
    # are the two at 0 % and the first at 33.33 %; the upper three the last at 66.67 % and
    # the two at 100 %. Statement 1: upper 3/3 - lower 0/3 = 1; statement 2: 3/3 - 1/3;
    # statement 3: 2/3 - 0/3. r = (M1 - M0) / s x sqrt(pq) with s the percentages'
    # standard deviation (34.157): statement 1 (72.22 - 16.67) / 34.157 x sqrt(.24) = 0.80.
    assert figures == [
        (10, Decimal("0.60"), Decimal("1.00"), Decimal("0.80")),
        (10, Decimal("0.50"), Decimal("0.67"), Decimal("0.68")),
        (10, Decimal("0.40"), Decimal("0.67"), Decimal("0.60")),
    ]
    assert not any(item.weak for item in analysis.items)


def test_later_attempts_and_small_numbers_say_nothing(
    three_statements: Quiz, office_a: Office
) -> None:
    sit(three_statements, office_a, SHEETS[:4])

    analysis = selectors.item_analysis(quiz=three_statements)

    assert analysis.attempts == 4
    assert all(not item.enough and item.facility is None for item in analysis.items)


def test_a_question_that_the_weak_get_right_and_the_strong_wrong_is_flagged(
    online_course: Course, author: User, bank: QuestionBank, office_a: Office
) -> None:
    good = [
        question(bank, author, Question.Kind.TRUE_FALSE, f"Good {n}", true_is_correct=True)
        for n in (1, 2, 3)
    ]
    bad = question(bank, author, Question.Kind.TRUE_FALSE, "Miskeyed", true_is_correct=True)
    quiz = quiz_of(online_course, author, fixed=[*good, bad])
    # The strong answer the miskeyed statement "wrong", the weak "right".
    sit(quiz, office_a, [(1, 1, 1, 0)] * 5 + [(0, 0, 0, 1)] * 5)

    analysis = selectors.item_analysis(quiz=quiz)

    flagged = [item.question for item in analysis.items if item.weak]
    assert flagged == [bad]
    assert analysis.items[-1].discrimination == Decimal("-1.00")
