"""Coordinators upload packages and preview them; nobody else sees them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Provider
from govtrain.people.models import Employee
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.services import package_import
from govtrain.scorm.tests.zips import upload

pytestmark = pytest.mark.django_db


def own_provider() -> Provider:
    """The institute the `coordinator` fixture coordinates."""
    return t.make_provider("IMG")


@pytest.fixture
def package(coordinator: Employee) -> Package:
    return package_import(
        upload=upload(samples.build("2004")),
        by=coordinator.user,
        provider=own_provider(),
    )


@pytest.fixture
def other_coordinator(office_b: object) -> Employee:
    employee = t.make_employee(office_b, name="Bindu R.")
    assert employee.user is not None
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee


def test_coordinator_uploads_a_package_for_their_institute(
    client: Client, coordinator: Employee
) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)
    zip_file = SimpleUploadedFile("rti.zip", samples.build("1.2"), "application/zip")

    response = client.post(
        reverse("scorm:package-list"),
        {"package": zip_file, "provider": own_provider().pk, "title": ""},
    )

    package = Package.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scorm:package-detail", args=[package.pk])
    assert package.provider == own_provider()
    assert package.uploaded_by == coordinator.user
    page = client.get(reverse("scorm:package-list"))
    assert "Right to Information: the basics (SCORM 1.2)" in page.content.decode()


def test_a_bad_upload_shows_why_and_stores_nothing(client: Client, coordinator: Employee) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)
    not_a_zip = SimpleUploadedFile("notes.zip", b"just text", "application/zip")

    response = client.post(
        reverse("scorm:package-list"),
        {"package": not_a_zip, "provider": own_provider().pk},
    )

    assert response.status_code == 400
    assert "The file is not a zip archive." in response.content.decode()
    assert Package.objects.count() == 0


def test_a_coordinator_cannot_upload_for_another_institute(
    client: Client, coordinator: Employee, other_coordinator: Employee
) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)
    zip_file = SimpleUploadedFile("rti.zip", samples.build("1.2"), "application/zip")

    response = client.post(
        reverse("scorm:package-list"),
        {"package": zip_file, "provider": t.make_provider("KILA").pk},
    )

    assert response.status_code == 400
    assert Package.objects.count() == 0


def test_the_detail_page_lists_the_scos_and_frames_the_content_origin(
    client: Client, coordinator: Employee, package: Package
) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)

    response = client.get(
        reverse("scorm:package-detail", args=[package.pk]), HTTP_HOST="127.0.0.1:8000"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'src="http://localhost:8000/scorm-content/' in body
    assert 'title="Lesson content: Right to Information: the basics"' in body
    assert "frame-src 'self' http://localhost:8000" in response["Content-Security-Policy"]
    config = response.context["player"]
    assert config["commit_url"] == reverse("scorm:package-preview", args=[package.pk])
    assert config["initial"]["scaled_passing_score"] == "0.66"


def test_a_learner_and_another_institutes_coordinator_get_404(
    client: Client, learner_a: Employee, other_coordinator: Employee, package: Package
) -> None:
    for user in (learner_a.user, other_coordinator.user):
        assert user is not None
        client.force_login(user)

        detail = client.get(reverse("scorm:package-detail", args=[package.pk]))
        preview = client.post(
            reverse("scorm:package-preview", args=[package.pk]),
            data="{}",
            content_type="application/json",
        )

        assert (detail.status_code, preview.status_code) == (404, 404)
    client.force_login(learner_a.user)
    assert client.get(reverse("scorm:package-list")).status_code == 404


def test_another_institutes_coordinator_does_not_see_the_package_in_the_list(
    client: Client, other_coordinator: Employee, package: Package
) -> None:
    client.force_login(other_coordinator.user)

    response = client.get(reverse("scorm:package-list"))

    assert response.status_code == 200
    assert package.title not in response.content.decode()


def test_the_state_administrator_sees_every_package(
    client: Client, admin: User, package: Package
) -> None:
    client.force_login(admin)

    response = client.get(reverse("scorm:package-detail", args=[package.pk]))

    assert response.status_code == 200


def test_a_preview_commit_is_summarised_and_not_stored(
    client: Client, coordinator: Employee, package: Package
) -> None:
    client.force_login(coordinator.user)
    body = {
        "version": "2004",
        "sco": "item_rti",
        "attempt": "preview",
        "sequence": 1,
        "finished": True,
        "cmi": {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.6667"},
            "total_time": "PT2M",
        },
    }

    response = client.post(
        reverse("scorm:package-preview", args=[package.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert answer["message"] == "Preview (nothing is recorded): completed, passed, score 67 %."
    assert answer["summary"]["total_seconds"] == 120


def test_a_preview_commit_with_nonsense_gets_the_reason(
    client: Client, coordinator: Employee, package: Package
) -> None:
    client.force_login(coordinator.user)

    response = client.post(
        reverse("scorm:package-preview", args=[package.pk]),
        data=json.dumps({"cmi": {"success_status": "great"}}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "cmi.success_status" in response.json()["message"]


@pytest.mark.django_db(transaction=True)
def test_coordinator_removes_an_unused_package_and_its_files(
    client: Client, coordinator: Employee, package: Package
) -> None:
    client.force_login(coordinator.user)
    prefix = package.storage_prefix

    response = client.post(reverse("scorm:package-delete", args=[package.pk]))

    assert response.status_code == 302
    assert not Package.objects.exists()
    assert not default_storage.exists(f"{prefix}/imsmanifest.xml")
    assert AuditEvent.objects.filter(action="scorm.package_deleted").count() == 1


def test_another_institutes_coordinator_cannot_remove_a_package(
    client: Client, other_coordinator: Employee, package: Package
) -> None:
    client.force_login(other_coordinator.user)

    response = client.post(reverse("scorm:package-delete", args=[package.pk]))

    assert response.status_code == 404
    assert Package.objects.filter(pk=package.pk).exists()


def test_the_list_costs_the_same_queries_for_one_package_or_many(
    client: Client, coordinator: Employee, package: Package, django_assert_num_queries: Any
) -> None:
    client.force_login(coordinator.user)
    client.get(reverse("scorm:package-list"))  # warm the per-user caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("scorm:package-list"))
    for _ in range(3):
        package_import(
            upload=upload(samples.build("1.2")), by=coordinator.user, provider=own_provider()
        )

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("scorm:package-list"))

    assert response.content.decode().count("/scorm/packages/") >= 4
