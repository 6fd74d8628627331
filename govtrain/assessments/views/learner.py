"""The learner's pages: a quiz (start, resume, attempts used, best result), the attempt
(every answer saved as it is given with htmx; without JavaScript the form saves and
submits them all), and the result as the quiz's feedback policy allows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.assessments import selectors
from govtrain.assessments.forms import answer_from_form, answers_from_post
from govtrain.assessments.models import Attempt, Response
from govtrain.assessments.services import attempts as services
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee


def _employee(request: AuthedRequest) -> Employee:
    try:
        return request.user.employee
    except Employee.DoesNotExist as error:
        raise Http404 from error


@login_required
def quiz_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employee = _employee(request)
    quiz, enrolment = selectors.quiz_for_learner(employee=employee, pk=pk)
    current = selectors.attempt_in_progress(quiz=quiz, employee=employee)
    if current is not None:
        services.attempt_close_if_due(attempt=current, by=request.user)
    standing = selectors.quiz_standing(quiz=quiz, enrolment=enrolment)
    return render(
        request,
        "assessments/quiz_detail.html",
        {
            "quiz": quiz,
            "course": quiz.course,
            "standing": standing,
            "lesson": selectors.lesson_playing(quiz=quiz),
        },
    )


@require_POST
@login_required
def quiz_start(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz, enrolment = selectors.quiz_for_learner(employee=_employee(request), pk=pk)
    try:
        attempt, created = services.attempt_start(quiz=quiz, enrolment=enrolment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:quiz-detail", quiz.pk)
    if not created:
        messages.info(request, _("You are back in the attempt you started; your answers are kept."))
    return redirect("assessments:attempt-detail", attempt.pk)


def _open_attempt(request: AuthedRequest, pk: int) -> Attempt:
    attempt = selectors.attempt_for_learner(employee=_employee(request), pk=pk)
    # Any visit after the deadline closes the attempt with what was saved.
    return services.attempt_close_if_due(attempt=attempt, by=request.user)


def _shown(response: Response) -> None:
    """What the learner's answer is, as the form's fields hold it (also for an answer
    posted back unsaved, whose ids are still text)."""
    answer = response.answer if isinstance(response.answer, dict) else {}
    picked: set[str] = set()
    value = ""
    if "choice" in answer and answer["choice"] not in (None, ""):
        picked = {str(answer["choice"])}
    elif "choices" in answer:
        picked = {str(c) for c in answer.get("choices") or []}
    elif "value" in answer and answer["value"] is not None:
        raw = answer["value"]
        value = ("true" if raw else "false") if isinstance(raw, bool) else str(raw)
    elif "text" in answer:
        value = str(answer.get("text") or "")
    response.picked = picked  # type: ignore[attr-defined] # for the template
    response.value = value  # type: ignore[attr-defined] # for the template


def _attempt_page(
    request: AuthedRequest,
    attempt: Attempt,
    responses: list[Response],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    for response in responses:
        _shown(response)
        message = " ".join((errors or {}).get(f"q{response.question_id}", []))
        response.error = message  # type: ignore[attr-defined] # for the template
    answered = sum(1 for r in responses if r.answer is not None)
    context: dict[str, Any] = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "course": attempt.quiz.course,
        "responses": responses,
        "answered": answered,
        # The countdown runs from the server's deadline and the server's clock: the page
        # only shows it, and a fast or slow computer clock changes nothing.
        "now": timezone.now(),
        "has_errors": bool(errors),
    }
    return render(request, "assessments/attempt_page.html", context, status=status)


@login_required
def attempt_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    attempt = _open_attempt(request, pk)
    if not attempt.is_open:
        return redirect("assessments:attempt-result", attempt.pk)
    return _attempt_page(request, attempt, selectors.paper(attempt=attempt))


def _closed(request: AuthedRequest, attempt: Attempt, error: ValidationError) -> HttpResponse:
    messages.warning(request, " ".join(error.messages))
    url = reverse("assessments:attempt-result", args=[attempt.pk])
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
@login_required
def response_save(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    """One answer, as the learner gives it (htmx swaps the saved note); without JavaScript
    the page's own form saves them all."""
    attempt = selectors.attempt_for_learner(employee=_employee(request), pk=pk)
    response = selectors.response_of(attempt=attempt, question_id=question_pk)
    raw = answer_from_form(response.question, request.POST.getlist(f"q{question_pk}"))
    error = ""
    try:
        response = services.response_save(
            attempt=attempt, question_id=question_pk, answer=raw, by=request.user
        )
    except services.AttemptClosed as closed:
        return _closed(request, attempt, closed)
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        url = reverse("assessments:attempt-detail", args=[attempt.pk])
        return redirect(f"{url}#q-{question_pk}")
    # 200 either way: htmx swaps the note, which says whether the answer was saved.
    return render(request, "assessments/_saved.html", {"response": response, "error": error})


@require_POST
@login_required
def attempt_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The page's form: every answer on it is saved (all or none), then the attempt is
    submitted, unless the learner only asked to save."""
    attempt = _open_attempt(request, pk)
    if not attempt.is_open:
        return redirect("assessments:attempt-result", attempt.pk)
    responses = selectors.paper(attempt=attempt)
    posted = answers_from_post(responses, request.POST)
    try:
        services.responses_save(attempt=attempt, answers=posted, by=request.user)
    except services.AttemptClosed as closed:
        return _closed(request, attempt, closed)
    except ValidationError as invalid:
        # Nothing was saved: the page comes back with what was typed and the reasons.
        for response in responses:
            if response.question_id in posted:
                response.answer = posted[response.question_id]
        errors = invalid.message_dict if hasattr(invalid, "error_dict") else {}
        if not errors:
            messages.error(request, " ".join(invalid.messages))
        return _attempt_page(request, attempt, responses, errors=errors, status=400)
    if request.POST.get("action") == "save":
        messages.success(request, _("Your answers are saved."))
        return redirect("assessments:attempt-detail", attempt.pk)
    attempt = services.attempt_submit(attempt=attempt, by=request.user)
    return redirect("assessments:attempt-result", attempt.pk)


@login_required
def attempt_result(request: AuthedRequest, pk: int) -> HttpResponse:
    """A closed attempt as the quiz's feedback policy shows it: pass or fail always, the
    score and the graders' comments when the policy shows the score, every answer with
    the key and explanations only when it shows the answers."""
    attempt = _open_attempt(request, pk)
    if attempt.is_open:
        return redirect("assessments:attempt-detail", attempt.pk)
    feedback = selectors.feedback_for(attempt=attempt)
    responses: list[Response] = []
    comments: list[Response] = []
    if feedback.answers:
        responses = selectors.paper(attempt=attempt)
        for response in responses:
            _shown(response)
    elif feedback.score:
        comments = selectors.comments_of(attempt=attempt)
    standing = selectors.quiz_standing(quiz=attempt.quiz, enrolment=attempt.enrolment)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": attempt.quiz.course,
            "feedback": feedback,
            "responses": responses,
            "comments": comments,
            "standing": standing,
            "enrolment": selectors.enrolment_now(enrolment_id=attempt.enrolment_id),
            "lesson": selectors.lesson_playing(quiz=attempt.quiz),
        },
    )
