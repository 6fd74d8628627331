"""Faculty mark attendance on a phone; the coordinator reads the feedback summary."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govtrain import testing as t
from govtrain.classroom.models import Attendance, FeedbackQuestion
from govtrain.classroom.services.feedback import feedback_form_for, feedback_submit
from govtrain.records.services import enrolment_open

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def batch(office_a):
    starts = timezone.localdate() - dt.timedelta(days=2)
    batch = t.make_batch(
        starts_on=starts,
        nominations_open_on=starts - dt.timedelta(days=30),
        nominations_close_on=starts - dt.timedelta(days=7),
    )
    names = ["Anitha K.", "Binu T.", "Chitra Parameswaran Nair", "Devan S.", "Fathima R."]
    for name in names:
        enrolment_open(employee=t.make_employee(office_a, name=name), batch=batch)
    return batch


@pytest.fixture
def faculty(office_a, batch):
    person = t.make_employee(office_a, name="Deepa R.")
    batch.faculty.add(person)
    return person


def test_faculty_marks_a_session_on_a_phone(
    page, batch, faculty, log_in, assert_accessible, shots
) -> None:
    page.set_viewport_size(PHONE)
    session = batch.sessions.order_by("date", "starts_at")[0]
    log_in(page, faculty.pen)

    page.goto(f"/batches/{batch.pk}/attendance/?session={session.pk}")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    chitra = page.get_by_role("group", name="Chitra Parameswaran Nair")
    minutes = chitra.get_by_label("Minutes present, if late or partly present")
    expect(minutes).to_be_hidden()
    chitra.get_by_label("Partly present", exact=True).check()
    expect(minutes).to_be_visible()
    minutes.fill("95")
    page.get_by_role("group", name="Devan S.").get_by_label("Absent", exact=True).check()
    page.screenshot(path=shots / "attendance-sheet-phone.png", full_page=True)
    box = chitra.locator("label.choice", has_text="Partly present").bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a touch target (WCAG 2.5.5)

    page.get_by_role("button", name="Save attendance").click()

    expect(page.get_by_role("status")).to_contain_text("5 new marks")
    marks = dict(Attendance.objects.values_list("employee__name_en", "minutes"))
    assert marks["Chitra Parameswaran Nair"] == 95
    assert marks["Devan S."] == 0
    assert marks["Anitha K."] == 180
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path=shots / "attendance-sheet-phone-saved.png", full_page=True)


def test_coordinator_reads_the_feedback_summary(
    page, batch, faculty, coordinator, log_in, assert_accessible, shots
) -> None:
    form = feedback_form_for(batch=batch)
    q = {x.kind: x.pk for x in form.questions.all()}
    K = FeedbackQuestion.Kind
    comments = ["More case studies, please.", "The appeals session was the best part.", ""]
    for enrolment, (course, teacher, comment) in zip(
        batch.enrolments.select_related("employee"),
        [(5, 5, comments[0]), (4, 5, comments[1]), (4, 3, comments[2]), (3, 4, "")],
        strict=False,
    ):
        feedback_submit(
            batch=batch,
            employee=enrolment.employee,
            answers={
                (q[K.COURSE_RATING], None): course,
                (q[K.FACULTY_RATING], faculty.pk): teacher,
                (q[K.TEXT], None): comment,
            },
        )
    log_in(page, coordinator.pen)

    page.goto(f"/batches/{batch.pk}/feedback/summary/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Feedback summary")
    expect(page.get_by_text("4 / 5")).to_be_visible()
    expect(page.get_by_role("region", name="Deepa R.")).to_contain_text("4.3")
    assert_accessible(page)
    page.screenshot(path=shots / "feedback-summary.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "feedback-summary-phone.png", full_page=True)


def test_participant_gives_feedback_on_a_phone(
    page, batch, faculty, log_in, assert_accessible, shots
) -> None:
    page.set_viewport_size(PHONE)
    participant = batch.enrolments.select_related("employee").first().employee
    participant.user.set_password(t.PASSWORD)
    participant.user.save()
    log_in(page, participant.pen)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    page.get_by_role("link", name="Give feedback on Course IMG-RTI (RTI-01)").click()

    assert_accessible(page)
    page.get_by_role("group", name="Overall, how useful").get_by_label("4 — Very good").check()
    page.get_by_role("group", name="Deepa R.").get_by_label("5 — Excellent").check()
    page.get_by_label("What should we keep").fill("Shorter lunch break.")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "feedback-form-phone.png", full_page=True)
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    assert_accessible(page)
