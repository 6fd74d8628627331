"""Issuing: one certificate per completion, signed with the institute's key, with its bit
in the status list; what it says; and who is told."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.certificates import credential, dataintegrity, identity, verification
from govtrain.certificates.models import Certificate, IssuerKey, StatusList
from govtrain.certificates.services import issuing
from govtrain.certificates.tests.conftest import make_completion
from govtrain.lrs.models import Statement
from govtrain.notifications.models import Notification
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def test_a_completion_gets_a_signed_open_badge_that_verifies(
    completion: Enrolment, learner_a: Employee, admin: User
) -> None:
    certificate = issuing.certificate_issue(enrolment=completion, by=admin)

    document = json.loads(certificate.credential)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == identity.issuer_did("IMG")
    assert document["issuer"]["name"] == "Institute of Management in Government"
    subject = document["credentialSubject"]
    assert subject["achievement"]["name"] == "RTI Act 2005 for public information officers"
    assert subject["creditsEarned"] == 6.0
    names = [i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"]
    assert names == [learner_a.name_en]
    hashed = next(i for i in subject["identifier"] if i["hashed"])
    assert hashed["identityHash"] == credential.pen_hash(learner_a.pen, hashed["salt"])
    assert learner_a.pen not in certificate.credential  # the PEN only as a salted hash
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["id"] == identity.verify_url(certificate.public_id)
    assert verification.verify(document).valid
    assert certificate.number.startswith("IMG2026")
    assert certificate.digilocker_uri == f"in.gov.kerala.govtrain-TRCER-{certificate.number}"


def test_issuing_again_changes_nothing(completion: Enrolment, admin: User) -> None:
    first = issuing.certificate_issue(enrolment=completion, by=admin)

    again = issuing.certificate_issue(enrolment=completion, by=admin)

    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_only_a_completed_enrolment_is_certified(learner_a: Employee, course: Course) -> None:
    open_enrolment = Enrolment.objects.create(employee=learner_a, course=course)

    with pytest.raises(ValidationError, match="completed"):
        issuing.certificate_issue(enrolment=open_enrolment, by=None)
    assert not Certificate.objects.exists()


def test_the_certificate_keeps_what_it_certified_when_the_registry_changes(
    completion: Enrolment, learner_a: Employee, course: Course
) -> None:
    certificate = issuing.certificate_issue(enrolment=completion, by=None)

    learner_a.name_en = "Anitha Kumari"
    learner_a.save()
    course.title_en = "Renamed"
    course.save()

    certificate.refresh_from_db()
    assert certificate.recipient_en != "Anitha Kumari"
    assert certificate.course_en == "RTI Act 2005 for public information officers"
    assert verification.verify(json.loads(certificate.credential)).valid


def test_a_bulk_issue_shares_one_key_and_gives_each_its_own_status_bit(
    course: Course, office_a: object, admin: User
) -> None:
    from govtrain import testing as t

    people = [t.make_employee(office_a, name=f"Clerk {n}") for n in range(30)]
    enrolments = [make_completion(p, course, dt.date(2026, 11, 1)) for p in people]

    summary = issuing.certificates_issue(enrolments=enrolments, by=admin)

    assert len(summary.issued) == 30
    assert IssuerKey.objects.count() == 1
    bits = set(Certificate.objects.values_list("status_list_id", "status_index"))
    assert len(bits) == 30
    assert StatusList.objects.get().next_index == 30
    # Scrambled: the bits are not handed out in order.
    assert sorted(i for _l, i in bits) != list(range(30))
    assert AuditEvent.objects.filter(action="certificates.issued").count() == 30
    assert Notification.objects.filter(message__contains="certificate").count() == 30
    assert Statement.objects.filter(body__contains="/verb/earned").count() == 30
    key = IssuerKey.objects.get()
    public = dataintegrity.public_key_from_multibase(key.public_key)
    for certificate in Certificate.objects.all()[:3]:
        dataintegrity.verify(json.loads(certificate.credential), key=public)


def test_the_secret_key_is_stored_encrypted(completion: Enrolment) -> None:
    issuing.certificate_issue(enrolment=completion, by=None)

    key = IssuerKey.objects.get()

    assert not bytes(key.secret_encrypted).startswith(b"z")
    assert key.public_key.encode() not in bytes(key.secret_encrypted)
