"""The demo's assessments: IMG's bilingual banks, quizzes of its online courses, and
attempts enough for the item analysis, with essays left for the coordinator."""

from __future__ import annotations

import pytest

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.assessments import selectors
from govtrain.assessments.demo import ESSAYS_LEFT, build_assessments
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz
from govtrain.catalog.models import Course
from govtrain.learning import demo as learning_demo
from govtrain.learning.demo import build_online_learning
from govtrain.learning.models import Lesson
from govtrain.organisation.models import Office
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(admin: User, coordinator: Employee) -> dict[str, Course]:
    img = t.make_provider("IMG")
    online = Course.Modality.ONLINE
    return {
        code: t.make_course(code, provider=img, modality=online)
        for code in ("IMG-RTI-OL", "IMG-EFILE")
    }


def test_the_demo_builds_banks_quizzes_and_attempts_to_grade_and_analyse(
    office_a: Office,
    learner_a: Employee,
    coordinator: Employee,
    courses: dict[str, Course],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(learning_demo, "LEARNERS_PER_COURSE", 14)
    for n in range(20):
        t.make_employee(office_a, name=f"Clerk {n}")
    build_online_learning(learner=learner_a)

    summary = build_assessments(learner=learner_a)

    assert (summary.banks, summary.quizzes) == (4, 3)
    assert set(Question.objects.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert not Question.objects.filter(text_ml="").exists()
    assert QuestionBank.objects.filter(course=None).count() == 2  # institute-wide banks
    quiz_lesson = Lesson.objects.get(kind=Lesson.Kind.QUIZ)
    assert quiz_lesson.module.course == courses["IMG-RTI-OL"]
    assert Quiz.objects.filter(kind=Quiz.Kind.FINAL, is_published=True).count() == 2
    assert summary.attempts == Attempt.objects.count() > 2 * 14
    assert Attempt.objects.filter(status="graded", passed=True).exists()
    assert Attempt.objects.filter(status="graded", passed=False).exists()
    queue = selectors.grading_queue(user=coordinator.user)
    assert queue.count() == summary.waiting == ESSAYS_LEFT
    final = Quiz.objects.get(course=courses["IMG-RTI-OL"], kind=Quiz.Kind.FINAL)
    analysis = selectors.item_analysis(quiz=final)
    assert analysis.attempts >= 10
    assert any(item.enough for item in analysis.items)
    # The demo learner is enrolled, the quizzes waiting for them.
    assert Enrolment.objects.filter(employee=learner_a, course=courses["IMG-RTI-OL"]).exists()
    assert not Attempt.objects.filter(employee=learner_a).exists()


def test_running_the_demo_again_adds_nothing(
    office_a: Office, learner_a: Employee, coordinator: Employee, courses: dict[str, Course]
) -> None:
    build_online_learning(learner=learner_a)
    build_assessments(learner=learner_a)
    before = (QuestionBank.objects.count(), Quiz.objects.count(), Attempt.objects.count())

    again = build_assessments(learner=learner_a)

    assert (again.banks, again.attempts) == (0, 0)
    assert (QuestionBank.objects.count(), Quiz.objects.count(), Attempt.objects.count()) == before
