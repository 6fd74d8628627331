"""Nominations along the approval chain: who may do what, and what everyone sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import ApprovalPolicy, Batch, BatchQuota, Nomination, Step
from govtrain.classroom.services import nominations as services
from govtrain.notifications.models import Notification
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
S = Nomination.Status


@pytest.fixture
def batch(coordinator: Employee) -> Batch:
    return t.make_batch(capacity=2)


@pytest.fixture
def clerk_a(office_a, officer_a) -> Employee:
    """A clerk in department A whose controlling officer is officer_a."""
    return t.make_employee(
        office_a, name="Meera R.", controlling_officer=officer_a, email="meera@kerala.gov.in"
    )


def test_nodal_officer_nominates_staff_and_the_institute_is_asked(
    officer_a, learner_a, clerk_a, batch, coordinator, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.nominations_create(
            batch=batch, employees=[learner_a, clerk_a], by=officer_a.user, reason="Due for RTI"
        )

    assert len(result.created) == 2
    nomination = Nomination.objects.get(employee=clerk_a)
    assert (nomination.status, nomination.step) == (S.APPROVED, Step.INSTITUTE)
    assert nomination.events.get().actor == officer_a.user
    assert nomination.events.get().reason == "Due for RTI"
    assert AuditEvent.objects.filter(action="nomination.created").count() == 2
    assert Notification.objects.filter(user=clerk_a.user).exists()
    assert Notification.objects.filter(user=coordinator.user).exists()
    assert [m.to for m in mail.outbox] == [["meera@kerala.gov.in"]]


def test_officer_cannot_nominate_another_departments_staff(officer_b, learner_a, batch) -> None:
    with pytest.raises(PermissionDenied):
        services.nominations_create(batch=batch, employees=[learner_a], by=officer_b.user)

    assert not Nomination.objects.exists()


def test_learner_cannot_nominate_anybody(learner_a, learner_b, batch) -> None:
    with pytest.raises(PermissionDenied):
        services.nominations_create(batch=batch, employees=[learner_a], by=learner_a.user)


def test_the_whole_default_chain_request_approve_confirm(
    clerk_a, officer_a, coordinator, batch
) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    assert (nomination.status, nomination.step) == (S.REQUESTED, Step.CONTROLLING_OFFICER)
    assert Notification.objects.filter(user=officer_a.user).exists()

    services.nomination_approve(nomination=nomination, by=officer_a.user, reason="Relevant")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.step) == (S.APPROVED, Step.INSTITUTE)

    services.nomination_confirm(nomination=nomination, by=coordinator.user)
    nomination.refresh_from_db()
    assert nomination.status == S.CONFIRMED
    assert Enrolment.objects.get(employee=clerk_a, batch=batch).status == "enrolled"
    assert [e.action for e in nomination.events.all()] == ["requested", "approved", "confirmed"]
    assert [e.actor for e in nomination.events.all()] == [
        clerk_a.user,
        officer_a.user,
        coordinator.user,
    ]


def test_a_three_step_chain_waits_for_the_head_of_department(
    clerk_a, office_a, department_a, coordinator, batch
) -> None:
    ApprovalPolicy.objects.create(
        provider=batch.course.provider,
        steps=[Step.CONTROLLING_OFFICER, Step.DEPARTMENT, Step.INSTITUTE],
    )
    head = t.make_employee(office_a, name="Head of department")
    assert head.user is not None
    t.grant(head.user, Role.NODAL_OFFICER, department=department_a)
    controlling = clerk_a.controlling_officer
    assert controlling is not None
    assert controlling.user is not None

    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    services.nomination_approve(nomination=nomination, by=controlling.user)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.step) == (S.REQUESTED, Step.DEPARTMENT)

    services.nomination_approve(nomination=nomination, by=head.user)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.step) == (S.APPROVED, Step.INSTITUTE)


def test_a_single_step_chain_goes_straight_to_the_institute(clerk_a, batch) -> None:
    ApprovalPolicy.objects.create(course=batch.course, steps=[Step.INSTITUTE])

    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)

    assert (nomination.status, nomination.step) == (S.APPROVED, Step.INSTITUTE)


def test_controlling_officer_of_someone_else_cannot_approve(clerk_a, learner_b, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)

    with pytest.raises(PermissionDenied):
        services.nomination_approve(nomination=nomination, by=learner_b.user)

    nomination.refresh_from_db()
    assert nomination.status == S.REQUESTED


def test_nobody_approves_their_own_request(officer_a, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=officer_a, by=officer_a.user)

    with pytest.raises(PermissionDenied):
        services.nomination_approve(nomination=nomination, by=officer_a.user)


def test_rejecting_needs_a_reason_the_employee_sees(clerk_a, officer_a, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)

    with pytest.raises(ValidationError):
        services.nomination_reject(nomination=nomination, by=officer_a.user, reason=" ")
    services.nomination_reject(nomination=nomination, by=officer_a.user, reason="Audit season")

    nomination.refresh_from_db()
    assert nomination.status == S.REJECTED
    assert nomination.events.last().reason == "Audit season"
    assert "Audit season" in Notification.objects.filter(user=clerk_a.user).first().message


def test_coordinator_of_another_institute_cannot_confirm(officer_a, learner_a, office_a) -> None:
    kila_batch = t.make_batch(t.make_course("KILA-GOV", provider=t.make_provider("KILA")))
    img_coordinator = t.make_employee(office_a, name="IMG coordinator")
    assert img_coordinator.user is not None
    t.grant(img_coordinator.user, Role.COORDINATOR, provider=t.make_provider("IMG"))
    result = services.nominations_create(batch=kila_batch, employees=[learner_a], by=officer_a.user)

    with pytest.raises(PermissionDenied):
        services.nomination_confirm(nomination=result.created[0], by=img_coordinator.user)


# --- Eligibility ---------------------------------------------------------------------


def refusal(officer, batch, employee) -> list[str]:
    with pytest.raises(services.NominationRefused) as refused:
        services.nominations_create(batch=batch, employees=[employee], by=officer.user)
    assert not Nomination.objects.filter(batch=batch, employee=employee).exists()
    return refused.value.refusals[employee]


def test_a_course_for_village_officers_refuses_a_clerk(officer_a, learner_a) -> None:
    course = t.make_course("IMG-VO")
    course.target_designations.set([t.make_designation("VO", "Village Officer")])
    batch = t.make_batch(course)

    assert refusal(officer_a, batch, learner_a) == [
        "The course is not meant for their designation."
    ]


def test_prerequisite_must_be_completed_first(officer_a, learner_a) -> None:
    basics = t.make_course("IMG-RTI-1")
    advanced = t.make_course("IMG-RTI-2")
    advanced.prerequisites.set([basics])
    batch = t.make_batch(advanced)

    assert "prerequisite" in refusal(officer_a, batch, learner_a)[0]

    Enrolment.objects.create(
        employee=learner_a, course=basics, status="completed", completed_on=timezone.localdate()
    )
    services.nominations_create(batch=batch, employees=[learner_a], by=officer_a.user)


def test_overlapping_batches_are_refused(officer_a, learner_a, batch) -> None:
    other = t.make_batch(t.make_course("IMG-GST"), code="GST-01", starts_on=batch.starts_on)
    services.nominations_create(batch=batch, employees=[learner_a], by=officer_a.user)

    assert "overlapping" in refusal(officer_a, other, learner_a)[0]


def test_nominations_close_before_the_lead_time(officer_a, learner_a) -> None:
    soon = timezone.localdate() + dt.timedelta(days=5)
    batch = t.make_batch(starts_on=soon, nominations_close_on=soon - dt.timedelta(days=1))

    assert "closed" in refusal(officer_a, batch, learner_a)[0]


def test_a_window_not_yet_open_is_refused(officer_a, learner_a) -> None:
    batch = t.make_batch(nominations_open_on=timezone.localdate() + dt.timedelta(days=2))

    assert "open on" in refusal(officer_a, batch, learner_a)[0]


def test_department_quota_refuses_the_one_too_many(officer_a, learner_a, clerk_a, batch) -> None:
    BatchQuota.objects.create(batch=batch, department=learner_a.office.department, seats=1)

    with pytest.raises(services.NominationRefused) as refused:
        services.nominations_create(batch=batch, employees=[learner_a, clerk_a], by=officer_a.user)

    assert list(refused.value.refusals) == [clerk_a]
    assert "quota" in refused.value.refusals[clerk_a][0]
    assert not Nomination.objects.exists()


def test_gender_quota_counts_only_that_gender(officer_a, office_a, batch) -> None:
    BatchQuota.objects.create(batch=batch, gender="F", seats=1)
    women = [t.make_employee(office_a, name=f"W{i}", gender="F") for i in range(2)]
    man = t.make_employee(office_a, name="M", gender="M")

    result = services.nominations_create(
        batch=batch, employees=[*women, man], by=officer_a.user, skip_ineligible=True
    )

    assert {n.employee for n in result.created} == {women[0], man}
    assert list(result.refused) == [women[1]]


def test_skip_ineligible_nominates_the_others(officer_a, learner_a, clerk_a, batch) -> None:
    services.nominations_create(batch=batch, employees=[learner_a], by=officer_a.user)

    result = services.nominations_create(
        batch=batch, employees=[learner_a, clerk_a], by=officer_a.user, skip_ineligible=True
    )

    assert [n.employee for n in result.created] == [clerk_a]
    assert "already" in result.refused[learner_a][0]


# --- Capacity and the waitlist -------------------------------------------------------


def test_confirming_beyond_capacity_waitlists_the_rest_and_withdrawal_promotes(
    officer_a, office_a, coordinator, batch
) -> None:
    staff = [t.make_employee(office_a, name=f"Staff {i}") for i in range(3)]
    created = services.nominations_create(batch=batch, employees=staff, by=officer_a.user).created

    result = services.nominations_confirm(batch=batch, nominations=created, by=coordinator.user)

    assert [n.employee for n in result.confirmed] == staff[:2]
    assert [n.employee for n in result.waitlisted] == staff[2:]
    with pytest.raises(ValidationError):
        services.nomination_confirm(nomination=result.waitlisted[0], by=coordinator.user)

    services.nomination_withdraw(nomination=result.confirmed[0], by=officer_a.user, reason="Leave")

    promoted = Nomination.objects.get(employee=staff[2])
    assert promoted.status == S.CONFIRMED
    assert promoted.events.last().action == "promoted"
    assert Enrolment.objects.get(employee=staff[0]).status == "withdrawn"
    assert Enrolment.objects.get(employee=staff[2]).status == "enrolled"


def test_employee_withdraws_their_own_request(clerk_a, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)

    services.nomination_withdraw(nomination=nomination, by=clerk_a.user)

    nomination.refresh_from_db()
    assert nomination.status == S.WITHDRAWN
    # A withdrawn request may be made again.
    again = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    assert again.status == S.REQUESTED


def test_another_employee_cannot_withdraw_my_nomination(clerk_a, learner_b, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)

    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(nomination=nomination, by=learner_b.user)


def test_nominating_many_costs_a_fixed_number_of_queries(
    officer_a, office_a, coordinator, django_assert_max_num_queries
) -> None:
    batch = t.make_batch(capacity=40)
    BatchQuota.objects.create(batch=batch, department=office_a.department, seats=100)
    staff = [t.make_employee(office_a, name=f"Staff {i}") for i in range(60)]
    staff = list(Employee.objects.filter(pk__in=[e.pk for e in staff]).select_related("office"))

    with django_assert_max_num_queries(30):
        result = services.nominations_create(batch=batch, employees=staff, by=officer_a.user)

    assert len(result.created) == 60
    assert Notification.objects.filter(user__in=[e.user for e in staff]).count() == 60
