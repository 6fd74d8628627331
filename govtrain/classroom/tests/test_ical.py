"""iCalendar feeds (RFC 5545), read back with the icalendar package as a calendar app would."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.classroom.models import Batch, Nomination
from govtrain.classroom.views.calendar import feed_token
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db
KOLKATA = ZoneInfo("Asia/Kolkata")
START = timezone.localdate() + dt.timedelta(days=20)


def read(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def teacher(office_a) -> Employee:
    return t.make_employee(office_a, name="Dr. Lekha N.", login=False)


@pytest.fixture
def batch(teacher) -> Batch:
    """Two days at IMG-TVM room SC1, 10:00-13:00 and 14:00-17:00, the first taught by Lekha."""
    batch = t.make_batch(code="RTI-01", starts_on=START, days=2)
    batch.sessions.filter(date=START, starts_at=dt.time(10)).update(faculty=teacher)
    return batch


def test_a_centres_public_feed_lists_its_sessions_to_anyone(client, batch, teacher) -> None:
    feed = read(client.get(reverse("classroom:centre-ical", args=["IMG-TVM"])))

    events = feed.walk("VEVENT")
    assert len(events) == 4
    first = events[0]
    session = batch.sessions.order_by("date", "starts_at").first()
    assert str(first["UID"]) == f"session-{session.pk}@127.0.0.1"
    assert first.decoded("DTSTART") == dt.datetime.combine(START, dt.time(10), tzinfo=KOLKATA)
    assert first.decoded("DTEND") == dt.datetime.combine(START, dt.time(13), tzinfo=KOLKATA)
    assert first["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert first.decoded("DTSTAMP").tzinfo is not None
    assert str(first["SUMMARY"]) == "Course IMG-RTI"
    assert str(first["LOCATION"]) == "Room SC1, Centre IMG-TVM"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert "RTI-01" in str(first["DESCRIPTION"])
    # Public: no personal data, not even the faculty's names.
    assert teacher.name_en not in response_text(client, "IMG-TVM")
    assert [tz["TZID"] for tz in feed.walk("VTIMEZONE")] == ["Asia/Kolkata"]
    assert str(feed["VERSION"]) == "2.0"


def response_text(client, code: str) -> str:
    content: bytes = client.get(reverse("classroom:centre-ical", args=[code])).content
    return content.decode()


def test_the_centre_feed_leaves_out_unpublished_courses_and_other_centres(client, batch) -> None:
    draft = t.make_course("IMG-DRAFT", is_published=False)
    t.make_batch(draft, code="DRAFT-01", venue=t.make_venue(code="SC2"), starts_on=START)
    t.make_batch(code="EKM-01", venue=t.make_venue(centre_code="IMG-EKM"), starts_on=START)

    feed = read(client.get(reverse("classroom:centre-ical", args=["IMG-TVM"])))

    assert {str(e["DESCRIPTION"]).split("\n")[1] for e in feed.walk("VEVENT")} == {"Batch RTI-01"}


def test_a_cancelled_batch_stays_in_the_feed_marked_cancelled(client, batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.CANCELLED)

    feed = read(client.get(reverse("classroom:centre-ical", args=["IMG-TVM"])))

    assert {str(e["STATUS"]) for e in feed.walk("VEVENT")} == {"CANCELLED"}


def test_an_unknown_centre_has_no_feed(client) -> None:
    assert client.get(reverse("classroom:centre-ical", args=["NOPE"])).status_code == 404


def test_an_employees_feed_holds_only_their_confirmed_batches(
    client, batch, learner_a, teacher
) -> None:
    other = t.make_batch(code="RTI-02", venue=t.make_venue(code="SC2"), starts_on=START)
    Nomination.objects.create(batch=batch, employee=learner_a, status="confirmed", source="request")
    Nomination.objects.create(batch=other, employee=learner_a, status="requested", source="request")

    url = reverse("classroom:my-ical", args=[feed_token(learner_a.pk)])
    feed = read(client.get(url))  # no login: calendar apps cannot log in

    events = feed.walk("VEVENT")
    assert len(events) == 4
    assert all("RTI-01" in str(e["DESCRIPTION"]) for e in events)
    assert "Faculty: Dr. Lekha N." in str(events[0]["DESCRIPTION"])
    assert str(feed["X-WR-CALNAME"]) == "My training"


def test_the_personal_feed_is_in_the_employees_language(client, batch, learner_a) -> None:
    batch.course.title_ml = "വിവരാവകാശം"
    batch.course.save()
    learner_a.user.language = "ml"
    learner_a.user.save()
    Nomination.objects.create(batch=batch, employee=learner_a, status="confirmed", source="request")

    feed = read(client.get(reverse("classroom:my-ical", args=[feed_token(learner_a.pk)])))

    assert str(feed.walk("VEVENT")[0]["SUMMARY"]) == "വിവരാവകാശം"


def test_a_forged_or_altered_token_gets_404(client, learner_a, learner_b) -> None:
    genuine = feed_token(learner_a.pk)
    forged = f"{learner_b.pk}:{genuine.split(':', 1)[1]}"

    assert client.get(reverse("classroom:my-ical", args=[forged])).status_code == 404
    assert client.get(reverse("classroom:my-ical", args=[str(learner_b.pk)])).status_code == 404


def test_the_address_on_the_subscribe_page_opens_the_learners_feed(
    client, batch, learner_a
) -> None:
    Nomination.objects.create(batch=batch, employee=learner_a, status="confirmed", source="request")
    client.force_login(learner_a.user)
    page = client.get(reverse("classroom:calendar-subscribe"))
    url = page.context["feed_url"].removeprefix("http://testserver")
    client.logout()

    assert len(read(client.get(url)).walk("VEVENT")) == 4
