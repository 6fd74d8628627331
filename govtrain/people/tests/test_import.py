"""Bulk import of the HR export: validation, idempotence, atomicity, encodings, XLSX."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from govtrain.audit.models import AuditEvent
from govtrain.people.models import Employee, ImportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("references")]

GOOD = (
    "8200001,Rajesh M.,രാജേഷ് എം.,M,SS-B,REVS,TAH,REV-TVM,2001-06-01,active,"
    "rajesh@demo.invalid,+91 9400000001,\n"
    "8200002,Anitha K.,അനിത കെ.,F,SUB,REVS,CLK,REV-TVM,15-07-2015,active,"
    "anitha@demo.invalid,+91 9400000002,8200001\n"
)


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "people_importjob" not in q["sql"]
    ]


def test_hr_export_creates_employees_with_logins_and_officers(hr_file, run_file) -> None:
    job = run_file(hr_file(GOOD))

    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert (job.created_count, job.updated_count, job.error_count) == (2, 0, 0)
    anitha = Employee.objects.get(pen="8200002")
    assert anitha.name_ml == "അനിത കെ."
    assert anitha.date_of_joining == dt.date(2015, 7, 15)
    assert anitha.controlling_officer.pen == "8200001"
    assert anitha.user.username == "8200002"
    assert not anitha.user.has_usable_password()
    assert AuditEvent.objects.filter(action="employees.imported").count() == 1


@pytest.mark.parametrize("chunk", [1, 2000])
def test_officer_listed_after_their_staff_is_still_linked(
    hr_file, run_file, monkeypatch, chunk
) -> None:
    from govtrain.people.services import imports

    monkeypatch.setattr(imports, "CHUNK", chunk)  # 1: the officer arrives in a later chunk
    staff_first = "\n".join(reversed(GOOD.strip().split("\n"))) + "\n"

    job = run_file(hr_file(staff_first))

    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert Employee.objects.get(pen="8200002").controlling_officer.pen == "8200001"


def test_reimporting_the_same_file_writes_nothing(hr_file, run_file) -> None:
    path = hr_file(GOOD)
    run_file(path)

    with CaptureQueriesContext(connection) as queries:
        job = run_file(path)

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert writes(queries) == []


def test_a_changed_row_is_updated_and_audited_with_before_and_after(hr_file, run_file) -> None:
    run_file(hr_file(GOOD))
    moved = GOOD.replace("anitha@demo.invalid", "anitha.k@demo.invalid")

    job = run_file(hr_file(moved))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    assert Employee.objects.get(pen="8200002").email == "anitha.k@demo.invalid"
    event = AuditEvent.objects.get(action="employee.updated")
    assert event.before == {"email": "anitha@demo.invalid"}
    assert event.after == {"email": "anitha.k@demo.invalid"}


def test_retiring_in_the_export_closes_the_login(hr_file, run_file) -> None:
    run_file(hr_file(GOOD))

    run_file(hr_file(GOOD.replace("15-07-2015,active", "15-07-2015,retired")))

    assert not Employee.objects.get(pen="8200002").user.is_active


def test_dry_run_reports_what_would_change_and_changes_nothing(hr_file, run_file) -> None:
    job = run_file(hr_file(GOOD), dry_run=True)

    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.created_count == 2
    assert not Employee.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("12AB,X,,M,SUB,,CLK,REV-TVM,,,,,", "pen", "5 to 10 digits"),
        ("8200009,X,,M,SUB,,CLK,NOWHERE,,,,,", "office", "Unknown code"),
        ("8200009,X,,M,SUB,,ZZZ,REV-TVM,,,,,", "designation", "Unknown code"),
        ("8200009,,,M,SUB,,CLK,REV-TVM,,,,,", "name_en", "missing"),
        ("8200009,X,,Q,SUB,,CLK,REV-TVM,,,,,", "gender", "F, M, T or X"),
        ("8200009,X,,M,SUB,,CLK,REV-TVM,31-31-2020,,,,", "date_of_joining", "YYYY-MM-DD"),
        ("8200009,X,,M,SUB,,CLK,REV-TVM,,,not-an-email,,", "email", "not an e-mail"),
        ("8200009,X,,M,SUB,,CLK,REV-TVM,,sacked,,,", "status", "Unknown status"),
        ("8200009,X,,M,SUB,,CLK,REV-TVM,,,,,8200009", "controlling_officer_pen", "themselves"),
        ("8200009,X,,M,SUB,,CLK,REV-TVM,,,,,7777777", "controlling_officer_pen", "No employee"),
        ("8200009,X,\u00e0\u00b4\u2026\u00e0\u00b4,M,SUB,,CLK,REV-TVM,,,,,", "name_ml", "garbled"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(
    hr_file, run_file, row, column, message
) -> None:
    job = run_file(hr_file(GOOD + row + "\n"))

    assert job.status == ImportJob.Status.REJECTED
    assert job.error_count == 1
    error = job.errors_preview[0]
    assert (error["row"], error["column"]) == (4, column) or error["column"] == column
    assert message in error["message"]
    assert not Employee.objects.exists()
    assert job.error_report.name.endswith(".csv")


def test_duplicate_pen_names_the_first_row(hr_file, run_file) -> None:
    job = run_file(hr_file(GOOD + GOOD.split("\n")[0] + "\n"))

    assert job.status == ImportJob.Status.REJECTED
    assert job.errors_preview == [
        {"row": 4, "pen": "8200001", "column": "pen", "message": "This PEN is already in row 2."}
    ]


def test_a_line_that_is_not_utf8_is_that_rows_error(hr_file, run_file) -> None:
    body = (
        (b"pen,name_en,name_ml,service_class,designation,office\n8200001,Rajesh,")
        + "രാജേഷ്".encode()
        + b",SUB,CLK,REV-TVM\n"
        + b"8200002,Anitha,\xe0\xb4,SUB,CLK,REV-TVM\n"
    )

    job = run_file(hr_file(body))

    assert job.status == ImportJob.Status.REJECTED
    assert [(e["row"], "UTF-8" in e["message"]) for e in job.errors_preview] == [(3, True)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"pen,name_en\n1234567,X\n", "Required columns are missing"),
        ("pen,name_en,service_class,designation,office\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_an_unreadable_file_is_rejected_whole(hr_file, run_file, body, message) -> None:
    job = run_file(hr_file(body))

    assert job.status == ImportJob.Status.REJECTED
    assert message in job.message
    assert not Employee.objects.exists()


def test_xlsx_export_with_numeric_pens_and_real_dates(hr_file, run_file, tmp_path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["PEN", "Name EN", "Name ML", "Service class", "Designation", "Office", "Date of joining"]
    )
    joined = dt.datetime(2001, 6, 1)  # noqa: DTZ001 - spreadsheets hold naive dates
    sheet.append([8200001, "Rajesh M.", "രാജേഷ് എം.", "SS-B", "TAH", "REV-TVM", joined])
    path = tmp_path / "export.xlsx"
    book.save(path)

    job = run_file(path)

    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    rajesh = Employee.objects.get(pen="8200001")
    assert rajesh.date_of_joining == dt.date(2001, 6, 1)
    assert rajesh.name_ml == "രാജേഷ് എം."


def test_xlsx_that_inflates_absurdly_is_not_opened(run_file, tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))

    job = run_file(path)

    assert job.status == ImportJob.Status.REJECTED
    assert "unreasonable size" in job.message


def test_a_database_failure_midway_leaves_nothing_behind(hr_file, run_file, monkeypatch) -> None:
    from govtrain.people.services import imports

    calls = {"n": 0}
    real = imports._apply_chunk

    def fail_on_second_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "CHUNK", 1)
    monkeypatch.setattr(imports, "_apply_chunk", fail_on_second_chunk)

    with pytest.raises(RuntimeError):
        run_file(hr_file(GOOD))

    assert not Employee.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_error_report_lists_every_bad_row(hr_file, run_file) -> None:
    bad = "".join(f"82{n:05d},X,,M,SUB,,CLK,NOWHERE,,,,,\n" for n in range(150))

    job = run_file(hr_file(bad))

    assert job.error_count == 150
    assert len(job.errors_preview) == 100
    lines = io.StringIO(job.error_report.read().decode()).read().strip().split("\n")
    assert len(lines) == 151  # header + every error


def test_command_line_import_shows_a_dry_run_then_applies(hr_file, admin, capsys) -> None:
    from django.core.management import call_command

    path: Path = hr_file(GOOD)
    call_command("import_employees", str(path), "--no-progress")
    assert not Employee.objects.exists()

    call_command("import_employees", str(path), "--apply", "--by", admin.username, "--no-progress")

    assert Employee.objects.count() == 2
    assert "2 new" in capsys.readouterr().out
