"""The demo's external courses: links, and certificates in every state of their review."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.catalog.models import Course
from govtrain.external.demo import LEARNER_ENROLLED, LEARNER_VERIFIED, build_external_history
from govtrain.external.models import Evidence, ExternalOffer
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_gives_links_and_a_review_history(office_a, admin, learner_a, mooc) -> None:
    for n in range(15):
        t.make_employee(office_a, name=f"Clerk {n}")

    summary = build_external_history(learner=learner_a)

    assert ExternalOffer.objects.get(course=mooc).url.startswith("https://")
    counts = {s: Evidence.objects.filter(status=s).count() for s in Evidence.Status.values}
    assert counts == {
        "verified": summary.verified,
        "rejected": summary.rejected,
        "submitted": summary.awaiting,
    }
    assert summary.verified > 0
    assert summary.awaiting > 0
    assert summary.rejected > 0
    completed = Enrolment.objects.filter(course=mooc, status="completed")
    assert completed.count() == summary.verified
    assert Enrolment.objects.get(employee=learner_a).status == "enrolled"
    assert not Evidence.objects.filter(enrolment__employee=learner_a).exists()


def test_the_demo_learner_is_enrolled_in_one_course_and_has_another_verified(
    office_a, admin, learner_a, university
) -> None:
    for n in range(15):
        t.make_employee(office_a, name=f"Clerk {n}")
    for code, fee, currency in (
        (LEARNER_ENROLLED, "175", "USD"),
        (LEARNER_VERIFIED, "1000", "INR"),
    ):
        t.make_course(
            code,
            provider=university,
            modality=Course.Modality.EXTERNAL,
            hours=Decimal("30"),
            fee=Decimal(fee),
            fee_currency=currency,
        )

    summary = build_external_history(learner=learner_a)

    mine = {e.course.code: e.status for e in Enrolment.objects.filter(employee=learner_a)}
    assert mine == {LEARNER_ENROLLED: "enrolled", LEARNER_VERIFIED: "completed"}
    evidence = Evidence.objects.get(enrolment__employee=learner_a)
    assert (evidence.status, evidence.enrolment.hours_credited) == ("verified", Decimal("30"))
    assert Evidence.objects.filter(status="verified").count() == summary.verified


def test_running_the_demo_again_doubles_nothing(office_a, admin, learner_a, mooc) -> None:
    for n in range(15):
        t.make_employee(office_a, name=f"Clerk {n}")
    build_external_history(learner=learner_a)
    before = (Evidence.objects.count(), Enrolment.objects.count(), ExternalOffer.objects.count())

    again = build_external_history(learner=learner_a)

    assert (again.links, again.verified, again.rejected, again.awaiting) == (0, 0, 0, 0)
    after = (Evidence.objects.count(), Enrolment.objects.count(), ExternalOffer.objects.count())
    assert after == before
