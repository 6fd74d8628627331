"""Coordinators' batch pages: the same rules as the services, through the browser's requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import Batch, Nomination
from govtrain.classroom.services import attendance, feedback
from govtrain.people.models import Employee
from govtrain.records.services import enrolment_open

pytestmark = pytest.mark.django_db
START = timezone.localdate() + dt.timedelta(days=40)


@pytest.fixture
def batch(coordinator: Employee) -> Batch:
    return t.make_batch(code="RTI-01", starts_on=START)


@pytest.fixture
def other_coordinator(office_b) -> Employee:
    employee = t.make_employee(office_b, name="Joseph K.")
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee


def form_data(*, sessions: Sequence[dict[str, str]] = (), **overrides: Any) -> dict[str, Any]:
    venue = t.make_venue()
    data: dict[str, Any] = {
        "course": t.make_course().pk,
        "code": "RTI-NEW",
        "centre": venue.centre.pk,
        "venue": venue.pk,
        "starts_on": START.isoformat(),
        "ends_on": (START + dt.timedelta(days=1)).isoformat(),
        "capacity": "25",
        "nominations_open_on": timezone.localdate().isoformat(),
        "nominations_close_on": (START - dt.timedelta(days=10)).isoformat(),
        "language": "ml",
        "faculty": "",
        "sessions-TOTAL_FORMS": str(len(sessions) + 1),
        "sessions-INITIAL_FORMS": "0",
        "quotas-TOTAL_FORMS": "1",
        "quotas-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(sessions):
        data.update({f"sessions-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data


# --- The list ------------------------------------------------------------------------


def test_coordinator_sees_own_batches_with_fill_in_a_fixed_number_of_queries(
    client, coordinator, batch, learner_a, learner_b, django_assert_num_queries
) -> None:
    for n in range(2, 12):
        t.make_batch(code=f"RTI-{n:02}", starts_on=START + dt.timedelta(days=5 * n))
    Nomination.objects.create(batch=batch, employee=learner_a, status="confirmed", source="request")
    Nomination.objects.create(
        batch=batch, employee=learner_b, status="waitlisted", source="request"
    )
    t.make_batch(
        t.make_course("KILA-X", provider=t.make_provider("KILA")),
        code="KILA-01",
        venue=t.make_venue(t.make_provider("KILA"), centre_code="KILA-TSR"),
    )
    client.force_login(coordinator.user)
    client.get(reverse("classroom:batch-list"))  # warm the session

    # The signed-in user with their access and unread count (one), and the page's own.
    with django_assert_num_queries(4):
        response = client.get(reverse("classroom:batch-list"))

    page = response.content.decode()
    assert "RTI-11" in page
    assert "KILA-01" not in page
    row = page[page.index("RTI-01") :]
    assert "1 / 30" in row[: row.index("</tr>")]
    assert "(3% full)" in row[: row.index("</tr>")]


def test_the_list_filters_by_month_status_and_centre(client, coordinator, batch) -> None:
    later = t.make_batch(code="RTI-LATER", starts_on=START + dt.timedelta(days=70))
    Batch.objects.filter(pk=later.pk).update(status=Batch.Status.CANCELLED)
    client.force_login(coordinator.user)
    url = reverse("classroom:batch-list")

    by_month = client.get(url, {"month": START.strftime("%Y-%m")}).content.decode()
    by_status = client.get(url, {"status": "cancelled"}).content.decode()
    by_centre = client.get(
        url, {"centre": t.make_venue(centre_code="IMG-EKM").centre.pk}
    ).content.decode()

    assert "RTI-01" in by_month
    assert "RTI-LATER" not in by_month
    assert "RTI-LATER" in by_status
    assert "RTI-01" not in by_status
    assert "No batch matches." in by_centre


@pytest.mark.parametrize("who", ["learner_a", "officer_a"])
def test_learners_and_officers_cannot_open_the_batch_pages(request, client, who) -> None:
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(reverse("classroom:batch-list")).status_code == 403
    assert client.get(reverse("classroom:batch-create")).status_code == 403
    assert client.post(reverse("classroom:batch-create"), form_data()).status_code == 403
    assert not Batch.objects.exists()


def test_coordinator_of_another_provider_gets_404_and_nothing_changes(
    client, other_coordinator, batch
) -> None:
    client.force_login(other_coordinator.user)

    assert client.get(reverse("classroom:batch-detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("classroom:batch-edit", args=[batch.pk])).status_code == 404
    response = client.post(reverse("classroom:batch-cancel", args=[batch.pk]), {"reason": "x"})

    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == Batch.Status.SCHEDULED


# --- Scheduling and changing ---------------------------------------------------------


def test_coordinator_schedules_a_batch_with_its_timetable(client, coordinator) -> None:
    client.force_login(coordinator.user)
    assert client.get(reverse("classroom:batch-create")).status_code == 200
    teacher = t.make_employee(coordinator.office, name="Dr. Lekha N.", login=False)

    response = client.post(
        reverse("classroom:batch-create"),
        form_data(
            sessions=[
                {
                    "date": START.isoformat(),
                    "starts_at": "10:00",
                    "ends_at": "13:00",
                    "title": "RTI basics",
                    "faculty": teacher.pen,
                }
            ],
            **{"quotas-0-gender": "F", "quotas-0-seats": "10"},
        ),
    )

    batch = Batch.objects.get(code="RTI-NEW")
    assert response.url == reverse("classroom:batch-detail", args=[batch.pk])
    assert batch.sessions.get().faculty == teacher
    assert batch.quotas.get().gender == "F"
    detail = client.get(response.url).content.decode()
    assert "RTI basics" in detail
    assert "Dr. Lekha N." in detail


def test_a_conflict_is_shown_on_the_form_naming_the_other_batch(client, coordinator, batch) -> None:
    client.force_login(coordinator.user)

    response = client.post(
        reverse("classroom:batch-create"),
        form_data(
            sessions=[
                {"date": START.isoformat(), "starts_at": "11:00", "ends_at": "12:00", "title": "X"}
            ]
        ),
    )

    assert response.status_code == 400
    assert "Room SC1 is already booked for batch RTI-01" in response.content.decode()
    assert not Batch.objects.filter(code="RTI-NEW").exists()


def test_an_unknown_faculty_pen_is_refused_on_the_form(client, coordinator) -> None:
    client.force_login(coordinator.user)

    response = client.post(reverse("classroom:batch-create"), form_data(faculty="9999999"))

    assert response.status_code == 400
    assert "No employee has the PEN 9999999." in response.content.decode()


def test_coordinator_edits_a_batch_keeping_the_timetable_less_a_removed_row(
    client, coordinator, batch
) -> None:
    client.force_login(coordinator.user)
    url = reverse("classroom:batch-edit", args=[batch.pk])
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["sessions"]
    data = {
        **form_data(
            code="RTI-01", capacity="20", ends_on=(START + dt.timedelta(days=2)).isoformat()
        ),
        "sessions-TOTAL_FORMS": str(formset.total_form_count()),
        "sessions-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name)
            if name == "DELETE" or value is None:
                continue
            data[f"sessions-{i}-{name}"] = field.widget.format_value(value) or ""
    data.pop("course")
    data["sessions-5-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.capacity == 20
    assert batch.sessions.count() == 5
    assert AuditEvent.objects.get(action="batch.updated").after["capacity"] == 20


def test_coordinator_cancels_a_batch_from_its_page(client, coordinator, batch) -> None:
    client.force_login(coordinator.user)
    url = reverse("classroom:batch-cancel", args=[batch.pk])

    without_reason = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "Hall under repair"}, follow=True)

    assert without_reason.status_code == 400
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CANCELLED
    page = response.content.decode()
    assert "was cancelled" in page
    assert "Edit batch and timetable" not in page


def test_coordinators_batch_list_shows_attendance_and_feedback(
    client, coordinator, office_a
) -> None:
    batch = t.make_batch(code="RTI-PAST", days=1, sessions_per_day=1)
    people = [t.make_employee(office_a, name=f"P{i}") for i in range(4)]
    for person in people:
        enrolment_open(employee=person, batch=batch)
    session = batch.sessions.get()
    day = dt.datetime.combine(session.date, dt.time(18), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(day):
        marks = {p.pk: ("present", None) for p in people}
        marks[people[3].pk] = ("absent", None)
        attendance.attendance_mark(session=session, marks=marks, by=coordinator.user)
        form = feedback.feedback_form_for(batch=batch)
        rating = form.questions.get(kind="course_rating")
        feedback.feedback_submit(batch=batch, employee=people[0], answers={(rating.pk, None): 4})
    client.force_login(coordinator.user)

    page = client.get(reverse("classroom:batch-list")).content.decode()

    assert "75%" in page
    assert "4.0/5" in page


def test_faculty_find_their_batches_attendance_sheets_on_the_home_page(client, office_a) -> None:
    teacher = t.make_employee(office_a, name="Dr. Suma")
    batch = t.make_batch(code="RTI-TEACH")
    batch.faculty.set([teacher])
    t.make_batch(t.make_course("IMG-OTHER"), code="OTHER-01", venue=t.make_venue(code="SC2"))
    client.force_login(teacher.user)

    page = client.get(reverse("core:home")).content.decode()

    assert reverse("classroom:attendance-sheet", args=[batch.pk]) in page
    assert "OTHER-01" not in page
