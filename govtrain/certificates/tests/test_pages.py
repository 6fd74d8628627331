"""Who sees and does what: the employee, their officers, the institute, a stranger."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.audit.models import AuditEvent
from govtrain.certificates.models import Certificate, IssuanceJob, IssuerKey
from govtrain.certificates.services import issuing
from govtrain.certificates.tests.conftest import make_completion
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


@pytest.fixture
def certificate(completion: Enrolment) -> Certificate:
    return issuing.certificate_issue(enrolment=completion, by=None)


def signed_in(client: Client, user: User | None) -> Client:
    assert user is not None
    client.force_login(user)
    return client


def test_the_employee_lists_opens_and_downloads_their_certificate(
    client: Client, learner_a: Employee, certificate: Certificate
) -> None:
    signed_in(client, learner_a.user)

    listing = client.get(reverse("certificates:mine"))
    page = client.get(reverse("certificates:detail", args=[certificate.number]))
    pdf = client.get(reverse("certificates:pdf", args=[certificate.number]))
    credential = client.get(reverse("certificates:credential", args=[certificate.number]))

    assert certificate.course_en in listing.content.decode()
    assert page.status_code == 200
    assert page.context["result"].valid
    assert certificate.public_id in page.context["share_url"]
    assert not page.context["may_revoke"]
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert credential.content.decode() == certificate.credential


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 200), ("coordinator", 200), ("officer_b", 404), ("learner_b", 404)],
)
def test_officers_in_scope_and_the_institute_see_it_and_nobody_else(
    client: Client, certificate: Certificate, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    employee: Employee = request.getfixturevalue(who)
    signed_in(client, employee.user)

    response = client.get(reverse("certificates:detail", args=[certificate.number]))
    pdf = client.get(reverse("certificates:pdf", args=[certificate.number]))

    assert response.status_code == status
    assert pdf.status_code == status


def test_a_stranger_verifies_it_from_the_public_link_without_signing_in(
    client: Client, certificate: Certificate
) -> None:
    page = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    pdf = client.get(reverse("certificates:shared-pdf", args=[certificate.public_id]))
    by_number = client.get(reverse("certificates:verify", args=[certificate.number]))

    assert page.status_code == 200
    assert "Genuine and valid" in page.content.decode()
    assert pdf.status_code == 200
    assert by_number.status_code == 404  # the number cannot be counted through
    assert client.get(reverse("certificates:detail", args=[certificate.number])).status_code == 302


def test_a_stranger_pastes_a_credential_and_sees_each_check(
    client: Client, certificate: Certificate
) -> None:
    genuine = client.post(reverse("certificates:verify-form"), {"text": certificate.credential})
    changed = client.post(
        reverse("certificates:verify-form"),
        {"text": certificate.credential.replace("RTI Act", "RTI Law")},
    )
    garbage = client.post(reverse("certificates:verify-form"), {"text": "hello"})

    assert genuine.context["result"].valid
    assert "changed after it was signed" in changed.context["result"].reason
    assert "not JSON" in garbage.content.decode()


def test_the_institute_revokes_with_a_reason_and_an_officer_cannot(
    client: Client,
    certificate: Certificate,
    coordinator: Employee,
    officer_a: Employee,
) -> None:
    url = reverse("certificates:revoke", args=[certificate.number])

    refused = signed_in(Client(), officer_a.user).post(url, {"reason": "No"})
    no_reason = signed_in(client, coordinator.user).post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert refused.status_code == 404
    assert not certificate.is_revoked
    assert no_reason.status_code == 302

    client.post(url, {"reason": "Attendance was entered for the wrong person"})

    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert AuditEvent.objects.get(action="certificates.revoked").reason.startswith("Attendance")


def test_a_coordinator_issues_a_course_s_certificates_in_the_background(
    client: Client,
    coordinator: Employee,
    office_a: object,
    course: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    for n in range(3):
        make_completion(t.make_employee(office_a, name=f"Clerk {n}"), course)
    signed_in(client, coordinator.user)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("certificates:issue"), {"course": "IMG-RTI-OL"})

    job = IssuanceJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.total, job.issued) == ("finished", 3, 3)
    progress = client.get(
        reverse("certificates:job", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert "3 of 3" in progress.content.decode()
    assert Certificate.objects.count() == 3


def test_keys_are_rotated_and_revoked_by_the_institute_only(
    client: Client, certificate: Certificate, coordinator: Employee, officer_a: Employee
) -> None:
    assert signed_in(Client(), officer_a.user).get(reverse("certificates:keys")).status_code == 404
    signed_in(client, coordinator.user)

    client.post(reverse("certificates:keys"), {"provider": certificate.provider.pk})
    old = certificate.key
    client.post(reverse("certificates:key-revoke", args=[old.pk]), {"reason": ""})
    old.refresh_from_db()
    assert old.status == IssuerKey.Status.RETIRED  # no reason: nothing changed
    client.post(reverse("certificates:key-revoke", args=[old.pk]), {"reason": "Leaked"})

    old.refresh_from_db()
    assert old.status == IssuerKey.Status.REVOKED
    assert IssuerKey.objects.get(status=IssuerKey.Status.ACTIVE).number == 2


def test_the_template_is_the_institute_s_to_change(
    client: Client, certificate: Certificate, coordinator: Employee, learner_a: Employee
) -> None:
    assert (
        signed_in(Client(), learner_a.user).get(reverse("certificates:template")).status_code == 404
    )
    signed_in(client, coordinator.user)
    client.get(reverse("certificates:pdf", args=[certificate.number]))  # rendered and kept
    certificate.refresh_from_db()
    assert certificate.pdf

    response = client.post(
        reverse("certificates:template") + "?provider=IMG",
        {
            "heading_en": "Certificate of training",
            "heading_ml": "പരിശീലന സർട്ടിഫിക്കറ്റ്",
            "accent": "#7a1f1f",
            "signatory_name_en": "Director",
        },
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.pdf  # rendered again with the new design on the next download
    assert AuditEvent.objects.filter(action="certificates.template_changed").exists()


def test_the_state_administrator_manages_every_institute(
    client: Client, certificate: Certificate, admin: User
) -> None:
    other = t.make_provider("KILA")
    user = User.objects.create_user(username="kila-coord", password=t.PASSWORD)
    t.grant(user, Role.COORDINATOR, provider=other)

    assert signed_in(client, admin).get(reverse("certificates:institute-list")).status_code == 200
    listing = signed_in(Client(), user).get(reverse("certificates:institute-list"))
    assert certificate.number not in listing.content.decode()


def test_the_verification_page_reads_the_certificate_its_key_and_one_status_list(
    client: Client,
    certificate: Certificate,
    admin: User,
    django_assert_num_queries: Any,
) -> None:
    for code in ("KILA", "SIRD"):  # other institutes, with status lists of their own
        course = t.make_course(f"{code}-RTI", provider=t.make_provider(code))
        issuing.certificate_issue(enrolment=make_completion(certificate.employee, course), by=None)
    url = reverse("certificates:verify", args=[certificate.public_id])

    # The certificate, its key, its status list: not every list, nor the certificate again.
    with django_assert_num_queries(3):
        page = client.get(url)

    assert page.context["result"].valid
    assert page.context["result"].certificate is page.context["certificate"]


def test_a_current_status_list_is_served_without_signing_or_locking(
    client: Client, certificate: Certificate, django_assert_num_queries: Any
) -> None:
    url = reverse(
        "certificates:status-list",
        args=[certificate.provider.code, certificate.status_list.number],
    )
    first = client.get(url)

    with django_assert_num_queries(1):
        again = client.get(url)

    assert again.content == first.content
