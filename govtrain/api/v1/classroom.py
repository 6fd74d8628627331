"""Classroom batches over the API: the calendar's batches for everyone, scheduling for
coordinators through the same service and rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm
from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller, require
from govtrain.catalog.models import Centre, Course, Venue
from govtrain.classroom import selectors
from govtrain.classroom.models import Batch, BatchQuota, Session
from govtrain.classroom.services import batches as services
from govtrain.classroom.services import completion
from govtrain.organisation.models import Department
from govtrain.people.models import Employee, ServiceClass

# --- Batches -------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    faculty = serializers.SlugRelatedField(
        slug_field="pen", queryset=Employee.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Session
        fields = ["id", "date", "starts_at", "ends_at", "title", "faculty"]
        read_only_fields = ["id"]


class QuotaSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    service_class = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceClass.objects.all(), required=False, allow_null=True
    )
    gender = serializers.ChoiceField(
        choices=[("", ""), *Employee.Gender.choices], required=False, default=""
    )

    class Meta:
        model = BatchQuota
        fields = ["department", "service_class", "gender", "seats"]


class VenueCodeField(serializers.Field):
    """A room by its code, which is unique only within its centre (resolved in validate)."""

    def to_representation(self, value: Venue) -> str:
        return value.code

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) or not data.strip():
            raise ValidationError("Give the room's code.")
        return data.strip()


class BatchSerializer(serializers.ModelSerializer):
    """A batch as the calendar lists it."""

    course = serializers.SlugRelatedField(slug_field="code", queryset=Course.objects.all())
    course_title = serializers.CharField(source="course.title", read_only=True)
    provider = serializers.CharField(source="course.provider.code", read_only=True)
    centre = serializers.SlugRelatedField(slug_field="code", queryset=Centre.objects.all())
    venue = VenueCodeField()

    class Meta:
        model = Batch
        fields = [
            "id",
            "code",
            "course",
            "course_title",
            "provider",
            "centre",
            "venue",
            "starts_on",
            "ends_on",
            "capacity",
            "nominations_open_on",
            "nominations_close_on",
            "language",
            "status",
        ]
        read_only_fields = ["id", "status"]


class BatchDetailSerializer(BatchSerializer):
    """A batch with its timetable, quotas and faculty; what coordinators send to schedule
    or change one (sessions, quotas and faculty, when sent, replace what is there)."""

    sessions = SessionSerializer(many=True, required=False)
    quotas = QuotaSerializer(many=True, required=False)
    faculty = serializers.SlugRelatedField(
        slug_field="pen", many=True, queryset=Employee.objects.all(), required=False
    )

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "faculty", "sessions", "quotas"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["course"].read_only = True  # nominations were made to this course
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Batch | None = self.instance
        if "venue" in attrs or "centre" in attrs:
            centre = attrs.get("centre") or (instance.centre if instance else None)
            code = attrs.get("venue") or (instance.venue.code if instance else "")
            venue = Venue.objects.filter(centre=centre, code=code).first()
            if venue is None:
                raise ValidationError({"venue": f"No room {code} at centre {centre}."})
            attrs["venue"] = venue
        return attrs


class BatchFilter(filters.FilterSet):
    course = filters.CharFilter(field_name="course__code")
    centre = filters.CharFilter(field_name="centre__code")
    provider = filters.CharFilter(field_name="course__provider__code")
    status = filters.ChoiceFilter(choices=Batch.Status.choices)
    to = filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label="Batches that start on or before"
    )

    class Meta:
        model = Batch
        fields = ["course", "centre", "provider", "status", "to"]


# `from` is a Python keyword: declared after the class.
BatchFilter.base_filters["from"] = filters.DateFilter(
    field_name="ends_on", lookup_expr="gte", label="Batches that end on or after"
)


def _timetable(data: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments for what was sent of the timetable, quotas and faculty."""
    parts: dict[str, Any] = {}
    if "sessions" in data:
        parts["sessions"] = [
            services.Slot(s["date"], s["starts_at"], s["ends_at"], s["title"], s.get("faculty"))
            for s in data.pop("sessions")
        ]
    if "quotas" in data:
        parts["quotas"] = [
            services.QuotaRow(
                q["seats"], q.get("department"), q.get("service_class"), q.get("gender", "")
            )
            for q in data.pop("quotas")
        ]
    if "faculty" in data:
        parts["faculty"] = list(data.pop("faculty"))
    return parts


class CompletionSerializer(serializers.Serializer[Any]):
    completed = serializers.IntegerField()
    not_completed = serializers.IntegerField()
    changed = serializers.IntegerField()


class BatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Batches on the training calendar, looked up by code.

    Everyone signed in sees the batches of published courses; coordinators also see their
    providers' others, and schedule and change them. Another provider's batch cannot be
    changed (404). `from`/`to` keep the batches that meet between those dates.
    """

    lookup_field = "code"
    filterset_class = BatchFilter

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.action in ("create", "update", "partial_update", "complete"):
            return [require(Perm.CATALOG_MANAGE)()]
        return [permissions.IsAuthenticated()]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return BatchSerializer if self.action == "list" else BatchDetailSerializer

    def get_queryset(self) -> QuerySet[Batch]:
        user = caller(self.request)
        if self.action in ("update", "partial_update", "complete"):
            batches = selectors.batches_managed_by(user=user)
        else:
            batches = selectors.batches_visible_to(user=user)
        if self.action != "list":
            batches = batches.prefetch_related(
                "faculty", "sessions__faculty", "quotas__department", "quotas__service_class"
            )
        return batches

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        parts = _timetable(data)
        try:
            serializer.instance = services.batch_create(by=caller(self.request), **data, **parts)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        batch = serializer.instance
        if not isinstance(batch, Batch):
            raise NotFound
        data = dict(serializer.validated_data)
        parts = _timetable(data)
        try:
            serializer.instance = services.batch_update(
                batch=batch, by=caller(self.request), **data, **parts
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc

    @extend_schema(request=None, responses={200: CompletionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, code: str) -> Response:
        """Record the batch's completions and close it (again after a correction)."""
        batch = self.get_object()
        try:
            outcomes = completion.batch_complete(batch=batch, by=caller(request))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc
        return Response(CompletionSerializer(outcomes).data)
