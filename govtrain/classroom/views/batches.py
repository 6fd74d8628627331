"""Coordinators' pages for batches: the list with fill rates, the form with the timetable
editor, the detail page, and cancelling a batch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.catalog.selectors import courses_managed_by
from govtrain.classroom import selectors
from govtrain.classroom.forms import (
    BatchCancelForm,
    BatchFilterForm,
    BatchForm,
    filled_rows,
    quota_formset,
    session_formset,
)
from govtrain.classroom.models import Batch
from govtrain.classroom.services import batches as services
from govtrain.core.http import AuthedRequest

PAGE_SIZE = 25


def _require_manager(request: AuthedRequest) -> None:
    if not access_for(request.user).can(Perm.CATALOG_MANAGE):
        raise PermissionDenied


@login_required
def batch_list(request: AuthedRequest) -> HttpResponse:
    """The batches of the coordinator's providers, with how full each is."""
    _require_manager(request)
    form = BatchFilterForm(
        request.GET or None, centres=selectors.centres_managed_by(user=request.user)
    )
    batches = selectors.batches_managed_by(user=request.user, filters=form.filters())
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.htmx:
        return render(request, "classroom/_batch_table.html", context)
    return render(request, "classroom/batch_list.html", context)


@login_required
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_managed(user=request.user, pk=pk)
    return render(request, "classroom/batch_detail.html", _detail_context(request, batch))


def _detail_context(request: AuthedRequest, batch: Batch, **extra: Any) -> dict[str, Any]:
    access = access_for(request.user)
    history = None
    if access.can(Perm.AUDIT_VIEW):
        from govtrain.audit.selectors import audit_events_for_target

        history = audit_events_for_target(
            user=request.user, target_type="classroom.batch", target_id=str(batch.pk)
        )[:20]
    counts = selectors.nomination_counts(batch=batch)
    return {
        "batch": batch,
        "can_manage": True,
        "counts": counts,
        "fill_percent": round(100 * counts["confirmed"] / batch.capacity),
        "sessions": selectors.batch_sessions(batch=batch),
        "quotas": batch.quotas.select_related("department", "service_class"),
        "faculty": batch.faculty.select_related("designation").order_by("name_en"),
        "cancel_form": extra.pop("cancel_form", None) or BatchCancelForm(),
        "history": history,
        "nominations": selectors.nominations_of_batch(batch=batch),
        **extra,
    }


def _add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put the service's messages next to the fields they name, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _slots(formset: forms.BaseFormSet[Any]) -> list[services.Slot]:
    return [
        services.Slot(r["date"], r["starts_at"], r["ends_at"], r["title"], r.get("faculty"))
        for r in filled_rows(formset)
    ]


def _quotas(formset: forms.BaseFormSet[Any]) -> list[services.QuotaRow]:
    return [
        services.QuotaRow(
            r["seats"], r.get("department"), r.get("service_class"), r.get("gender") or ""
        )
        for r in filled_rows(formset)
    ]


@login_required
def batch_create(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    data = request.POST if request.method == "POST" else None
    form = BatchForm(
        data,
        courses=courses_managed_by(user=request.user),
        centres=selectors.centres_managed_by(user=request.user),
        initial={"language": "ml", "course": request.GET.get("course")},
    )
    sessions = session_formset(data)
    quotas = quota_formset(data)
    if data is not None and form.is_valid() and sessions.is_valid() and quotas.is_valid():
        try:
            batch = services.batch_create(
                by=request.user,
                course=form.cleaned_data["course"],
                **form.batch_fields(),
                faculty=form.cleaned_data["faculty"],
                sessions=_slots(sessions),
                quotas=_quotas(quotas),
            )
        except PermissionDenied:
            form.add_error("course", _("You do not manage this provider's batches."))
        except ValidationError as e:
            _add_service_error(form, e)
        else:
            messages.success(request, _("Batch %(code)s was scheduled.") % {"code": batch.code})
            return redirect("classroom:batch-detail", pk=batch.pk)
    return render(
        request,
        "classroom/batch_form.html",
        {"form": form, "sessions": sessions, "quotas": quotas, "batch": None},
        status=400 if data is not None else 200,
    )


@login_required
def batch_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_managed(user=request.user, pk=pk)
    if batch.status != Batch.Status.SCHEDULED:
        messages.error(request, _("A cancelled or closed batch cannot be changed."))
        return redirect("classroom:batch-detail", pk=batch.pk)
    data = request.POST if request.method == "POST" else None
    form = BatchForm(
        data,
        courses=courses_managed_by(user=request.user),
        centres=selectors.centres_managed_by(user=request.user),
        batch=batch,
    )
    sessions = session_formset(data, batch=batch, extra=3)
    quotas = quota_formset(data, batch=batch, extra=1)
    if data is not None and form.is_valid() and sessions.is_valid() and quotas.is_valid():
        try:
            services.batch_update(
                batch=batch,
                by=request.user,
                **form.batch_fields(),
                faculty=form.cleaned_data["faculty"],
                sessions=_slots(sessions),
                quotas=_quotas(quotas),
            )
        except ValidationError as e:
            _add_service_error(form, e)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("classroom:batch-detail", pk=batch.pk)
    return render(
        request,
        "classroom/batch_form.html",
        {"form": form, "sessions": sessions, "quotas": quotas, "batch": batch},
        status=400 if data is not None else 200,
    )


@require_POST
@login_required
def batch_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_managed(user=request.user, pk=pk)
    form = BatchCancelForm(request.POST)
    if form.is_valid():
        try:
            services.batch_cancel(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("Batch %(code)s was cancelled and everyone nominated was told.")
                % {"code": batch.code},
            )
            return redirect("classroom:batch-detail", pk=batch.pk)
    batch = selectors.batch_get_managed(user=request.user, pk=pk)
    return render(
        request,
        "classroom/batch_detail.html",
        _detail_context(request, batch, cancel_form=form),
        status=400,
    )
