"""The training record: the learner's own page, and exports of a record one may see."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from govtrain.accounts.access import access_for
from govtrain.classroom.selectors import batches_awaiting_feedback
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee
from govtrain.people.selectors import employee_get_for
from govtrain.records import selectors
from govtrain.records.models import Enrolment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@login_required
def record_mine(request: AuthedRequest) -> HttpResponse:
    """My training record: every completed course, with the hours credited."""
    employee_id = access_for(request.user).employee_id
    if employee_id is None:
        raise Http404
    employee = employee_get_for(user=request.user, pk=employee_id)
    return render(
        request,
        "records/record_mine.html",
        {
            "employee": employee,
            "record": selectors.training_record_for(employee=employee),
            "totals": selectors.training_totals_for(employee=employee),
            "feedback_due": batches_awaiting_feedback(user=request.user),
        },
    )


def _headers() -> list[str]:
    return [
        _("Course code"),
        _("Course"),
        _("Provider"),
        _("Batch"),
        _("Starts on"),
        _("Ends on"),
        _("Completed on"),
        _("Hours"),
        _("Attendance %"),
    ]


def _rows(record: Iterable[Enrolment]) -> Iterable[list[object]]:
    for e in record:
        yield [
            e.course.code,
            e.course.title,
            e.course.provider.name,
            e.batch.code if e.batch else "",
            e.batch.starts_on if e.batch else None,
            e.batch.ends_on if e.batch else None,
            e.completed_on,
            e.hours_credited,
            e.attendance_percent,
        ]


def csv_safe(value: object) -> str:
    """A cell as text that no spreadsheet will run as a formula."""
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _filename(employee: Employee, ext: str) -> str:
    return f"training-record-{employee.pen}.{ext}"


def _csv(employee: Employee, rows: Iterable[Sequence[object]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    response = HttpResponse(
        # A byte-order mark so that Excel reads Malayalam titles as UTF-8.
        "\ufeff" + out.getvalue(),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(employee, "csv")}"'
    return response


def _xlsx(employee: Employee, rows: Iterable[Sequence[object]]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Training record")[:31])
    sheet.append([f"{employee.name_en} ({employee.pen})"])
    sheet.append(_headers())
    for row in rows:
        # Text cells get the same guard as CSV: a title such as "=HYPERLINK(...)" stays text.
        sheet.append([csv_safe(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(employee, "xlsx")}"'
    return response


@login_required
def record_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The employee's record as CSV or XLSX: their own, or anyone in the officer's scope."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    employee = employee_get_for(user=request.user, pk=pk)
    rows = list(_rows(selectors.training_record_for(employee=employee)))
    return _csv(employee, rows) if fmt == "csv" else _xlsx(employee, rows)
