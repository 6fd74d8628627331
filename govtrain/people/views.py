import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.core.http import AuthedRequest
from govtrain.people import selectors, services
from govtrain.people.forms import DirectoryForm, EmployeeForm, ImportForm
from govtrain.people.models import ImportJob
from govtrain.people.services import imports
from govtrain.records.selectors import training_record_for, training_totals_for

PAGE_SIZE = 25


@login_required
def directory(request: AuthedRequest) -> HttpResponse:
    """The people directory: search and filters over the user's part of the organisation."""
    if not access_for(request.user).can(Perm.PEOPLE_VIEW):
        raise PermissionDenied
    form = DirectoryForm(request.GET or None)
    employees = selectors.employees_search(user=request.user, filters=form.filters())
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.htmx:
        return render(request, "people/_directory_results.html", context)
    return render(request, "people/employee_list.html", context)


@login_required
def employee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for(user=request.user, pk=pk)
    access = access_for(request.user)
    history = None
    if access.can(Perm.AUDIT_VIEW):
        from govtrain.audit.selectors import audit_events_for_target

        history = audit_events_for_target(
            user=request.user, target_type="people.employee", target_id=str(employee.pk)
        )[:20]
    return render(
        request,
        "people/employee_detail.html",
        {
            "employee": employee,
            "can_edit": access.can_on_employee(Perm.PEOPLE_CHANGE, employee),
            "history": history,
            "reportees": selectors.reportees_of(employee=employee)[:50],
            "record": training_record_for(employee=employee),
            "record_totals": training_totals_for(employee=employee),
        },
    )


@login_required
def employee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for(user=request.user, pk=pk)
    if not access_for(request.user).can_on_employee(Perm.PEOPLE_CHANGE, employee):
        raise Http404
    form = EmployeeForm(request.POST or None, instance=employee)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.employee_update(
                employee=employee, by=request.user, reason=form.cleaned_data["reason"], **changes
            )
        except PermissionDenied:
            form.add_error(
                "office", _("You cannot move an employee outside your part of the organisation.")
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("people:employee-detail", pk=employee.pk)
    employee.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    return render(
        request, "people/employee_form.html", {"employee": employee, "form": form}, status=status
    )


def _require_import(request: HttpRequest) -> None:
    if not access_for(request.user).can(Perm.PEOPLE_IMPORT):
        raise PermissionDenied


@login_required
def import_list(request: AuthedRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm()
    return render(
        request,
        "people/import_list.html",
        {
            "form": form,
            "jobs": ImportJob.objects.select_related("created_by")[:30],
        },
    )


@require_POST
@login_required
def import_new(request: AuthedRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "people/import_list.html",
            {
                "form": form,
                "jobs": ImportJob.objects.select_related("created_by")[:30],
            },
            status=400,
        )
    job = imports.import_start(by=request.user, upload=form.cleaned_data["file"], dry_run=True)
    return redirect("people:import-detail", pk=job.pk)


def _job_context(job: ImportJob) -> dict[str, Any]:
    return {"job": job, "progress": imports.import_progress(job=job)}


@login_required
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_import(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "people/import_detail.html", _job_context(job))


@login_required
def import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_import(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "people/_import_status.html", _job_context(job))


@require_POST
@login_required
def import_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_import(request)
    dry_run = get_object_or_404(ImportJob, pk=pk)
    try:
        job = imports.import_apply(dry_run_job=dry_run, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("people:import-detail", pk=dry_run.pk)
    return redirect("people:import-detail", pk=job.pk)


@login_required
def import_errors(request: AuthedRequest, pk: int) -> HttpResponseBase:
    _require_import(request)
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.error_report:
        if not job.errors_preview:
            raise Http404
        return _preview_csv(job)
    return FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"import-{job.pk}-errors.csv",
        content_type="text/csv",
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _preview_csv(job: ImportJob) -> StreamingHttpResponse:
    writer = csv.DictWriter(_Echo(), fieldnames=["row", "pen", "column", "message"])
    rows = [writer.writeheader(), *(writer.writerow(e) for e in job.errors_preview)]
    response = StreamingHttpResponse(rows, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
