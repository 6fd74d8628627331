"""The classroom story in a real browser, from the catalog to the training record.

The institute has an RTI batch scheduled. Anitha finds the course in the catalog and asks
for a seat; her controlling officer approves it in the Nominations list; the department's
nodal officer nominates Binu by pasting his PEN; the coordinator confirms both on the
batch page. Five weeks later the batch meets: the faculty member marks each session on a
phone, Anitha gives feedback, the coordinator closes the batch, and the twelve hours are
on Anitha's training record, with what happened in her notifications.

The clock is moved with time-machine. It patches the clock of the whole process, so the
live server (a thread of this process) lives on the same day as the test: the history of
Anitha's request is stamped with the travelled date, and the attendance sheet opens for
marking only on the day of the session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.classroom.models import Attendance, Nomination
from govtrain.classroom.services import batches
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.browser

IST = ZoneInfo("Asia/Kolkata")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TODAY = dt.date(2027, 2, 1)  # a Monday, five weeks before the batch
START = dt.date(2027, 3, 8)  # two days, 10:00-13:00 and 14:00-17:00
TITLE = "Right to Information Act for officers"
TITLE_ML = "ഉദ്യോഗസ്ഥർക്കുള്ള വിവരാവകാശ നിയമം"


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=IST)


def switch_user(page: Page, log_in: Callable[..., None], employee: Employee) -> None:
    """Whoever is at the computer logs out; the next person logs in."""
    logout = page.get_by_role("button", name="Log out")
    if logout.count():
        logout.click()
        page.wait_for_url(re.compile(r"/login/"))
    log_in(page, employee.pen)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def fits_the_width(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_from_the_catalog_to_the_training_record_in_the_browser(
    page, office_a, learner_a, officer_a, coordinator, log_in, assert_accessible, shots
) -> None:
    with time_machine.travel(at(TODAY, 10)) as clock:
        # (1) The institute has scheduled a two-day batch, with a faculty member.
        faculty = t.make_employee(office_a, name="Dr. Suma Nair", name_ml="ഡോ. സുമ നായർ")
        t.grant(faculty.user, Role.FACULTY, provider=t.make_provider("IMG"))
        course = t.make_course(
            "IMG-RTI",
            title_en=TITLE,
            title_ml=TITLE_ML,
            summary_en="The Act, requests, first appeals and the Commission, with case studies.",
            summary_ml="നിയമം, അപേക്ഷകൾ, ഒന്നാം അപ്പീൽ, കമ്മീഷൻ: കേസ് പഠനങ്ങളോടെ.",
            hours=Decimal("12"),
        )
        t.make_course("IMG-EOFF", title_en="e-Office for section clerks")
        t.make_course("IMG-GST", title_en="GST for local bodies")
        venue = t.make_venue(course.provider)
        slots = [(dt.time(10), dt.time(13)), (dt.time(14), dt.time(17))]
        batch = batches.batch_create(
            by=coordinator.user,
            course=course,
            code="RTI-2027-03",
            centre=venue.centre,
            venue=venue,
            starts_on=START,
            ends_on=START + dt.timedelta(days=1),
            capacity=25,
            nominations_open_on=TODAY - dt.timedelta(days=7),
            nominations_close_on=START - dt.timedelta(days=10),
            sessions=[
                (START + dt.timedelta(days=d), begins, ends, f"Day {d + 1}", faculty)
                for d in range(2)
                for begins, ends in slots
            ],
        )
        controlling = t.make_employee(office_a, name="Suresh Kumar", name_ml="സുരേഷ് കുമാർ")
        learner_a.controlling_officer = controlling
        learner_a.save(update_fields=["controlling_officer"])
        binu = t.make_employee(office_a, name="Binu T.", name_ml="ബിനു ടി.")

        # (2) Anitha finds the course in the catalog and asks for a seat.
        log_in(page, learner_a.pen)
        nav(page, "Catalog")
        expect(page.locator("#results .course-card")).to_have_count(3)
        assert_accessible(page)
        page.get_by_label("Search courses").press_sequentially("information")
        expect(page.locator("#results .course-card")).to_have_count(1)
        page.get_by_role("link", name=TITLE).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        row = page.get_by_role("row", name=re.compile("8 Mar 2027"))
        expect(row).to_contain_text("25 of 25")
        assert_accessible(page)
        page.screenshot(path=shots / "01-course-page.png", full_page=True)

        # In Malayalam, with the header button: the Malayalam web font draws the page.
        page.get_by_role("button", name="മലയാളം").click()
        expect(page.locator("html")).to_have_attribute("lang", "ml")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_ML)
        drawn = page.evaluate(
            """async () => {
                await document.fonts.ready;
                return [...document.fonts].some((f) => f.status === 'loaded'
                    && f.family.replaceAll('"', '') === 'Noto Sans Malayalam'
                    && /D00-D7F/i.test(f.unicodeRange));
            }"""
        )
        assert drawn, "the Malayalam face of Noto Sans Malayalam was not loaded"
        assert_accessible(page)
        page.screenshot(path=shots / "02-course-page-ml.png", full_page=True)
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")

        page.get_by_role("button", name="Request a seat RTI-2027-03").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_role("status")).to_contain_text("Your request was sent for approval.")
        expect(page.locator("dl.facts")).to_contain_text("Requested")
        # The server stamped the request with the travelled date, not the real one.
        expect(page.locator("table time").first).to_have_attribute(
            "datetime", re.compile(rf"^{TODAY.isoformat()}T")
        )
        assert_accessible(page)

        # (3) Her controlling officer approves the request in his Nominations list.
        clock.move_to(at(TODAY, 15))
        switch_user(page, log_in, controlling)
        nav(page, "Nominations")
        waiting = page.get_by_role("region", name="Waiting for your decision")
        request_row = waiting.get_by_role("row", name=re.compile("Anitha K."))
        expect(request_row).to_contain_text("waiting for: Controlling officer")
        assert_accessible(page)
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            request_row.get_by_role("button", name="Approve").click()

        expect(request_row).to_contain_text("Approved")
        expect(request_row.get_by_role("button")).to_have_count(0)
        assert_accessible(page)

        # (4) The nodal officer nominates Binu by pasting his PEN.
        clock.move_to(at(TODAY + dt.timedelta(days=1), 11))
        switch_user(page, log_in, officer_a)
        nav(page, "Catalog")
        page.get_by_label("Search courses").press_sequentially("information")
        expect(page.locator("#results .course-card")).to_have_count(1)
        page.get_by_role("link", name=TITLE).click()
        page.get_by_role("link", name="Nominate staff RTI-2027-03").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nominate staff")
        assert_accessible(page)
        page.get_by_label("PENs").fill(f"{binu.pen}\n")
        page.get_by_label("Note to the institute").fill("Handles RTI applications at the desk.")
        page.get_by_role("button", name="Nominate", exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Nominations")
        expect(page.get_by_role("status")).to_have_text("1 nominated to RTI-2027-03; 0 skipped.")
        staff = page.get_by_role("region", name="Your staff's nominations")
        expect(staff.get_by_role("row", name=re.compile("Binu T."))).to_contain_text("Approved")
        expect(staff.get_by_role("row", name=re.compile("Anitha K."))).to_contain_text("Approved")
        assert_accessible(page)
        page.screenshot(path=shots / "03-nominations-list.png", full_page=True)

        # (5) The coordinator confirms both seats on the batch page.
        clock.move_to(at(TODAY + dt.timedelta(days=2), 10))
        switch_user(page, log_in, coordinator)
        page.goto(f"/batches/{batch.pk}/")
        nominations = page.get_by_role("region", name="Nominations")
        expect(nominations).to_contain_text("0 confirmed, 2 awaiting confirmation")
        nominations.get_by_role("checkbox", name="Confirm Anitha K.").check()
        nominations.get_by_role("checkbox", name="Confirm Binu T.").check()
        assert_accessible(page)
        page.screenshot(path=shots / "04-batch-page-nominations.png", full_page=True)
        nominations.get_by_role("button", name="Confirm the selected").click()

        expect(page.get_by_role("status")).to_have_text("2 confirmed, 0 waitlisted.")
        expect(nominations).to_contain_text("2 confirmed, 0 awaiting confirmation")
        expect(page.get_by_role("region", name="Seats")).to_contain_text("2 / 25")
        assert set(Nomination.objects.values_list("status", flat=True)) == {"confirmed"}

        # (6) The batch meets; faculty mark each session on a phone, the day it happens.
        page.set_viewport_size(PHONE)
        for day in range(2):
            clock.move_to(at(START + dt.timedelta(days=day), 17))
            switch_user(page, log_in, faculty)
            sessions = batch.sessions.filter(date=START + dt.timedelta(days=day))
            for session in sessions.order_by("starts_at"):
                page.goto(f"/batches/{batch.pk}/attendance/?session={session.pk}")
                expect(page.get_by_text("Not marked yet.")).to_be_visible()
                if day == 0 and session.starts_at == dt.time(10):
                    binu_row = page.get_by_role("group", name="Binu T.")
                    binu_row.get_by_label("Late", exact=True).check()
                    binu_row.get_by_label("Minutes present, if late or partly present").fill("150")
                    assert fits_the_width(page)
                    assert_accessible(page)
                page.get_by_role("button", name="Save attendance").click()
                expect(page.get_by_role("status")).to_contain_text("2 new marks")
                if day == 0 and session.starts_at == dt.time(10):
                    # (Shot after saving: clicking right after a full-page shot of a page
                    # with a sticky bar can lose the click, a Chromium screenshot quirk.)
                    page.screenshot(path=shots / "05-attendance-phone.png", full_page=True)
        assert Attendance.objects.count() == 8
        assert fits_the_width(page)

        # (7) On the last day, Anitha gives her feedback (still on her phone).
        switch_user(page, log_in, learner_a)
        nav(page, "My training")
        page.get_by_role("link", name=f"Give feedback on {TITLE} (RTI-2027-03)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your feedback")
        assert_accessible(page)
        page.get_by_role("group", name="Overall, how useful").get_by_label("5 — Excellent").check()
        page.get_by_role("group", name="Dr. Suma Nair").get_by_label("4 — Very good").check()
        page.get_by_label("What should we keep").fill("The case studies on first appeals.")
        assert fits_the_width(page)
        page.get_by_role("button", name="Send feedback").click()
        expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
        page.set_viewport_size(DESKTOP)

        # (8) The coordinator closes the batch: both attended over 80% and earn the hours.
        clock.move_to(at(START + dt.timedelta(days=1), 17) + dt.timedelta(minutes=30))
        switch_user(page, log_in, coordinator)
        page.goto(f"/batches/{batch.pk}/")
        page.get_by_role("button", name="Record completions and close the batch").click()

        expect(page.get_by_role("status")).to_contain_text(
            "The batch is closed: 2 completed, 0 did not complete."
        )
        outcomes = dict(Enrolment.objects.values_list("employee__name_en", "hours_credited"))
        assert outcomes == {"Anitha K.": Decimal("12"), "Binu T.": Decimal("12")}

        # (9) Anitha finds the course and its hours on her record, and what happened.
        clock.move_to(at(START + dt.timedelta(days=3), 9))
        switch_user(page, log_in, learner_a)
        nav(page, "My training")

        record = page.get_by_role("table", name="Completed training")
        course_row = record.get_by_role("row", name=re.compile(TITLE))
        expect(course_row).to_contain_text("8 Mar 2027 \u2013 9 Mar 2027")
        expect(course_row.locator("td.num")).to_have_text(re.compile(r"^12(\.0+)?$"))
        expect(page.get_by_role("region", name="Your feedback is awaited")).to_have_count(0)
        assert_accessible(page)
        page.screenshot(path=shots / "06-training-record.png", full_page=True)
        nav(page, "Notifications")
        notices = page.locator("ul.notifications")
        expect(notices).to_contain_text(f"Your request for {TITLE} was approved")
        expect(notices).to_contain_text(f"Seat confirmed for Anitha K.: {TITLE}, batch RTI-2027-03")
        assert_accessible(page)
        page.screenshot(path=shots / "07-notifications.png", full_page=True)
