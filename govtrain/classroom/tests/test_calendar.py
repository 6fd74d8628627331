"""The training calendar: every signed-in user sees the month's batches on their days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from govtrain import testing as t
from govtrain.classroom.models import Batch

pytestmark = pytest.mark.django_db
MONTH = dt.date(2031, 3, 1)  # starts on a Saturday


def month_page(client, **params: str) -> str:
    params.setdefault("month", "2031-03")
    response = client.get(reverse("classroom:calendar"), params)
    assert response.status_code == 200
    content: bytes = response.content
    return content.decode()


def cell(page: str, day: int) -> str:
    """The calendar cell of a day of March 2031."""
    start = page.index(f'<time datetime="2031-03-{day:02}">')
    return page[start : page.index("</td>", start)]


@pytest.fixture
def rti(db) -> Batch:
    """A published IMG course, Thursday 13 to Saturday 15 March 2031."""
    return t.make_batch(code="RTI-MAR", starts_on=dt.date(2031, 3, 13))


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    response = client.get(reverse("classroom:calendar"))

    assert response.status_code == 302
    assert "/login/" in response.url


def test_learner_sees_a_batch_on_each_of_its_days(client, learner_a, rti) -> None:
    client.force_login(learner_a.user)

    page = month_page(client)

    assert "March 2031" in page
    for day in (13, 14, 15):
        assert "Course IMG-RTI" in cell(page, day)
    # Learners go to the course's page, where they ask for a seat.
    assert reverse("catalog:course-detail", args=["IMG-RTI"]) in cell(page, 13)
    assert "Course IMG-RTI" not in cell(page, 12)
    assert "Course IMG-RTI" not in cell(page, 16)
    # The weeks start on Monday: 24 February 2031 opens the grid.
    assert page.index('datetime="2031-02-24"') < page.index('datetime="2031-03-01"')


def test_learners_do_not_see_batches_of_unpublished_courses_but_their_coordinator_does(
    client, learner_a, coordinator
) -> None:
    draft = t.make_course("IMG-DRAFT", is_published=False)
    t.make_batch(draft, code="DRAFT-01", starts_on=dt.date(2031, 3, 4))

    client.force_login(learner_a.user)
    assert "Course IMG-DRAFT" not in month_page(client)
    client.force_login(coordinator.user)
    page = month_page(client)
    assert "Course IMG-DRAFT" in page
    batch = Batch.objects.get(code="DRAFT-01")
    assert reverse("classroom:batch-detail", args=[batch.pk]) in page


def test_a_cancelled_batch_says_so_in_words(client, learner_a, rti) -> None:
    Batch.objects.filter(pk=rti.pk).update(status=Batch.Status.CANCELLED)
    client.force_login(learner_a.user)

    assert "Cancelled" in cell(month_page(client), 13)
    assert (
        "Cancelled"
        in client.get(reverse("classroom:calendar-list"), {"month": "2031-03"}).content.decode()
    )


def test_the_calendar_filters_by_centre_provider_and_topic(client, learner_a, rti) -> None:
    kila = t.make_provider("KILA")
    other = t.make_course("KILA-PLAN", provider=kila, topic=t.make_topic("PLAN", "Planning"))
    t.make_batch(
        other,
        code="KILA-MAR",
        venue=t.make_venue(kila, centre_code="KILA-TSR"),
        starts_on=dt.date(2031, 3, 13),
    )
    client.force_login(learner_a.user)
    kila_centre = str(other.batches.get().centre.pk)

    by_centre = month_page(client, centre=kila_centre)
    by_provider = month_page(client, provider=str(kila.pk))
    by_topic = month_page(client, topic=str(t.make_topic().pk))

    assert "Course KILA-PLAN" in by_centre
    assert "Course IMG-RTI" not in by_centre
    assert "Course KILA-PLAN" in by_provider
    assert "Course IMG-RTI" not in by_provider
    assert "Course IMG-RTI" in by_topic
    assert "Course KILA-PLAN" not in by_topic


def test_months_are_browsed_with_previous_and_next_links_that_keep_the_filters(
    client, learner_a, rti
) -> None:
    client.force_login(learner_a.user)

    page = month_page(client, month="2031-04", topic=str(t.make_topic().pk))

    assert "Course IMG-RTI" not in page
    assert re.search(r'href="\?month=2031-03&amp;topic=\d+" rel="prev"', page)
    assert 'rel="next">May 2031' in page


def test_the_list_view_shows_the_month_as_a_table(client, learner_a, rti) -> None:
    client.force_login(learner_a.user)

    page = client.get(reverse("classroom:calendar-list"), {"month": "2031-03"}).content.decode()

    assert '<th scope="col">Dates</th>' in page
    assert "Course IMG-RTI" in page
    assert "RTI-MAR" in page


def test_htmx_gets_only_the_calendar(client, learner_a, rti) -> None:
    client.force_login(learner_a.user)

    response = client.get(
        reverse("classroom:calendar"), {"month": "2031-03"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert "<html" not in page
    assert "Course IMG-RTI" in page


def test_the_month_is_read_in_a_fixed_number_of_queries(
    client, learner_a, rti, django_assert_num_queries
) -> None:
    for n in range(2, 8):
        t.make_batch(
            code=f"RTI-{n}", starts_on=dt.date(2031, 3, 3 * n), venue=t.make_venue(code=f"R{n}")
        )
    client.force_login(learner_a.user)
    month_page(client)  # the session

    # The signed-in user with their access and unread count (one), and the month's own.
    with django_assert_num_queries(5):
        month_page(client)


def test_a_bad_month_falls_back_to_this_month(client, learner_a) -> None:
    client.force_login(learner_a.user)

    page = month_page(client, month="2031-13")

    assert "Give the month as YYYY-MM." in page


def test_a_learner_finds_the_address_of_their_own_feed(client, learner_a) -> None:
    client.force_login(learner_a.user)

    page = client.get(reverse("classroom:calendar-subscribe")).content.decode()

    assert "http://testserver/calendar/feeds/" in page
    assert "webcal://testserver/calendar/feeds/" in page
