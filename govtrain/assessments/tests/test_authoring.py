"""An author builds a question bank and a quiz: every kind of question in English and
Malayalam, the checks that refuse a bad one (and write nothing), fixed questions and
random draws, and publishing only a paper that can be drawn."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govtrain.accounts.models import User
from govtrain.assessments.models import Question, QuestionBank, Quiz, QuizRule
from govtrain.assessments.services import banks, quizzes
from govtrain.assessments.tests.builders import question, quiz_of
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, Module
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db
K = Question.Kind


def test_the_coordinator_builds_a_bilingual_bank_with_every_kind_of_question(
    bank: QuestionBank, questions: dict[str, Question]
) -> None:
    assert bank.title_ml == "വിവരാവകാശ നിയമം"
    assert set(questions) == set(K.values)
    single = questions[K.SINGLE]
    assert single.text_ml.startswith("വിവരാവകാശ")
    assert [c.is_correct for c in single.choices.order_by("position")] == [True, False, False]
    assert questions[K.TRUE_FALSE].true_is_correct is False
    assert questions[K.NUMERIC].numeric_answer == Decimal(10)
    assert "അപ്പീൽ അധികാരി" in questions[K.SHORT].accepted_answers
    assert questions[K.ESSAY].points == Decimal(5)
    created = AuditEvent.objects.filter(action="assessments.question_created")
    assert created.count() == 6
    assert AuditEvent.objects.filter(action="assessments.bank_created").count() == 1


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        (K.SINGLE, {"choices": [("30 days", True), ("45 days", True)]}, "choices", "exactly one"),
        (K.MULTIPLE, {"choices": [("A", False), ("B", False)]}, "choices", "at least one"),
        (K.SINGLE, {"choices": [("Only one", True)]}, "choices", "at least two"),
        (K.TRUE_FALSE, {}, "true_is_correct", "true or false"),
        (K.NUMERIC, {}, "numeric_answer", "correct number"),
        (K.SHORT, {"accepted_answers": [" "]}, "accepted_answers", "accepted answer"),
        (K.ESSAY, {"points": Decimal(0)}, "points", "above 0"),
        (K.ESSAY, {"choices": [("A", True), ("B", False)]}, "choices", "Only single"),
    ],
)
def test_a_question_without_a_proper_key_is_refused_and_nothing_is_written(
    bank: QuestionBank,
    author: User,
    kind: str,
    fields: dict[str, object],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        question(bank, author, kind, "A question", **fields)

    assert message in " ".join(refused.value.message_dict[field])
    assert not Question.objects.exists()


def test_a_coordinator_of_another_institute_cannot_add_to_the_bank(
    bank: QuestionBank, other_coordinator: Employee, learner_a: Employee
) -> None:
    for user in (other_coordinator.user, learner_a.user):
        with pytest.raises(PermissionDenied):
            question(bank, user, K.TRUE_FALSE, "Mine", true_is_correct=True)

    assert not Question.objects.exists()


def test_a_bank_is_for_a_course_of_the_institute_only(
    online_course: Course, author: User, other_coordinator: Employee
) -> None:
    from govtrain import testing as t

    kila_course = t.make_course(
        "KILA-KSMART", provider=t.make_provider("KILA"), modality=Course.Modality.ONLINE
    )

    with pytest.raises(ValidationError) as refused:
        banks.bank_save(
            provider=online_course.provider,
            data=banks.BankInput(title_en="Borrowed", course_id=kila_course.pk),
            by=author,
        )

    assert "course_id" in refused.value.message_dict
    assert not QuestionBank.objects.exists()


def test_the_author_builds_a_quiz_of_fixed_questions_and_a_draw_and_publishes_it(
    online_course: Course, author: User, bank: QuestionBank, questions: dict[str, Question]
) -> None:
    quiz = quiz_of(
        online_course,
        author,
        fixed=[questions[K.SINGLE]],
        draws=[{"bank": bank, "count": 2, "competency": "rti: applications"}],
        time_limit_minutes=20,
        attempts_allowed=2,
        pass_percent=70,
    )

    assert quiz.is_published
    rules = list(quiz.rules.order_by("position"))
    assert [(r.question_id, r.bank_id, r.count) for r in rules] == [
        (questions[K.SINGLE].pk, None, 1),
        (None, bank.pk, 2),
    ]
    actions = list(
        AuditEvent.objects.filter(target_type="assessments.quiz")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "assessments.quiz_created",
        "assessments.quiz_rule_added",
        "assessments.quiz_rule_added",
        "assessments.quiz_changed",
    ]


def test_a_quiz_is_published_only_when_its_paper_can_be_drawn(
    online_course: Course, author: User, bank: QuestionBank, questions: dict[str, Question]
) -> None:
    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE]], publish=False)
    data = quizzes.QuizInput(title_en=quiz.title_en, is_published=True)
    # One question is tagged "RTI: exemptions": a draw of two of them cannot be made.
    with pytest.raises(ValidationError) as refused:
        quizzes.quiz_rule_add(
            quiz=quiz, by=author, bank=bank, count=2, competency="RTI: exemptions"
        )
    assert "has 1 questions left for the draw of 2" in " ".join(refused.value.messages)
    assert quiz.rules.count() == 1

    questions[K.SINGLE].is_active = False
    questions[K.SINGLE].save()
    with pytest.raises(ValidationError) as retired:
        quizzes.quiz_save(course=online_course, quiz=quiz, data=data, by=author)

    assert "retired" in " ".join(retired.value.message_dict["is_published"])
    quiz.refresh_from_db()
    assert not quiz.is_published


def test_a_quiz_cannot_take_another_institutes_questions(
    online_course: Course, author: User, other_coordinator: Employee
) -> None:
    from govtrain import testing as t

    kila = t.make_course("KILA-KS", provider=t.make_provider("KILA"), modality="online")
    theirs = banks.bank_save(
        provider=kila.provider, data=banks.BankInput(title_en="KILA's"), by=other_coordinator.user
    )
    foreign = question(theirs, other_coordinator.user, K.TRUE_FALSE, "Theirs", true_is_correct=True)
    quiz = quiz_of(online_course, author, publish=False)

    with pytest.raises(ValidationError):
        quizzes.quiz_rule_add(quiz=quiz, by=author, question=foreign)
    with pytest.raises(ValidationError):
        quizzes.quiz_rule_add(quiz=quiz, by=author, bank=theirs)
    with pytest.raises(PermissionDenied):
        quizzes.quiz_rule_add(quiz=quiz, by=other_coordinator.user, question=foreign)

    assert not QuizRule.objects.exists()


def test_a_classroom_course_has_no_quizzes(author: User) -> None:
    from govtrain import testing as t

    classroom = t.make_course("IMG-RTI", modality=Course.Modality.CLASSROOM)

    with pytest.raises(ValidationError):
        quizzes.quiz_save(course=classroom, data=quizzes.QuizInput(title_en="Quiz"), by=author)

    assert not Quiz.objects.exists()


def test_feedback_after_close_needs_a_closing_time(online_course: Course, author: User) -> None:
    data = quizzes.QuizInput(title_en="Exam", feedback=Quiz.Feedback.AFTER_CLOSE)

    with pytest.raises(ValidationError) as refused:
        quizzes.quiz_save(course=online_course, data=data, by=author)

    assert "closes_at" in refused.value.message_dict


def test_an_answered_questions_key_changes_only_through_a_key_correction(
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    enrolment: object,
    learner_a: Employee,
) -> None:
    from govtrain.assessments.services import attempts

    single = questions[K.SINGLE]
    quiz = quiz_of(online_course, author, fixed=[single])
    attempts.attempt_start(quiz=quiz, enrolment=enrolment, by=learner_a.user)
    data = banks.QuestionInput(
        kind=K.SINGLE,
        text_en="Within how many days must a PIO answer? (reworded)",
        choices=[
            banks.ChoiceInput(text_en="30 days", is_correct=False),
            banks.ChoiceInput(text_en="45 days", is_correct=True),
            banks.ChoiceInput(text_en="60 days", is_correct=False),
        ],
    )

    with pytest.raises(ValidationError) as refused:
        banks.question_save(bank=single.bank, question=single, data=data, by=author)
    assert "correct its key" in " ".join(refused.value.message_dict["choices"])
    data.choices[0].is_correct, data.choices[1].is_correct = True, False
    banks.question_save(bank=single.bank, question=single, data=data, by=author)

    single.refresh_from_db()
    assert single.text_en.endswith("(reworded)")
    with pytest.raises(ValidationError):
        banks.question_delete(question=single, by=author)


def test_a_quiz_lesson_plays_a_quiz_of_its_own_course(
    online_course: Course, author: User, questions: dict[str, Question], module: Module
) -> None:
    from govtrain import testing as t
    from govtrain.learning.services import authoring

    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE]])
    other_course = t.make_course("IMG-EFILE", modality=Course.Modality.ONLINE)
    elsewhere = quiz_of(other_course, author, publish=False, title_en="Other")

    def lesson(**fields: object) -> authoring.LessonInput:
        return authoring.LessonInput(kind=Lesson.Kind.QUIZ, title_en="Check yourself", **fields)

    for data, field in (
        (lesson(), "quiz_id"),
        (lesson(quiz_id=elsewhere.pk), "quiz_id"),
        (lesson(quiz_id=quiz.pk, min_seconds=60), "min_seconds"),
    ):
        with pytest.raises(ValidationError) as refused:
            authoring.lesson_save(module=module, data=data, by=author)
        assert field in refused.value.message_dict
    played = authoring.lesson_save(module=module, data=lesson(quiz_id=quiz.pk), by=author)

    assert played.quiz == quiz
    with pytest.raises(ValidationError, match="A lesson plays this quiz"):
        quizzes.quiz_delete(quiz=quiz, by=author)
    quizzes.quiz_delete(
        quiz=quiz_of(online_course, author, publish=False, title_en="Draft"), by=author
    )
    assert Quiz.objects.filter(title_en="Draft").count() == 0


def test_the_lesson_api_sets_a_quiz_lesson(
    online_course: Course, author: User, questions: dict[str, Question], module: Module
) -> None:
    from django.urls import reverse
    from rest_framework.test import APIClient

    quiz = quiz_of(online_course, author, fixed=[questions[K.SINGLE]])
    api = APIClient()
    api.force_authenticate(author)

    response = api.post(
        reverse("v1:learning-authoring-lessons", args=[module.pk]),
        {"kind": "quiz", "title_en": "Check yourself", "quiz": quiz.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["quiz"] == quiz.pk
