"""The REST API speaks the same permission layer as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from govtrain.audit.models import AuditEvent
from govtrain.people.models import Employee, ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_user(api: APIClient, user) -> APIClient:
    api.force_authenticate(user)
    return api


def test_hr_system_authenticates_with_its_token(api, hr_system, learner_a) -> None:
    token = Token.objects.create(user=hr_system)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/v1/employees/")

    assert response.status_code == 200
    assert response.json()["results"][0]["pen"] == learner_a.pen


def test_without_credentials_nothing_is_served(api, learner_a) -> None:
    assert api.get("/api/v1/employees/").status_code in (401, 403)
    assert api.get("/api/v1/districts/").status_code in (401, 403)


def test_officer_lists_only_own_department_with_pagination(
    api, officer_a, learner_a, learner_b
) -> None:
    body = as_user(api, officer_a.user).get("/api/v1/employees/").json()

    assert body["count"] == 2
    assert {e["pen"] for e in body["results"]} == {officer_a.pen, learner_a.pen}
    assert body["results"][0].keys() >= {"pen", "name_ml", "office", "designation"}


def test_officer_b_gets_404_for_an_employee_of_department_a(api, officer_b, learner_a) -> None:
    response = as_user(api, officer_b.user).get(f"/api/v1/employees/{learner_a.pen}/")

    assert response.status_code == 404


def test_officer_b_cannot_change_department_a_and_nothing_changes(
    api, officer_b, learner_a
) -> None:
    response = as_user(api, officer_b.user).patch(
        f"/api/v1/employees/{learner_a.pen}/", {"name_en": "Changed"}, format="json"
    )

    assert response.status_code == 404
    learner_a.refresh_from_db()
    assert learner_a.name_en == "Anitha K."


def test_officer_updates_own_employee_through_the_api_and_it_is_audited(
    api, officer_a, learner_a
) -> None:
    response = as_user(api, officer_a.user).patch(
        f"/api/v1/employees/{learner_a.pen}/", {"phone": "+91 9400000123"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "+91 9400000123"
    assert AuditEvent.objects.get(action="employee.updated").actor == officer_a.user


def test_officer_cannot_move_an_employee_to_another_department(
    api, officer_a, learner_a, office_b
) -> None:
    response = as_user(api, officer_a.user).patch(
        f"/api/v1/employees/{learner_a.pen}/", {"office": office_b.code}, format="json"
    )

    assert response.status_code == 403
    learner_a.refresh_from_db()
    assert learner_a.office.code == "REV-TVM"


def test_bad_values_get_field_errors_and_nothing_is_created(api, hr_system, office_a) -> None:
    response = as_user(api, hr_system).post(
        "/api/v1/employees/",
        {
            "pen": "12",
            "name_en": "",
            "service_class": "NOPE",
            "designation": "CLK",
            "office": office_a.code,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json().keys() >= {"pen", "name_en", "service_class"}
    assert not Employee.objects.filter(pen="12").exists()


def test_learner_cannot_use_the_people_api_but_sees_themselves(api, learner_a) -> None:
    as_user(api, learner_a.user)

    assert api.get("/api/v1/employees/").status_code == 403
    me = api.get("/api/v1/me/").json()
    assert me["employee_id"] == learner_a.pk
    assert me["roles"] == []


def test_filters_by_department_and_search_prefix(api, admin, learner_a, learner_b) -> None:
    as_user(api, admin)

    by_department = api.get("/api/v1/employees/", {"department": "HFW"}).json()
    by_name = api.get("/api/v1/employees/", {"q": "anit"}).json()

    assert [e["pen"] for e in by_department["results"]] == [learner_b.pen]
    assert [e["pen"] for e in by_name["results"]] == [learner_a.pen]


def test_hr_system_uploads_an_export_and_polls_the_job(
    api, hr_system, references, django_capture_on_commit_callbacks
) -> None:
    from govtrain.people.tests.conftest import HEADER

    csv = HEADER + "8200001,Rajesh M.,രാജേഷ് എം.,M,SS-B,REVS,TAH,REV-TVM,,,,,\n"
    as_user(api, hr_system)

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {
                "file": SimpleUploadedFile("export.csv", csv.encode()),
                "dry_run": "false",
            },
            format="multipart",
        )
    job = api.get(f"/api/v1/imports/{created.json()['id']}/").json()

    assert created.status_code == 202
    assert job["status"] == ImportJob.Status.SUCCEEDED
    assert job["created_count"] == 1
    assert job["progress"]["percent"] == 100
    assert Employee.objects.get().pen == "8200001"


def test_officer_may_not_import(api, officer_a) -> None:
    response = as_user(api, officer_a.user).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("x.csv", b"pen\n")}, format="multipart"
    )

    assert response.status_code == 403


def test_admin_assigns_a_role_through_the_api_and_auditor_reads_the_trail(
    api, admin, auditor, learner_a, department_a
) -> None:
    created = as_user(api, admin).post(
        "/api/v1/role-assignments/",
        {
            "user": learner_a.pen,
            "role": "nodal_officer",
            "department": department_a.code,
        },
        format="json",
    )
    trail = as_user(APIClient(), auditor).get("/api/v1/audit-events/", {"action": "role."})

    assert created.status_code == 201
    assert trail.json()["results"][0]["action"] == "role.assigned"


def test_the_audit_trail_api_is_closed_to_officers(api, officer_a) -> None:
    assert as_user(api, officer_a.user).get("/api/v1/audit-events/").status_code == 403


def test_reference_data_is_readable_by_any_signed_in_user(api, learner_a, office_a) -> None:
    offices = as_user(api, learner_a.user).get("/api/v1/offices/", {"department": "REV"})

    assert [o["code"] for o in offices.json()["results"]] == ["REV-TVM"]


def test_the_openapi_document_describes_version_1(client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "govtrain API"
    assert "/api/v1/employees/{pen}/" in schema["paths"]
    assert "/api/v1/imports/" in schema["paths"]
