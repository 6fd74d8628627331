"""Attendance and feedback over the API: the same services and the same scoping as the
pages. Outside the caller's batches a session or batch does not exist (404)."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import access_for
from govtrain.api.v1.permissions import caller
from govtrain.classroom import selectors
from govtrain.classroom.models import Attendance, Session
from govtrain.classroom.services import attendance as attendance_services
from govtrain.classroom.services import feedback as feedback_services
from govtrain.people.models import Employee
from govtrain.records.selectors import participants_of


def _raise_drf(exc: DjangoValidationError, names: dict[str, str] | None = None) -> None:
    """A service's ValidationError as a 400, its keys renamed (employee ids to PENs)."""
    if hasattr(exc, "error_dict"):
        names = names or {}
        raise ValidationError(
            {
                names.get(k, k): [str(m) for e in v for m in e.messages]
                for k, v in exc.error_dict.items()
            }
        ) from exc
    raise ValidationError(exc.messages) from exc


# --- Attendance -----------------------------------------------------------------------


class MarkSerializer(serializers.Serializer):
    employee = serializers.CharField(help_text="PEN of a participant")
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class MarkRequestSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True)
    late_by = serializers.IntegerField(
        required=False, default=attendance_services.DEFAULT_LATE_BY, min_value=0
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)


class MarkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    corrected = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class MarkReadSerializer(serializers.Serializer):
    employee = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(allow_null=True)
    minutes = serializers.IntegerField(allow_null=True)
    marked_by = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class SessionAttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    batch = serializers.CharField()
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    marks = MarkReadSerializer(many=True)


def _session_for(request: Request, pk: int) -> Session:
    batches = selectors.batches_staffed_by(user=caller(request))
    session: Session = get_object_or_404(
        Session.objects.select_related("batch__course"), pk=pk, batch__in=batches
    )
    return session


def _sheet(session: Session) -> dict[str, Any]:
    sheet = selectors.attendance_sheet(session=session)
    return {
        "session": session.pk,
        "batch": session.batch.code,
        "date": session.date,
        "minutes": session.minutes,
        "marks": [
            {
                "employee": row.employee.pen,
                "name": row.employee.name_en,
                "status": row.mark.status if row.mark else None,
                "minutes": row.mark.minutes if row.mark else None,
                "marked_by": (
                    row.mark.marked_by.get_username() if row.mark and row.mark.marked_by else None
                ),
                "updated_at": row.mark.updated_at if row.mark else None,
            }
            for row in sheet.rows
        ],
    }


@extend_schema(
    methods=["GET"], responses=SessionAttendanceSerializer, summary="A session's attendance"
)
@extend_schema(
    methods=["POST"],
    request=MarkRequestSerializer,
    responses=MarkResultSerializer,
    summary="Mark a session's attendance (many participants at once)",
)
@api_view(["GET", "POST"])
def session_attendance(request: Request, pk: int) -> Response:
    """Every participant of the session with their mark; POST marks many at once.

    For the batch's faculty, its provider's coordinators and state administrators.
    First marks are created; changes to a mark are corrections, audited with `reason`.
    """
    session = _session_for(request, pk)
    if request.method == "GET":
        return Response(SessionAttendanceSerializer(_sheet(session)).data)
    body = MarkRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    pens = {e.employee.pen: e.employee_id for e in participants_of(batch=session.batch)}
    unknown = [m["employee"] for m in body.validated_data["marks"] if m["employee"] not in pens]
    if unknown:
        raise ValidationError({"marks": [f"Not a participant of this batch: {', '.join(unknown)}"]})
    marks = {
        pens[m["employee"]]: (m["status"], m.get("minutes")) for m in body.validated_data["marks"]
    }
    try:
        result = attendance_services.attendance_mark(
            session=session,
            marks=marks,
            by=caller(request),
            late_by=body.validated_data["late_by"],
            reason=body.validated_data["reason"],
        )
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        _raise_drf(exc, {str(i): pen for pen, i in pens.items()})
    return Response(MarkResultSerializer(result).data)


# --- Feedback -------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    faculty = serializers.CharField(
        required=False, allow_null=True, help_text="PEN, for faculty ratings"
    )
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class FeedbackRequestSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text_en = serializers.CharField()
    text_ml = serializers.CharField()
    # Not `required`: a serializer field of that name would hide Field.required.
    is_required = serializers.BooleanField()


class FacultySerializer(serializers.Serializer):
    pen = serializers.CharField()
    name_en = serializers.CharField()
    name_ml = serializers.CharField()


class FeedbackQuestionsSerializer(serializers.Serializer):
    batch = serializers.CharField()
    opens_on = serializers.DateField()
    given = serializers.BooleanField()
    questions = QuestionSerializer(many=True)
    faculty = FacultySerializer(many=True)


@extend_schema(methods=["GET"], responses=FeedbackQuestionsSerializer)
@extend_schema(methods=["POST"], request=FeedbackRequestSerializer, responses={201: None})
@api_view(["GET", "POST"])
def batch_feedback(request: Request, code: str) -> Response:
    """The caller's feedback on a batch they took part in: the questions (GET), the
    answers, once, from the batch's last day on (POST)."""
    batch = get_object_or_404(selectors.batches_attended_by(user=caller(request)), code=code)
    employee_id = access_for(request.user).employee_id
    if employee_id is None:
        raise NotFound
    faculty = selectors.batch_faculty(batch=batch)
    if request.method == "GET":
        form = feedback_services.feedback_form_for(batch=batch)
        return Response(
            FeedbackQuestionsSerializer(
                {
                    "batch": batch.code,
                    "opens_on": selectors.feedback_opens_on(batch=batch),
                    "given": selectors.feedback_given(batch=batch, employee_id=employee_id),
                    "questions": [
                        {
                            "id": q.pk,
                            "kind": q.kind,
                            "text_en": q.text_en,
                            "text_ml": q.text_ml,
                            "is_required": q.required,
                        }
                        for q in form.questions.all()
                    ],
                    "faculty": faculty,
                }
            ).data
        )
    body = FeedbackRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    by_pen = {f.pen: f.pk for f in faculty}
    answers: dict[tuple[int, int | None], int | str | None] = {}
    for a in body.validated_data["answers"]:
        pen = a.get("faculty")
        if pen and pen not in by_pen:
            raise ValidationError({"answers": [f"{pen} does not teach this batch."]})
        key = (a["question"], by_pen[pen] if pen else None)
        answers[key] = a["rating"] if a.get("rating") is not None else a.get("text", "")
    # Errors come keyed "q<question>" or, per faculty member, "q<question>_<PEN>".
    form = feedback_services.feedback_form_for(batch=batch)
    names = {
        feedback_services.answer_key(q.pk, f.pk): f"q{q.pk}_{f.pen}"
        for q in form.questions.all()
        for f in faculty
    }
    try:
        feedback_services.feedback_submit(
            batch=batch, employee=get_object_or_404(Employee, pk=employee_id), answers=answers
        )
    except DjangoValidationError as exc:
        _raise_drf(exc, names)
    return Response(status=201)


class RatingCountSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class RatingSummarySerializer(serializers.Serializer):
    question = serializers.CharField(source="question.text_en")
    faculty = serializers.CharField(source="faculty.pen", allow_null=True, default=None)
    count = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    distribution = RatingCountSerializer(many=True)


class CommentGroupSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.text_en")
    comments = serializers.ListField(child=serializers.CharField())


class FeedbackSummarySerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    responses = serializers.IntegerField()
    response_rate = serializers.IntegerField()
    ratings = RatingSummarySerializer(many=True)
    faculty_ratings = RatingSummarySerializer(many=True)
    comments = CommentGroupSerializer(many=True)


@extend_schema(responses=FeedbackSummarySerializer)
@api_view(["GET"])
def batch_feedback_summary(request: Request, code: str) -> Response:
    """The batch's feedback summed up, comments without names: faculty and coordinators."""
    batch = get_object_or_404(selectors.batches_staffed_by(user=caller(request)), code=code)
    form = feedback_services.feedback_form_for(batch=batch)
    return Response(
        FeedbackSummarySerializer(selectors.feedback_summary(batch=batch, form=form)).data
    )
