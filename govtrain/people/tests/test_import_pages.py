"""The import pages: upload, dry run, progress, apply, error report; and who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govtrain.people.models import Employee, ImportJob
from govtrain.people.tests.conftest import HEADER


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Queued jobs start after commit; run them, as the worker would, inside the test."""
    return django_capture_on_commit_callbacks


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("references")]

ROWS = "8200001,Rajesh M.,രാജേഷ് എം.,M,SS-B,REVS,TAH,REV-TVM,2001-06-01,active,,,\n"


def upload(body: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode(), content_type="text/csv")


def test_admin_uploads_sees_the_dry_run_then_applies_it(client, admin, on_commit) -> None:
    client.force_login(admin)

    with on_commit(execute=True):
        response = client.post(reverse("people:import-new"), {"file": upload(ROWS)})
    dry_run = ImportJob.objects.get()
    page = client.get(response["Location"])

    assert dry_run.dry_run
    assert dry_run.status == ImportJob.Status.SUCCEEDED
    assert not Employee.objects.exists()
    assert "Apply this import" in page.content.decode()

    with on_commit(execute=True):
        applied = client.post(reverse("people:import-apply", args=[dry_run.pk]))

    job = ImportJob.objects.get(applied_from=dry_run)
    assert applied["Location"] == reverse("people:import-detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Employee.objects.get().pen == "8200001"


def test_progress_partial_reports_percent_for_htmx_polling(client, admin, on_commit) -> None:
    client.force_login(admin)
    with on_commit(execute=True):
        client.post(reverse("people:import-new"), {"file": upload(ROWS)})
    job = ImportJob.objects.get()

    response = client.get(reverse("people:import-progress", args=[job.pk]))

    assert response.context["progress"]["percent"] == 100
    assert b'<progress id="import-progress" max="100" value="100">' in response.content
    assert b"hx-trigger" not in response.content  # finished: polling stops


def test_a_file_with_errors_cannot_be_applied_and_its_report_downloads(
    client, admin, on_commit
) -> None:
    client.force_login(admin)
    with on_commit(execute=True):
        client.post(
            reverse("people:import-new"),
            {"file": upload(ROWS + "12,Bad,,M,SUB,,CLK,REV-TVM,,,,,\n")},
        )
    job = ImportJob.objects.get()

    apply = client.post(reverse("people:import-apply", args=[job.pk]), follow=True)
    report = client.get(reverse("people:import-errors", args=[job.pk]))

    assert job.status == ImportJob.Status.REJECTED
    assert "Only a finished dry run without errors can be applied." in apply.content.decode()
    assert ImportJob.objects.count() == 1
    body = b"".join(report.streaming_content).decode()
    assert body.splitlines()[1].startswith("3,12,pen,")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
        ("export.xlsx", b"not a zip", "This is not an XLSX workbook."),
    ],
)
def test_a_wrong_kind_of_file_is_refused_at_upload(client, admin, name, content, message) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("people:import-new"), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, admin, settings) -> None:
    settings.IMPORT_MAX_UPLOAD_MB = 0
    client.force_login(admin)

    response = client.post(reverse("people:import-new"), {"file": upload(ROWS)})

    assert response.status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "auditor", "learner_a"])
def test_only_importers_reach_the_import_pages(client, request, who) -> None:
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("people:import-list")).status_code == 403
    assert client.post(reverse("people:import-new"), {"file": upload(ROWS)}).status_code == 403
    assert not ImportJob.objects.exists()
