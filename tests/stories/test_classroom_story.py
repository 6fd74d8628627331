"""A classroom programme from the calendar to the training record.

The institute schedules an RTI batch; a clerk asks for a seat and her controlling officer
approves; the department's nodal officer nominates two more; the institute confirms and
the last one is waitlisted; someone withdraws and the waitlist moves up. The batch meets,
faculty mark attendance (with a late arrival and a correction), participants give
feedback, the coordinator closes the batch, and the hours land on the record that the
clerk downloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import Nomination
from govtrain.classroom.services import attendance, batches, completion, feedback, nominations
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)
START = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int = 12) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC))


def test_from_the_calendar_to_the_training_record(
    client, office_a, officer_a, coordinator, django_capture_on_commit_callbacks
) -> None:
    with at(TODAY):
        # The institute schedules a three-day batch with a faculty member.
        faculty = t.make_employee(office_a, name="Dr. Suma")
        assert faculty.user is not None
        t.grant(faculty.user, Role.FACULTY, provider=t.make_provider("IMG"))
        course = t.make_course("IMG-RTI", hours=Decimal("18"))
        venue = t.make_venue(course.provider, capacity=40)
        sessions = [
            (START + dt.timedelta(days=d), dt.time(9, 30), dt.time(13, 0), f"Day {d + 1}", faculty)
            for d in range(3)
        ]
        batch = batches.batch_create(
            by=coordinator.user,
            course=course,
            code="RTI-2026-12",
            centre=venue.centre,
            venue=venue,
            starts_on=START,
            ends_on=START + dt.timedelta(days=2),
            capacity=3,
            nominations_open_on=TODAY,
            nominations_close_on=START - dt.timedelta(days=10),
            sessions=sessions,
        )

        # A clerk asks for a seat; her controlling officer approves.
        clerk = t.make_employee(office_a, name="Meera R.", controlling_officer=officer_a)
        assert clerk.user is not None
        asked = nominations.nomination_request(batch=batch, employee=clerk, by=clerk.user)
        nominations.nomination_approve(nomination=asked, by=officer_a.user, reason="Needed")

        # The nodal officer nominates three more at once.
        others = [t.make_employee(office_a, name=f"Staff {i}") for i in range(3)]
        with django_capture_on_commit_callbacks(execute=True):
            nominations.nominations_create(batch=batch, employees=others, by=officer_a.user)

        # The institute confirms all four: three seats, so the last is waitlisted.
        waiting = Nomination.objects.filter(batch=batch, status="approved")
        result = nominations.nominations_confirm(
            batch=batch, nominations=waiting, by=coordinator.user
        )
        assert len(result.confirmed) == 3
        assert len(result.waitlisted) == 1
        dropped = Nomination.objects.get(employee=others[0])
        nominations.nomination_withdraw(nomination=dropped, by=officer_a.user, reason="Transfer")
        statuses = dict(Nomination.objects.values_list("employee__name_en", "status"))
        assert statuses == {
            "Meera R.": "confirmed",
            "Staff 0": "withdrawn",
            "Staff 1": "confirmed",
            "Staff 2": "confirmed",
        }

    # Each day, faculty mark the whole batch; Staff 2 misses the last day.
    participants = [clerk, others[1], others[2]]
    for day, session in enumerate(batch.sessions.order_by("date")):
        with at(session.date, 15):
            marks = {p.pk: ("present", None) for p in participants}
            if day == 0:
                marks[clerk.pk] = ("late", None)
            if day == 2:
                marks[others[2].pk] = ("absent", None)
            attendance.attendance_mark(session=session, marks=marks, by=faculty.user)
    with at(START + dt.timedelta(days=2), 17):
        # A correction: Staff 2 was in fact there for the first half hour.
        last = batch.sessions.order_by("date").last()
        attendance.attendance_mark(
            session=last, marks={others[2].pk: ("partial", 30)}, by=coordinator.user
        )
        assert AuditEvent.objects.filter(action__startswith="attendance.").exists()

        # Participants give feedback on the last day.
        form = feedback.feedback_form_for(batch=batch)
        for person in participants:
            answers = {}
            for question in form.questions.all():
                if question.kind == "course_rating":
                    answers[(question.pk, None)] = 5
                elif question.kind == "faculty_rating":
                    answers[(question.pk, faculty.pk)] = 4
            feedback.feedback_submit(batch=batch, employee=person, answers=answers)

    with at(START + dt.timedelta(days=3)):
        # The coordinator closes the batch: 80% attendance earns the 18 hours.
        completion.batch_complete(batch=batch, by=coordinator.user)
        outcomes = dict(Enrolment.objects.values_list("employee__name_en", "status"))
        assert outcomes == {
            "Meera R.": "completed",
            "Staff 0": "withdrawn",
            "Staff 1": "completed",
            "Staff 2": "not_completed",
        }
        assert Enrolment.objects.get(employee=clerk).hours_credited == Decimal("18")

        # The clerk sees it on her record and downloads it.
        client.force_login(clerk.user)
        page = client.get(reverse("records:mine")).content.decode()
        assert "Course IMG-RTI" in page
        exported = client.get(reverse("records:export", args=[clerk.pk, "csv"]))
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert any("Course IMG-RTI" in row for row in rows)
