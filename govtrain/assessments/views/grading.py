"""Graders' pages: the queue of essays waiting for a score, and the grading form of one
answer (an essay, or a short answer whose automatic score a grader overrides).
Coordinators and faculty of the quiz's provider; anyone else gets a 404, and nobody sees
their own attempt's answers here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.assessments import selectors
from govtrain.assessments.forms import GradeForm, add_service_errors
from govtrain.assessments.services import attempts, grading
from govtrain.assessments.services.answers import plain
from govtrain.core.http import AuthedRequest

QUEUE_PAGE = 50


def _require_grader(request: AuthedRequest) -> None:
    if not access_for(request.user).can(Perm.ASSESS_GRADE):
        raise Http404


@login_required
def grading_queue(request: AuthedRequest) -> HttpResponse:
    """Essays waiting for a score, oldest submission first."""
    _require_grader(request)
    # Attempts whose time ran out and nobody reopened close first: their essays belong here.
    attempts.attempts_close_overdue()
    queue = selectors.grading_queue(user=request.user)
    page = Paginator(queue, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessments/grading_queue.html", {"page": page})


@login_required
def response_grade(request: AuthedRequest, pk: int) -> HttpResponse:
    """Score one answer; after saving, on to the next one waiting."""
    _require_grader(request)
    response = selectors.response_get_gradable(user=request.user, pk=pk)
    score = response.score
    shown = plain(score) if score is not None else ""
    initial = {"score": shown, "comment": response.comment}
    form = GradeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grading.response_grade(
                response=response,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Score saved. The attempt is graded once no answer waits."))
            following = selectors.grading_queue(user=request.user).first()
            if request.POST.get("then") == "next" and following is not None:
                return redirect("assessments:response-grade", following.pk)
            return redirect("assessments:grading-queue")
    attempt = response.attempt
    context = {
        "response": response,
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": response.question,
        "form": form,
        "waiting": selectors.grading_queue(user=request.user).count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/response_grade.html", context, status=status)
