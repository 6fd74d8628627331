"""The certificates API: the same scopes as the pages, and the VC API's issue endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain.accounts.models import User
from govtrain.certificates import verification
from govtrain.certificates.models import Certificate
from govtrain.certificates.services import issuing
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def api_for(user: User | None) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def certificate(completion: Enrolment) -> Certificate:
    return issuing.certificate_issue(enrolment=completion, by=None)


def test_the_employee_reads_their_certificate_with_its_credential(
    certificate: Certificate, learner_a: Employee, learner_b: Employee
) -> None:
    own = api_for(learner_a.user).get(reverse("v1:certificate-detail", args=[certificate.number]))
    other = api_for(learner_b.user).get(reverse("v1:certificate-detail", args=[certificate.number]))
    listing = api_for(learner_b.user).get(reverse("v1:certificate-list"))

    assert own.status_code == 200
    assert verification.verify(own.json()["credential"]).valid
    assert other.status_code == 404
    assert listing.json() == []


def test_the_institute_revokes_over_the_api_with_a_reason(
    certificate: Certificate, coordinator: Employee, officer_a: Employee
) -> None:
    url = reverse("v1:certificate-revoke", args=[certificate.number])

    assert api_for(officer_a.user).post(url, {"reason": "x"}).status_code == 404
    assert api_for(coordinator.user).post(url, {}).status_code == 400
    done = api_for(coordinator.user).post(url, {"reason": "Issued twice"})

    assert done.status_code == 200
    assert done.json()["revoked"] is True
    assert api_for(coordinator.user).post(url, {"reason": "Again"}).status_code == 400


def test_an_institute_system_asks_for_a_completion_s_certificate(
    completion: Enrolment, coordinator: Employee, officer_a: Employee, learner_a: Employee
) -> None:
    body = {
        "credential": {"credentialSubject": {"achievement": {"id": "IMG-RTI-OL"}}},
        "options": {"pen": learner_a.pen},
    }

    refused = api_for(officer_a.user).post("/credentials/issue", body, format="json")
    issued = api_for(coordinator.user).post("/credentials/issue", body, format="json")
    again = api_for(coordinator.user).post("/credentials/issue", body, format="json")
    unknown = api_for(coordinator.user).post(
        "/credentials/issue", {**body, "options": {"pen": "1"}}, format="json"
    )

    assert refused.status_code == 403
    assert issued.status_code == 201
    assert verification.verify(issued.json()["verifiableCredential"]).valid
    assert again.json() == issued.json()
    assert unknown.status_code == 400
    assert Certificate.objects.count() == 1


def test_keys_over_the_api(
    certificate: Certificate, coordinator: Employee, learner_a: Employee
) -> None:
    assert api_for(learner_a.user).get(reverse("v1:certificate-keys")).json() == []
    rotated = api_for(coordinator.user).post(reverse("v1:certificate-key-rotate", args=["IMG"]))

    assert rotated.status_code == 201
    statuses = {
        k["number"]: k["status"]
        for k in api_for(coordinator.user).get(reverse("v1:certificate-keys")).json()
    }
    assert statuses == {1: "retired", 2: "active"}
