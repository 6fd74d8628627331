"""An online course in a real browser: Anitha enrols, reads a page lesson for its minimum
time, is refused when she skips a video, plays a SCORM 2004 package to the end, and finds
the course completed with its hours on her training record."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from govtrain import testing as t
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.learning.services import authoring
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open_in_course
from govtrain.scorm import samples
from govtrain.scorm.services import package_import

pytestmark = pytest.mark.browser

# The start of an MP4 file: enough for the player to try, nothing to play.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
# A whole PDF by its header and end marker that is HTML with a script too.
PDF_AND_HTML = b"%PDF-1.4\n<script>window.pwned = document.location.origin</script>\n%%EOF\n"


@pytest.fixture
def course(db: None, settings: Any) -> Course:
    # Heartbeats every second, so that the page lesson's minimum time passes quickly.
    settings.LEARNING_HEARTBEAT_SECONDS = 1
    course = t.make_course(
        "IMG-EOFF",
        title_en="e-Office for section officers",
        modality=Course.Modality.ONLINE,
        hours=Decimal("4"),
    )
    basics = Module.objects.create(course=course, title_en="Basics", position=1)
    Lesson.objects.create(
        module=basics,
        position=1,
        kind=Lesson.Kind.PAGE,
        title_en="What e-office is",
        body_html="<p>Files move as electronic notes, not paper.</p>",
        body_source="Files move as electronic notes, not paper.",
        min_seconds=2,
    )
    video = Lesson(
        module=basics,
        position=2,
        kind=Lesson.Kind.VIDEO,
        title_en="A tour of the screens",
        is_required=False,
        video_seconds=120,
        min_watched_percent=80,
        video_type=Lesson.VideoType.MP4,
    )
    video.video_file.save("tour.mp4", ContentFile(MP4_HEAD), save=False)
    video.save()
    quiz = Module.objects.create(course=course, title_en="Check yourself", position=2)
    package = package_import(
        upload=io.BytesIO(samples.build("2004")), by=None, provider=course.provider
    )
    Lesson.objects.create(
        module=quiz, position=1, kind=Lesson.Kind.SCORM, title_en="RTI quiz", package=package
    )
    return course


def test_an_employee_completes_an_online_course_with_a_scorm_package(
    page: Page,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    shots: Path,
    learner_a: Employee,
    course: Course,
) -> None:
    log_in(page, learner_a.pen)

    page.goto(f"/learn/courses/{course.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Enrol in this course").click()
    page.get_by_role("link", name="Start: What e-office is").click()
    expect(page.get_by_text("Files move as electronic notes, not paper.")).to_be_visible()
    assert_accessible(page)
    # The heartbeats count the time on the page; the server decides when it is enough.
    expect(page.get_by_text("Spend at least")).to_be_hidden(timeout=10_000)
    page.get_by_role("button", name="Mark as done").click()

    expect(page.get_by_role("heading", name="A tour of the screens")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Watch at least 80% of the video; 0% so far.").first).to_be_visible()
    page.screenshot(path=shots / "learning-01-video-refused.png", full_page=True)
    page.get_by_role("link", name="RTI quiz →").click()

    sco = page.frame_locator("iframe.scorm-player-frame").frame_locator("iframe.scorm-sco-frame")
    expect(sco.get_by_role("heading", name="What the Act gives every citizen")).to_be_visible()
    assert_accessible(page)
    sco.get_by_role("button", name="Next: a short quiz").click()
    sco.get_by_label("30 days").check()
    sco.get_by_label("No").check()
    sco.get_by_label("48 hours").check()
    sco.get_by_role("button", name="Submit answers").click()
    sco.get_by_role("button", name="Finish the lesson").click()
    expect(page.locator("[data-scorm-status]")).to_have_text(
        "You have finished this lesson. Your progress is saved.", timeout=15_000
    )

    page.screenshot(path=shots / "learning-02-scorm-finished.png", full_page=True)
    page.goto(f"/learn/courses/{course.pk}/")
    page.screenshot(path=shots / "learning-03-course-completed.png", full_page=True)
    page.goto("/records/mine/")
    record = page.get_by_role("table")
    expect(record.get_by_role("cell", name="e-Office for section officers")).to_be_visible()
    expect(record.get_by_role("cell", name="4.0")).to_be_visible()
    assert_accessible(page)
    enrolment = Enrolment.objects.get(employee=learner_a, course=course)
    assert enrolment.status == Enrolment.Status.COMPLETED
    video = LessonProgress.objects.get(lesson__kind=Lesson.Kind.VIDEO)
    assert video.status == LessonProgress.Status.STARTED


def test_a_coordinator_reorders_the_outline_in_place(
    page: Page,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    shots: Path,
    coordinator: Employee,
    course: Course,
) -> None:
    log_in(page, coordinator.pen)

    page.goto(f"/learn/author/courses/{course.pk}/")
    assert_accessible(page)
    page.get_by_label("Title (English)").fill("Wrapping up")
    page.get_by_role("button", name="Add module").click()
    expect(page.get_by_role("heading", name="3. Wrapping up")).to_be_visible()
    with page.expect_request(lambda request: request.url.endswith("/move/")) as sent:
        page.get_by_role("button", name="Move up Wrapping up").click()
    assert sent.value.headers.get("hx-request") == "true"
    # Keyboard focus follows the module to its new place.
    expect(page.get_by_role("button", name="Move up Wrapping up")).to_be_focused()

    # htmx swapped the outline in place: the new order, without a page load.
    expect(page.get_by_role("heading", name="2. Wrapping up")).to_be_visible()
    expect(page.get_by_role("heading", name="3. Check yourself")).to_be_visible()
    page.screenshot(path=shots / "learning-04-outline.png", full_page=True)
    assert_accessible(page)
    titles = list(Module.objects.filter(course=course).values_list("title_en", flat=True))
    assert titles == ["Basics", "Wrapping up", "Check yourself"]


def test_a_document_is_downloaded_and_never_opened_on_the_platform(
    page: Page,
    log_in: Callable[..., None],
    learner_a: Employee,
    coordinator: Employee,
    course: Course,
) -> None:
    assert coordinator.user is not None
    notes = authoring.lesson_save(
        module=Module.objects.get(course=course, position=1),
        by=coordinator.user,
        data=authoring.LessonInput(
            kind=Lesson.Kind.DOCUMENT,
            title_en="Office notes",
            is_required=False,
            document=SimpleUploadedFile("notes.html", PDF_AND_HTML, "text/html"),
        ),
    )
    enrolment_open_in_course(employee=learner_a, course=course, by=learner_a.user)
    log_in(page, learner_a.pen)

    page.goto(f"/learn/lessons/{notes.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the document (PDF)").click()

    # A download under the lesson's name, whatever the author's file was called: the
    # browser shows nothing of it on the platform's origin, so its script cannot run.
    assert download.value.suggested_filename == "office-notes.pdf"
    assert page.evaluate("() => window.pwned") is None
    expect(page.get_by_role("heading", name="Office notes")).to_be_visible()
