"""The training record: what an employee completed, their hours, and exports that parse back."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.classroom.models import Batch
from govtrain.people.models import Employee
from govtrain.records import selectors
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open
from govtrain.records.views import csv_safe

pytestmark = pytest.mark.django_db


def finished(
    employee: Employee, code: str, ends_on: dt.date, hours: str, **course_fields
) -> Enrolment:
    """A batch of a course that `employee` completed on `ends_on`."""
    course = t.make_course(f"IMG-{code}", hours=Decimal(hours), **course_fields)
    batch = t.make_batch(
        course,
        code=code,
        starts_on=ends_on - dt.timedelta(days=1),
        days=2,
        nominations_open_on=ends_on - dt.timedelta(days=60),
        nominations_close_on=ends_on - dt.timedelta(days=10),
        status=Batch.Status.CLOSED,
    )
    enrolment = enrolment_open(employee=employee, batch=batch)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED,
        completed_on=ends_on,
        hours_credited=Decimal(hours),
        attendance_percent=Decimal("95.0"),
    )
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def record(learner_a) -> list[Enrolment]:
    """Anitha completed two courses this year and one last year, and is enrolled in a fourth."""
    this_year = timezone.localdate().replace(month=1, day=20)
    last_year = this_year.replace(year=this_year.year - 1)
    entries = [
        finished(learner_a, "RTI-01", this_year, "12", title_ml="വിവരാവകാശം"),
        finished(learner_a, "OFF-01", this_year + dt.timedelta(days=3), "6.5"),
        finished(learner_a, "ETH-01", last_year, "18"),
    ]
    enrolment_open(employee=learner_a, batch=t.make_batch(code="NEXT-01"))
    return entries


def test_the_record_lists_completed_training_newest_first_with_hours_this_year_and_in_all(
    learner_a, record
) -> None:
    entries = list(selectors.training_record_for(employee=learner_a))
    totals = selectors.training_totals_for(employee=learner_a)

    assert [e.batch.code for e in entries] == ["OFF-01", "RTI-01", "ETH-01"]
    assert entries[0].course.provider.code == "IMG"
    assert totals.year == timezone.localdate().year
    assert (totals.hours_this_year, totals.hours_all_time) == (Decimal("18.5"), Decimal("36.5"))
    assert totals.courses_all_time == 3


def test_learner_sees_my_training_record(client, learner_a, record) -> None:
    client.force_login(learner_a.user)

    response = client.get(reverse("records:mine"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Course IMG-RTI-01" in html
    assert "36.5" in html
    assert reverse("records:export", args=[learner_a.pk, "xlsx"]) in html
    assert reverse("records:mine") in client.get("/").content.decode()


def test_someone_who_is_not_an_employee_has_no_training_record(client, admin) -> None:
    client.force_login(admin)

    assert client.get(reverse("records:mine")).status_code == 404


def test_the_employee_profile_shows_the_training_record(
    client, officer_a, learner_a, record
) -> None:
    client.force_login(officer_a.user)

    html = client.get(reverse("people:employee-detail", args=[learner_a.pk])).content.decode()

    assert "Course IMG-OFF-01" in html
    assert "No training has been recorded yet." not in html


def test_the_csv_export_parses_back_and_keeps_formulas_as_text(client, learner_a, record) -> None:
    finished(learner_a, "INJ-01", timezone.localdate(), "3", title_en='=HYPERLINK("http://x")')
    client.force_login(learner_a.user)

    response = client.get(reverse("records:export", args=[learner_a.pk, "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"training-record-{learner_a.pen}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Course code", "Course", "Provider"]
    by_code = {row[3]: row for row in rows[1:]}
    assert by_code["INJ-01"][1] == '\'=HYPERLINK("http://x")'
    assert by_code["RTI-01"][6:8] == [record[0].completed_on.isoformat(), "12.0"]
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+91", "'+91"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("RTI", "RTI")],
)
def test_a_cell_that_a_spreadsheet_would_run_is_kept_as_text(value, cell) -> None:
    assert csv_safe(value) == cell


def test_the_xlsx_export_opens_in_openpyxl_with_dates_and_hours(client, learner_a, record) -> None:
    client.force_login(learner_a.user)

    response = client.get(reverse("records:export", args=[learner_a.pk, "xlsx"]))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == f"{learner_a.name_en} ({learner_a.pen})"
    assert rows[1][0] == "Course code"
    assert rows[2][0] == "IMG-OFF-01"
    assert rows[2][6].date() == record[1].completed_on
    assert rows[2][7] == 6.5
    assert len(rows) == 5


def test_an_officer_exports_the_record_of_an_employee_in_their_department(
    client, officer_a, learner_a, record
) -> None:
    client.force_login(officer_a.user)

    response = client.get(reverse("records:export", args=[learner_a.pk, "csv"]))

    assert response.status_code == 200
    assert "IMG-RTI-01" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("who", ["officer_b", "learner_b", "coordinator"])
def test_nobody_else_may_export_the_record(request, client, who, learner_a, record) -> None:
    client.force_login(request.getfixturevalue(who).user)

    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("records:export", args=[learner_a.pk, fmt])).status_code == 404


def test_an_unknown_format_is_not_found(client, learner_a) -> None:
    client.force_login(learner_a.user)

    assert client.get(reverse("records:export", args=[learner_a.pk, "pdf"])).status_code == 404


def test_my_training_record_page_takes_a_fixed_number_of_queries(
    client, learner_a, record, django_assert_max_num_queries
) -> None:
    client.force_login(learner_a.user)
    client.get(reverse("records:mine"))

    with django_assert_max_num_queries(8):
        client.get(reverse("records:mine"))
