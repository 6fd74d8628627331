"""Online learning over the API: a course's outline and the caller's progress, enrolment,
the lesson events a player or app sends (open, heartbeat, watched ranges, complete), and
outline management for coordinators. Same services, same rules and 404s as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller
from govtrain.learning import selectors
from govtrain.learning.models import Lesson, LessonProgress, Module, PlausibilityFlag
from govtrain.learning.services import authoring, scorm
from govtrain.learning.services import progress as services
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def _body(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


def _employee(request: Request) -> Employee:
    try:
        return caller(request).employee
    except Employee.DoesNotExist as error:
        raise Http404 from error


# --- Serializers ---------------------------------------------------------------------


class ProgressSerializer(serializers.ModelSerializer):
    watched_percent = serializers.SerializerMethodField()
    unmet = serializers.SerializerMethodField()

    class Meta:
        model = LessonProgress
        fields = [
            "lesson",
            "status",
            "seconds_spent",
            "watched_seconds",
            "watched_percent",
            "score_scaled",
            "first_opened_at",
            "last_opened_at",
            "completed_at",
            "unmet",
        ]

    def get_watched_percent(self, progress: LessonProgress) -> int:
        return services.watched_percent(progress)

    def get_unmet(self, progress: LessonProgress) -> list[str]:
        return services.unmet_requirements(progress)


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = [
            "id",
            "position",
            "kind",
            "title_en",
            "title_ml",
            "is_required",
            "min_seconds",
            "min_watched_percent",
            "video_url",
            "video_seconds",
            "link_url",
            "package",
            "quiz",
        ]
        read_only_fields = ["id", "position"]


class ModuleSerializer(serializers.ModelSerializer):
    lessons = LessonSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "position", "title_en", "title_ml", "lessons"]
        read_only_fields = ["id", "position", "lessons"]


class EnrolmentSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "course", "status", "completed_on", "hours_credited"]


class OutlineSerializer(serializers.Serializer[Any]):
    course = serializers.CharField()
    title_en = serializers.CharField()
    title_ml = serializers.CharField()
    enrolment = EnrolmentSerializer(allow_null=True)
    resume_lesson = serializers.IntegerField(allow_null=True)
    required_lessons = serializers.IntegerField()
    done_lessons = serializers.IntegerField()
    modules = ModuleSerializer(many=True)
    progress = ProgressSerializer(many=True)


class FlagSerializer(serializers.ModelSerializer):
    employee = serializers.CharField(source="enrolment.employee.pen")
    course = serializers.CharField(source="enrolment.course.code")

    class Meta:
        model = PlausibilityFlag
        fields = [
            "id",
            "employee",
            "course",
            "lesson",
            "reason",
            "detail",
            "created_at",
            "resolved_at",
        ]


# --- The learner ---------------------------------------------------------------------


@extend_schema(responses=OutlineSerializer)
@api_view(["GET"])
def course_outline(request: Request, pk: int) -> Response:
    """A published online or blended course's modules and lessons, with the caller's
    enrolment, progress per lesson, and the lesson to resume."""
    course = selectors.learner_course_get(pk=pk)
    enrolment = selectors.enrolment_of(employee=_employee(request), course=course)
    state = selectors.course_progress(course=course, enrolment=enrolment)
    progress = [p for row in state.modules for _, p in row.lessons if p is not None]
    data = {
        "course": course.code,
        "title_en": course.title_en,
        "title_ml": course.title_ml,
        "enrolment": enrolment,
        "resume_lesson": state.resume.pk if state.resume else None,
        "required_lessons": state.required,
        "done_lessons": state.done,
        "modules": [row.module for row in state.modules],
        "progress": progress,
    }
    return Response(OutlineSerializer(data).data)


@extend_schema(request=None, responses={201: EnrolmentSerializer})
@api_view(["POST"])
def course_enrol(request: Request, pk: int) -> Response:
    """Enrol the caller in a published online course."""
    course = selectors.learner_course_get(pk=pk)
    try:
        enrolment = services.course_enrol(
            employee=_employee(request), course=course, by=caller(request)
        )
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


def _progress(request: Request, pk: int, *, open_it: bool = False) -> LessonProgress:
    lesson, enrolment = selectors.lesson_for_learner(employee=_employee(request), pk=pk)
    if open_it:
        return services.lesson_open(enrolment=enrolment, lesson=lesson)
    progress = selectors.progress_get(enrolment=enrolment, lesson=lesson)
    if progress is None:
        raise Http404
    return progress


@extend_schema(request=None, responses=ProgressSerializer)
@api_view(["POST"])
def lesson_open(request: Request, pk: int) -> Response:
    """The caller opened the lesson: where they resume, and its timing starts."""
    try:
        progress = _progress(request, pk, open_it=True)
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    return Response(ProgressSerializer(progress).data)


@extend_schema(
    request=inline_serializer("Heartbeat", {"resumed": serializers.BooleanField(default=False)}),
    responses=ProgressSerializer,
)
@api_view(["POST"])
def lesson_heartbeat(request: Request, pk: int) -> Response:
    """The lesson is on screen; the server credits the real time since the last one."""
    progress = _progress(request, pk)
    resumed = str(_body(request).get("resumed", "")).lower() in ("1", "true")
    services.heartbeat_record(progress=progress, resumed=resumed)
    progress.refresh_from_db()
    scorm.scorm_complete_if_due(progress=progress, by=caller(request))
    progress.refresh_from_db()
    return Response(ProgressSerializer(progress).data)


@extend_schema(
    request=inline_serializer(
        "Watched",
        {
            "ranges": serializers.ListField(
                child=serializers.ListField(child=serializers.FloatField())
            )
        },
    ),
    responses=ProgressSerializer,
)
@api_view(["POST"])
def lesson_watched(request: Request, pk: int) -> Response:
    """The ranges of the video watched, in seconds: [[start, end], ...]."""
    progress = _progress(request, pk)
    try:
        progress = services.video_progress_record(
            progress=progress, ranges=_body(request).get("ranges")
        )
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    return Response(ProgressSerializer(progress).data)


@extend_schema(request=None, responses=ProgressSerializer)
@api_view(["POST"])
def lesson_complete(request: Request, pk: int) -> Response:
    """Mark the lesson done; 400 with the reasons when its minimum time or share is not
    met, 409 when finishing would be implausibly fast (flagged for the coordinator)."""
    progress = _progress(request, pk)
    try:
        progress = services.lesson_complete(progress=progress, by=caller(request))
    except services.ImplausibleCompletion as exc:
        return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    return Response(ProgressSerializer(progress).data)


# --- Coordinators ----------------------------------------------------------------------


def _authoring(call: Any) -> Any:
    try:
        return call()
    except DjangoPermissionDenied as exc:
        raise PermissionDenied from exc
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc


class ModuleWriteSerializer(serializers.Serializer[Any]):
    title_en = serializers.CharField(max_length=200)
    title_ml = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MoveSerializer(serializers.Serializer[Any]):
    direction = serializers.ChoiceField(choices=["up", "down"])


class LessonWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Lesson.Kind.choices)
    title_en = serializers.CharField(max_length=200)
    title_ml = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    is_required = serializers.BooleanField(default=True)
    min_seconds = serializers.IntegerField(min_value=0, default=0)
    min_watched_percent = serializers.IntegerField(min_value=0, max_value=100, default=0)
    body_source = serializers.CharField(required=False, default="", allow_blank=True)
    video_url = serializers.URLField(required=False, default="", allow_blank=True)
    video_seconds = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    link_url = serializers.URLField(required=False, default="", allow_blank=True)
    package = serializers.IntegerField(required=False, allow_null=True)
    quiz = serializers.IntegerField(required=False, allow_null=True)
    video_file = serializers.FileField(required=False)
    document = serializers.FileField(required=False)

    def lesson_input(self) -> authoring.LessonInput:
        data = dict(self.validated_data)
        data["package_id"] = data.pop("package", None)
        data["quiz_id"] = data.pop("quiz", None)
        return authoring.LessonInput(**data)


@extend_schema(methods=["GET"], responses=ModuleSerializer(many=True), description="The outline.")
@extend_schema(methods=["POST"], request=ModuleWriteSerializer, responses={201: ModuleSerializer})
@api_view(["GET", "POST"])
def authoring_modules(request: Request, pk: int) -> Response:
    """A course's modules and lessons for its authors; POST adds a module at the end."""
    course = selectors.course_get_authored(user=caller(request), pk=pk)
    if request.method == "GET":
        return Response(ModuleSerializer(selectors.outline(course=course), many=True).data)
    serializer = ModuleWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    module = _authoring(
        lambda: authoring.module_create(
            course=course, by=caller(request), **serializer.validated_data
        )
    )
    return Response(ModuleSerializer(module).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["PATCH"], request=ModuleWriteSerializer, responses=ModuleSerializer)
@extend_schema(methods=["DELETE"], responses={204: None})
@api_view(["PATCH", "DELETE"])
def authoring_module(request: Request, pk: int) -> Response:
    module = selectors.module_get_authored(user=caller(request), pk=pk)
    if request.method == "DELETE":
        _authoring(lambda: authoring.module_delete(module=module, by=caller(request)))
        return Response(status=status.HTTP_204_NO_CONTENT)
    serializer = ModuleWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    module = _authoring(
        lambda: authoring.module_update(
            module=module, by=caller(request), **serializer.validated_data
        )
    )
    return Response(ModuleSerializer(module).data)


@extend_schema(request=MoveSerializer, responses=ModuleSerializer)
@api_view(["POST"])
def authoring_module_move(request: Request, pk: int) -> Response:
    module = selectors.module_get_authored(user=caller(request), pk=pk)
    serializer = MoveSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    module = _authoring(
        lambda: authoring.module_move(
            module=module, direction=serializer.validated_data["direction"], by=caller(request)
        )
    )
    return Response(ModuleSerializer(module).data)


@extend_schema(request=LessonWriteSerializer, responses={201: LessonSerializer})
@api_view(["POST"])
@parser_classes([JSONParser, MultiPartParser, FormParser])
def authoring_lessons(request: Request, pk: int) -> Response:
    """Add a lesson at the end of a module (files as multipart)."""
    module = selectors.module_get_authored(user=caller(request), pk=pk)
    serializer = LessonWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    lesson = _authoring(
        lambda: authoring.lesson_save(
            module=module, data=serializer.lesson_input(), by=caller(request)
        )
    )
    return Response(LessonSerializer(lesson).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["PUT"], request=LessonWriteSerializer, responses=LessonSerializer)
@extend_schema(methods=["DELETE"], responses={204: None})
@api_view(["PUT", "DELETE"])
@parser_classes([JSONParser, MultiPartParser, FormParser])
def authoring_lesson(request: Request, pk: int) -> Response:
    lesson = selectors.lesson_get_authored(user=caller(request), pk=pk)
    if request.method == "DELETE":
        _authoring(lambda: authoring.lesson_delete(lesson=lesson, by=caller(request)))
        return Response(status=status.HTTP_204_NO_CONTENT)
    serializer = LessonWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    lesson = _authoring(
        lambda: authoring.lesson_save(
            module=lesson.module, lesson=lesson, data=serializer.lesson_input(), by=caller(request)
        )
    )
    return Response(LessonSerializer(lesson).data)


@extend_schema(request=MoveSerializer, responses=LessonSerializer)
@api_view(["POST"])
def authoring_lesson_move(request: Request, pk: int) -> Response:
    lesson = selectors.lesson_get_authored(user=caller(request), pk=pk)
    serializer = MoveSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    lesson = _authoring(
        lambda: authoring.lesson_move(
            lesson=lesson, direction=serializer.validated_data["direction"], by=caller(request)
        )
    )
    return Response(LessonSerializer(lesson).data)


@extend_schema(responses=FlagSerializer(many=True))
@api_view(["GET"])
def flags(request: Request) -> Response:
    """Open flags of implausible completions on the courses the caller authors."""
    return Response(FlagSerializer(selectors.flags_for(user=caller(request))[:500], many=True).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("learning/courses/<int:pk>/outline/", course_outline, name="learning-outline"),
    path("learning/courses/<int:pk>/enrolment/", course_enrol, name="learning-enrol"),
    path("learning/lessons/<int:pk>/open/", lesson_open, name="learning-lesson-open"),
    path("learning/lessons/<int:pk>/heartbeat/", lesson_heartbeat, name="learning-heartbeat"),
    path("learning/lessons/<int:pk>/watched/", lesson_watched, name="learning-watched"),
    path("learning/lessons/<int:pk>/complete/", lesson_complete, name="learning-complete"),
    path(
        "learning/authoring/courses/<int:pk>/modules/",
        authoring_modules,
        name="learning-authoring-modules",
    ),
    path(
        "learning/authoring/modules/<int:pk>/", authoring_module, name="learning-authoring-module"
    ),
    path(
        "learning/authoring/modules/<int:pk>/move/",
        authoring_module_move,
        name="learning-authoring-module-move",
    ),
    path(
        "learning/authoring/modules/<int:pk>/lessons/",
        authoring_lessons,
        name="learning-authoring-lessons",
    ),
    path(
        "learning/authoring/lessons/<int:pk>/", authoring_lesson, name="learning-authoring-lesson"
    ),
    path(
        "learning/authoring/lessons/<int:pk>/move/",
        authoring_lesson_move,
        name="learning-authoring-lesson-move",
    ),
    path("learning/flags/", flags, name="learning-flags"),
]
