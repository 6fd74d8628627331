"""External courses over the API: the same rules and the same visibility as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from govtrain.external.models import Evidence
from govtrain.external.tests.conftest import PDF, PNG, last_week, stored_files, upload
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
EVIDENCE = "/api/v1/external/evidence/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _submit(api: APIClient, course: str, content: bytes = PDF) -> dict[str, object]:
    response = api.post(
        EVIDENCE,
        {"course": course, "file": upload(content), "completed_on": last_week().isoformat()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body: dict[str, object] = response.json()
    return body


def test_employee_enrols_submits_and_the_coordinator_rejects_then_verifies(
    api, learner_a, verifier, coordinator, mooc
) -> None:
    api.force_authenticate(learner_a.user)
    enrolled = api.post("/api/v1/external/enrolments/", {"course": mooc.code}, format="json")
    assert enrolled.status_code == 201
    assert enrolled.json() == {"course": mooc.code, "status": "enrolled"}
    first = _submit(api, mooc.code)
    assert (first["status"], first["employee"], first["content_type"]) == (
        "submitted",
        learner_a.pen,
        "application/pdf",
    )
    assert [e["id"] for e in api.get(EVIDENCE).json()["results"]] == [first["id"]]

    api.force_authenticate(coordinator.user)  # of another institute
    assert api.get(EVIDENCE + "queue/").json()["results"] == []
    assert api.get(f"{EVIDENCE}{first['id']}/").status_code == 404
    assert api.get(f"{EVIDENCE}{first['id']}/file/").status_code == 404
    refused = api.post(f"{EVIDENCE}{first['id']}/decide/", {"action": "verify"}, format="json")
    assert refused.status_code == 404

    api.force_authenticate(verifier.user)
    assert [e["id"] for e in api.get(EVIDENCE + "queue/").json()["results"]] == [first["id"]]
    no_reason = api.post(f"{EVIDENCE}{first['id']}/decide/", {"action": "reject"}, format="json")
    assert no_reason.status_code == 400
    rejected = api.post(
        f"{EVIDENCE}{first['id']}/decide/",
        {"action": "reject", "reason": "Another person's certificate."},
        format="json",
    )
    assert rejected.json()["status"] == "rejected"
    download = api.get(f"{EVIDENCE}{first['id']}/file/")
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")

    api.force_authenticate(learner_a.user)
    second = _submit(api, mooc.code, content=PNG)

    api.force_authenticate(verifier.user)
    verified = api.post(f"{EVIDENCE}{second['id']}/decide/", {"action": "verify"}, format="json")
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    record = Enrolment.objects.get(employee=learner_a, course=mooc)
    assert (record.status, record.hours_credited) == ("completed", mooc.hours)
    again = api.post(f"{EVIDENCE}{second['id']}/decide/", {"action": "verify"}, format="json")
    assert again.status_code == 400


def test_the_certificate_is_downloaded_as_a_sandboxed_private_attachment(
    api, learner_a, verifier, mooc
) -> None:
    api.force_authenticate(learner_a.user)
    evidence = _submit(api, mooc.code, content=PNG)

    for user in (learner_a.user, verifier.user):
        api.force_authenticate(user)
        download = api.get(f"{EVIDENCE}{evidence['id']}/file/")

        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PNG
        assert download["Content-Type"] == "image/png"
        assert download["Content-Disposition"] == 'attachment; filename="certificate.png"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Cache-Control"] == "private, no-store"
        assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_refused_upload_answers_400_and_stores_nothing(api, learner_a, mooc) -> None:
    api.force_authenticate(learner_a.user)

    response = api.post(
        EVIDENCE,
        {
            "course": mooc.code,
            "file": upload(b"<svg onload=alert(1)>", "certificate.png"),
            "completed_on": last_week().isoformat(),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "PDF, PNG or JPEG" in str(response.json())
    assert not Evidence.objects.exists()
    assert not Enrolment.objects.exists()
    assert stored_files() == []


def test_an_unknown_or_classroom_course_is_a_field_error(api, learner_a) -> None:
    from govtrain import testing as t

    t.make_course("IMG-RTI")
    api.force_authenticate(learner_a.user)

    for code in ("NOPE", "IMG-RTI"):
        response = api.post("/api/v1/external/enrolments/", {"course": code}, format="json")
        assert response.status_code == 400
        assert "course" in response.json()


def test_the_queue_is_for_coordinators_only(api, learner_a) -> None:
    api.force_authenticate(learner_a.user)

    assert api.get(EVIDENCE + "queue/").status_code == 403


def test_the_openapi_document_describes_the_endpoints(api, admin) -> None:
    api.force_authenticate(admin)

    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    assert "/api/v1/external/evidence/" in schema["paths"]
    assert (
        "multipart/form-data"
        in (schema["paths"]["/api/v1/external/evidence/"]["post"]["requestBody"]["content"])
    )
    assert "/api/v1/external/evidence/{id}/decide/" in schema["paths"]
