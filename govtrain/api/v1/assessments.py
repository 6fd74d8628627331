"""Assessments over the API: a learner's quiz, their attempt (start or resume, save answers,
submit, result as the feedback policy allows), and for staff the grading queue, grading
one answer, a quiz's results and its item analysis. Same services, same rules and 404s
as the pages; the answers' JSON shapes are those of services/answers.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm, access_for
from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller
from govtrain.assessments import selectors
from govtrain.assessments.models import Attempt, Quiz
from govtrain.assessments.models import Response as Answer
from govtrain.assessments.services import attempts as services
from govtrain.assessments.services import grading
from govtrain.people.models import Employee


class AttemptClosedError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The attempt is closed.")
    default_code = "attempt_closed"


def _employee(request: Request) -> Employee:
    try:
        return caller(request).employee
    except Employee.DoesNotExist as error:
        raise Http404 from error


def _body(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


# --- Serializers ---------------------------------------------------------------------


class QuizSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code")

    class Meta:
        model = Quiz
        fields = [
            "id",
            "course",
            "kind",
            "title_en",
            "title_ml",
            "instructions_en",
            "instructions_ml",
            "time_limit_minutes",
            "attempts_allowed",
            "pass_percent",
            "feedback",
            "shuffle_questions",
            "shuffle_choices",
            "opens_at",
            "closes_at",
        ]


class AttemptSummarySerializer(serializers.ModelSerializer):
    """An attempt's state; the score only when the quiz's feedback policy shows scores."""

    quiz = serializers.IntegerField(source="quiz_id")
    score = serializers.SerializerMethodField()
    max_score = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "number",
            "status",
            "started_at",
            "deadline",
            "seconds_left",
            "submitted_at",
            "timed_out",
            "passed",
            "score",
            "max_score",
            "percent",
        ]

    def _shows_score(self, attempt: Attempt) -> bool:
        return attempt.quiz.feedback != Quiz.Feedback.NONE and not attempt.is_open

    def get_score(self, attempt: Attempt) -> str | None:
        shown = self._shows_score(attempt) and attempt.score is not None
        return str(attempt.score) if shown else None

    def get_max_score(self, attempt: Attempt) -> str | None:
        return str(attempt.max_score) if self._shows_score(attempt) else None

    def get_percent(self, attempt: Attempt) -> str | None:
        shown = self._shows_score(attempt) and attempt.percent is not None
        return str(attempt.percent) if shown else None

    def get_seconds_left(self, attempt: Attempt) -> int | None:
        """By the server's clock: what a client's countdown should start from."""
        if not attempt.is_open or attempt.deadline is None:
            return None
        return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


class ChoiceShownSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text_en = serializers.CharField()
    text_ml = serializers.CharField()


class PaperQuestionSerializer(serializers.Serializer):
    """A question of the learner's paper with their saved answer, and no key."""

    question = serializers.IntegerField(source="question_id")
    position = serializers.IntegerField()
    kind = serializers.CharField(source="question.kind")
    text_en = serializers.CharField(source="question.text_en")
    text_ml = serializers.CharField(source="question.text_ml")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    choices = ChoiceShownSerializer(source="shown_choices", many=True)
    answer = serializers.JSONField(allow_null=True)
    saved_at = serializers.DateTimeField(allow_null=True)


class ReviewedQuestionSerializer(PaperQuestionSerializer):
    """The same question with the key, the explanation, the score and the comment: only
    when the feedback policy shows the answers."""

    correct_choices = serializers.SerializerMethodField()
    true_is_correct = serializers.BooleanField(source="question.true_is_correct", allow_null=True)
    numeric_answer = serializers.DecimalField(
        source="question.numeric_answer", max_digits=16, decimal_places=4, allow_null=True
    )
    numeric_tolerance = serializers.DecimalField(
        source="question.numeric_tolerance", max_digits=16, decimal_places=4
    )
    accepted_answers = serializers.ListField(
        source="question.accepted_answers", child=serializers.CharField()
    )
    explanation_en = serializers.CharField(source="question.explanation_en")
    explanation_ml = serializers.CharField(source="question.explanation_ml")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    comment = serializers.CharField()

    def get_correct_choices(self, response: Answer) -> list[int]:
        return [c.pk for c in response.shown_choices if c.is_correct]  # type: ignore[attr-defined]


class AttemptSerializer(AttemptSummarySerializer):
    """An attempt with its paper (no keys)."""

    questions = serializers.SerializerMethodField()

    class Meta(AttemptSummarySerializer.Meta):
        fields = [*AttemptSummarySerializer.Meta.fields, "questions"]

    @extend_schema_field(PaperQuestionSerializer(many=True))
    def get_questions(self, attempt: Attempt) -> list[dict[str, Any]]:
        paper = selectors.paper(attempt=attempt)
        return PaperQuestionSerializer(paper, many=True).data  # type: ignore[return-value]


class FeedbackSerializer(serializers.Serializer):
    score = serializers.BooleanField()
    answers = serializers.BooleanField()
    answers_from = serializers.DateTimeField(allow_null=True)
    answers_later = serializers.BooleanField()


class CommentSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    position = serializers.IntegerField()
    comment = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    attempt = AttemptSummarySerializer()
    feedback = FeedbackSerializer()
    course_completed = serializers.BooleanField()
    questions = ReviewedQuestionSerializer(many=True)
    comments = CommentSerializer(many=True)


class StandingSerializer(serializers.Serializer):
    used = serializers.IntegerField()
    allowed = serializers.IntegerField()
    left = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField()
    waiting = serializers.BooleanField()
    can_start = serializers.BooleanField()
    problem = serializers.CharField()
    in_progress = serializers.IntegerField(source="in_progress.pk", allow_null=True)


class QuizDetailSerializer(serializers.Serializer):
    quiz = QuizSerializer()
    standing = StandingSerializer()
    attempts = AttemptSummarySerializer(many=True)


# --- The learner -----------------------------------------------------------------------


def _attempt(request: Request, pk: int) -> Attempt:
    """The caller's own attempt (anyone else's is a 404), closed first if its time is up."""
    attempt = selectors.attempt_for_learner(employee=_employee(request), pk=pk)
    return services.attempt_close_if_due(attempt=attempt, by=caller(request))


@extend_schema(responses=QuizDetailSerializer)
@api_view(["GET"])
def quiz_detail(request: Request, pk: int) -> Response:
    """A published quiz of a course the caller is enrolled in, with their attempts and
    whether they may start one."""
    employee = _employee(request)
    quiz, enrolment = selectors.quiz_for_learner(employee=employee, pk=pk)
    current = selectors.attempt_in_progress(quiz=quiz, employee=employee)
    if current is not None:
        services.attempt_close_if_due(attempt=current, by=caller(request))
    standing = selectors.quiz_standing(quiz=quiz, enrolment=enrolment)
    for attempt in standing.attempts:
        attempt.quiz = quiz
    body = {"quiz": quiz, "standing": standing, "attempts": standing.attempts}
    return Response(QuizDetailSerializer(body).data)


@extend_schema(request=None, responses={201: AttemptSerializer, 200: AttemptSerializer})
@api_view(["POST"])
def attempt_start(request: Request, pk: int) -> Response:
    """Start the caller's next attempt (201), or resume the one in progress (200)."""
    quiz, enrolment = selectors.quiz_for_learner(employee=_employee(request), pk=pk)
    try:
        attempt, created = services.attempt_start(
            quiz=quiz, enrolment=enrolment, by=caller(request)
        )
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    attempt = selectors.attempt_for_learner(employee=_employee(request), pk=attempt.pk)
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(AttemptSerializer(attempt).data, status=code)


@extend_schema(responses=AttemptSerializer)
@api_view(["GET"])
def attempt_detail(request: Request, pk: int) -> Response:
    """The caller's attempt with its paper and the answers saved (never the key)."""
    return Response(AttemptSerializer(_attempt(request, pk)).data)


@extend_schema(
    request=inline_serializer(
        "Answers",
        {
            "answers": serializers.DictField(
                child=serializers.JSONField(allow_null=True),
                help_text='By question id: {"12": {"choice": 40}, "13": {"text": "..."}}',
            )
        },
    ),
    responses={200: PaperQuestionSerializer(many=True)},
)
@api_view(["PUT"])
def answers_save(request: Request, pk: int) -> Response:
    """Save answers by question id, all or none (400 by `q<id>` for a malformed one); 409
    once the attempt is submitted or its time is up (then nothing is saved)."""
    attempt = _attempt(request, pk)
    raw = _body(request).get("answers")
    if not isinstance(raw, dict):
        raise as_drf(DjangoValidationError({"answers": [_("Give the answers by question id.")]}))
    answers: dict[int, object] = {}
    for key, value in raw.items():
        if not str(key).isdigit():
            message = _("Not a question id: %(key)s.") % {"key": str(key)[:20]}
            raise as_drf(DjangoValidationError({"answers": [message]}))
        answers[int(key)] = value
    try:
        services.responses_save(attempt=attempt, answers=answers, by=caller(request))
    except services.AttemptClosed as exc:
        raise AttemptClosedError(" ".join(exc.messages)) from exc
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    paper = selectors.paper(attempt=attempt, question_ids=answers)
    return Response(PaperQuestionSerializer(paper, many=True).data)


def _result(attempt: Attempt) -> Response:
    feedback = selectors.feedback_for(attempt=attempt)
    questions = selectors.paper(attempt=attempt) if feedback.answers else []
    comments = selectors.comments_of(attempt=attempt) if feedback.score else []
    enrolment = selectors.enrolment_now(enrolment_id=attempt.enrolment_id)
    body = {
        "attempt": attempt,
        "feedback": feedback,
        "course_completed": enrolment.status == enrolment.Status.COMPLETED,
        "questions": questions,
        "comments": comments,
    }
    return Response(ResultSerializer(body).data)


@extend_schema(request=None, responses=ResultSerializer)
@api_view(["POST"])
def attempt_submit(request: Request, pk: int) -> Response:
    """Hand in the attempt: graded at once unless an essay waits for a grader. After the
    deadline it closes as at the deadline. Submitting again changes nothing."""
    attempt = _attempt(request, pk)
    attempt = services.attempt_submit(attempt=attempt, by=caller(request))
    return _result(attempt)


@extend_schema(responses=ResultSerializer)
@api_view(["GET"])
def attempt_result(request: Request, pk: int) -> Response:
    """A closed attempt as the feedback policy shows it (409 while it is in progress)."""
    attempt = _attempt(request, pk)
    if attempt.is_open:
        raise AttemptClosedError(_("The attempt is in progress: submit it first."))
    return _result(attempt)


# --- Staff ---------------------------------------------------------------------------


class QueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    attempt = serializers.IntegerField(source="attempt_id")
    quiz = serializers.IntegerField(source="attempt.quiz_id")
    course = serializers.CharField(source="attempt.quiz.course.code")
    employee = serializers.CharField(source="attempt.employee.pen")
    submitted_at = serializers.DateTimeField(source="attempt.submitted_at")
    question = serializers.IntegerField(source="question_id")
    text_en = serializers.CharField(source="question.text_en")
    answer = serializers.JSONField(allow_null=True)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class GradeSerializer(serializers.Serializer):
    score = serializers.CharField(max_length=12)
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class GradedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    comment = serializers.CharField()
    attempt_status = serializers.CharField(source="attempt.status")
    attempt_passed = serializers.BooleanField(source="attempt.passed", allow_null=True)


class StaffAttemptSerializer(serializers.ModelSerializer):
    employee = serializers.CharField(source="employee.pen")

    class Meta:
        model = Attempt
        fields = [
            "id",
            "employee",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "timed_out",
            "score",
            "max_score",
            "percent",
            "passed",
        ]


class ItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text_en = serializers.CharField(source="question.text_en")
    kind = serializers.CharField(source="question.kind")
    n = serializers.IntegerField()
    answered = serializers.IntegerField()
    facility = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    discrimination = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    correlation = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    choices = serializers.SerializerMethodField()

    def get_choices(self, item: selectors.ItemStats) -> list[dict[str, Any]]:
        return [
            {"id": row.choice.pk, "correct": row.is_correct, "count": row.count}
            for row in item.choices
        ]


class ItemAnalysisSerializer(serializers.Serializer):
    quiz = serializers.IntegerField(source="quiz.pk")
    attempts = serializers.IntegerField()
    mean_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    pass_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    minimum = serializers.IntegerField()
    items = ItemSerializer(many=True)


def _require_grader(request: Request) -> None:
    if not access_for(caller(request)).can(Perm.ASSESS_GRADE):
        raise Http404


@extend_schema(responses=QueueItemSerializer(many=True))
@api_view(["GET"])
def grading_queue(request: Request) -> Response:
    """Essays of the caller's providers' quizzes waiting for a score, oldest first
    (paginated; never the caller's own)."""
    _require_grader(request)
    services.attempts_close_overdue()
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(selectors.grading_queue(user=caller(request)), request)
    return paginator.get_paginated_response(QueueItemSerializer(page, many=True).data)


@extend_schema(request=GradeSerializer, responses=GradedSerializer)
@api_view(["POST"])
def response_grade(request: Request, pk: int) -> Response:
    """Score an essay (or override a short answer's automatic score); the attempt is
    graded once no answer waits."""
    _require_grader(request)
    response = selectors.response_get_gradable(user=caller(request), pk=pk)
    data = GradeSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        response = grading.response_grade(
            response=response,
            score=data.validated_data["score"],
            comment=data.validated_data["comment"],
            by=caller(request),
        )
    except DjangoPermissionDenied as exc:
        raise Http404 from exc
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc
    response = Answer.objects.select_related("attempt").get(pk=response.pk)
    return Response(GradedSerializer(response).data)


@extend_schema(responses=StaffAttemptSerializer(many=True))
@api_view(["GET"])
def quiz_results(request: Request, pk: int) -> Response:
    """Every attempt at a quiz of the caller's providers, latest first (paginated)."""
    quiz = selectors.quiz_get_managed(user=caller(request), pk=pk)
    services.attempts_close_overdue(quiz=quiz)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(selectors.quiz_results(quiz=quiz), request)
    return paginator.get_paginated_response(StaffAttemptSerializer(page, many=True).data)


@extend_schema(responses=ItemAnalysisSerializer)
@api_view(["GET"])
def item_analysis(request: Request, pk: int) -> Response:
    """Facility, discrimination and correlation of each question (docs/assessments.md)."""
    quiz = selectors.quiz_get_managed(user=caller(request), pk=pk)
    return Response(ItemAnalysisSerializer(selectors.item_analysis(quiz=quiz)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("assessments/quizzes/<int:pk>/", quiz_detail, name="assessments-quiz"),
    path("assessments/quizzes/<int:pk>/attempts/", attempt_start, name="assessments-start"),
    path("assessments/attempts/<int:pk>/", attempt_detail, name="assessments-attempt"),
    path("assessments/attempts/<int:pk>/answers/", answers_save, name="assessments-answers"),
    path("assessments/attempts/<int:pk>/submit/", attempt_submit, name="assessments-submit"),
    path("assessments/attempts/<int:pk>/result/", attempt_result, name="assessments-result"),
    path("assessments/grading/", grading_queue, name="assessments-grading-queue"),
    path("assessments/grading/<int:pk>/", response_grade, name="assessments-grade"),
    path("assessments/quizzes/<int:pk>/results/", quiz_results, name="assessments-results"),
    path(
        "assessments/quizzes/<int:pk>/item-analysis/",
        item_analysis,
        name="assessments-item-analysis",
    ),
]
