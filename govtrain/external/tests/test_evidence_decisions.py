"""Verifying and rejecting evidence: only a coordinator of the course's provider decides,
never on their own evidence, never twice, and one certificate counts once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.certificates.models import Certificate
from govtrain.external import selectors, services
from govtrain.external.models import Evidence
from govtrain.external.tests.conftest import JPEG, PDF, PNG, last_week, upload
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


def _submit(employee: Any, course: Course, content: bytes = PDF, **fields: Any) -> Evidence:
    return services.evidence_submit(
        course=course,
        by=employee.user,
        upload=upload(content),
        completed_on=last_week(),
        **fields,
    )


def test_the_universitys_coordinator_verifies_and_the_hours_are_credited(
    learner_a, verifier, mooc
) -> None:
    evidence = _submit(learner_a, mooc)

    services.evidence_verify(evidence=evidence, by=verifier.user, reason="Checked online.")

    evidence.refresh_from_db()
    assert (evidence.status, evidence.decided_by, evidence.reason) == (
        Evidence.Status.VERIFIED,
        verifier.user,
        "Checked online.",
    )
    assert evidence.decided_at is not None
    enrolment = Enrolment.objects.get(employee=learner_a, course=mooc)
    assert (enrolment.status, enrolment.completed_on) == ("completed", last_week())
    assert enrolment.hours_credited == mooc.hours
    event = AuditEvent.objects.get(action="external.evidence_verified")
    assert (event.actor, event.reason) == (verifier.user, "Checked online.")


def test_a_verified_external_course_gets_its_certificate(
    learner_a, verifier, mooc, django_capture_on_commit_callbacks
) -> None:
    evidence = _submit(learner_a, mooc)

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_verify(evidence=evidence, by=verifier.user)

    certificate = Certificate.objects.get()
    assert certificate.enrolment == Enrolment.objects.get(employee=learner_a, course=mooc)
    assert (certificate.hours, certificate.provider) == (mooc.hours, mooc.provider)


def test_a_coordinator_of_another_provider_may_not_decide(learner_a, coordinator, mooc) -> None:
    evidence = _submit(learner_a, mooc)

    with pytest.raises(PermissionDenied):
        services.evidence_verify(evidence=evidence, by=coordinator.user)
    with pytest.raises(PermissionDenied):
        services.evidence_reject(evidence=evidence, by=coordinator.user, reason="No.")

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert not selectors.evidence_visible_to(user=coordinator.user).exists()
    assert not selectors.evidence_awaiting(user=coordinator.user).exists()


def test_nobody_verifies_their_own_evidence_not_even_a_coordinator(verifier, mooc) -> None:
    evidence = _submit(verifier, mooc)

    with pytest.raises(PermissionDenied, match="their own evidence"):
        services.evidence_verify(evidence=evidence, by=verifier.user)

    assert Enrolment.objects.get(employee=verifier).status == "enrolled"
    assert not selectors.evidence_awaiting(user=verifier.user).exists()


def test_the_state_administrator_may_decide_anywhere(learner_a, admin, mooc) -> None:
    evidence = _submit(learner_a, mooc)

    services.evidence_reject(evidence=evidence, by=admin, reason="Unreadable scan.")

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.REJECTED


def test_the_same_evidence_is_not_decided_twice(learner_a, verifier, mooc) -> None:
    evidence = _submit(learner_a, mooc)
    services.evidence_verify(evidence=evidence, by=verifier.user)

    with pytest.raises(ValidationError, match="already been decided"):
        services.evidence_verify(evidence=evidence, by=verifier.user)
    with pytest.raises(ValidationError, match="already been decided"):
        services.evidence_reject(evidence=evidence, by=verifier.user, reason="Oops.")

    assert AuditEvent.objects.filter(action="external.evidence_verified").count() == 1
    assert AuditEvent.objects.filter(action="enrolment.completed").count() == 1


def test_a_rejection_needs_a_reason(learner_a, verifier, mooc) -> None:
    evidence = _submit(learner_a, mooc)

    with pytest.raises(ValidationError, match="Give a reason"):
        services.evidence_reject(evidence=evidence, by=verifier.user, reason="   ")

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED


def test_after_a_rejection_the_employee_submits_again_and_history_stays(
    learner_a, verifier, mooc
) -> None:
    first = _submit(learner_a, mooc)
    services.evidence_reject(evidence=first, by=verifier.user, reason="Wrong course.")

    second = _submit(learner_a, mooc, content=PNG)
    services.evidence_verify(evidence=second, by=verifier.user)

    history = selectors.evidence_history(evidence=second)
    assert [(e.status, e.reason) for e in history] == [
        ("rejected", "Wrong course."),
        ("verified", ""),
    ]
    with pytest.raises(ValidationError, match="already completed"):
        _submit(learner_a, mooc, content=JPEG)


def test_one_certificate_file_counts_for_one_completion(
    learner_a, learner_b, verifier, mooc
) -> None:
    services.evidence_verify(evidence=_submit(learner_a, mooc), by=verifier.user)
    copy = _submit(learner_b, mooc)  # the very same file

    assert [e.enrolment.employee for e in selectors.evidence_same_certificate(evidence=copy)] == [
        learner_a
    ]
    with pytest.raises(ValidationError, match="already accepted for another completion"):
        services.evidence_verify(evidence=copy, by=verifier.user)

    assert Enrolment.objects.get(employee=learner_b).status == "enrolled"


def test_one_certificate_number_counts_for_one_completion(
    learner_a, learner_b, verifier, mooc
) -> None:
    first = _submit(learner_a, mooc, certificate_id="UNIX-2026-0042")
    services.evidence_verify(evidence=first, by=verifier.user)
    other = _submit(learner_b, mooc, content=PNG, certificate_id="unix-2026-0042")

    with pytest.raises(ValidationError, match="already accepted"):
        services.evidence_verify(evidence=other, by=verifier.user)


def test_a_second_verified_copy_of_one_file_is_refused_by_the_database_too(
    learner_a, learner_b, verifier, mooc
) -> None:
    services.evidence_verify(evidence=_submit(learner_a, mooc), by=verifier.user)
    copy = _submit(learner_b, mooc)  # the very same file

    # What a service that skipped the check would write (constraint
    # evidence_one_verified_per_file).
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=copy.pk).update(
            status=Evidence.Status.VERIFIED, decided_at=timezone.now()
        )

    copy.refresh_from_db()
    assert copy.status == Evidence.Status.SUBMITTED


def test_the_queue_page_decides_a_row_in_place_with_htmx(client, learner_a, verifier, mooc):
    evidence = _submit(learner_a, mooc)
    client.force_login(verifier.user)
    url = reverse("external:evidence-decide", args=[evidence.pk])

    refused = client.post(url, {"action": "reject"}, headers={"HX-Request": "true"})
    done = client.post(url, {"action": "verify"}, headers={"HX-Request": "true"})

    assert "Give a reason" in refused.content.decode()
    assert done.templates[0].name == "external/_evidence_row.html"
    assert "Verified" in done.content.decode()


def test_the_queue_lists_oldest_first_in_a_fixed_number_of_queries(
    client, verifier, mooc, office_a, django_assert_num_queries
) -> None:
    for n in range(5):
        _submit(t.make_employee(office_a, name=f"Clerk {n}"), mooc, content=PDF + bytes([n]))
    client.force_login(verifier.user)

    with django_assert_num_queries(3):  # the user, the count, the page
        response = client.get(reverse("external:evidence-queue"))

    rows = [row["e"] for row in response.context["rows"]]
    assert [e.enrolment.employee.name_en for e in rows] == [f"Clerk {n}" for n in range(5)]


def test_the_certificate_is_downloaded_only_as_an_attachment(
    client, learner_a, learner_b, verifier, mooc
) -> None:
    evidence = _submit(learner_a, mooc, content=PNG)
    url = reverse("external:evidence-file", args=[evidence.pk])

    for user in (learner_a.user, verifier.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'attachment; filename="certificate.png"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(learner_b.user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_institutes_link_is_set_by_its_coordinator_only(
    client, coordinator, verifier, mooc
) -> None:
    url = reverse("external:offer-edit", args=[mooc.code])
    client.force_login(coordinator.user)
    assert client.post(url, {"url": "https://example.org/pp101"}).status_code == 404

    client.force_login(verifier.user)
    refused = client.post(url, {"url": "javascript:alert(1)"})
    saved = client.post(url, {"url": "https://learn.example.edu/pp101"})

    assert refused.status_code == 200
    assert saved.status_code == 302
    assert selectors.offer_for(course=mooc).url == "https://learn.example.edu/pp101"
    assert AuditEvent.objects.filter(action="external.link_set").count() == 1
    with pytest.raises(PermissionDenied):
        services.offer_set(course=mooc, url="https://example.org", by=coordinator.user)


def test_a_coordinator_with_a_role_elsewhere_sees_only_their_providers(
    learner_a, office_a, mooc
) -> None:
    evidence = _submit(learner_a, mooc)
    other = t.make_employee(office_a, name="Nodal and coordinator")
    t.grant(other.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    t.grant(other.user, Role.NODAL_OFFICER, department=office_a.department)

    with pytest.raises(PermissionDenied):
        services.evidence_verify(evidence=evidence, by=other.user)
    assert not selectors.evidence_visible_to(user=other.user).exists()
