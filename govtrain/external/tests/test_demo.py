"""The demo's external courses: links, and certificates in every state of their review."""

from __future__ import annotations

import pytest

from govtrain import testing as t
from govtrain.external.demo import build_external_history
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
