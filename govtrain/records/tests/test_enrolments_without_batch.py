"""Online and external courses have no batch: an employee enrols once per course, and
the completion (a rule met, evidence verified) credits the course's hours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govtrain import testing as t
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_complete, enrolment_open_in_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def online_course() -> Course:
    return t.make_course("IMG-EOFFICE", modality=Course.Modality.ONLINE, hours=Decimal("6"))


def test_an_employee_enrols_once_and_enrolling_again_changes_nothing(learner_a, online_course):
    first = enrolment_open_in_course(employee=learner_a, course=online_course, by=learner_a.user)
    again = enrolment_open_in_course(employee=learner_a, course=online_course, by=learner_a.user)

    assert again.pk == first.pk
    assert first.status == Enrolment.Status.ENROLLED
    assert first.batch is None
    assert AuditEvent.objects.filter(action="enrolment.enrolled").count() == 1


def test_enrolling_after_withdrawing_reopens_the_same_enrolment(learner_a, online_course):
    enrolment = enrolment_open_in_course(employee=learner_a, course=online_course, by=None)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    reopened = enrolment_open_in_course(employee=learner_a, course=online_course, by=None)

    assert reopened.pk == enrolment.pk
    assert reopened.status == Enrolment.Status.ENROLLED


def test_a_classroom_course_is_joined_through_a_batch_not_here(learner_a):
    with pytest.raises(ValidationError, match="through a batch"):
        enrolment_open_in_course(employee=learner_a, course=t.make_course(), by=None)

    assert not Enrolment.objects.exists()


def test_completing_credits_the_hours_once_and_is_audited(learner_a, online_course):
    enrolment = enrolment_open_in_course(employee=learner_a, course=online_course, by=None)
    day = dt.date(2026, 11, 20)

    done = enrolment_complete(enrolment=enrolment, completed_on=day, by=None, reason="rule met")
    again = enrolment_complete(enrolment=done, completed_on=dt.date(2026, 12, 1), by=None)

    assert again.status == Enrolment.Status.COMPLETED
    assert again.completed_on == day
    assert again.hours_credited == Decimal("6")
    event = AuditEvent.objects.get(action="enrolment.completed")
    assert event.reason == "rule met"
    assert event.after["hours_credited"] == "6.0"


def test_a_withdrawn_or_batch_enrolment_is_not_completed_here(learner_a, online_course):
    enrolment = enrolment_open_in_course(employee=learner_a, course=online_course, by=None)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        enrolment_complete(enrolment=enrolment, completed_on=dt.date(2026, 11, 20), by=None)

    batch = t.make_batch()
    in_batch = Enrolment.objects.create(employee=learner_a, course=batch.course, batch=batch)
    with pytest.raises(ValidationError, match="closed"):
        enrolment_complete(enrolment=in_batch, completed_on=dt.date(2026, 11, 20), by=None)
    assert not Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).exists()
