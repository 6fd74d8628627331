"""The attendance sheet of a batch's session, and closing the batch with its completions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from govtrain.classroom import selectors
from govtrain.classroom.forms import AttendanceSheetForm
from govtrain.classroom.models import Batch
from govtrain.classroom.services import attendance as services
from govtrain.classroom.services.completion import batch_complete as complete
from govtrain.core.http import AuthedRequest


def _sheet_url(batch: Batch, session_pk: int) -> str:
    return f"{reverse('classroom:attendance-sheet', args=[batch.pk])}?session={session_pk}"


@login_required
def attendance_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pick a session, mark everyone at once; faculty and coordinators of the batch only."""
    batch = selectors.batch_get_for_staff(user=request.user, pk=pk)
    sessions = selectors.attendance_sessions_of(batch=batch)
    chosen = request.GET.get("session") or request.POST.get("session")
    if chosen:
        session = next((s for s in sessions if str(s.pk) == chosen), None)
        if session is None:
            raise Http404
    else:
        session = selectors.attendance_default_session(sessions=sessions)
    today = timezone.localdate()
    can_manage = selectors.batch_may_manage(user=request.user, batch=batch)
    context: dict[str, object] = {
        "batch": batch,
        "sessions": sessions,
        "session": session,
        "can_manage": can_manage,
        "can_complete": can_manage
        and batch.status != Batch.Status.CANCELLED
        and today >= batch.ends_on,
    }
    if session is None:
        return render(request, "classroom/attendance_sheet.html", context)
    session.batch = batch  # already loaded, with its course: no query for labels
    sheet = selectors.attendance_sheet(session=session)
    editable = batch.status != Batch.Status.CANCELLED and session.date <= today
    form = AttendanceSheetForm(
        request.POST if request.method == "POST" else None,
        sheet=sheet,
    )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    status = 200
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            try:
                result = services.attendance_mark(
                    session=session,
                    marks=form.marks(),
                    by=request.user,
                    late_by=form.cleaned_data["late_by"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                if result.created or result.corrected:
                    messages.success(
                        request,
                        _("Attendance saved: %(new)s, %(fixed)s.")
                        % {
                            "new": ngettext("%(n)d new mark", "%(n)d new marks", result.created)
                            % {"n": result.created},
                            "fixed": ngettext(
                                "%(n)d correction", "%(n)d corrections", result.corrected
                            )
                            % {"n": result.corrected},
                        },
                    )
                else:
                    messages.info(request, _("Nothing changed; the marks were already so."))
                return redirect(_sheet_url(batch, session.pk))
        status = 400
    context.update(
        {
            "sheet": sheet,
            "form": form,
            "editable": editable,
            "corrections": selectors.attendance_corrections(sheet=sheet),
        }
    )
    return render(request, "classroom/attendance_sheet.html", context, status=status)


@require_POST
@login_required
def batch_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record completions and close the batch (its provider's coordinators only)."""
    batch = selectors.batch_get_for_staff(user=request.user, pk=pk)
    try:
        outcomes = complete(batch=batch, by=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The batch is closed: %(completed)d completed, %(not)d did not complete.")
            % {"completed": outcomes.completed, "not": outcomes.not_completed},
        )
    session = request.POST.get("session", "")
    url = reverse("classroom:attendance-sheet", args=[batch.pk])
    return redirect(f"{url}?session={session}#completion" if session.isdigit() else url)
