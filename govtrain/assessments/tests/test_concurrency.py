"""Two requests of one learner at once: the attempt's locks make them queue. PostgreSQL
only: the test run's in-memory SQLite has one database per connection, whose locks fail at
once instead of waiting."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, Quiz
from govtrain.assessments.services import attempts, grading
from govtrain.assessments.tests.builders import quiz_of, responses_of
from govtrain.catalog.models import Course
from govtrain.records.models import Enrolment

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second real connection"),
    pytest.mark.django_db(transaction=True),
]
K = Question.Kind


@pytest.fixture
def quiz(online_course: Course, author: User, questions: dict[str, Question]) -> Quiz:
    return quiz_of(online_course, author, fixed=[questions[K.SINGLE], questions[K.TRUE_FALSE]])


def run(*calls: Any) -> list[Any]:
    """Each call in a thread of its own; their results (or exceptions), in order."""
    results: list[Any] = [None] * len(calls)

    def call(n: int) -> None:
        try:
            results[n] = calls[n]()
        except BaseException as error:  # reported to the test's thread
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_tabs_starting_at_once_get_one_attempt(
    quiz: Quiz, enrolment: Enrolment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both stop once they have drawn a paper: without the enrolment's lock both get there
    # and the second insert fails; with it the second waits, and then resumes the first.
    meeting = threading.Barrier(2, timeout=2)
    draw = attempts.draw_paper

    def slow_draw(*args: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return draw(*args)

    monkeypatch.setattr(attempts, "draw_paper", slow_draw)
    by = enrolment.employee.user

    results = run(
        lambda: attempts.attempt_start(quiz=quiz, enrolment=enrolment, by=by),
        lambda: attempts.attempt_start(quiz=quiz, enrolment=enrolment, by=by),
    )

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(created for _attempt, created in results) == [False, True]
    assert len({attempt.pk for attempt, _created in results}) == 1
    assert Attempt.objects.count() == 1


def test_an_answer_that_waited_for_a_submit_is_refused_not_saved_after_it(
    quiz: Quiz, enrolment: Enrolment, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt, _ = attempts.attempt_start(quiz=quiz, enrolment=enrolment, by=enrolment.employee.user)
    tf = next(r for r in responses_of(attempt) if r.question.kind == K.TRUE_FALSE)
    inside = threading.Event()
    close = grading.close_attempt

    def slow_close(*args: Any, **kwargs: Any) -> None:
        inside.set()  # the submit holds the attempt's lock now
        with contextlib.suppress(threading.BrokenBarrierError):
            threading.Barrier(2, timeout=1).wait()  # nobody else comes: a pause
        close(*args, **kwargs)

    # attempts.attempt_submit calls the name it imported from grading.
    monkeypatch.setattr(attempts, "close_attempt", slow_close)
    by = enrolment.employee.user

    def save_once_submitting() -> Any:
        inside.wait(timeout=5)
        return attempts.response_save(
            attempt=attempt, question_id=tf.question_id, answer={"value": False}, by=by
        )

    submitted, saved = run(
        lambda: attempts.attempt_submit(attempt=attempt, by=by), save_once_submitting
    )

    assert isinstance(submitted, Attempt)
    assert not submitted.is_open
    assert isinstance(saved, attempts.AttemptClosed)
    tf.refresh_from_db()
    assert tf.answer is None
