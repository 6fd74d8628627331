"""Who may reach what, one test per rule (DESIGN.md: "Every such rule has a test"). Out
of scope is a 404, never a 403, and nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz, QuizRule
from govtrain.assessments.services import attempts
from govtrain.assessments.tests.builders import quiz_of, responses_of
from govtrain.catalog.models import Course
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
K = Question.Kind


def login(client: Client, employee: Employee) -> Client:
    assert employee.user is not None
    client.force_login(employee.user)
    return client


@pytest.fixture
def quiz(online_course: Course, author: User, questions: dict[str, Question]) -> Quiz:
    return quiz_of(online_course, author, fixed=[questions[K.SINGLE], questions[K.ESSAY]])


@pytest.fixture
def attempt(quiz: Quiz, enrolment: Enrolment) -> Attempt:
    """Anitha's attempt, submitted: its essay waits for a grader."""
    started, _ = attempts.attempt_start(quiz=quiz, enrolment=enrolment, by=enrolment.employee.user)
    return attempts.attempt_submit(attempt=started, by=enrolment.employee.user)


def staff_urls(bank: QuestionBank, quiz: Quiz, attempt: Attempt) -> list[str]:
    question = bank.questions.first()
    essay = next(r for r in responses_of(attempt) if r.question.kind == K.ESSAY)
    return [
        reverse("assessments:bank-detail", args=[bank.pk]),
        reverse("assessments:bank-edit", args=[bank.pk]),
        reverse("assessments:question-create", args=[bank.pk]),
        reverse("assessments:question-edit", args=[question.pk]),
        reverse("assessments:question-key", args=[question.pk]),
        reverse("assessments:course-quizzes", args=[quiz.course_id]),
        reverse("assessments:quiz-edit", args=[quiz.pk]),
        reverse("assessments:quiz-results", args=[quiz.pk]),
        reverse("assessments:item-analysis", args=[quiz.pk]),
        reverse("assessments:attempt-review", args=[attempt.pk]),
        reverse("assessments:response-grade", args=[essay.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in_everywhere(
    client: Client, bank: QuestionBank, quiz: Quiz, attempt: Attempt
) -> None:
    urls = [
        *staff_urls(bank, quiz, attempt),
        reverse("assessments:bank-list"),
        reverse("assessments:grading-queue"),
        reverse("assessments:quiz-detail", args=[quiz.pk]),
        reverse("assessments:attempt-detail", args=[attempt.pk]),
        reverse("assessments:attempt-result", args=[attempt.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert client.post(reverse("assessments:quiz-start", args=[quiz.pk])).status_code == 302
    assert client.get(reverse("v1:assessments-quiz", args=[quiz.pk])).status_code == 401
    assert client.get(reverse("v1:assessments-grading-queue")).status_code == 401


def test_a_learner_not_enrolled_in_the_course_finds_no_quiz(
    client: Client, learner_b: Employee, quiz: Quiz
) -> None:
    login(client, learner_b)

    assert client.get(reverse("assessments:quiz-detail", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("assessments:quiz-start", args=[quiz.pk])).status_code == 404
    assert not Attempt.objects.exists()


def test_an_unpublished_quiz_is_not_there_for_learners(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
) -> None:
    draft = quiz_of(online_course, author, fixed=[questions[K.SINGLE]], publish=False)
    login(client, learner_a)

    assert client.get(reverse("assessments:quiz-detail", args=[draft.pk])).status_code == 404


def test_a_learner_never_reaches_another_learners_attempt(
    client: Client, learner_b: Employee, online_course: Course, attempt: Attempt
) -> None:
    from govtrain.learning.services import progress

    progress.course_enrol(employee=learner_b, course=online_course, by=learner_b.user)
    login(client, learner_b)
    question_id = responses_of(attempt)[0].question_id

    for url in (
        reverse("assessments:attempt-detail", args=[attempt.pk]),
        reverse("assessments:attempt-result", args=[attempt.pk]),
    ):
        assert client.get(url).status_code == 404
    saved = client.post(reverse("assessments:response-save", args=[attempt.pk, question_id]), {})
    submitted = client.post(reverse("assessments:attempt-submit", args=[attempt.pk]), {})
    assert (saved.status_code, submitted.status_code) == (404, 404)


def test_a_learner_without_a_role_reaches_no_authoring_or_grading_page(
    client: Client, learner_a: Employee, bank: QuestionBank, quiz: Quiz, attempt: Attempt
) -> None:
    login(client, learner_a)

    for url in [
        *staff_urls(bank, quiz, attempt),
        reverse("assessments:bank-list"),
        reverse("assessments:grading-queue"),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_institutes_coordinator_gets_404_and_changes_nothing(
    client: Client,
    other_coordinator: Employee,
    bank: QuestionBank,
    quiz: Quiz,
    attempt: Attempt,
    questions: dict[str, Question],
) -> None:
    login(client, other_coordinator)

    for url in staff_urls(bank, quiz, attempt):
        assert client.get(url).status_code == 404, url
    added = client.post(
        reverse("assessments:rule-add", args=[quiz.pk]),
        {"question": questions[K.TRUE_FALSE].pk, "count": 1},
    )
    removed = client.post(reverse("assessments:rule-delete", args=[quiz.rules.first().pk]))
    deleted = client.post(reverse("assessments:question-delete", args=[questions[K.NUMERIC].pk]))
    assert (added.status_code, removed.status_code, deleted.status_code) == (404, 404, 404)
    assert QuizRule.objects.count() == 2
    assert Question.objects.filter(pk=questions[K.NUMERIC].pk).exists()
    listed = client.get(reverse("assessments:bank-list")).content.decode()
    assert bank.title_en not in listed


def test_faculty_grade_their_institutes_answers_but_author_nothing(
    client: Client, faculty: Employee, bank: QuestionBank, quiz: Quiz, attempt: Attempt
) -> None:
    login(client, faculty)
    essay = next(r for r in responses_of(attempt) if r.question.kind == K.ESSAY)

    assert client.get(reverse("assessments:grading-queue")).status_code == 200
    assert client.get(reverse("assessments:attempt-review", args=[attempt.pk])).status_code == 200
    graded = client.post(reverse("assessments:response-grade", args=[essay.pk]), {"score": "4"})
    assert graded.status_code == 302
    for url in (
        reverse("assessments:bank-list"),
        reverse("assessments:bank-detail", args=[bank.pk]),
        reverse("assessments:quiz-edit", args=[quiz.pk]),
        reverse("assessments:quiz-results", args=[quiz.pk]),
        reverse("assessments:item-analysis", args=[quiz.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_another_institutes_faculty_grade_nothing_here(
    client: Client, other_faculty: Employee, attempt: Attempt
) -> None:
    login(client, other_faculty)
    essay = next(r for r in responses_of(attempt) if r.question.kind == K.ESSAY)

    assert client.get(reverse("assessments:attempt-review", args=[attempt.pk])).status_code == 404
    assert (
        client.post(
            reverse("assessments:response-grade", args=[essay.pk]), {"score": "4"}
        ).status_code
        == 404
    )
    assert (
        "Nothing waits for grading."
        in client.get(reverse("assessments:grading-queue")).content.decode()
    )
    essay.refresh_from_db()
    assert essay.manual_score is None


def test_a_coordinator_who_took_the_quiz_does_not_grade_their_own_essay(
    client: Client, coordinator: Employee, online_course: Course, quiz: Quiz
) -> None:
    from govtrain.learning.services import progress

    own = progress.course_enrol(employee=coordinator, course=online_course, by=coordinator.user)
    started, _ = attempts.attempt_start(quiz=quiz, enrolment=own, by=coordinator.user)
    attempts.attempt_submit(attempt=started, by=coordinator.user)
    essay = next(r for r in responses_of(started) if r.question.kind == K.ESSAY)
    login(client, coordinator)

    assert client.get(reverse("assessments:response-grade", args=[essay.pk])).status_code == 404


def test_a_state_administrator_builds_and_grades_for_every_institute(
    client: Client, admin: User, bank: QuestionBank, quiz: Quiz, attempt: Attempt
) -> None:
    client.force_login(admin)

    for url in staff_urls(bank, quiz, attempt):
        assert client.get(url).status_code == 200, url
