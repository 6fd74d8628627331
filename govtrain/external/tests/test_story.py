"""The story of an external course, through the pages: an employee records the enrolment,
uploads the certificate, the wrong people cannot see it, the university's coordinator
rejects it with a reason, the employee submits again, it is verified, and the hours are
on the training record."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.external import selectors
from govtrain.external.models import Evidence
from govtrain.external.tests.conftest import JPEG, PDF, last_week, upload
from govtrain.lrs.models import Statement
from govtrain.notifications.models import Notification
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


def _submit(
    client: Client,
    course: Course,
    content: bytes = PDF,
    name: str = "certificate.pdf",
    **fields: str,
) -> Any:
    data = {"file": upload(content, name), "completed_on": last_week().isoformat(), **fields}
    return client.post(reverse("external:evidence-submit", args=[course.code]), data)


def test_an_external_course_from_enrolment_to_hours_on_the_record(
    client, learner_a, coordinator, officer_b, verifier, mooc
) -> None:
    client.force_login(learner_a.user)
    response = client.post(reverse("external:enrolment-record", args=[mooc.code]))
    assert response.url == reverse("catalog:course-detail", args=[mooc.code])
    enrolment = Enrolment.objects.get(employee=learner_a, course=mooc)
    assert enrolment.status == Enrolment.Status.ENROLLED

    response = _submit(client, mooc, certificate_id="PP101-7731")
    first = Evidence.objects.get(enrolment=enrolment)
    assert response.url == reverse("external:evidence-detail", args=[first.pk])
    assert "Awaiting verification" in client.get(response.url).content.decode()
    assert Notification.objects.filter(user=verifier.user, url=response.url).exists()

    # A coordinator of another institute and another department's officer: it does not exist.
    for outsider in (coordinator, officer_b):
        client.force_login(outsider.user)
        for name in ("evidence-detail", "evidence-file"):
            assert client.get(reverse(f"external:{name}", args=[first.pk])).status_code == 404
        decide = reverse("external:evidence-decide", args=[first.pk])
        assert client.post(decide, {"action": "verify"}).status_code == 404
    assert client.get(reverse("external:evidence-queue")).status_code == 403  # not a coordinator
    client.force_login(coordinator.user)
    assert client.get(reverse("external:evidence-queue")).context["rows"] == []
    first.refresh_from_db()
    assert first.status == Evidence.Status.SUBMITTED

    client.force_login(verifier.user)
    queue = client.get(reverse("external:evidence-queue"))
    assert [row["e"] for row in queue.context["rows"]] == [first]
    decide = reverse("external:evidence-decide", args=[first.pk])
    response = client.post(decide, {"action": "reject", "reason": ""})
    first.refresh_from_db()
    assert first.status == Evidence.Status.SUBMITTED  # a rejection needs a reason
    client.post(decide, {"action": "reject", "reason": "The name on the certificate is cut off."})
    first.refresh_from_db()
    assert first.status == Evidence.Status.REJECTED
    assert first.decided_by == verifier.user

    client.force_login(learner_a.user)
    told = Notification.objects.get(user=learner_a.user, url=decide.replace("decide/", ""))
    assert "The name on the certificate is cut off." in told.message
    response = _submit(client, mooc, content=JPEG, name="scan.jpg")
    second = Evidence.objects.exclude(pk=first.pk).get(enrolment=enrolment)
    assert second.content_type == "image/jpeg"
    history = client.get(response.url).content.decode()
    assert "The name on the certificate is cut off." in history  # the earlier decision stays

    client.force_login(verifier.user)
    response = client.post(
        reverse("external:evidence-decide", args=[second.pk]), {"action": "verify"}
    )
    second.refresh_from_db()
    assert second.status == Evidence.Status.VERIFIED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_on == last_week()
    assert str(enrolment.hours_credited) == "30.0"
    actions = list(
        AuditEvent.objects.filter(target_type="external.evidence").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "external.evidence_submitted",
            "external.evidence_rejected",
            "external.evidence_submitted",
            "external.evidence_verified",
        ]
    )

    client.force_login(learner_a.user)
    record = client.get(reverse("records:mine")).content.decode()
    assert "Public Policy Analysis" in record
    assert "30" in record
    assert Notification.objects.filter(user=learner_a.user, message__contains="verified").exists()
    statement = Statement.objects.get()  # the completion, in the LRS
    assert '"http://adlnet.gov/expapi/verbs/completed"' in statement.body
    assert learner_a.pen in statement.body


def test_the_course_page_part_offers_each_step_in_turn(rf: RequestFactory, learner_a, mooc):
    def rendered() -> str:
        request = rf.get("/")
        request.user = learner_a.user
        actions = selectors.course_actions_for(user=learner_a.user, course=mooc)
        return render_to_string(
            "external/_course_actions.html", {"external": actions}, request=request
        )

    assert "I have enrolled" in rendered()
    assert "Submit completion evidence" in rendered()
    Enrolment.objects.create(employee=learner_a, course=mooc)
    assert "I have enrolled" not in rendered()
    assert "Submit completion evidence" in rendered()


def test_the_course_page_part_is_only_for_external_courses(learner_a) -> None:
    from govtrain import testing as t

    classroom = t.make_course("IMG-RTI")

    assert selectors.course_actions_for(user=learner_a.user, course=classroom) is None
