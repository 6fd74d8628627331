"""Completion evidence is checked one rule at a time; a refused upload stores nothing: no
file, no submission, no enrolment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from govtrain.catalog.models import Course
from govtrain.external import services
from govtrain.external.models import Evidence
from govtrain.external.tests.conftest import JPEG, PDF, PNG, last_week, stored_files, upload
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


def _submit(employee: Any, course: Course, **changes: Any) -> Evidence:
    fields: dict[str, Any] = {"upload": upload(), "completed_on": last_week()} | changes
    return services.evidence_submit(course=course, by=employee.user, **fields)


def _nothing_stored() -> None:
    assert not Evidence.objects.exists()
    assert not Enrolment.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_a_certificate_is_known_by_its_content_not_its_name(learner_a, mooc, content, kind):
    evidence = _submit(learner_a, mooc, upload=upload(content, name="certificate.txt"))

    assert evidence.content_type == kind
    assert evidence.size == len(content)
    assert evidence.original_name == "certificate.txt"
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[kind]
    assert evidence.download_name == f"certificate.{extension}"
    [stored] = stored_files()
    assert stored.read_bytes() == content
    assert "certificate" not in stored.name  # never the employee's own file name
    assert Enrolment.objects.get(employee=learner_a, course=mooc).status == "enrolled"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "certificate.pdf", "The file is empty."),
        (b"<html><script>alert(1)</script></html>", "certificate.pdf", "none of them"),
        (b"MZ\x90\x00\x03" + b"\0" * 100, "certificate.png", "none of them"),
        (b"GIF89a" + b"\0" * 40, "certificate.jpg", "none of them"),
        (b"PK\x03\x04" + b"\0" * 40, "certificate.pdf", "none of them"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "certificate.png", "none of them"),
        (PDF[:-7], "certificate.pdf", "The PDF is incomplete"),
    ],
    ids=["empty", "html", "executable", "gif", "zip", "png-without-header", "cut-off-pdf"],
)
def test_anything_but_a_pdf_png_or_jpeg_is_refused(learner_a, mooc, content, name, message):
    with pytest.raises(ValidationError, match=message):
        _submit(learner_a, mooc, upload=upload(content, name))

    _nothing_stored()


def test_a_file_over_the_size_limit_is_refused(settings, learner_a, mooc) -> None:
    settings.EXTERNAL_EVIDENCE_MAX_MB = 1
    big = PDF[:-6] + b"\0" * (1024 * 1024) + b"%%EOF\n"

    with pytest.raises(ValidationError, match="the largest accepted is 1 MB"):
        _submit(learner_a, mooc, upload=upload(big))

    _nothing_stored()


def test_a_completion_date_in_the_future_is_refused(learner_a, mooc) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError, match="cannot be in the future"):
        _submit(learner_a, mooc, completed_on=tomorrow)

    _nothing_stored()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/c.pdf", "not a link"])
def test_a_certificate_link_must_be_a_web_address(learner_a, mooc, link) -> None:
    with pytest.raises(ValidationError, match="web address"):
        _submit(learner_a, mooc, certificate_url=link)

    _nothing_stored()


def test_a_certificate_number_longer_than_100_characters_is_refused(learner_a, mooc) -> None:
    with pytest.raises(ValidationError, match="too long"):
        _submit(learner_a, mooc, certificate_id="X" * 101)

    _nothing_stored()


def test_only_external_published_courses_take_evidence(learner_a, mooc) -> None:
    from govtrain import testing as t

    classroom = t.make_course("IMG-RTI")
    with pytest.raises(ValidationError, match="not an external course"):
        _submit(learner_a, classroom)
    mooc.is_published = False
    mooc.save()
    with pytest.raises(ValidationError, match="not open in the catalog"):
        _submit(learner_a, mooc)

    _nothing_stored()


def test_a_user_who_is_not_an_employee_cannot_submit(admin, mooc) -> None:
    with pytest.raises(PermissionDenied):
        services.evidence_submit(course=mooc, by=admin, upload=upload(), completed_on=last_week())

    _nothing_stored()


def test_a_second_submission_waits_for_the_decision_on_the_first(learner_a, mooc) -> None:
    first = _submit(learner_a, mooc)

    with pytest.raises(ValidationError, match="already awaiting verification"):
        _submit(learner_a, mooc, upload=upload(PNG, "again.png"))

    assert list(Evidence.objects.all()) == [first]
    assert len(stored_files()) == 1


def test_the_upload_page_shows_the_reason_and_keeps_nothing(client, learner_a, mooc) -> None:
    client.force_login(learner_a.user)

    response = client.post(
        reverse("external:evidence-submit", args=[mooc.code]),
        {"file": upload(b"%!PS-Adobe-3.0\n", "cert.pdf"), "completed_on": "2026-01-05"},
    )

    assert response.status_code == 200
    assert "PDF, PNG or JPEG" in response.content.decode()
    _nothing_stored()


def test_the_upload_page_asks_for_a_file_and_a_date(client, learner_a, mooc) -> None:
    client.force_login(learner_a.user)

    response = client.post(reverse("external:evidence-submit", args=[mooc.code]), {})

    assert set(response.context["form"].errors) == {"file", "completed_on"}
    _nothing_stored()
