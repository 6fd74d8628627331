"""Lesson files for the tests: small files of each kind, and what storage holds."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govtrain.learning.models import Lesson
from govtrain.learning.services import authoring
from govtrain.people.models import Employee

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# An ISO base media file's first box: size 24, "ftyp", major brand "mp42".
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(1000)
# An EBML header (31 bytes) whose DocType is "webm", as ffmpeg writes it.
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + bytes(1000)
)
VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\nനമസ്കാരം\n".encode()
SANDBOXED = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private",
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type)


def video_input(content: bytes = MP4, name: str = "tour.mp4") -> authoring.LessonInput:
    return authoring.LessonInput(
        kind=Lesson.Kind.VIDEO,
        title_en="A tour",
        video_seconds=300,
        video_file=upload(name, content),
    )


def document_input(content: bytes = PDF, name: str = "notes.pdf") -> authoring.LessonInput:
    return authoring.LessonInput(
        kind=Lesson.Kind.DOCUMENT, title_en="Office notes", document=upload(name, content)
    )


def stored_files() -> list[str]:
    found: list[str] = []

    def walk(folder: str) -> None:
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for name in folders:
            walk(f"{folder}/{name}")

    if default_storage.exists("learning"):
        walk("learning")
    return found


def login(client: Client, employee: Employee) -> Client:
    assert employee.user is not None
    client.force_login(employee.user)
    return client
