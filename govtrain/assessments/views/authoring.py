"""Authors' pages: question banks and their questions, key corrections, a course's
quizzes with their settings and paper, results and item analysis. Coordinators of the
provider and state administrators; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.assessments import selectors
from govtrain.assessments.forms import (
    CHOICE_ROWS,
    BankForm,
    KeyForm,
    QuestionFilterForm,
    QuestionForm,
    QuizForm,
    RuleForm,
    add_service_errors,
)
from govtrain.assessments.models import Question, QuestionBank, Quiz
from govtrain.assessments.services import attempts, banks, grading, quizzes
from govtrain.catalog.models import Topic
from govtrain.core.http import AuthedRequest
from govtrain.learning.selectors import course_get_authored, courses_authored_by

RESULTS_PAGE = 50


def _require_author(request: AuthedRequest) -> None:
    if not access_for(request.user).can(Perm.CATALOG_MANAGE):
        raise Http404


# --- Banks and questions ---------------------------------------------------------------


@login_required
def bank_list(request: AuthedRequest) -> HttpResponse:
    _require_author(request)
    return render(
        request,
        "assessments/bank_list.html",
        {
            "banks": selectors.banks_managed_by(user=request.user),
            "courses": courses_authored_by(user=request.user),
        },
    )


def _bank_form(request: AuthedRequest, provider_id: int, bank: QuestionBank | None) -> BankForm:
    courses = courses_authored_by(user=request.user).filter(provider_id=provider_id)
    initial = None
    if bank is not None:
        initial = {
            "title_en": bank.title_en,
            "title_ml": bank.title_ml,
            "course": bank.course_id,
            "topic": bank.topic_id,
        }
    return BankForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        courses=[(c.pk, f"{c.code} {c.title_en}") for c in courses],
        topics=[(t.pk, t.name_en) for t in Topic.objects.order_by("name_en")],
    )


@login_required
def bank_create(request: AuthedRequest) -> HttpResponse:
    _require_author(request)
    providers = list(selectors.providers_managed_by(user=request.user))
    chosen = request.POST.get("provider") or request.GET.get("provider") or ""
    provider = next(
        (p for p in providers if str(p.pk) == chosen), providers[0] if providers else None
    )
    if provider is None:
        raise Http404
    form = _bank_form(request, provider.pk, None)
    if request.method == "POST" and form.is_valid():
        try:
            bank = banks.bank_save(provider=provider, data=form.bank_input(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question bank created. Add its questions."))
            return redirect("assessments:bank-detail", bank.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "providers": providers, "provider": provider, "bank": None}
    return render(request, "assessments/bank_form.html", context, status=status)


@login_required
def bank_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_managed(user=request.user, pk=pk)
    form = _bank_form(request, bank.provider_id, bank)
    if request.method == "POST" and form.is_valid():
        try:
            banks.bank_save(
                provider=bank.provider, bank=bank, data=form.bank_input(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question bank saved."))
            return redirect("assessments:bank-detail", bank.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "provider": bank.provider, "bank": bank}
    return render(request, "assessments/bank_form.html", context, status=status)


@login_required
def bank_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_managed(user=request.user, pk=pk)
    filters = QuestionFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    questions = selectors.questions_of(
        bank=bank,
        kind=values.get("kind") or "",
        difficulty=values.get("difficulty") or "",
        competency=values.get("competency") or "",
    )
    return render(
        request,
        "assessments/bank_detail.html",
        {
            "bank": bank,
            "questions": questions,
            "filters": filters,
            "kinds": Question.Kind.choices,
            "competencies": selectors.competencies_of(bank=bank),
        },
    )


def _question_page(
    request: AuthedRequest, bank: QuestionBank, question: Question | None
) -> HttpResponse:
    rows = max(CHOICE_ROWS, len(question.choices.all()) if question else 0)
    if question is not None:
        initial = QuestionForm.initial_of(question)
    else:
        initial = {"kind": request.GET.get("kind") or Question.Kind.SINGLE}
    form = QuestionForm(
        request.POST if request.method == "POST" else None, initial=initial, rows=rows
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = banks.question_save(
                bank=bank, question=question, data=form.question_input(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            if request.POST.get("then") == "another":
                url = reverse("assessments:question-create", args=[bank.pk])
                return redirect(f"{url}?kind={saved.kind}")
            return redirect("assessments:bank-detail", bank.pk)
    used = selectors.question_in_use(question=question) if question is not None else 0
    context = {"bank": bank, "question": question, "form": form, "used": used}
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/question_form.html", context, status=status)


@login_required
def question_create(request: AuthedRequest, pk: int) -> HttpResponse:
    bank = selectors.bank_get_managed(user=request.user, pk=pk)
    return _question_page(request, bank, None)


@login_required
def question_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_managed(user=request.user, pk=pk)
    return _question_page(request, question.bank, question)


@require_POST
@login_required
def question_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_managed(user=request.user, pk=pk)
    try:
        banks.question_delete(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:question-edit", question.pk)
    messages.success(request, _("Question removed."))
    return redirect("assessments:bank-detail", question.bank_id)


@login_required
def question_key(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct the key of a question and regrade the attempts that answered it."""
    question = selectors.question_get_managed(user=request.user, pk=pk)
    form = KeyForm(
        request.POST if request.method == "POST" else None,
        initial=KeyForm.initial_of(question),
        question=question,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = grading.question_key_correct(
                question=question,
                key=form.key_input(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Key corrected (version %(v)d): %(n)d attempts regraded, %(c)d results "
                    "changed, %(p)d now passed, %(f)d no longer passed."
                )
                % {
                    "v": result.change.version,
                    "n": result.attempts,
                    "c": result.changed,
                    "p": len(result.now_passed),
                    "f": len(result.now_failed),
                },
            )
            return redirect("assessments:question-key", question.pk)
    context = {
        "question": question,
        "bank": question.bank,
        "form": form,
        "history": question.key_changes.select_related("changed_by").order_by("-version"),
        "used": selectors.question_in_use(question=question),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/question_key.html", context, status=status)


# --- Quizzes -----------------------------------------------------------------------------


@login_required
def course_quizzes(request: AuthedRequest, pk: int) -> HttpResponse:
    course = course_get_authored(user=request.user, pk=pk)
    return render(
        request,
        "assessments/course_quizzes.html",
        {"course": course, "quizzes": selectors.quizzes_of_course(course=course)},
    )


def _quiz_page(request: AuthedRequest, course: Any, quiz: Quiz | None) -> HttpResponse:
    initial = QuizForm.initial_of(quiz) if quiz is not None else None
    form = QuizForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = quizzes.quiz_save(
                course=course, quiz=quiz, data=form.quiz_input(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Quiz saved."))
            return redirect("assessments:quiz-edit", saved.pk)
    return _quiz_edit_page(request, course, quiz, form, RuleForm(banks=_banks(course)))


def _banks(course: Any) -> list[tuple[int, str]]:
    return [(b.pk, b.title_en) for b in selectors.banks_for_course(course=course)]


def _quiz_edit_page(
    request: AuthedRequest, course: Any, quiz: Quiz | None, form: QuizForm, rule_form: RuleForm
) -> HttpResponse:
    bad = request.method == "POST" and (form.errors or rule_form.errors)
    context = {
        "course": course,
        "quiz": quiz,
        "form": form,
        "rule_form": rule_form,
        "rules": selectors.rules_of(quiz=quiz) if quiz is not None else [],
        "problems": quizzes.paper_problems(quiz=quiz) if quiz is not None else [],
    }
    return render(request, "assessments/quiz_form.html", context, status=400 if bad else 200)


@login_required
def quiz_create(request: AuthedRequest, pk: int) -> HttpResponse:
    course = course_get_authored(user=request.user, pk=pk)
    return _quiz_page(request, course, None)


@login_required
def quiz_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get_managed(user=request.user, pk=pk)
    return _quiz_page(request, quiz.course, quiz)


@require_POST
@login_required
def rule_add(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get_managed(user=request.user, pk=pk)
    rule_form = RuleForm(request.POST, banks=_banks(quiz.course))
    if rule_form.is_valid():
        data = rule_form.cleaned_data
        question = None
        if data.get("question"):
            question = Question.objects.filter(pk=data["question"]).first()
            if question is None:
                rule_form.add_error("question", _("There is no question with this number."))
        bank = get_object_or_404(QuestionBank, pk=data["bank"]) if data.get("bank") else None
        if not rule_form.errors:
            try:
                quizzes.quiz_rule_add(
                    quiz=quiz,
                    by=request.user,
                    question=question,
                    bank=bank,
                    count=data.get("count") or 1,
                    competency=data.get("competency") or "",
                    difficulty=data.get("difficulty") or "",
                )
            except ValidationError as error:
                add_service_errors(rule_form, error)
            else:
                messages.success(request, _("Added to the paper."))
                return redirect("assessments:quiz-edit", quiz.pk)
    form = QuizForm(initial=QuizForm.initial_of(quiz))
    return _quiz_edit_page(request, quiz.course, quiz, form, rule_form)


@require_POST
@login_required
def rule_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_managed(user=request.user, pk=pk)
    try:
        quizzes.quiz_rule_remove(rule=rule, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from the paper."))
    return redirect("assessments:quiz-edit", rule.quiz_id)


@require_POST
@login_required
def quiz_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get_managed(user=request.user, pk=pk)
    try:
        quizzes.quiz_delete(quiz=quiz, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:quiz-edit", quiz.pk)
    messages.success(request, _("Quiz removed."))
    return redirect("assessments:course-quizzes", quiz.course_id)


# --- Results -----------------------------------------------------------------------------


@login_required
def quiz_results(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get_managed(user=request.user, pk=pk)
    attempts.attempts_close_overdue(quiz=quiz)
    page = Paginator(selectors.quiz_results(quiz=quiz), RESULTS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/quiz_results.html",
        {"quiz": quiz, "course": quiz.course, "page": page},
    )


@login_required
def item_analysis(request: AuthedRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get_managed(user=request.user, pk=pk)
    return render(
        request,
        "assessments/item_analysis.html",
        {"quiz": quiz, "course": quiz.course, "analysis": selectors.item_analysis(quiz=quiz)},
    )


@login_required
def attempt_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """An attempt with every answer, the key and the scores, for its coordinators and
    graders."""
    attempt = selectors.attempt_get_for_staff(user=request.user, pk=pk)
    attempt = attempts.attempt_close_if_due(attempt=attempt)
    return render(
        request,
        "assessments/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "responses": selectors.paper(attempt=attempt),
            "gradable": selectors.gradable_responses_of(user=request.user, attempt=attempt),
            "manages": selectors.may_manage(
                user=request.user, provider_id=attempt.quiz.course.provider_id
            ),
        },
    )
