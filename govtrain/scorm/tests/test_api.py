"""Coordinators upload and list SCORM packages over the API, within their institutes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.people.models import Employee
from govtrain.scorm import samples
from govtrain.scorm.models import Package

pytestmark = pytest.mark.django_db
URL = "/api/v1/scorm/packages/"


def api_as(user: User | None) -> APIClient:
    client = APIClient()
    assert user is not None
    client.force_authenticate(user)
    return client


def zip_upload(version: str = "2004") -> SimpleUploadedFile:
    return SimpleUploadedFile("package.zip", samples.build(version), "application/zip")


def test_coordinator_uploads_a_package_and_gets_its_scos(coordinator: Employee) -> None:
    response = api_as(coordinator.user).post(
        URL, {"package": zip_upload(), "provider": "IMG"}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == "2004"
    assert body["provider"] == "IMG"
    assert [sco["identifier"] for sco in body["scos"]] == ["item_rti"]
    assert body["scos"][0]["href"] == "sco/index.html?lang=en"


def test_a_bad_package_gets_400_with_the_reason_and_nothing_is_stored(
    coordinator: Employee,
) -> None:
    bad = SimpleUploadedFile("package.zip", b"no zip here", "application/zip")

    response = api_as(coordinator.user).post(
        URL, {"package": bad, "provider": "IMG"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {"package": ["The file is not a zip archive."]}
    assert Package.objects.count() == 0


def test_a_coordinator_cannot_upload_for_another_institute_or_state_wide(
    coordinator: Employee,
) -> None:
    t.make_provider("KILA")
    client = api_as(coordinator.user)

    other = client.post(URL, {"package": zip_upload(), "provider": "KILA"}, format="multipart")
    state_wide = client.post(URL, {"package": zip_upload()}, format="multipart")

    assert other.status_code == 400
    assert "provider" in other.json()
    assert state_wide.status_code == 400
    assert Package.objects.count() == 0


def test_the_state_administrator_uploads_a_state_wide_package(admin: User) -> None:
    response = api_as(admin).post(URL, {"package": zip_upload("1.2")}, format="multipart")

    assert response.status_code == 201
    assert response.json()["provider"] is None


def test_list_and_detail_show_only_the_callers_institutes(
    coordinator: Employee, learner_a: Employee, admin: User
) -> None:
    api_as(coordinator.user).post(
        URL, {"package": zip_upload(), "provider": "IMG"}, format="multipart"
    )
    api_as(admin).post(URL, {"package": zip_upload("1.2")}, format="multipart")
    mine = Package.objects.get(provider__code="IMG")
    state_wide = Package.objects.get(provider=None)

    listed = api_as(coordinator.user).get(URL).json()["results"]
    hidden = api_as(coordinator.user).get(f"{URL}{state_wide.pk}/")
    learner = api_as(learner_a.user).get(URL)

    assert [row["id"] for row in listed] == [mine.pk]
    assert hidden.status_code == 404
    assert learner.status_code == 403
    assert len(api_as(admin).get(URL).json()["results"]) == 2


def test_coordinator_removes_a_package_over_the_api_and_others_cannot(
    coordinator: Employee, learner_a: Employee
) -> None:
    created = api_as(coordinator.user).post(
        URL, {"package": zip_upload(), "provider": "IMG"}, format="multipart"
    )
    url = f"{URL}{created.json()['id']}/"

    refused = api_as(learner_a.user).delete(url)
    removed = api_as(coordinator.user).delete(url)

    assert refused.status_code == 403
    assert removed.status_code == 204
    assert Package.objects.count() == 0
