import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning.models import CaptionTrack, Lesson, Module
from govtrain.learning.services import authoring
from govtrain.learning.services.content import render_markdown
from govtrain.organisation.models import Office
from govtrain.people.models import Employee

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_input(title: str = "Filing a note", **fields: object) -> authoring.LessonInput:
    values: dict[str, object] = {
        "kind": Lesson.Kind.PAGE,
        "title_en": title,
        "body_source": "## Notes\n\nWrite *clearly*.",
        "min_seconds": 120,
    }
    values.update(fields)
    return authoring.LessonInput(**values)


def test_coordinator_builds_a_module_and_a_page_lesson_audited(
    coordinator: Employee, online_course: Course
) -> None:
    assert coordinator.user is not None
    module = authoring.module_create(
        course=online_course, title_en="Basics", title_ml="അടിസ്ഥാനം", by=coordinator.user
    )
    lesson = authoring.lesson_save(module=module, data=page_input(), by=coordinator.user)

    assert (module.position, lesson.position) == (1, 1)
    assert lesson.body_html == "<h2>Notes</h2>\n<p>Write <em>clearly</em>.</p>\n"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"learning.module_created", "learning.lesson_created"} <= actions


def test_a_page_keeps_no_script_handler_or_javascript_link() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\n<p onclick="x()">Hi</p>\n\n[x](javascript:alert(1))'
        ' <a href="javascript:alert(2)">y</a>\n\n'
        '<img src="https://e.org/a.png" onerror="y()" alt="a">'
    )

    assert "<script" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert '<img src="https://e.org/a.png" alt="a">' in html


def test_an_employee_cannot_author(learner_a: Employee, online_course: Course) -> None:
    assert learner_a.user is not None
    with pytest.raises(PermissionDenied):
        authoring.module_create(course=online_course, title_en="Mine", by=learner_a.user)

    assert not Module.objects.exists()


def test_a_coordinator_of_another_provider_cannot_author(
    online_course: Course, office_a: Office
) -> None:
    other = t.make_employee(office_a, name="Other Coordinator")
    assert other.user is not None
    t.grant(other.user, Role.COORDINATOR, provider=t.make_provider("KILA"))

    with pytest.raises(PermissionDenied):
        authoring.module_create(course=online_course, title_en="Mine", by=other.user)


def test_the_state_administrator_authors_any_provider(admin: User, online_course: Course) -> None:
    module = authoring.module_create(course=online_course, title_en="Basics", by=admin)

    assert module.course == online_course


def test_a_classroom_course_has_no_lessons(coordinator: Employee) -> None:
    assert coordinator.user is not None
    course = t.make_course("IMG-RTI")

    with pytest.raises(ValidationError, match="online and blended"):
        authoring.module_create(course=course, title_en="Basics", by=coordinator.user)


def test_modules_and_lessons_move_up_and_down(
    coordinator: Employee, basics: Module, filing: Module, page: Lesson, video: Lesson
) -> None:
    assert coordinator.user is not None
    authoring.module_move(module=filing, direction="up", by=coordinator.user)
    authoring.lesson_move(lesson=page, direction="down", by=coordinator.user)
    authoring.lesson_move(lesson=page, direction="down", by=coordinator.user)  # at the end

    assert list(Module.objects.order_by("position").values_list("title_en", flat=True)) == [
        "Filing",
        "Basics",
    ]
    assert list(basics.lessons.order_by("position").values_list("pk", flat=True)) == [
        video.pk,
        page.pk,
    ]
    assert AuditEvent.objects.filter(action="learning.lesson_moved").count() == 1


def test_a_document_that_is_not_a_pdf_is_refused_and_nothing_stored(
    coordinator: Employee, basics: Module
) -> None:
    assert coordinator.user is not None
    fake = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    data = authoring.LessonInput(kind=Lesson.Kind.DOCUMENT, title_en="Notes", document=fake)

    with pytest.raises(ValidationError) as error:
        authoring.lesson_save(module=basics, data=data, by=coordinator.user)

    assert error.value.message_dict == {"document": ["The document is not a PDF file."]}
    assert not Lesson.objects.exists()


def test_a_pdf_document_is_stored(coordinator: Employee, basics: Module) -> None:
    assert coordinator.user is not None
    data = authoring.LessonInput(
        kind=Lesson.Kind.DOCUMENT,
        title_en="Notes",
        document=SimpleUploadedFile("notes.pdf", PDF, "application/pdf"),
    )

    lesson = authoring.lesson_save(module=basics, data=data, by=coordinator.user)

    # Under a random name with the extension of what it is, never the author's name.
    assert re.fullmatch(r"learning/documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", lesson.document.name)
    assert lesson.document.read() == PDF


def test_a_document_over_the_size_limit_is_refused(
    coordinator: Employee, basics: Module, settings: object
) -> None:
    assert coordinator.user is not None
    settings.LEARNING_MAX_DOCUMENT_MB = 1  # type: ignore[attr-defined]  # pytest-django settings
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    data = authoring.LessonInput(kind=Lesson.Kind.DOCUMENT, title_en="Big", document=big)

    with pytest.raises(ValidationError, match="larger than the 1 MB"):
        authoring.lesson_save(module=basics, data=data, by=coordinator.user)


def test_captions_must_be_webvtt(coordinator: Employee, video: Lesson) -> None:
    assert coordinator.user is not None
    srt = SimpleUploadedFile("en.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHello\n")
    vtt = SimpleUploadedFile("ml.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nനമസ്കാരം\n".encode())

    with pytest.raises(ValidationError, match="WebVTT"):
        authoring.caption_add(lesson=video, language="en", file=srt, by=coordinator.user)
    authoring.caption_add(lesson=video, language="ml", file=vtt, by=coordinator.user)

    assert list(CaptionTrack.objects.values_list("language", flat=True)) == ["ml"]


def test_a_started_lesson_cannot_be_removed(
    coordinator: Employee, learner_a: Employee, online_course: Course, page: Lesson
) -> None:
    from govtrain.learning.services import progress

    assert coordinator.user is not None
    assert learner_a.user is not None
    enrolment = progress.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)
    progress.lesson_open(enrolment=enrolment, lesson=page)

    with pytest.raises(ValidationError, match="started"):
        authoring.lesson_delete(lesson=page, by=coordinator.user)
