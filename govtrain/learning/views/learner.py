"""The learner's pages: their online courses, a course's outline with progress and where to
resume, a lesson, and the small requests the lesson page sends (heartbeats, watched video,
SCORM commits). Pages stay light: no script but the lesson's own small one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.assessments import selectors as assessments
from govtrain.core.http import AuthedRequest
from govtrain.learning import selectors
from govtrain.learning.models import Lesson, LessonProgress
from govtrain.learning.services import progress as services
from govtrain.learning.services import scorm as scorm_services
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def _employee(request: AuthedRequest) -> Employee:
    try:
        return request.user.employee
    except Employee.DoesNotExist as error:
        raise Http404 from error


@login_required
def my_learning(request: AuthedRequest) -> HttpResponse:
    """The employee's online courses with their progress, and the courses open to them."""
    enrolments, open_courses = selectors.learning_of(employee=_employee(request))
    return render(
        request,
        "learning/my_learning.html",
        {"enrolments": enrolments, "open_courses": open_courses},
    )


@login_required
def course_learn(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.learner_course_get(pk=pk)
    employee = _employee(request)
    enrolment = selectors.enrolment_of(employee=employee, course=course)
    state = selectors.course_progress(course=course, enrolment=enrolment)
    exams = assessments.final_exams_for(course=course, enrolment=enrolment)
    return render(
        request,
        "learning/course_learn.html",
        {"course": course, "enrolment": enrolment, "state": state, "exams": exams},
    )


@require_POST
@login_required
def course_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.learner_course_get(pk=pk)
    try:
        services.course_enrol(employee=_employee(request), course=course, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect("learning:course-learn", course.pk)


def _neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    ordered = [
        item
        for module in selectors.outline(course=lesson.module.course)
        for item in module.lessons.all()
    ]
    index = next(i for i, item in enumerate(ordered) if item.pk == lesson.pk)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following


def _lesson_context(
    request: AuthedRequest, lesson: Lesson, progress: LessonProgress, **extra: Any
) -> dict[str, Any]:
    previous, following = _neighbours(lesson)
    return {
        "lesson": lesson,
        "course": lesson.module.course,
        "progress": progress,
        "unmet": services.unmet_requirements(progress),
        "watched_percent": services.watched_percent(progress),
        "captions": list(lesson.captions.all()),
        "previous": previous,
        "following": following,
        "heartbeat_seconds": services.heartbeat_seconds(),
        **extra,
    }


@login_required
def lesson_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employee = _employee(request)
    lesson, enrolment = selectors.lesson_for_learner(employee=employee, pk=pk)
    progress = services.lesson_open(enrolment=enrolment, lesson=lesson)
    extra: dict[str, Any] = {}
    player = None
    if lesson.kind == Lesson.Kind.SCORM and lesson.package is not None:
        from govtrain.scorm import player as scorm_player

        sco = lesson.package.default_sco
        if sco is not None:
            attempt = scorm_services.scorm_attempt_launch(enrolment=enrolment, lesson=lesson)
            player = scorm_player.player_context(
                request=request,
                sco=sco,
                attempt=str(attempt.pk),
                launch=attempt.launch,
                commit_url=reverse("learning:scorm-commit", args=[lesson.pk]),
                learner_id=employee.pen,
                learner_name=employee.name_en,
                resume=scorm_services.resume_summary(attempt),
            )
            extra["player"] = player
    if lesson.kind == Lesson.Kind.QUIZ and lesson.quiz is not None and lesson.quiz.is_published:
        extra["quiz_standing"] = assessments.quiz_standing(quiz=lesson.quiz, enrolment=enrolment)
    response = render(
        request, "learning/lesson_detail.html", _lesson_context(request, lesson, progress, **extra)
    )
    if player is not None:
        from govtrain.scorm import player as scorm_player

        scorm_player.allow_player(response, player)
    return response


def _progress_for(request: AuthedRequest, pk: int) -> LessonProgress:
    lesson, enrolment = selectors.lesson_for_learner(employee=_employee(request), pk=pk)
    progress = selectors.progress_get(enrolment=enrolment, lesson=lesson)
    if progress is None:
        raise Http404
    return progress


@require_POST
@login_required
def lesson_heartbeat(request: AuthedRequest, pk: int) -> JsonResponse:
    """The lesson page, while visible, every few seconds (`resumed=1` after hiding)."""
    progress = _progress_for(request, pk)
    credited = services.heartbeat_record(
        progress=progress, resumed=request.POST.get("resumed") == "1"
    )
    progress.refresh_from_db()
    completed = scorm_services.scorm_complete_if_due(progress=progress, by=request.user)
    return JsonResponse(
        {
            "credited": credited,
            "seconds_spent": progress.seconds_spent,
            "unmet": services.unmet_requirements(progress),
            "completed": completed,
        }
    )


@require_POST
@login_required
def lesson_watched(request: AuthedRequest, pk: int) -> JsonResponse:
    """The video's watched ranges, as JSON: {"ranges": [[start, end], ...]} in seconds."""
    progress = _progress_for(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        ranges = body.get("ranges") if isinstance(body, dict) else None
        progress = services.video_progress_record(progress=progress, ranges=ranges)
    except (ValueError, ValidationError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not JSON.")
        return JsonResponse({"ok": False, "message": message}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "watched_percent": services.watched_percent(progress),
            "unmet": services.unmet_requirements(progress),
        }
    )


@require_POST
@login_required
def lesson_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    progress = _progress_for(request, pk)
    try:
        services.lesson_complete(progress=progress, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:lesson-detail", pk)
    progress.enrolment.refresh_from_db()
    if progress.enrolment.status == Enrolment.Status.COMPLETED:
        messages.success(request, _("Course completed. Its hours are in your training record."))
        return redirect("learning:course-learn", progress.enrolment.course_id)
    messages.success(request, _("Lesson done."))
    following = _neighbours(progress.lesson)[1]
    if following is not None:
        return redirect("learning:lesson-detail", following.pk)
    return redirect("learning:course-learn", progress.enrolment.course_id)


@require_POST
@login_required
def scorm_commit(request: AuthedRequest, pk: int) -> JsonResponse:
    """The SCORM player's commit (docs/scorm.md, "The commit request")."""
    progress = _progress_for(request, pk)
    try:
        body = json.loads(request.body or b"null")
        result = scorm_services.scorm_commit(
            enrolment=progress.enrolment, lesson=progress.lesson, body=body, by=request.user
        )
    except ValueError:
        return JsonResponse({"ok": False, "message": _("The commit is not JSON.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"ok": False, "message": " ".join(error.messages)}, status=400)
    status = 409 if result.conflict else 200
    return JsonResponse({"ok": result.ok, "message": result.message}, status=status)


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def _stream(handle: Any, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            block = handle.read(min(_CHUNK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        handle.close()


def _served_as(response: HttpResponseBase, content_type: str) -> HttpResponseBase:
    """A lesson's file as the type its content was checked to be (never a guess from a
    name), never sniffed into another, and in a sandbox: opened on its own it runs no script
    on the platform's origin. Personal to the course's people: no shared cache keeps it."""
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private"
    return response


@login_required
def lesson_file(request: AuthedRequest, pk: int, kind: str) -> HttpResponseBase:
    """A video lesson's video or a document lesson's PDF, for its enrolled learners and its
    authors only. A video answers a single byte range (RFC 9110 14.2): phones' players,
    Safari's above all, fetch a video by ranges and will not play one served whole. The
    PDF is a download: in a sandbox the browser's viewer would not show it anyway."""
    lesson = _lesson_readable(request, pk)
    if kind == "video" and lesson.kind == Lesson.Kind.VIDEO and lesson.video_type:
        field, content_type = lesson.video_file, lesson.video_type
    elif kind == "document" and lesson.kind == Lesson.Kind.DOCUMENT:
        field, content_type = lesson.document, "application/pdf"
    else:
        raise Http404
    if not field:
        raise Http404
    if kind == "document":
        name = f"{slugify(lesson.title_en) or 'document'}.pdf"
        download = FileResponse(field.open("rb"), as_attachment=True, filename=name)
        return _served_as(download, content_type)
    size = field.size
    match = _RANGE.match(request.headers.get("Range", ""))
    if match is None or not any(match.groups()) or size == 0:
        response: HttpResponseBase = FileResponse(field.open("rb"), as_attachment=False)
        response["Accept-Ranges"] = "bytes"
        return _served_as(response, content_type)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    response = StreamingHttpResponse(_stream(field.open("rb"), start, end - start + 1), status=206)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return _served_as(response, content_type)


@login_required
def caption_file(request: AuthedRequest, pk: int, language: str) -> HttpResponseBase:
    """A video lesson's WebVTT captions, for the same people as its video."""
    lesson = _lesson_readable(request, pk)
    if lesson.kind != Lesson.Kind.VIDEO:
        raise Http404
    track = selectors.caption_of(lesson=lesson, language=language)
    if track is None or not track.file:
        raise Http404
    return _served_as(FileResponse(track.file.open("rb")), "text/vtt; charset=utf-8")


def _lesson_readable(request: AuthedRequest, pk: int) -> Lesson:
    employee = getattr(request.user, "employee", None)
    return selectors.lesson_readable_by(user=request.user, employee=employee, pk=pk)
