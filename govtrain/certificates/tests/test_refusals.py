"""Bad input is refused with a message, and every rule of who may see and do what holds:
the employee, an officer in scope, the auditor, another institute's coordinator, the state
administrator, a stranger."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.certificates import verification
from govtrain.certificates.models import Certificate, CertificateTemplate, IssuanceJob
from govtrain.certificates.services import issuing
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


@pytest.fixture
def certificate(completion: Enrolment) -> Certificate:
    return issuing.certificate_issue(enrolment=completion, by=None)


@pytest.fixture
def other_coordinator(db: None) -> User:
    user = User.objects.create_user(username="kila-coord", password=t.PASSWORD)
    t.grant(user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return user


def user_of(who: str, request: pytest.FixtureRequest) -> User | None:
    if who == "anonymous":
        return None
    found: Employee | User = request.getfixturevalue(who)
    return found.user if isinstance(found, Employee) else found


@pytest.mark.parametrize(
    ("who", "detail", "manage"),
    [
        ("learner_a", 200, 404),
        ("officer_a", 200, 404),
        ("auditor", 200, 404),
        ("coordinator", 200, 302),
        ("other_coordinator", 404, 404),
        ("admin", 200, 302),
        ("learner_b", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_each_role_sees_and_revokes_only_what_its_rule_allows(
    client: Client,
    certificate: Certificate,
    who: str,
    detail: int,
    manage: int,
    request: pytest.FixtureRequest,
) -> None:
    user = user_of(who, request)
    if user is not None:
        client.force_login(user)

    page = client.get(reverse("certificates:detail", args=[certificate.number]))
    revoke = client.post(
        reverse("certificates:revoke", args=[certificate.number]), {"reason": "Test"}
    )

    assert page.status_code == detail
    assert revoke.status_code == manage
    if detail == 200:
        assert page.context["may_revoke"] is (manage == 302)
    certificate.refresh_from_db()
    assert certificate.is_revoked is (manage == 302 and user is not None)


@pytest.mark.parametrize("who", ["learner_a", "officer_a", "auditor"])
def test_the_institute_pages_are_404_to_who_manages_no_institute(
    client: Client, certificate: Certificate, who: str, request: pytest.FixtureRequest
) -> None:
    user = user_of(who, request)
    assert user is not None
    client.force_login(user)

    pages = [reverse(f"certificates:{name}") for name in ("institute-list", "keys", "template")]

    assert {client.get(url).status_code for url in pages} == {404}


def test_another_institute_s_coordinator_reaches_nothing_of_this_one(
    client: Client, certificate: Certificate, other_coordinator: User, coordinator: Employee
) -> None:
    assert coordinator.user is not None
    job = issuing.job_create(
        provider=certificate.provider, by=coordinator.user, course_id=certificate.course_id
    )
    client.force_login(other_coordinator)

    listing = client.get(reverse("certificates:institute-list"))
    keys = client.get(reverse("certificates:keys"))
    revoke_key = client.post(
        reverse("certificates:key-revoke", args=[certificate.key_id]), {"reason": "x"}
    )
    progress = client.get(reverse("certificates:job", args=[job.pk]))

    assert listing.status_code == 200
    assert certificate.number not in listing.content.decode()
    assert certificate.key.public_key not in keys.content.decode()
    assert (revoke_key.status_code, progress.status_code) == (404, 404)


def test_a_whitespace_reason_revokes_nothing(
    client: Client, certificate: Certificate, coordinator: Employee
) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)

    response = client.post(
        reverse("certificates:revoke", args=[certificate.number]), {"reason": "   "}, follow=True
    )

    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert "Say why the certificate is revoked." in response.content.decode()


def test_a_template_colour_that_is_not_hex_is_refused_with_a_message(
    client: Client, coordinator: Employee
) -> None:
    assert coordinator.user is not None
    client.force_login(coordinator.user)

    response = client.post(
        reverse("certificates:template") + "?provider=IMG",
        {"heading_en": "Certificate", "heading_ml": "സർട്ടിഫിക്കറ്റ്", "accent": "red"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["accent"] == [
        "Give the colour as # and six hex digits, e.g. #0b5370."
    ]
    assert not CertificateTemplate.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("x" * (verification.MAX_CREDENTIAL_BYTES + 1), "application/json", "larger than 256"),
        ("a=b", "application/x-www-form-urlencoded", "not JSON"),
        ("[1, 2]", "application/json", "a JSON object"),
        ('{"credential": {}}', "application/json", "verifiableCredential"),
        ('{"verifiableCredential": "text"}', "application/json", "verifiableCredential"),
    ],
)
def test_the_vc_api_refuses_what_is_not_a_verify_request(
    client: Client, body: str, content_type: str, message: str
) -> None:
    response = client.post("/credentials/verify", body, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["verified"] is False
    assert message in response.json()["errors"][0]["message"]


def test_the_vc_api_says_why_a_document_that_is_no_credential_fails(client: Client) -> None:
    response = client.post(
        "/credentials/verify",
        json.dumps({"verifiableCredential": {"@context": 5}}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"check": "form", "message": "This is not a W3C Verifiable Credential 2.0."}
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("learner_a", 403), ("auditor", 403), ("other_coordinator", 403)],
)
def test_the_vc_issue_api_refuses_who_does_not_manage_the_institute(
    completion: Enrolment,
    learner_a: Employee,
    who: str,
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    api = APIClient()
    user = user_of(who, request)
    if user is not None:
        api.force_authenticate(user)
    body = {
        "credential": {"credentialSubject": {"achievement": {"id": "IMG-RTI-OL"}}},
        "options": {"pen": learner_a.pen},
    }

    response = api.post("/credentials/issue", body, format="json")

    assert response.status_code == status
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"credential": "x", "options": [1]}, {}, {"credential": {"credentialSubject": 5}}],
)
def test_the_vc_issue_api_refuses_a_body_that_names_no_completion(
    completion: Enrolment, coordinator: Employee, body: dict[str, Any]
) -> None:
    api = APIClient()
    api.force_authenticate(coordinator.user)

    response = api.post("/credentials/issue", body, format="json")

    assert response.status_code == 400
    assert "No completed course matches" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"batch": "NOPE"}, "No batch of your institutes has that code."),
        ({"course": "NOPE"}, "No course of your institutes has that code."),
        ({"batch": "X", "course": "Y"}, "Give a batch code or a course code."),
        ({}, "Give a batch code or a course code."),
    ],
)
def test_the_issue_api_refuses_unknown_or_ambiguous_codes(
    coordinator: Employee, course: object, body: dict[str, str], message: str
) -> None:
    api = APIClient()
    api.force_authenticate(coordinator.user)

    response = api.post(reverse("v1:certificate-issue"), body, format="json")

    assert response.status_code == 400
    assert response.json()["__all__"][0]["message"] == message
    assert not IssuanceJob.objects.exists()


def test_another_institute_s_course_cannot_be_issued_over_the_api(
    other_coordinator: User, course: object
) -> None:
    api = APIClient()
    api.force_authenticate(other_coordinator)

    response = api.post(reverse("v1:certificate-issue"), {"course": "IMG-RTI-OL"}, format="json")

    assert response.status_code == 400
    assert not IssuanceJob.objects.exists()
