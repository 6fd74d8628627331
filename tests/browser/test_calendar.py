"""The training calendar on a desktop and a phone, and a coordinator scheduling a batch."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govtrain import testing as t
from govtrain.classroom.models import Batch

pytestmark = pytest.mark.browser


def _month_of_batches() -> dt.date:
    """Batches this month at two IMG centres and at KILA, one of them cancelled."""
    first = timezone.localdate().replace(day=1)
    kila = t.make_provider("KILA")
    rti = t.make_course("IMG-RTI", title_en="Right to Information Act for officers")
    office = t.make_course("IMG-EOFF", title_en="e-Office for section clerks")
    plan = t.make_course("KILA-PLAN", provider=kila, title_en="Decentralised planning")
    for course, code, day, days, venue in [
        (rti, "RTI-01", 3, 3, t.make_venue()),
        (office, "EOFF-01", 10, 2, t.make_venue(code="LAB1")),
        (rti, "RTI-02", 12, 3, t.make_venue(centre_code="IMG-EKM")),
        (plan, "PLAN-01", 17, 5, t.make_venue(kila, centre_code="KILA-TSR")),
        (office, "EOFF-02", 24, 2, t.make_venue(code="LAB1")),
    ]:
        starts = first + dt.timedelta(days=day - 1)
        t.make_batch(
            course,
            code=code,
            starts_on=starts,
            days=days,
            venue=venue,
            nominations_open_on=starts - dt.timedelta(days=40),
            nominations_close_on=starts - dt.timedelta(days=7),
        )
    Batch.objects.filter(code="EOFF-02").update(status=Batch.Status.CANCELLED)
    return first


def test_everyone_reads_the_month_and_narrows_it_on_a_desktop_and_a_phone(
    page, learner_a, log_in, assert_accessible, shots
) -> None:
    first = _month_of_batches()
    log_in(page, learner_a.pen)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()

    expect(page.get_by_role("heading", level=2)).to_have_text(f"{first:%B %Y}")
    grid = page.locator("table.month")
    expect(grid.locator("li.entry", has_text="Right to Information Act")).to_have_count(6)
    expect(grid.locator("li.entry.cancelled")).to_contain_text(["Cancelled", "Cancelled"])
    assert_accessible(page)
    page.screenshot(path=str(shots / "calendar.png"), full_page=True)

    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Provider").select_option(label="KILA")

    expect(grid.locator("li.entry")).to_have_count(5)
    expect(grid).not_to_contain_text("Right to Information")
    expect(page).to_have_url(re.compile(r"provider=\d+"))
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="List").click()
    expect(page.locator("table.calendar-list tbody tr")).to_have_count(1)
    expect(page.locator("table.calendar-list")).to_contain_text("Decentralised planning")
    assert_accessible(page)
    page.get_by_role("link", name="Month").click()
    expect(page.locator("table.month td.empty").first).to_be_hidden()
    page.screenshot(path=str(shots / "calendar-phone.png"), full_page=True)
    assert_accessible(page)


def test_coordinator_schedules_a_batch_with_its_timetable(
    page, coordinator, log_in, assert_accessible, shots
) -> None:
    t.make_course("IMG-RTI", title_en="Right to Information Act for officers")
    t.make_venue()
    starts = timezone.localdate() + dt.timedelta(days=45)
    log_in(page, coordinator.pen)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Batches").click()
    page.get_by_role("link", name="Schedule a batch").click()
    assert_accessible(page)
    page.get_by_label("Course").select_option(label="Right to Information Act for officers")
    page.get_by_label("Batch code").fill("RTI-2031-01")
    page.locator("#id_centre").select_option(label="Centre IMG-TVM")
    page.get_by_label("Room").select_option(label="Room SC1 · 40 seats · Centre IMG-TVM")
    page.get_by_label("Starts on").fill(starts.isoformat())
    page.get_by_label("Ends on").fill((starts + dt.timedelta(days=1)).isoformat())
    page.get_by_role("spinbutton", name="Seats", exact=True).fill("30")
    page.get_by_label("Nominations open on").fill(timezone.localdate().isoformat())
    page.get_by_label("Nominations close on").fill((starts - dt.timedelta(days=10)).isoformat())
    page.get_by_label("Date, row 1").fill(starts.isoformat())
    page.get_by_label("From, row 1").fill("10:00")
    page.get_by_label("To, row 1").fill("13:00")
    page.get_by_label("Topic of the session, row 1").fill("The Act and the first appeal")
    page.screenshot(path=str(shots / "batch-form.png"), full_page=True)

    page.get_by_role("button", name="Schedule the batch").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("RTI-2031-01")
    expect(page.get_by_role("region", name="Timetable")).to_contain_text(
        "The Act and the first appeal"
    )
    assert_accessible(page)
    page.screenshot(path=str(shots / "batch-detail.png"), full_page=True)
