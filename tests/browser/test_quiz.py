"""A quiz in a real browser: Anitha opens the quiz lesson of her RTI course, starts the
quiz, answers (each answer saved as she gives it), reloads the page half-way and finds her
answers kept, hands in, and sees her result with the answers; the countdown shows the
server's deadline. Passing completes the course: she downloads its certificate and shares
the link, and a stranger who is not signed in sees that it is genuine."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from govtrain import testing as t
from govtrain.assessments.models import Attempt, Question, Quiz
from govtrain.assessments.services import banks, quizzes
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.learning.services import authoring
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open_in_course

pytestmark = pytest.mark.browser
K = Question.Kind


@pytest.fixture
def quiz(db: None, coordinator: Employee, learner_a: Employee) -> Quiz:
    author = coordinator.user
    assert author is not None
    course = t.make_course(
        "IMG-RTI-OL",
        title_en="Right to Information for public information officers",
        modality=Course.Modality.ONLINE,
        hours=Decimal("6"),
    )
    bank = banks.bank_save(
        provider=course.provider, data=banks.BankInput(title_en="RTI Act"), by=author
    )

    def add(kind: str, text: str, **fields: object) -> Question:
        choices = [
            banks.ChoiceInput(text_en=c, is_correct=ok)
            for c, ok in fields.pop("choices", [])  # type: ignore[attr-defined]
        ]
        data = banks.QuestionInput(kind=kind, text_en=text, choices=choices, **fields)  # type: ignore[arg-type]
        return banks.question_save(bank=bank, data=data, by=author)

    fixed = [
        add(
            K.SINGLE,
            "Within how many days must a PIO answer an RTI application?",
            choices=[("30 days", True), ("45 days", False), ("60 days", False)],
            explanation_en="Section 7(1) of the Act: thirty days.",
        ),
        add(
            K.MULTIPLE,
            "Which of these are exempt from disclosure?",
            choices=[("Cabinet papers", True), ("Attendance register", False)],
        ),
        add(K.TRUE_FALSE, "An applicant must give reasons for the request.", true_is_correct=False),
        add(K.NUMERIC, "The application fee in Kerala, in rupees?", numeric_answer=Decimal(10)),
        add(K.SHORT, "Who hears the first appeal?", accepted_answers=["Appellate Authority"]),
    ]
    data = quizzes.QuizInput(
        title_en="Check yourself: the RTI Act",
        time_limit_minutes=30,
        attempts_allowed=2,
        feedback=Quiz.Feedback.ANSWERS,
        shuffle_choices=False,
    )
    quiz = quizzes.quiz_save(course=course, data=data, by=author)
    for question in fixed:
        quizzes.quiz_rule_add(quiz=quiz, by=author, question=question)
    data.is_published = True
    quizzes.quiz_save(course=course, quiz=quiz, data=data, by=author)
    module = Module.objects.create(course=course, title_en="The Act", position=1)
    authoring.lesson_save(
        module=module,
        data=authoring.LessonInput(
            kind=Lesson.Kind.QUIZ, title_en="Check yourself", quiz_id=quiz.pk
        ),
        by=author,
    )
    enrolment_open_in_course(employee=learner_a, course=course, by=learner_a.user)
    return quiz


def test_an_employee_takes_a_quiz_reloads_half_way_and_passes(
    page: Page,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    shots: Path,
    learner_a: Employee,
    quiz: Quiz,
) -> None:
    log_in(page, learner_a.pen)
    lesson = Lesson.objects.get(quiz=quiz)

    page.goto(f"/learn/lessons/{lesson.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Take the quiz").click()
    expect(page.get_by_role("heading", name="Check yourself: the RTI Act")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()

    expect(page.locator("[data-countdown-text]")).to_contain_text("Time left: 29:5")
    with page.expect_response(lambda r: "/answers/" in r.url and r.status == 200):
        page.get_by_label("30 days").check()
    expect(page.locator("fieldset").nth(0).get_by_role("status")).to_contain_text("Saved at")
    with page.expect_response(lambda r: "/answers/" in r.url):
        page.get_by_label("Cabinet papers").check()
    with page.expect_response(lambda r: "/answers/" in r.url):
        page.get_by_label("False").check()
    assert_accessible(page)

    # The connection drops or the page reloads: every answer given is still there.
    page.reload()
    expect(page.get_by_label("30 days")).to_be_checked()
    expect(page.get_by_label("Cabinet papers")).to_be_checked()
    expect(page.get_by_label("False")).to_be_checked()
    expect(page.locator("[data-answered]")).to_have_text("3")

    with page.expect_response(lambda r: "/answers/" in r.url):
        page.get_by_label("Your answer (a number)").fill("10")
    with page.expect_response(lambda r: "/answers/" in r.url):
        page.get_by_label("Your answer", exact=True).fill("appellate authority")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=shots / "quiz-01-attempt.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    expect(page.get_by_text("5 of 5 points: 100%")).to_be_visible()
    expect(page.get_by_text("Section 7(1) of the Act: thirty days.")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=shots / "quiz-02-result.png", full_page=True)
    attempt = Attempt.objects.get(quiz=quiz)
    assert (attempt.status, attempt.passed) == ("graded", True)
    assert LessonProgress.objects.get(lesson=lesson).status == "completed"
    enrolment = Enrolment.objects.get(employee=learner_a)
    assert enrolment.status == Enrolment.Status.COMPLETED

    # The course is complete, so its certificate is issued: Anitha finds it, downloads
    # the PDF and copies the public link.
    page.get_by_role("navigation").get_by_role("link", name="My certificates").click()
    page.get_by_role("link", name="Right to Information for public information officers").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    shared = page.get_by_label("Public link to share", exact=False).input_value()
    page.screenshot(path=shots / "quiz-03-certificate.png", full_page=True)

    # A stranger, not signed in, opens the link: the credential verifies.
    page.get_by_role("button", name="Log out").click()
    assert shared.startswith(settings.SITE_URL + "/verify/")
    page.goto(urlsplit(shared).path)  # the test's server, not the configured site
    expect(page.get_by_role("heading", name="Genuine and valid")).to_be_visible()
    expect(page.get_by_text("Anitha K.").first).to_be_visible()
    expect(
        page.get_by_text("The signature is the institute's, and nothing was changed.")
    ).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=shots / "quiz-04-verified.png", full_page=True)
