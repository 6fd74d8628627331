"""Lesson uploads: a file only on the kind of lesson that shows it, checked by content,
and stored under a random name with the extension of the type found."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain.accounts.models import User
from govtrain.learning.models import Lesson, Module
from govtrain.learning.services import authoring
from govtrain.learning.tests.uploads import (
    MP4,
    PDF,
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


def test_a_file_on_a_lesson_of_another_kind_is_refused_and_nothing_stored(
    author: User, basics: Module
) -> None:
    data = authoring.LessonInput(
        kind=Lesson.Kind.PAGE,
        title_en="Intro",
        body_source="hi",
        video_file=upload("x.js", b"alert(document.cookie)", "text/javascript"),
        document=upload("x.html", b"<script src='X'></script>", "text/html"),
    )

    with pytest.raises(ValidationError) as error:
        authoring.lesson_save(module=basics, data=data, by=author)

    assert error.value.message_dict == {
        "video_file": [
            "Only a video lesson takes a video file: choose the kind Video or leave it out."
        ],
        "document": [
            "Only a document lesson takes a document: choose the kind Document or leave it out."
        ],
    }
    assert not Lesson.objects.exists()
    assert stored_files() == []


def test_a_video_file_is_refused_on_a_document_lesson_even_when_it_is_a_video(
    author: User, basics: Module
) -> None:
    data = document_input()
    data.video_file = upload("tour.mp4", MP4)

    with pytest.raises(ValidationError, match="Only a video lesson takes a video file"):
        authoring.lesson_save(module=basics, data=data, by=author)

    assert stored_files() == []


def test_the_lesson_form_refuses_a_file_the_kind_does_not_show(
    client: Client, coordinator: Employee, basics: Module
) -> None:
    login(client, coordinator)

    response = client.post(
        reverse("learning:lesson-create", args=[basics.pk]),
        {
            "kind": "page",
            "title_en": "Intro",
            "body_source": "Read this.",
            "min_seconds": "0",
            "min_watched_percent": "0",
            "document": upload("notes.pdf", PDF),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["document"] == [
        "Only a document lesson takes a document: choose the kind Document or leave it out."
    ]
    assert not Lesson.objects.exists()
    assert stored_files() == []


def test_the_api_refuses_a_file_the_kind_does_not_show(
    coordinator: Employee, basics: Module
) -> None:
    api = APIClient()
    api.force_authenticate(coordinator.user)

    response = api.post(
        reverse("v1:learning-authoring-lessons", args=[basics.pk]),
        {
            "kind": "link",
            "title_en": "Manual",
            "link_url": "https://example.org/m",
            "video_file": upload("x.js", b"alert(1)"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {
        "video_file": [
            "Only a video lesson takes a video file: choose the kind Video or leave it out."
        ]
    }
    assert not Lesson.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "content",
    [
        b"1;//ftyp\nalert(document.domain)\n",  # JavaScript with "ftyp" at bytes 4 to 8
        b"\x00\x00\x10\x00ftypmp42" + bytes(100),  # a first box larger than the file
        b"\x00\x00\x00\x04ftypmp42" + bytes(100),  # a first box smaller than its header
        b"\x00\x00\x00\x18ftyp\x00\x01\x02\x03" + bytes(100),  # a brand that is not text
        b"\x1a\x45\xdf\xa3<script>alert(1)</script>",  # EBML's signature, no WebM header
        b"\x1a\x45\xdf\xa3\x8b\x42\x82\x88matroska" + bytes(100),  # Matroska, not WebM
    ],
)
def test_content_that_only_looks_like_a_video_is_refused(
    author: User, basics: Module, content: bytes
) -> None:
    with pytest.raises(ValidationError) as error:
        authoring.lesson_save(module=basics, data=video_input(content), by=author)

    assert error.value.message_dict == {"video_file": ["The video must be an MP4 or WebM file."]}
    assert stored_files() == []


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<h1>Session expired</h1><form action=//evil.example>",  # no %%EOF
        b"<html>%PDF-1.4\n%%EOF",  # the header not at the start
    ],
)
def test_a_document_that_is_not_a_whole_pdf_is_refused(
    author: User, basics: Module, content: bytes
) -> None:
    with pytest.raises(ValidationError) as error:
        authoring.lesson_save(module=basics, data=document_input(content, "notes.html"), by=author)

    assert error.value.message_dict == {"document": ["The document is not a PDF file."]}
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "video_type", "extension"),
    [(MP4, "video/mp4", "mp4"), (WEBM, "video/webm", "webm")],
)
def test_a_video_is_stored_under_a_random_name_with_the_type_found(
    author: User, basics: Module, content: bytes, video_type: str, extension: str
) -> None:
    # The author's name and the browser's claim count for nothing.
    data = video_input(content, name="tour.html")

    lesson = authoring.lesson_save(module=basics, data=data, by=author)

    assert lesson.video_type == video_type
    pattern = rf"learning/video/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}"
    assert re.fullmatch(pattern, lesson.video_file.name)


def test_captions_are_stored_under_a_random_name(author: User, video: Lesson) -> None:
    track = authoring.caption_add(
        lesson=video, language="ml", file=upload("<b>.html", VTT), by=author
    )

    assert re.fullmatch(r"learning/captions/\d{4}/\d{2}/[0-9a-f]{32}\.vtt", track.file.name)
