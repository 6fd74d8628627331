"""Authors' pages: a course's outline with its modules and lessons, the lesson form,
captions, and the flags raised on implausible completions. Coordinators of the course's
provider and state administrators only; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.assessments.selectors import quiz_choices_for
from govtrain.core.http import AuthedRequest
from govtrain.learning import selectors
from govtrain.learning.forms import CaptionForm, LessonForm, ModuleForm, MoveForm, ResolveForm
from govtrain.learning.models import Lesson, Module
from govtrain.learning.services import authoring
from govtrain.learning.services.progress import flag_resolve

# The services' names of fields the lesson form names after what is chosen.
_FORM_FIELDS = {"package_id": "package", "quiz_id": "quiz"}


def _add_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = _FORM_FIELDS.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _require_author(request: AuthedRequest) -> None:
    """Pages for those who build courses somewhere; to anyone else they do not exist."""
    if not access_for(request.user).can(Perm.CATALOG_MANAGE):
        raise Http404


@login_required
def author_course_list(request: AuthedRequest) -> HttpResponse:
    _require_author(request)
    courses = selectors.courses_authored_by(user=request.user)
    return render(request, "learning/author_course_list.html", {"courses": courses})


def _outline_context(request: AuthedRequest, course: Any, **extra: Any) -> dict[str, Any]:
    return {
        "course": course,
        "modules": selectors.outline(course=course),
        "module_form": extra.pop("module_form", None) or ModuleForm(),
        **extra,
    }


@login_required
def outline_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_authored(user=request.user, pk=pk)
    return render(request, "learning/outline_edit.html", _outline_context(request, course))


@require_POST
@login_required
def module_create(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_authored(user=request.user, pk=pk)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            authoring.module_create(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Module added."))
            return redirect("learning:outline-edit", course.pk)
    context = _outline_context(request, course, module_form=form)
    return render(request, "learning/outline_edit.html", context, status=400)


@login_required
def module_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_authored(user=request.user, pk=pk)
    form = ModuleForm(
        request.POST if request.method == "POST" else None,
        initial={"title_en": module.title_en, "title_ml": module.title_ml},
    )
    if request.method == "POST" and form.is_valid():
        try:
            authoring.module_update(module=module, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Module saved."))
            return redirect("learning:outline-edit", module.course_id)
    return render(request, "learning/module_form.html", {"module": module, "form": form})


def _outline_response(request: AuthedRequest, course_id: int) -> HttpResponse:
    """htmx swaps the outline in place; without JavaScript the page reloads."""
    if request.htmx:
        course = selectors.course_get_authored(user=request.user, pk=course_id)
        return render(request, "learning/_outline.html", _outline_context(request, course))
    return redirect("learning:outline-edit", course_id)


@require_POST
@login_required
def module_move(request: AuthedRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_authored(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        authoring.module_move(
            module=module, direction=form.cleaned_data["direction"], by=request.user
        )
    return _outline_response(request, module.course_id)


@require_POST
@login_required
def module_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_authored(user=request.user, pk=pk)
    try:
        authoring.module_delete(module=module, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("learning:outline-edit", module.course_id)


def _packages(module: Module) -> list[tuple[int, str]]:
    packages = authoring.packages_for(course=module.course)
    return [(p.pk, f"{p.title} (SCORM {p.version})") for p in packages]


def _quizzes(module: Module) -> list[tuple[int, str]]:
    return quiz_choices_for(course_id=module.course_id)


def _lesson_page(request: AuthedRequest, module: Module, lesson: Lesson | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = LessonForm.initial_of(lesson) if lesson is not None else None
    form = LessonForm(
        data, files, initial=initial, packages=_packages(module), quizzes=_quizzes(module)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = authoring.lesson_save(
                module=module, lesson=lesson, data=form.lesson_input(), by=request.user
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Lesson saved."))
            if saved.kind == Lesson.Kind.VIDEO:
                return redirect("learning:lesson-edit", saved.pk)
            return redirect("learning:outline-edit", module.course_id)
    context = {
        "module": module,
        "lesson": lesson,
        "form": form,
        "caption_form": CaptionForm(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/lesson_form.html", context, status=status)


@login_required
def lesson_create(request: AuthedRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_authored(user=request.user, pk=pk)
    return _lesson_page(request, module, None)


@login_required
def lesson_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_authored(user=request.user, pk=pk)
    return _lesson_page(request, lesson.module, lesson)


@require_POST
@login_required
def lesson_move(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_authored(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        authoring.lesson_move(
            lesson=lesson, direction=form.cleaned_data["direction"], by=request.user
        )
    return _outline_response(request, lesson.module.course_id)


@require_POST
@login_required
def lesson_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_authored(user=request.user, pk=pk)
    try:
        authoring.lesson_delete(lesson=lesson, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("learning:outline-edit", lesson.module.course_id)


@require_POST
@login_required
def caption_add(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_authored(user=request.user, pk=pk)
    form = CaptionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            authoring.caption_add(lesson=lesson, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Captions saved."))
            return redirect("learning:lesson-edit", lesson.pk)
    context = {
        "module": lesson.module,
        "lesson": lesson,
        "form": LessonForm(
            initial=LessonForm.initial_of(lesson),
            packages=_packages(lesson.module),
            quizzes=_quizzes(lesson.module),
        ),
        "caption_form": form,
    }
    return render(request, "learning/lesson_form.html", context, status=400)


@login_required
def flag_list(request: AuthedRequest) -> HttpResponse:
    """Implausible completions refused on the courses the user authors, newest first."""
    _require_author(request)
    show_all = request.GET.get("all") == "1"
    flags = selectors.flags_for(user=request.user, open_only=not show_all)[:200]
    return render(
        request,
        "learning/flag_list.html",
        {"flags": flags, "show_all": show_all, "form": ResolveForm()},
    )


@require_POST
@login_required
def flag_resolve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_get_for(user=request.user, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        flag_resolve(flag=flag, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Flag marked as looked at."))
    return redirect("learning:flag-list")
