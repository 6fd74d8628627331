"""The assessments API: the same rules, 404s and feedback policy as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, Quiz
from govtrain.assessments.tests.builders import quiz_of, responses_of, right_answer
from govtrain.assessments.tests.conftest import T0
from govtrain.catalog.models import Course
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
K = Question.Kind
KEY_FIELDS = (
    "is_correct",
    "correct_choices",
    "accepted_answers",
    "explanation",
    "true_is_correct",
    "numeric_answer",
)
# Saving answers: the attempt; under the locks of the enrolment and the attempt the answers
# and their update (inside the test transaction's savepoint and its release); then the saved
# questions with their choices (only those, however long the paper).
QUERIES_SAVE_ANSWERS = 9


def api_as(user: User | None) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def quiz(online_course: Course, author: User, questions: dict[str, Question]) -> Quiz:
    return quiz_of(
        online_course,
        author,
        fixed=list(questions.values()),
        time_limit_minutes=20,
        attempts_allowed=2,
        feedback=Quiz.Feedback.ANSWERS,
    )


def test_a_learner_takes_a_quiz_over_the_api_and_never_sees_the_key_before_the_end(
    learner_a: Employee, enrolment: Enrolment, quiz: Quiz, questions: dict[str, Question]
) -> None:
    api = api_as(learner_a.user)
    with time_machine.travel(T0, tick=False):
        detail = api.get(reverse("v1:assessments-quiz", args=[quiz.pk])).json()
        started = api.post(reverse("v1:assessments-start", args=[quiz.pk]))
        again = api.post(reverse("v1:assessments-start", args=[quiz.pk]))
        attempt_id = started.json()["id"]
        paper = api.get(reverse("v1:assessments-attempt", args=[attempt_id])).json()
        attempt = Attempt.objects.get(pk=attempt_id)
        answers = {str(r.question_id): right_answer(r) for r in responses_of(attempt)}
        saved = api.put(
            reverse("v1:assessments-answers", args=[attempt_id]),
            {"answers": answers},
            format="json",
        )
        result = api.post(reverse("v1:assessments-submit", args=[attempt_id])).json()

    assert detail["standing"]["can_start"] is True
    assert detail["quiz"]["time_limit_minutes"] == 20
    assert (started.status_code, again.status_code, again.json()["id"]) == (201, 200, attempt_id)
    assert paper["seconds_left"] == 20 * 60
    assert [q["question"] for q in paper["questions"]] == [q.pk for q in questions.values()]
    assert not any(field in json.dumps(paper) for field in KEY_FIELDS)
    assert saved.status_code == 200
    assert len(saved.json()) == 6
    # The essay waits for a grader: submitted, no score yet, and no key while attempts are left.
    assert result["attempt"]["status"] == "submitted"
    assert result["feedback"] == {
        "score": True,
        "answers": False,
        "answers_from": None,
        "answers_later": True,
    }
    assert result["questions"] == []


def test_malformed_answers_are_refused_by_question_and_late_ones_conflict(
    learner_a: Employee, enrolment: Enrolment, quiz: Quiz, questions: dict[str, Question]
) -> None:
    api = api_as(learner_a.user)
    numeric = questions[K.NUMERIC]
    with time_machine.travel(T0, tick=False) as clock:
        attempt_id = api.post(reverse("v1:assessments-start", args=[quiz.pk])).json()["id"]
        url = reverse("v1:assessments-answers", args=[attempt_id])
        bad = api.put(url, {"answers": {str(numeric.pk): {"value": "ten"}}}, format="json")
        not_ours = api.put(url, {"answers": {"999999": {"value": "1"}}}, format="json")
        clock.shift(dt.timedelta(minutes=21))
        late = api.put(url, {"answers": {str(numeric.pk): {"value": "10"}}}, format="json")

    assert bad.status_code == 400
    assert bad.json() == {f"q{numeric.pk}": ["Give a number, such as 12 or 12.5."]}
    assert not_ours.status_code == 400
    assert late.status_code == 409
    assert "Time was up" in late.json()["detail"]
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.timed_out
    assert all(r.answer is None for r in responses_of(attempt))


def test_saving_answers_costs_a_fixed_number_of_queries_and_returns_those_saved(
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
    django_assert_num_queries: Any,
) -> None:
    api = api_as(learner_a.user)
    attempt_id = api.post(reverse("v1:assessments-start", args=[quiz.pk])).json()["id"]
    numeric = questions[K.NUMERIC]

    with django_assert_num_queries(QUERIES_SAVE_ANSWERS):
        saved = api.put(
            reverse("v1:assessments-answers", args=[attempt_id]),
            {"answers": {str(numeric.pk): {"value": "10"}}},
            format="json",
        )

    assert saved.status_code == 200
    assert [(q["question"], q["answer"]) for q in saved.json()] == [(numeric.pk, {"value": "10"})]


def test_the_api_answers_404_for_other_learners_and_courses_not_taken(
    learner_a: Employee, learner_b: Employee, enrolment: Enrolment, quiz: Quiz
) -> None:
    attempt_id = (
        api_as(learner_a.user).post(reverse("v1:assessments-start", args=[quiz.pk])).json()["id"]
    )
    other = api_as(learner_b.user)

    assert other.get(reverse("v1:assessments-quiz", args=[quiz.pk])).status_code == 404
    assert other.post(reverse("v1:assessments-start", args=[quiz.pk])).status_code == 404
    for name in ("v1:assessments-attempt", "v1:assessments-result"):
        assert other.get(reverse(name, args=[attempt_id])).status_code == 404
    assert other.post(reverse("v1:assessments-submit", args=[attempt_id])).status_code == 404
    assert (
        other.put(
            reverse("v1:assessments-answers", args=[attempt_id]), {"answers": {}}, format="json"
        ).status_code
        == 404
    )


def test_graders_grade_over_the_api_and_authors_read_results_and_item_analysis(
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    faculty: Employee,
    author: User,
    other_faculty: Employee,
    other_coordinator: Employee,
) -> None:
    learner = api_as(learner_a.user)
    attempt_id = learner.post(reverse("v1:assessments-start", args=[quiz.pk])).json()["id"]
    attempt = Attempt.objects.get(pk=attempt_id)
    answers = {str(r.question_id): right_answer(r) for r in responses_of(attempt)}
    learner.put(
        reverse("v1:assessments-answers", args=[attempt_id]), {"answers": answers}, format="json"
    )
    learner.post(reverse("v1:assessments-submit", args=[attempt_id]))
    grader = api_as(faculty.user)

    queue = grader.get(reverse("v1:assessments-grading-queue")).json()
    essay_id = queue["results"][0]["id"]
    bad = grader.post(
        reverse("v1:assessments-grade", args=[essay_id]), {"score": "50"}, format="json"
    )
    graded = grader.post(
        reverse("v1:assessments-grade", args=[essay_id]),
        {"score": "5", "comment": "Clear."},
        format="json",
    )
    result = learner.get(reverse("v1:assessments-result", args=[attempt_id])).json()
    results = api_as(author).get(reverse("v1:assessments-results", args=[quiz.pk])).json()
    items = api_as(author).get(reverse("v1:assessments-item-analysis", args=[quiz.pk])).json()

    assert queue["count"] == 1
    assert queue["results"][0]["employee"] == learner_a.pen
    assert bad.status_code == 400
    assert "score" in bad.json()
    assert graded.json()["attempt_status"] == "graded"
    assert graded.json()["attempt_passed"] is True
    # Passed: now the answers and explanations show.
    assert result["attempt"]["percent"] == "100.00"
    assert result["feedback"]["answers"] is True
    essay = next(q for q in result["questions"] if q["kind"] == K.ESSAY)
    assert (essay["score"], essay["comment"]) == ("5.00", "Clear.")
    assert (
        result["course_completed"] is False
    )  # a lesson quiz that no lesson plays completes nothing
    assert results["count"] == 1
    assert results["results"][0]["passed"] is True
    assert items["attempts"] == 1
    assert len(items["items"]) == 6
    for user in (other_faculty.user, other_coordinator.user):
        assert (
            api_as(user)
            .post(reverse("v1:assessments-grade", args=[essay_id]), {"score": "1"}, format="json")
            .status_code
            == 404
        )
        assert (
            api_as(user).get(reverse("v1:assessments-item-analysis", args=[quiz.pk])).status_code
            == 404
        )
    assert api_as(learner_a.user).get(reverse("v1:assessments-grading-queue")).status_code == 404
    assert (
        api_as(faculty.user).get(reverse("v1:assessments-results", args=[quiz.pk])).status_code
        == 404
    )
