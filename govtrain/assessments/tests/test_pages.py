"""The assessment pages: a learner takes a quiz in the browser's requests (answers saved
one by one with htmx, or all at once without JavaScript), sees what the feedback policy
allows; authors and graders use their pages; list pages cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, QuestionBank, QuestionKeyChange, Quiz
from govtrain.assessments.tests.builders import quiz_of, responses_of, right_answer
from govtrain.assessments.tests.conftest import T0
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.learning.services import authoring
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
K = Question.Kind
HX = {"HTTP_HX_REQUEST": "true"}
# The user with their access, attempts whose time is up (closed first), the items of the
# page and their count; the banks page: the banks with their counts and the courses.
QUERIES_GRADING_QUEUE = 4
QUERIES_RESULTS = 5
QUERIES_BANKS = 3
# An answer saved as it is given (the hot path): the user, the attempt, the answer with its
# question, then under the locks of the enrolment and the attempt the answer again and its
# update (and the test transaction's savepoint around them).
QUERIES_AUTOSAVE = 9


def login(client: Client, employee: Employee) -> Client:
    assert employee.user is not None
    client.force_login(employee.user)
    return client


def start(client: Client, quiz: Quiz) -> Attempt:
    response = client.post(reverse("assessments:quiz-start", args=[quiz.pk]))
    assert response.status_code == 302, response.content
    return Attempt.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.fixture
def quiz(online_course: Course, author: User, questions: dict[str, Question]) -> Quiz:
    return quiz_of(online_course, author, fixed=list(questions.values()), attempts_allowed=2)


def test_a_learner_takes_a_quiz_with_answers_saved_as_given(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
) -> None:
    login(client, learner_a)
    quiz_page = client.get(reverse("assessments:quiz-detail", args=[quiz.pk]))
    assert quiz_page.status_code == 200
    assert "Start the quiz" in quiz_page.content.decode()

    attempt = start(client, quiz)
    page = client.get(reverse("assessments:attempt-detail", args=[attempt.pk])).content.decode()
    single = questions[K.SINGLE]
    saved = client.post(
        reverse("assessments:response-save", args=[attempt.pk, single.pk]),
        {f"q{single.pk}": str(single.choices.get(is_correct=True).pk)},
        **HX,
    )

    assert single.text_en in page
    assert single.text_ml not in page
    # The page never carries the key: no explanation, no accepted answer, no mark.
    assert "Section 7(1)" not in page
    assert "Appellate Authority" not in page
    assert "correct" not in re.sub(r"every correct answer", "", page).lower()
    assert saved.status_code == 200
    assert "Saved at" in saved.content.decode()
    assert responses_of(attempt)[0].answer == {"choice": single.choices.get(is_correct=True).pk}
    # In Malayalam, the question as its author wrote it in Malayalam.
    learner_a.user.language = "ml"
    learner_a.user.save()
    in_ml = client.get(reverse("assessments:attempt-detail", args=[attempt.pk])).content.decode()
    assert f'<p class="q-text" lang="ml" id="qt-{single.pk}">{single.text_ml}' in in_ml


def test_an_answer_saved_as_it_is_given_costs_a_fixed_number_of_queries(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
    django_assert_num_queries: Any,
) -> None:
    login(client, learner_a)
    attempt = start(client, quiz)
    single = questions[K.SINGLE]
    first, second = single.choices.values_list("pk", flat=True)[:2]
    url = reverse("assessments:response-save", args=[attempt.pk, single.pk])
    client.post(url, {f"q{single.pk}": str(first)}, **HX)

    with django_assert_num_queries(QUERIES_AUTOSAVE):
        saved = client.post(url, {f"q{single.pk}": str(second)}, **HX)

    assert "Saved at" in saved.content.decode()
    assert responses_of(attempt)[0].answer == {"choice": second}


def test_a_bad_answer_says_why_in_place_and_saves_nothing(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
) -> None:
    login(client, learner_a)
    attempt = start(client, quiz)
    numeric = questions[K.NUMERIC]

    saved = client.post(
        reverse("assessments:response-save", args=[attempt.pk, numeric.pk]),
        {f"q{numeric.pk}": "ten"},
        **HX,
    )
    # Without JavaScript: the whole page, with what was typed and the reason.
    page = client.post(
        reverse("assessments:attempt-submit", args=[attempt.pk]),
        {f"q{numeric.pk}": "ten", f"q{questions[K.TRUE_FALSE].pk}": "false", "action": "submit"},
    )

    assert "Give a number" in saved.content.decode()
    assert page.status_code == 400
    body = page.content.decode()
    assert 'value="ten"' in body
    assert "Give a number" in body
    assert all(r.answer is None for r in responses_of(attempt))
    attempt.refresh_from_db()
    assert attempt.is_open


def test_without_javascript_the_form_saves_then_submits(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
) -> None:
    login(client, learner_a)
    attempt = start(client, quiz)
    multiple = questions[K.MULTIPLE]
    right = [str(c.pk) for c in multiple.choices.filter(is_correct=True)]
    url = reverse("assessments:attempt-submit", args=[attempt.pk])

    client.post(url, {f"q{multiple.pk}": right, f"q{multiple.pk}-shown": "1", "action": "save"})
    kept = client.get(reverse("assessments:attempt-detail", args=[attempt.pk])).content.decode()
    # Unticking every box clears the answer (the hidden "-shown" field says it was on the page).
    client.post(url, {f"q{multiple.pk}-shown": "1", "action": "save"})
    cleared = next(r for r in responses_of(attempt) if r.question_id == multiple.pk).answer
    done = client.post(
        url, {f"q{questions[K.ESSAY].pk}": "I would transfer it.", "action": "submit"}
    )

    assert kept.count("checked") == 2
    assert cleared is None
    assert done.status_code == 302
    assert done["Location"] == reverse("assessments:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_after_the_deadline_the_page_hands_in_and_htmx_is_sent_to_the_result(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    questions: dict[str, Question],
) -> None:
    quiz.time_limit_minutes = 5
    quiz.save()
    login(client, learner_a)
    with time_machine.travel(T0, tick=False) as clock:
        attempt = start(client, quiz)
        clock.shift(dt.timedelta(minutes=6))
        late = client.post(
            reverse("assessments:response-save", args=[attempt.pk, questions[K.TRUE_FALSE].pk]),
            {f"q{questions[K.TRUE_FALSE].pk}": "false"},
            **HX,
        )
        result = client.get(reverse("assessments:attempt-result", args=[attempt.pk]))

    assert late["HX-Redirect"] == reverse("assessments:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.timed_out
    assert "Time was up" in result.content.decode()


def finish(client: Client, attempt: Attempt, right: bool = True) -> None:
    data: dict[str, Any] = {"action": "submit"}
    for r in responses_of(attempt):
        answer = right_answer(r) if right else {}
        value = next(iter(answer.values()), "")
        if isinstance(value, list):
            data[f"q{r.question_id}"] = [str(v) for v in value]
        elif isinstance(value, bool):
            data[f"q{r.question_id}"] = "true" if value else "false"
        else:
            data[f"q{r.question_id}"] = str(value)
        data[f"q{r.question_id}-shown"] = "1"
    response = client.post(reverse("assessments:attempt-submit", args=[attempt.pk]), data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("policy", "score_shown", "key_shown"),
    [
        (Quiz.Feedback.NONE, False, False),
        (Quiz.Feedback.SCORE, True, False),
        (Quiz.Feedback.ANSWERS, True, True),  # passed: the key can help nobody's next try
    ],
)
def test_the_result_shows_what_the_feedback_policy_allows(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    policy: str,
    score_shown: bool,
    key_shown: bool,
) -> None:
    quiz = quiz_of(
        online_course, author, fixed=[questions[K.SINGLE], questions[K.SHORT]], feedback=policy
    )
    login(client, learner_a)
    attempt = start(client, quiz)
    finish(client, attempt)

    body = client.get(reverse("assessments:attempt-result", args=[attempt.pk])).content.decode()

    assert "Passed" in body
    assert ("2 of 2 points" in body) is score_shown
    assert ("Section 7(1)" in body) is key_shown
    assert ("Appellate Authority" in body) is key_shown


def test_answers_wait_while_attempts_are_left_and_until_the_quiz_closes(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
) -> None:
    fixed = [questions[K.SINGLE]]
    answers_later = quiz_of(
        online_course, author, fixed=fixed, feedback="answers", attempts_allowed=2
    )
    closes = T0 + dt.timedelta(days=1)
    after_close = quiz_of(
        online_course,
        author,
        fixed=fixed,
        feedback="after_close",
        closes_at=closes,
        title_en="Exam",
    )
    login(client, learner_a)
    with time_machine.travel(T0, tick=False) as clock:
        failed = start(client, answers_later)
        finish(client, failed, right=False)
        waiting = client.get(
            reverse("assessments:attempt-result", args=[failed.pk])
        ).content.decode()
        exam = start(client, after_close)
        finish(client, exam)
        before = client.get(reverse("assessments:attempt-result", args=[exam.pk])).content.decode()
        clock.shift(dt.timedelta(days=2))
        after = client.get(reverse("assessments:attempt-result", args=[exam.pk])).content.decode()

    assert "Not passed" in waiting
    assert "Section 7(1)" not in waiting
    assert "once you have passed or used every attempt" in waiting
    assert "Section 7(1)" not in before
    assert "after the quiz closes" in before
    assert "Section 7(1)" in after


def test_a_quiz_lesson_leads_to_its_quiz_and_completes_when_it_is_passed(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    module: Module,
) -> None:
    quiz = quiz_of(online_course, author, fixed=[questions[K.TRUE_FALSE]])
    lesson = authoring.lesson_save(
        module=module,
        data=authoring.LessonInput(
            kind=Lesson.Kind.QUIZ, title_en="Check yourself", quiz_id=quiz.pk
        ),
        by=author,
    )
    login(client, learner_a)

    before = client.get(reverse("learning:lesson-detail", args=[lesson.pk])).content.decode()
    refused = client.post(reverse("learning:lesson-complete", args=[lesson.pk]))
    finish(client, start(client, quiz))
    course = client.get(reverse("learning:course-learn", args=[online_course.pk])).content.decode()

    assert "Take the quiz" in before
    assert "Mark as done" not in before
    assert refused.status_code == 302  # refused with a message: the quiz decides
    assert LessonProgress.objects.get(lesson=lesson).status == "completed"
    assert "Course completed" in course or "Completed on" in course


def test_the_course_page_leads_to_its_final_exam(
    client: Client,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
) -> None:
    exam = quiz_of(
        online_course, author, fixed=[questions[K.SINGLE]], kind="final", title_en="Final exam: RTI"
    )
    login(client, learner_a)

    body = client.get(reverse("learning:course-learn", args=[online_course.pk])).content.decode()

    assert reverse("assessments:quiz-detail", args=[exam.pk]) in body
    assert "Final exam: RTI" in body


# --- Authors --------------------------------------------------------------------------


def test_the_author_builds_a_bank_and_questions_of_every_kind_through_the_pages(
    client: Client, coordinator: Employee, online_course: Course
) -> None:
    login(client, coordinator)
    created = client.post(
        reverse("assessments:bank-create"),
        {"title_en": "Kerala Service Rules", "title_ml": "കേരള സർവീസ് ചട്ടങ്ങൾ", "course": ""},
    )
    bank = QuestionBank.objects.get()
    assert created["Location"] == reverse("assessments:bank-detail", args=[bank.pk])
    for kind in K.values:
        assert (
            client.get(
                reverse("assessments:question-create", args=[bank.pk]) + f"?kind={kind}"
            ).status_code
            == 200
        )

    base = {
        "text_en": "How many days of casual leave a year?",
        "points": "1",
        "difficulty": "easy",
        "is_active": "on",
    }
    single = client.post(
        reverse("assessments:question-create", args=[bank.pk]),
        {
            **base,
            "kind": "single",
            "choice_1_en": "15",
            "choice_1_correct": "on",
            "choice_2_en": "20",
            "then": "another",
        },
    )
    numeric = client.post(
        reverse("assessments:question-create", args=[bank.pk]),
        {**base, "kind": "numeric", "numeric_answer": "15", "numeric_tolerance": "0"},
    )
    bad = client.post(
        reverse("assessments:question-create", args=[bank.pk]),
        {**base, "kind": "true_false", "true_is_correct": ""},
    )

    assert single["Location"].endswith("?kind=single")
    assert numeric.status_code == 302
    assert bad.status_code == 400
    assert "Say whether the statement is true or false." in bad.content.decode()
    assert list(bank.questions.values_list("kind", flat=True)) == ["single", "numeric"]
    detail = client.get(reverse("assessments:bank-detail", args=[bank.pk])).content.decode()
    assert "How many days of casual leave" in detail


def test_the_author_sets_up_a_quiz_and_its_paper_through_the_pages(
    client: Client,
    coordinator: Employee,
    online_course: Course,
    bank: QuestionBank,
    questions: dict[str, Question],
) -> None:
    login(client, coordinator)
    settings = {
        "title_en": "RTI: final exam",
        "kind": "final",
        "pass_percent": "60",
        "attempts_allowed": "2",
        "time_limit_minutes": "30",
        "feedback": "score",
        "shuffle_choices": "on",
    }
    created = client.post(reverse("assessments:quiz-create", args=[online_course.pk]), settings)
    quiz = Quiz.objects.get()
    client.post(
        reverse("assessments:rule-add", args=[quiz.pk]),
        {"question": questions[K.ESSAY].pk, "count": "1"},
    )
    client.post(
        reverse("assessments:rule-add", args=[quiz.pk]),
        {"bank": bank.pk, "count": "3", "difficulty": "medium"},
    )
    too_many = client.post(
        reverse("assessments:rule-add", args=[quiz.pk]), {"bank": bank.pk, "count": "9"}
    )
    published = client.post(
        reverse("assessments:quiz-edit", args=[quiz.pk]), {**settings, "is_published": "on"}
    )

    assert created["Location"] == reverse("assessments:quiz-edit", args=[quiz.pk])
    assert too_many.status_code == 400
    assert "questions left for the draw of 9" in too_many.content.decode()
    assert published.status_code == 302
    quiz.refresh_from_db()
    assert quiz.is_published
    assert quiz.rules.count() == 2
    page = client.get(reverse("assessments:quiz-edit", args=[quiz.pk])).content.decode()
    assert "3 questions drawn from" in page


def test_the_key_page_corrects_and_tells_what_the_regrade_changed(
    client: Client,
    coordinator: Employee,
    learner_a: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
) -> None:
    tf = questions[K.TRUE_FALSE]
    quiz = quiz_of(online_course, author, fixed=[tf])
    login(client, learner_a)
    finish(client, start(client, quiz))
    login(client, coordinator)

    response = client.post(
        reverse("assessments:question-key", args=[tf.pk]),
        {"true_is_correct": "true", "points": "1", "reason": "The 2026 amendment."},
        follow=True,
    )

    body = response.content.decode()
    assert "1 attempts regraded, 1 results changed, 0 now passed, 1 no longer passed" in body
    assert "no longer passes" in body
    assert QuestionKeyChange.objects.get().version == 2


def test_the_results_and_item_analysis_pages_show_every_attempt(
    client: Client,
    coordinator: Employee,
    learner_a: Employee,
    enrolment: Enrolment,
    quiz: Quiz,
    django_assert_num_queries: Any,
) -> None:
    login(client, learner_a)
    attempt = start(client, quiz)
    finish(client, attempt)
    login(client, coordinator)
    url = reverse("assessments:quiz-results", args=[quiz.pk])
    client.get(url)

    with django_assert_num_queries(QUERIES_RESULTS):
        results = client.get(url)
    items = client.get(reverse("assessments:item-analysis", args=[quiz.pk]))
    review = client.get(reverse("assessments:attempt-review", args=[attempt.pk]))

    assert learner_a.name_en in results.content.decode()
    assert "No graded attempts yet." in items.content.decode()  # the essay waits
    assert "waiting for a grader" in review.content.decode()


def test_list_pages_cost_the_same_with_more_rows(
    client: Client,
    coordinator: Employee,
    faculty: Employee,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
    office_a: Any,
    django_assert_num_queries: Any,
) -> None:
    from govtrain import testing as t
    from govtrain.assessments.tests.builders import bank_of
    from govtrain.learning.services import progress

    quiz = quiz_of(online_course, author, fixed=[questions[K.ESSAY]], attempts_allowed=0)
    for n in range(4):
        employee = t.make_employee(office_a, name=f"Clerk {n}")
        own = progress.course_enrol(employee=employee, course=online_course, by=employee.user)
        c = Client()
        c.force_login(employee.user)
        finish(c, start_for(c, quiz, own))
        bank_of(online_course, author, title=f"Bank {n}")
    login(client, faculty)
    client.get(reverse("assessments:grading-queue"))
    with django_assert_num_queries(QUERIES_GRADING_QUEUE):
        queue = client.get(reverse("assessments:grading-queue"))
    login(client, coordinator)
    client.get(reverse("assessments:bank-list"))
    with django_assert_num_queries(QUERIES_BANKS):
        client.get(reverse("assessments:bank-list"))

    assert queue.content.decode().count("Grade<span") == 4


def start_for(client: Client, quiz: Quiz, enrolment: Enrolment) -> Attempt:
    return start(client, quiz)


def test_a_grader_grades_from_the_queue_and_goes_on_to_the_next(
    client: Client,
    faculty: Employee,
    learner_a: Employee,
    learner_b: Employee,
    enrolment: Enrolment,
    online_course: Course,
    author: User,
    questions: dict[str, Question],
) -> None:
    from govtrain.learning.services import progress

    quiz = quiz_of(online_course, author, fixed=[questions[K.ESSAY]])
    progress.course_enrol(employee=learner_b, course=online_course, by=learner_b.user)
    for learner in (learner_a, learner_b):
        login(client, learner)
        finish(client, start(client, quiz))
    first, second = (
        responses_of(Attempt.objects.get(employee=learner_a))[0],
        responses_of(Attempt.objects.get(employee=learner_b))[0],
    )
    login(client, faculty)

    form = client.get(reverse("assessments:response-grade", args=[first.pk]))
    bad = client.post(
        reverse("assessments:response-grade", args=[first.pk]), {"score": "9", "then": "next"}
    )
    graded = client.post(
        reverse("assessments:response-grade", args=[first.pk]),
        {"score": "4", "comment": "Good.", "then": "next"},
    )

    assert "I would transfer it" in form.content.decode()
    assert bad.status_code == 400
    assert "from 0 to 5" in bad.content.decode()
    assert graded["Location"] == reverse("assessments:response-grade", args=[second.pk])
    attempt = Attempt.objects.get(employee=learner_a)
    assert (attempt.status, attempt.passed) == ("graded", True)
    login(client, learner_a)
    result = client.get(reverse("assessments:attempt-result", args=[attempt.pk])).content.decode()
    assert "Good." in result  # the grader's comment reaches the learner


def test_the_menu_leads_authors_to_banks_and_graders_to_grading(
    client: Client, coordinator: Employee, faculty: Employee, learner_a: Employee
) -> None:
    def menu(employee: Employee) -> str:
        login(client, employee)
        return client.get(reverse("core:home")).content.decode()

    assert "Question banks" in menu(coordinator)
    assert "Grading" in menu(coordinator)
    assert "Question banks" not in menu(faculty)
    assert "Grading" in menu(faculty)
    learner = menu(learner_a)
    assert "Question banks" not in learner
    assert ">Grading<" not in learner
