"""Lesson files served: to the course's people only, the file of the lesson's kind only,
with the type found in a sandbox; and deleted once no lesson uses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from govtrain.accounts.models import User
from govtrain.learning.models import CaptionTrack, Lesson, Module
from govtrain.learning.services import authoring
from govtrain.learning.tests.uploads import (
    MP4,
    PDF,
    SANDBOXED,
    VTT,
    WEBM,
    document_input,
    login,
    stored_files,
    upload,
    video_input,
)
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db


def test_a_video_is_served_as_the_type_found_in_a_sandbox(
    enrolled: Client, author: User, basics: Module
) -> None:
    lesson = authoring.lesson_save(module=basics, data=video_input(WEBM, "x.js"), by=author)
    url = reverse("learning:lesson-file", args=[lesson.pk, "video"])

    whole = enrolled.get(url)
    part = enrolled.get(url, headers={"Range": "bytes=0-3"})

    for response in (whole, part):
        assert response["Content-Type"] == "video/webm"
        assert {name: response[name] for name in SANDBOXED} == SANDBOXED
    assert "attachment" not in whole["Content-Disposition"]
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == WEBM[:4]  # type: ignore[attr-defined]


def test_a_document_is_a_pdf_download_in_a_sandbox(
    enrolled: Client, author: User, basics: Module
) -> None:
    lesson = authoring.lesson_save(module=basics, data=document_input(name="notes.html"), by=author)

    response = enrolled.get(reverse("learning:lesson-file", args=[lesson.pk, "document"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="office-notes.pdf"'
    assert {name: response[name] for name in SANDBOXED} == SANDBOXED
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_captions_are_served_as_webvtt_in_a_sandbox(
    enrolled: Client, author: User, video: Lesson
) -> None:
    authoring.caption_add(lesson=video, language="en", file=upload("en.vtt", VTT), by=author)

    response = enrolled.get(reverse("learning:caption-file", args=[video.pk, "en"]))

    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert {name: response[name] for name in SANDBOXED} == SANDBOXED


def test_only_the_file_of_the_lessons_kind_is_served(
    enrolled: Client, author: User, basics: Module, page: Lesson
) -> None:
    # Written past the services, as a file of the old code would be.
    page.video_type = Lesson.VideoType.MP4
    page.video_file.save("x.mp4", upload("x.mp4", MP4), save=False)
    page.document.save("x.pdf", upload("x.pdf", PDF))
    CaptionTrack.objects.create(lesson=page, language="en", file=page.document.name)

    for kind in ("video", "document"):
        url = reverse("learning:lesson-file", args=[page.pk, kind])
        assert enrolled.get(url).status_code == 404
    assert enrolled.get(reverse("learning:caption-file", args=[page.pk, "en"])).status_code == 404


def test_lesson_and_caption_files_are_404_to_another_providers_coordinator_and_the_unenrolled(
    client: Client,
    author: User,
    other_coordinator: Employee,
    learner_b: Employee,
    basics: Module,
    video: Lesson,
) -> None:
    document = authoring.lesson_save(module=basics, data=document_input(), by=author)
    authoring.lesson_save(module=basics, lesson=video, data=video_input(), by=author)
    authoring.caption_add(lesson=video, language="en", file=upload("en.vtt", VTT), by=author)
    urls = [
        reverse("learning:lesson-file", args=[video.pk, "video"]),
        reverse("learning:lesson-file", args=[document.pk, "document"]),
        reverse("learning:caption-file", args=[video.pk, "en"]),
    ]

    for employee in (other_coordinator, learner_b):
        visitor = login(Client(), employee)
        assert [visitor.get(url).status_code for url in urls] == [404, 404, 404]
    # The course's own coordinator gets them.
    owner = Client()
    owner.force_login(author)
    assert [owner.get(url).status_code for url in urls] == [200, 200, 200]


def test_a_replaced_video_is_no_longer_served_and_deleted_after_commit(
    enrolled: Client, author: User, basics: Module, django_capture_on_commit_callbacks: Any
) -> None:
    lesson = authoring.lesson_save(module=basics, data=video_input(MP4), by=author)
    old = lesson.video_file.name

    with django_capture_on_commit_callbacks() as callbacks:
        lesson = authoring.lesson_save(
            module=basics, lesson=lesson, data=video_input(WEBM), by=author
        )
    assert default_storage.exists(old)  # until the change is committed
    for callback in callbacks:
        callback()

    assert not default_storage.exists(old)
    assert stored_files() == [lesson.video_file.name]
    response = enrolled.get(reverse("learning:lesson-file", args=[lesson.pk, "video"]))
    assert response["Content-Type"] == "video/webm"
    assert b"".join(response.streaming_content) == WEBM  # type: ignore[attr-defined]


def test_a_video_lesson_made_a_page_keeps_and_serves_none_of_its_files(
    enrolled: Client, author: User, basics: Module, django_capture_on_commit_callbacks: Any
) -> None:
    lesson = authoring.lesson_save(module=basics, data=video_input(), by=author)
    authoring.caption_add(lesson=lesson, language="en", file=upload("en.vtt", VTT), by=author)
    page = authoring.LessonInput(kind=Lesson.Kind.PAGE, title_en="A tour", body_source="Text.")

    with django_capture_on_commit_callbacks(execute=True):
        lesson = authoring.lesson_save(module=basics, lesson=lesson, data=page, by=author)

    lesson.refresh_from_db()
    assert (lesson.video_file.name, lesson.video_type) == ("", "")
    assert not CaptionTrack.objects.exists()
    assert stored_files() == []
    assert (
        enrolled.get(reverse("learning:lesson-file", args=[lesson.pk, "video"])).status_code == 404
    )
    captions = reverse("learning:caption-file", args=[lesson.pk, "en"])
    assert enrolled.get(captions).status_code == 404


def test_deleting_a_lesson_deletes_its_files_after_commit(
    author: User, basics: Module, django_capture_on_commit_callbacks: Any
) -> None:
    lesson = authoring.lesson_save(module=basics, data=video_input(), by=author)
    authoring.caption_add(lesson=lesson, language="en", file=upload("en.vtt", VTT), by=author)
    document = authoring.lesson_save(module=basics, data=document_input(), by=author)
    assert len(stored_files()) == 3

    with django_capture_on_commit_callbacks() as callbacks:
        authoring.lesson_delete(lesson=lesson, by=author)
    assert len(stored_files()) == 3  # until the deletion is committed
    for callback in callbacks:
        callback()

    assert stored_files() == [document.document.name]


def test_deleting_a_module_deletes_its_lessons_files_after_commit(
    author: User, basics: Module, django_capture_on_commit_callbacks: Any
) -> None:
    authoring.lesson_save(module=basics, data=document_input(), by=author)

    with django_capture_on_commit_callbacks(execute=True):
        authoring.module_delete(module=basics, by=author)

    assert stored_files() == []


def test_replaced_captions_delete_the_old_file_after_commit(
    author: User, video: Lesson, django_capture_on_commit_callbacks: Any
) -> None:
    first = authoring.caption_add(lesson=video, language="en", file=upload("a.vtt", VTT), by=author)
    old = first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        track = authoring.caption_add(
            lesson=video, language="en", file=upload("b.vtt", VTT), by=author
        )

    assert track.pk == first.pk
    assert stored_files() == [track.file.name]
    assert track.file.name != old
