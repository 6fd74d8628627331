"""An employee takes a quiz: every kind of question scored as the key says (with the
partial credit of multiple choice), the paper drawn at random and frozen, the clock kept
by the server, the attempts allowed, and coming back to an attempt after a dropped
connection."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govtrain.accounts.models import User
from govtrain.assessments import selectors
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz
from govtrain.assessments.services import attempts, quizzes
from govtrain.assessments.services.answers import normalise_text
from govtrain.assessments.tests.builders import (
    question,
    quiz_of,
    responses_of,
    right_answer,
    wrong_answer,
)
from govtrain.assessments.tests.conftest import T0
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.lrs.models import Statement
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
K = Question.Kind


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def whole_bank(online_course: Course, author: User, questions: dict[str, Question]) -> Quiz:
    """Every kind of question, fixed, in the bank's order."""
    return quiz_of(online_course, author, fixed=list(questions.values()), pass_percent=60)


def start(quiz: Quiz, enrolment: Enrolment, now: dt.datetime = T0, seed: int = 1) -> Attempt:
    attempt, _created = attempts.attempt_start(
        quiz=quiz,
        enrolment=enrolment,
        by=enrolment.employee.user,
        now=now,
        rng=random.Random(seed),  # noqa: S311 - a repeatable paper
    )
    return attempt


def as_shown(attempt: Attempt) -> list[tuple[int, list[int]]]:
    """The paper as the learner sees it: each question with its choices in their order."""
    paper = selectors.paper(attempt=attempt)
    return [(r.question_id, [c.pk for c in r.shown_choices]) for r in paper]  # type: ignore[attr-defined] # set by selectors.paper


def answer_all(attempt: Attempt, right: bool, now: dt.datetime = T0) -> None:
    answers = {
        r.question_id: (right_answer(r) if right else wrong_answer(r))
        for r in responses_of(attempt)
    }
    attempts.responses_save(attempt=attempt, answers=answers, by=attempt.employee.user, now=now)


def test_every_kind_of_question_is_scored_by_its_key_and_the_essay_waits(
    whole_bank: Quiz, enrolment: Enrolment
) -> None:
    attempt = start(whole_bank, enrolment)
    answer_all(attempt, right=True, now=at(1))

    attempt = attempts.attempt_submit(attempt=attempt, by=enrolment.employee.user, now=at(2))

    scores = {r.question.kind: r.auto_score for r in responses_of(attempt)}
    assert scores == {
        K.SINGLE: Decimal(1),
        K.MULTIPLE: Decimal(2),
        K.TRUE_FALSE: Decimal(1),
        K.NUMERIC: Decimal(1),
        K.SHORT: Decimal(1),
        K.ESSAY: None,  # a grader's
    }
    assert attempt.status == Attempt.Status.SUBMITTED
    assert (attempt.score, attempt.passed, attempt.max_score) == (None, None, Decimal(11))
    assert attempt.submitted_at == at(2)


def test_wrong_answers_and_blanks_earn_nothing(whole_bank: Quiz, enrolment: Enrolment) -> None:
    attempt = start(whole_bank, enrolment)
    answer_all(attempt, right=False)
    blank = next(r for r in responses_of(attempt) if r.question.kind == K.ESSAY)
    attempts.response_save(
        attempt=attempt,
        question_id=blank.question_id,
        answer={"text": " "},
        by=enrolment.employee.user,
        now=at(1),
    )

    attempt = attempts.attempt_submit(attempt=attempt, by=enrolment.employee.user, now=at(2))

    # An essay left blank needs no grader: the attempt is graded at once, and failed.
    assert {r.auto_score for r in responses_of(attempt)} == {Decimal(0)}
    assert (attempt.status, attempt.score, attempt.percent) == ("graded", Decimal(0), Decimal(0))
    assert attempt.passed is False


@pytest.mark.parametrize(
    ("ticked", "score"),
    [
        ([0, 1], Decimal("2.00")),  # both correct ones
        ([0], Decimal("1.00")),  # one of two: half
        ([0, 2], Decimal("0.00")),  # one right, one wrong: nothing
        ([0, 1, 2], Decimal("1.00")),  # two right, one wrong: half
        ([2, 3], Decimal("0.00")),  # never below zero
    ],
)
def test_multiple_choice_earns_a_share_for_each_right_tick_less_each_wrong_one(
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    enrolment: Enrolment,
    ticked: list[int],
    score: Decimal,
) -> None:
    multiple = questions[K.MULTIPLE]  # 2 points; choices 0 and 1 are correct
    quiz = quiz_of(online_course, author, fixed=[multiple])
    attempt = start(quiz, enrolment)
    ids = [c.pk for c in multiple.choices.order_by("position")]

    attempts.response_save(
        attempt=attempt,
        question_id=multiple.pk,
        answer={"choices": [ids[i] for i in ticked]},
        by=enrolment.employee.user,
        now=at(1),
    )
    attempt = attempts.attempt_submit(attempt=attempt, by=enrolment.employee.user, now=at(2))

    assert responses_of(attempt)[0].auto_score == score


def test_numbers_count_within_the_tolerance_and_text_is_compared_loosely(
    online_course: Course, author: User, bank: QuestionBank, enrolment: Enrolment
) -> None:
    days = question(
        bank,
        author,
        K.NUMERIC,
        "Days?",
        numeric_answer=Decimal("10"),
        numeric_tolerance=Decimal("0.5"),
    )
    appeal = question(
        bank, author, K.SHORT, "Who?", accepted_answers=["അപ്പീൽ അധികാരി", "Appellate Authority"]
    )
    other = question(
        bank, author, K.SHORT, "Who else?", accepted_answers=["Information Commission"]
    )
    quiz = quiz_of(online_course, author, fixed=[days, appeal, other])
    attempt = start(quiz, enrolment)
    by = enrolment.employee.user

    with pytest.raises(ValidationError) as refused:
        attempts.response_save(
            attempt=attempt, question_id=days.pk, answer={"value": "1,000"}, by=by, now=at(1)
        )
    assert refused.value.message_dict == {f"q{days.pk}": ["Give a number, such as 12 or 12.5."]}
    # Old keyboards write the chillu ൽ as ല + virama + zero-width joiner.
    old_chillu = "അപ്പീ\u0d32\u0d4d\u200d അധികാരി"
    attempts.responses_save(
        attempt=attempt,
        answers={
            days.pk: {"value": "10.4"},
            appeal.pk: {"text": old_chillu},
            other.pk: {"text": "  information   COMMISSION "},
        },
        by=by,
        now=at(1),
    )
    attempt = attempts.attempt_submit(attempt=attempt, by=by, now=at(2))

    assert [r.auto_score for r in responses_of(attempt)] == [1, 1, 1]
    assert normalise_text(old_chillu) == normalise_text("അപ്പീൽ അധികാരി")


@pytest.mark.parametrize("garbage", ["1e999999999", "-9E+40", "1_000", "NaN", "Infinity"])
def test_a_number_no_key_could_match_is_refused_and_never_breaks_the_submit(
    online_course: Course, author: User, bank: QuestionBank, enrolment: Enrolment, garbage: str
) -> None:
    days = question(bank, author, K.NUMERIC, "Days?", numeric_answer=Decimal("10"))
    attempt = start(quiz_of(online_course, author, fixed=[days]), enrolment)
    by = enrolment.employee.user

    with pytest.raises(ValidationError) as refused:
        attempts.response_save(
            attempt=attempt, question_id=days.pk, answer={"value": garbage}, by=by, now=at(1)
        )
    # One stored before numbers were bounded is scored as wrong, not an overflow.
    attempt.responses.update(answer={"value": garbage})
    attempt = attempts.attempt_submit(attempt=attempt, by=by, now=at(2))

    assert refused.value.message_dict == {f"q{days.pk}": ["Give a number, such as 12 or 12.5."]}
    assert attempt.status == Attempt.Status.GRADED
    assert responses_of(attempt)[0].auto_score == 0


def test_a_malformed_answer_saves_nothing_of_the_batch(
    whole_bank: Quiz, enrolment: Enrolment, questions: dict[str, Question]
) -> None:
    attempt = start(whole_bank, enrolment)
    single = questions[K.SINGLE]
    other_choice = questions[K.MULTIPLE].choices.first()

    with pytest.raises(ValidationError) as refused:
        attempts.responses_save(
            attempt=attempt,
            answers={
                questions[K.TRUE_FALSE].pk: {"value": True},
                single.pk: {"choice": other_choice.pk},  # not one of this question's
            },
            by=enrolment.employee.user,
            now=at(1),
        )

    assert list(refused.value.message_dict) == [f"q{single.pk}"]
    assert all(r.answer is None for r in responses_of(attempt))


def test_the_paper_is_shuffled_once_and_stays_as_drawn(
    online_course: Course, author: User, questions: dict[str, Question], enrolment: Enrolment
) -> None:
    quiz = quiz_of(
        online_course,
        author,
        fixed=list(questions.values()),
        shuffle_questions=True,
        shuffle_choices=True,
        attempts_allowed=0,
    )
    attempt = start(quiz, enrolment, seed=7)
    first = as_shown(attempt)

    # The author turns shuffling off and reorders nothing: the drawn paper does not move.
    data = quizzes.QuizInput(title_en=quiz.title_en, is_published=True)
    quizzes.quiz_save(course=online_course, quiz=quiz, data=data, by=author)
    again = as_shown(attempt)
    resumed = start(quiz, enrolment, seed=99)

    assert again == first
    assert resumed.pk == attempt.pk
    assert [q for q, _ in first] != [q.pk for q in questions.values()]  # shuffled (seed 7)
    for question_id, shown in first:
        assert sorted(shown) == sorted(
            Question.objects.get(pk=question_id).choices.values_list("pk", flat=True)
        )


def test_random_draws_take_only_what_the_rule_asks_and_never_twice(
    online_course: Course,
    author: User,
    bank: QuestionBank,
    questions: dict[str, Question],
    office_a: object,
) -> None:
    from govtrain import testing as t
    from govtrain.learning.services import progress

    retired = question(
        bank, author, K.TRUE_FALSE, "Retired", true_is_correct=True, competency="RTI: applications"
    )
    retired.is_active = False
    retired.save()
    quiz = quiz_of(
        online_course,
        author,
        fixed=[questions[K.TRUE_FALSE]],
        draws=[
            {"bank": bank, "count": 1, "competency": "RTI: applications"},
            {"bank": bank, "count": 2},
        ],
    )
    papers = set()
    for seed in range(12):
        employee = t.make_employee(office_a, name=f"Clerk {seed}")
        enrolment = progress.course_enrol(employee=employee, course=online_course, by=employee.user)
        drawn = [r.question_id for r in responses_of(start(quiz, enrolment, seed=seed))]
        papers.add(tuple(drawn))

        assert len(drawn) == len(set(drawn)) == 4
        assert drawn[0] == questions[K.TRUE_FALSE].pk
        # The only other question tagged "RTI: applications" is the numeric one.
        assert drawn[1] == questions[K.NUMERIC].pk
        assert retired.pk not in drawn
    assert len(papers) > 3  # the last two are drawn at random


def test_a_broad_draw_never_takes_what_a_narrow_one_needs(
    online_course: Course, author: User, office_a: object
) -> None:
    from govtrain import testing as t
    from govtrain.assessments.tests.builders import bank_of
    from govtrain.learning.services import progress

    bank = bank_of(online_course, author, title="Kerala Service Rules")
    for n, difficulty in enumerate(["easy", "easy", "hard", "hard"]):
        question(
            bank, author, K.TRUE_FALSE, f"KSR {n}", true_is_correct=True, difficulty=difficulty
        )
    # "Any two", then "two hard ones": a random first draw may take the hard ones.
    quiz = quiz_of(
        online_course,
        author,
        draws=[{"bank": bank, "count": 2}, {"bank": bank, "count": 2, "difficulty": "hard"}],
    )

    for seed in range(20):
        employee = t.make_employee(office_a, name=f"Clerk {seed}")
        enrolment = progress.course_enrol(employee=employee, course=online_course, by=employee.user)
        drawn = [r.question for r in responses_of(start(quiz, enrolment, seed=seed))]

        assert [q.difficulty for q in drawn] == ["easy", "easy", "hard", "hard"]


def test_the_server_refuses_answers_after_the_deadline_and_hands_in_those_saved_before(
    whole_bank: Quiz, enrolment: Enrolment, questions: dict[str, Question]
) -> None:
    whole_bank.time_limit_minutes = 10
    whole_bank.save()
    attempt = start(whole_bank, enrolment, now=T0)
    by = enrolment.employee.user
    tf, single = questions[K.TRUE_FALSE], questions[K.SINGLE]
    attempts.response_save(
        attempt=attempt, question_id=tf.pk, answer={"value": False}, by=by, now=at(9.9)
    )

    with pytest.raises(attempts.AttemptClosed) as late:
        attempts.response_save(
            attempt=attempt,
            question_id=single.pk,
            answer={"choice": single.choices.get(is_correct=True).pk},
            by=by,
            now=at(10.05),
        )

    assert "Time was up at" in late.value.messages[0]
    attempt.refresh_from_db()
    assert attempt.deadline == at(10)
    assert (attempt.status, attempt.timed_out, attempt.submitted_at) == ("graded", True, at(10))
    scored = {r.question_id: (r.answer, r.auto_score) for r in responses_of(attempt)}
    assert scored[tf.pk] == ({"value": False}, Decimal(1))
    assert scored[single.pk] == (None, Decimal(0))
    # The blank essay needs no grader: 1 of 11 points.
    assert attempt.score == Decimal(1)
    submitted = AuditEvent.objects.get(action="assessments.attempt_submitted")
    assert submitted.after["timed_out"] is True
    assert submitted.actor == by


def test_an_attempt_nobody_came_back_to_is_closed_when_next_touched(
    whole_bank: Quiz, enrolment: Enrolment
) -> None:
    whole_bank.time_limit_minutes = 30
    whole_bank.save()
    attempt = start(whole_bank, enrolment, now=T0)

    assert attempts.attempts_close_overdue(now=at(29)) == 0
    assert attempts.attempts_close_overdue(now=at(31)) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.submitted_at, attempt.timed_out) == ("graded", at(30), True)
    # Submitting it afterwards changes nothing.
    again = attempts.attempt_submit(attempt=attempt, by=enrolment.employee.user, now=at(40))
    assert again.submitted_at == at(30)


def test_the_quiz_closing_before_the_time_limit_brings_the_deadline_forward(
    whole_bank: Quiz, enrolment: Enrolment
) -> None:
    whole_bank.time_limit_minutes = 60
    whole_bank.closes_at = at(20)
    whole_bank.save()

    attempt = start(whole_bank, enrolment, now=T0)

    assert attempt.deadline == at(20)
    with pytest.raises(ValidationError, match="closed"):
        start(whole_bank, enrolment, now=at(25))  # closes the overdue one, then refuses


def test_a_learner_has_the_attempts_allowed_and_starting_again_resumes(
    whole_bank: Quiz, enrolment: Enrolment
) -> None:
    whole_bank.attempts_allowed = 2
    whole_bank.save()
    by = enrolment.employee.user

    first, created = attempts.attempt_start(quiz=whole_bank, enrolment=enrolment, by=by, now=T0)
    same, again = attempts.attempt_start(quiz=whole_bank, enrolment=enrolment, by=by, now=at(1))
    attempts.attempt_submit(attempt=first, by=by, now=at(2))
    second, _ = attempts.attempt_start(quiz=whole_bank, enrolment=enrolment, by=by, now=at(3))
    attempts.attempt_submit(attempt=second, by=by, now=at(4))

    assert (created, again, same.pk) == (True, False, first.pk)
    assert second.number == 2
    with pytest.raises(ValidationError, match="used all 2 attempts"):
        attempts.attempt_start(quiz=whole_bank, enrolment=enrolment, by=by, now=at(5))
    assert Attempt.objects.count() == 2
    standing = selectors.quiz_standing(quiz=whole_bank, enrolment=enrolment)
    assert (standing.used, standing.left, standing.can_start) == (2, 0, False)


def test_a_dropped_connection_loses_nothing_saved(whole_bank: Quiz, enrolment: Enrolment) -> None:
    attempt = start(whole_bank, enrolment)
    answer_all(attempt, right=True, now=at(1))

    # The page is gone; the learner opens the quiz again and starts: the same attempt.
    resumed = start(whole_bank, enrolment, now=at(15), seed=5)

    assert resumed.pk == attempt.pk
    assert all(r.answer is not None for r in selectors.paper(attempt=resumed))


def test_nobody_but_the_learner_starts_or_answers_their_attempt(
    whole_bank: Quiz, enrolment: Enrolment, learner_b: Employee, author: User
) -> None:
    attempt = start(whole_bank, enrolment)
    response = responses_of(attempt)[0]

    for user in (learner_b.user, author):
        with pytest.raises(PermissionDenied):
            attempts.attempt_start(quiz=whole_bank, enrolment=enrolment, by=user)
        with pytest.raises(PermissionDenied):
            attempts.response_save(
                attempt=attempt,
                question_id=response.question_id,
                answer=right_answer(response),
                by=user,
            )
        with pytest.raises(PermissionDenied):
            attempts.attempt_submit(attempt=attempt, by=user)

    assert responses_of(attempt)[0].answer is None
    attempt.refresh_from_db()
    assert attempt.is_open


def test_an_unpublished_quiz_or_a_lapsed_enrolment_starts_nothing(
    online_course: Course, author: User, questions: dict[str, Question], enrolment: Enrolment
) -> None:
    draft = quiz_of(online_course, author, fixed=[questions[K.SINGLE]], publish=False)
    with pytest.raises(ValidationError, match="not open to learners"):
        start(draft, enrolment)
    live = quiz_of(online_course, author, fixed=[questions[K.SINGLE]], title_en="Live")
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save()
    with pytest.raises(ValidationError, match="Enrol in the course"):
        start(live, enrolment)

    assert not Attempt.objects.exists()


def test_starting_and_handing_in_are_audited_and_a_result_is_an_xapi_statement(
    online_course: Course, author: User, questions: dict[str, Question], enrolment: Enrolment
) -> None:
    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE], questions[K.TRUE_FALSE]])
    attempt = start(quiz, enrolment)
    answer_all(attempt, right=True)
    attempts.attempt_submit(attempt=attempt, by=enrolment.employee.user, now=at(3))

    actions = list(
        AuditEvent.objects.filter(target_type="assessments.attempt")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["assessments.attempt_started", "assessments.attempt_submitted"]
    started = AuditEvent.objects.get(action="assessments.attempt_started")
    assert started.after["questions"] == [questions[K.SINGLE].pk, questions[K.TRUE_FALSE].pk]
    bodies = [json.loads(s.body) for s in Statement.objects.order_by("seq")]
    passed = next(b for b in bodies if b["verb"]["id"].endswith("/passed"))
    assert passed["object"]["id"].endswith(f"/quiz/{quiz.pk}")
    assert passed["result"] == {
        "success": True,
        "completion": True,
        "score": {"scaled": 1.0, "raw": 2.0, "min": 0, "max": 2.0},
    }
    assert passed["actor"]["account"]["name"] == enrolment.employee.pen
