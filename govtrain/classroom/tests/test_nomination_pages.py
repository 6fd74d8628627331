"""Nomination pages: the same rules as the services, seen through the browser's requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.classroom.models import Batch, Nomination
from govtrain.classroom.services import nominations as services
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db
S = Nomination.Status


@pytest.fixture
def batch(coordinator: Employee) -> Batch:
    return t.make_batch(capacity=2)


@pytest.fixture
def clerk_a(office_a, officer_a) -> Employee:
    return t.make_employee(office_a, name="Meera R.", controlling_officer=officer_a)


def test_learner_asks_for_a_seat_and_sees_it_waiting(client, clerk_a, batch) -> None:
    client.force_login(clerk_a.user)

    response = client.post(reverse("classroom:nomination-request", args=[batch.pk]))

    nomination = Nomination.objects.get(employee=clerk_a)
    assert response.url == reverse("classroom:nomination-detail", args=[nomination.pk])
    page = client.get(response.url).content.decode()
    assert "Awaiting approval" in page
    assert "Controlling officer" in page
    mine = client.get(reverse("classroom:nomination-list")).content.decode()
    assert response.url in mine


def test_refused_request_says_why_on_the_course_page(client, learner_a) -> None:
    course = t.make_course("IMG-VO")
    course.target_designations.set([t.make_designation("VO", "Village Officer")])
    batch = t.make_batch(course)
    client.force_login(learner_a.user)

    response = client.post(reverse("classroom:nomination-request", args=[batch.pk]), follow=True)

    assert "not meant for their designation" in response.content.decode()
    assert not Nomination.objects.exists()


def test_officer_nominates_by_pasting_pens(client, officer_a, learner_a, clerk_a, batch) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("classroom:batch-nominate", args=[batch.pk]),
        {"pens": f"{learner_a.pen}\n{clerk_a.pen}", "reason": "Annual plan"},
    )

    assert response.status_code == 302
    assert set(Nomination.objects.values_list("employee__pen", flat=True)) == {
        learner_a.pen,
        clerk_a.pen,
    }


def test_officer_finds_staff_and_ticks_them(client, officer_a, clerk_a, batch) -> None:
    client.force_login(officer_a.user)
    url = reverse("classroom:batch-nominate", args=[batch.pk])

    page = client.get(url, {"q": "meera"}).content.decode()
    assert "Meera R." in page
    client.post(f"{url}?q=meera", {"employees": [clerk_a.pk]})

    assert Nomination.objects.get().employee == clerk_a


def test_pens_outside_the_officers_charge_are_named_and_nothing_is_written(
    client, officer_a, learner_b, batch
) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("classroom:batch-nominate", args=[batch.pk]), {"pens": learner_b.pen}
    )

    assert response.status_code == 200
    assert f"Not found among your staff: {learner_b.pen}" in response.content.decode()
    assert not Nomination.objects.exists()


def test_refusals_are_listed_and_the_others_can_be_nominated(
    client, officer_a, learner_a, clerk_a, batch
) -> None:
    services.nominations_create(batch=batch, employees=[learner_a], by=officer_a.user)
    client.force_login(officer_a.user)
    url = reverse("classroom:batch-nominate", args=[batch.pk])

    response = client.post(url, {"pens": f"{learner_a.pen} {clerk_a.pen}"})
    page = response.content.decode()
    assert "Nobody was nominated" in page
    assert "already have a nomination" in page

    client.post(url, {"employees": [learner_a.pk, clerk_a.pk], "skip_ineligible": "on"})
    assert Nomination.objects.filter(employee=clerk_a).exists()


def test_learner_cannot_open_the_nominate_page(client, learner_a, batch) -> None:
    client.force_login(learner_a.user)

    assert client.get(reverse("classroom:batch-nominate", args=[batch.pk])).status_code == 403


def test_officer_approves_from_the_list_with_htmx(client, officer_a, clerk_a, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    client.force_login(officer_a.user)
    assert "Meera R." in client.get(reverse("classroom:nomination-list")).content.decode()

    response = client.post(
        reverse("classroom:nomination-decide", args=[nomination.pk]),
        {"action": "approve"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert f'id="nomination-{nomination.pk}"' in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.APPROVED


def test_officer_of_another_department_gets_404_and_nothing_changes(
    client, officer_b, clerk_a, batch
) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    client.force_login(officer_b.user)

    detail = client.get(reverse("classroom:nomination-detail", args=[nomination.pk]))
    decide = client.post(
        reverse("classroom:nomination-decide", args=[nomination.pk]), {"action": "approve"}
    )

    assert (detail.status_code, decide.status_code) == (404, 404)
    nomination.refresh_from_db()
    assert nomination.status == S.REQUESTED


def test_rejecting_without_a_reason_shows_an_error(client, officer_a, clerk_a, batch) -> None:
    nomination = services.nomination_request(batch=batch, employee=clerk_a, by=clerk_a.user)
    client.force_login(officer_a.user)

    response = client.post(
        reverse("classroom:nomination-decide", args=[nomination.pk]),
        {"action": "reject", "reason": ""},
        follow=True,
    )

    assert "Give a reason" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.REQUESTED


def test_coordinator_confirms_in_bulk(client, coordinator, officer_a, office_a, batch) -> None:
    staff = [t.make_employee(office_a, name=f"Staff {i}") for i in range(3)]
    created = services.nominations_create(batch=batch, employees=staff, by=officer_a.user).created
    client.force_login(coordinator.user)

    client.post(
        reverse("classroom:batch-confirm", args=[batch.pk]),
        {"nominations": [n.pk for n in created]},
    )

    statuses = dict(Nomination.objects.values_list("employee__name_en", "status"))
    assert statuses == {"Staff 0": S.CONFIRMED, "Staff 1": S.CONFIRMED, "Staff 2": S.WAITLISTED}


def test_coordinator_of_another_institute_gets_404_on_bulk_confirm(
    client, officer_a, learner_a, office_a
) -> None:
    kila_batch = t.make_batch(t.make_course("KILA-GOV", provider=t.make_provider("KILA")))
    created = services.nominations_create(
        batch=kila_batch, employees=[learner_a], by=officer_a.user
    ).created
    img = t.make_employee(office_a, name="IMG coordinator")
    assert img.user is not None
    t.grant(img.user, t.Role.COORDINATOR, provider=t.make_provider("IMG"))
    client.force_login(img.user)

    response = client.post(
        reverse("classroom:batch-confirm", args=[kila_batch.pk]), {"nominations": [created[0].pk]}
    )

    assert response.status_code == 404
    assert Nomination.objects.get().status == S.APPROVED


def test_nomination_list_reads_a_fixed_number_of_queries(
    client, officer_a, office_a, batch, django_assert_max_num_queries
) -> None:
    staff = [t.make_employee(office_a, name=f"Staff {i}") for i in range(15)]
    services.nominations_create(batch=batch, employees=staff, by=officer_a.user)
    client.force_login(officer_a.user)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("classroom:nomination-list"))

    assert response.content.decode().count("Staff ") >= 15


def test_notifications_page_lists_mine_and_marks_them_read(client, officer_a, learner_a, batch):
    services.nominations_create(batch=batch, employees=[learner_a], by=officer_a.user)
    client.force_login(learner_a.user)

    page = client.get(reverse("notifications:list")).content.decode()
    assert "You have been nominated" in page
    client.post(reverse("notifications:read"))

    assert learner_a.user.notifications.filter(read_at=None).count() == 0


def test_course_page_offers_a_seat_to_the_learner_and_nominating_to_the_officer(
    client, clerk_a, officer_a, batch
) -> None:
    course_page = reverse("catalog:course-detail", args=[batch.course.code])
    client.force_login(clerk_a.user)
    assert "Request a seat" in client.get(course_page).content.decode()

    client.post(reverse("classroom:nomination-request", args=[batch.pk]))

    page = client.get(course_page).content.decode()
    assert "Request a seat" not in page
    assert "Awaiting approval" in page
    client.force_login(officer_a.user)
    assert (
        reverse("classroom:batch-nominate", args=[batch.pk])
        in client.get(course_page).content.decode()
    )


def test_course_page_says_why_nominations_are_closed(client, learner_a, coordinator) -> None:
    batch = t.make_batch(nominations_open_on=timezone.localdate() + dt.timedelta(days=3))
    client.force_login(learner_a.user)

    page = client.get(reverse("catalog:course-detail", args=[batch.course.code])).content
    assert "Nominations open on" in page.decode()
    assert "Request a seat" not in page.decode()
