"""The cast of external-course tests: a university that offers a paid MOOC, its
coordinator (who works in Department B's office), and sample certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.catalog.models import Course, Provider
from govtrain.organisation.models import Office
from govtrain.people.models import Employee

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\0" * 40 + b"\xff\xd9"


def upload(content: bytes = PDF, name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files() -> list[Path]:
    """Every file in the (per-test) media folder."""
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def last_week() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=7)


@pytest.fixture
def university(db: None) -> Provider:
    return Provider.objects.create(
        code="UNIX", name_en="A University's Online Programme", kind=Provider.Kind.UNIVERSITY
    )


@pytest.fixture
def mooc(university: Provider) -> Course:
    return t.make_course(
        "UNIX-PP101",
        provider=university,
        title_en="Public Policy Analysis",
        modality=Course.Modality.EXTERNAL,
        hours=Decimal("30"),
        fee=Decimal("100"),
        fee_currency=Course.Currency.USD,
        languages=["en"],
    )


@pytest.fixture
def verifier(office_b: Office, university: Provider) -> Employee:
    """A coordinator of the university (the one who may verify its courses)."""
    employee = t.make_employee(office_b, name="Lekha N.")
    t.grant(employee.user, Role.COORDINATOR, provider=university)
    return employee
