"""Feedback pages: participants answer once; faculty and coordinators read the summary;
coordinators keep their institute's questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import access_for
from govtrain.classroom import selectors
from govtrain.classroom.forms import FeedbackAnswersForm, FeedbackQuestionFormSet
from govtrain.classroom.models import Batch
from govtrain.classroom.services import feedback as services
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee


@login_required
def feedback_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """A participant gives their feedback on the batch, once, from its last day on."""
    batch = selectors.batch_get_for_participant(user=request.user, pk=pk)
    employee_id = access_for(request.user).employee_id
    if employee_id is None:  # a participant is always an employee
        raise Http404
    opens_on = selectors.feedback_opens_on(batch=batch)
    context: dict[str, object] = {"batch": batch, "opens_on": opens_on}
    if selectors.feedback_given(batch=batch, employee_id=employee_id):
        return render(request, "classroom/feedback_form.html", {**context, "given": True})
    if batch.status == Batch.Status.CANCELLED or timezone.localdate() < opens_on:
        return render(request, "classroom/feedback_form.html", {**context, "not_open": True})
    form_def = services.feedback_form_for(batch=batch)
    form = FeedbackAnswersForm(
        request.POST if request.method == "POST" else None,
        questions=list(form_def.questions.all()),
        faculty=selectors.batch_faculty(batch=batch),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_submit(
                    batch=batch,
                    employee=get_object_or_404(Employee, pk=employee_id),
                    answers=form.answers(),
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("classroom:feedback-form", batch.pk)
        status = 400
    return render(request, "classroom/feedback_form.html", {**context, "form": form}, status=status)


@login_required
def feedback_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """The batch's feedback summed up, for its faculty and its provider's coordinators."""
    batch = selectors.batch_get_for_staff(user=request.user, pk=pk)
    form_def = services.feedback_form_for(batch=batch)
    summary = selectors.feedback_summary(batch=batch, form=form_def)
    return render(
        request,
        "classroom/feedback_summary.html",
        {
            "batch": batch,
            "summary": summary,
            "form_def": form_def,
            "can_manage": selectors.batch_may_manage(user=request.user, batch=batch),
        },
    )


@login_required
def feedback_questions(request: AuthedRequest, pk: int) -> HttpResponse:
    """A coordinator keeps the questions of their institute's feedback form."""
    provider = selectors.provider_get_managed(user=request.user, pk=pk)
    form_def = selectors.feedback_form_of_provider(provider=provider)
    context: dict[str, object] = {"provider": provider, "form_def": form_def}
    if form_def is None:
        context["common"] = services.feedback_form_default()
        return render(request, "classroom/feedback_questions.html", context)
    formset = FeedbackQuestionFormSet(
        request.POST if request.method == "POST" else None,
        queryset=form_def.questions.all(),
        prefix="questions",
    )
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            specs, delete = [], []
            for f in formset.forms:
                if not f.has_changed() and f.instance.pk is None:
                    continue
                data = f.cleaned_data
                if data.get("DELETE"):
                    if f.instance.pk is not None:
                        delete.append(f.instance.pk)
                    continue
                specs.append(
                    services.QuestionSpec(
                        pk=f.instance.pk,
                        position=data["position"],
                        kind=data["kind"],
                        text_en=data["text_en"],
                        text_ml=data.get("text_ml", ""),
                        required=data.get("required", False),
                    )
                )
            try:
                services.feedback_questions_update(
                    form=form_def, by=request.user, questions=specs, delete=delete
                )
            except ValidationError as e:
                for message in e.messages:
                    formset.non_form_errors().append(message)
            else:
                messages.success(request, _("The questions were saved."))
                return redirect("classroom:feedback-questions", provider.pk)
        status = 400
    context["formset"] = formset
    return render(request, "classroom/feedback_questions.html", context, status=status)


@require_POST
@login_required
def feedback_form_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the institute's own form from the common questions."""
    provider = selectors.provider_get_managed(user=request.user, pk=pk)
    services.feedback_form_create_for_provider(provider=provider, by=request.user)
    messages.success(request, _("Your institute now has its own feedback form."))
    return redirect("classroom:feedback-questions", provider.pk)
