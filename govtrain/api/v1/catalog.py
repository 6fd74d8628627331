"""The catalog over the API: search and filters as on the catalog page, a course by code
with its upcoming batches."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.api.v1.permissions import caller
from govtrain.catalog import selectors
from govtrain.catalog.models import COURSE_LANGUAGES, Centre, Course, Provider, Topic, Venue
from govtrain.catalog.selectors import CatalogFilters
from govtrain.classroom.models import Batch
from govtrain.people.models import Cadre, Designation, ServiceClass


class UpcomingBatchSerializer(serializers.ModelSerializer):
    centre: serializers.SlugRelatedField[Centre] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    venue: serializers.SlugRelatedField[Venue] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Batch
        fields = [
            "code",
            "starts_on",
            "ends_on",
            "centre",
            "centre_name",
            "venue",
            "venue_name",
            "language",
            "capacity",
            "seats_left",
            "nominations_open_on",
            "nominations_close_on",
        ]
        read_only_fields = fields


class CourseSerializer(serializers.ModelSerializer):
    provider: serializers.SlugRelatedField[Provider] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    topic: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    next_batch_on = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "code",
            "title_en",
            "title_ml",
            "summary_en",
            "summary_ml",
            "provider",
            "topic",
            "modality",
            "hours",
            "languages",
            "fee",
            "fee_currency",
            "next_batch_on",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_next_batch_on(self, course: Course) -> dt.date | None:
        batches = getattr(course, "upcoming_batches", None)
        return batches[0].starts_on if batches else None


class CourseDetailSerializer(CourseSerializer):
    target_service_classes: serializers.SlugRelatedField[ServiceClass] = (
        serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    )
    target_cadres: serializers.SlugRelatedField[Cadre] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    target_designations: serializers.SlugRelatedField[Designation] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    prerequisites: serializers.SlugRelatedField[Course] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    upcoming_batches = UpcomingBatchSerializer(many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [
            *[f for f in CourseSerializer.Meta.fields if f != "next_batch_on"],
            "is_published",
            "target_service_classes",
            "target_cadres",
            "target_designations",
            "prerequisites",
            "upcoming_batches",
        ]
        read_only_fields = fields


class CourseFilter(filters.FilterSet):
    """The catalog page's filters; the selector applies them all at once."""

    q = filters.CharFilter(label="Words of the code, title or summary (English or Malayalam)")
    topic = filters.CharFilter(label="Topic code (its sub-topics included)")
    provider = filters.CharFilter(label="Provider code")
    centre = filters.CharFilter(label="Centre code: courses with an upcoming batch there")
    modality = filters.ChoiceFilter(choices=Course.Modality.choices)
    group = filters.ChoiceFilter(
        choices=ServiceClass.NationalGroup.choices,
        label="National group the course is open to (courses without targets are open to all)",
    )
    language = filters.ChoiceFilter(choices=[(code, code) for code in COURSE_LANGUAGES])
    month = filters.CharFilter(label="YYYY-MM: courses with a batch starting that month")
    eligible = filters.BooleanFilter(label="Only courses whose targets include the caller")

    class Meta:
        model = Course
        fields = [
            "q",
            "topic",
            "provider",
            "centre",
            "modality",
            "group",
            "language",
            "month",
            "eligible",
        ]

    def filter_queryset(self, queryset: QuerySet[Course]) -> QuerySet[Course]:
        data = self.form.cleaned_data
        month = None
        if data.get("month"):
            try:
                month = dt.date.fromisoformat(f"{data['month']}-01")
            except ValueError as exc:
                raise ValidationError({"month": ["Give a month as YYYY-MM."]}) from exc
        courses = selectors.courses_search(
            user=caller(self.request),
            filters=CatalogFilters(
                q=data.get("q") or "",
                topic=data.get("topic") or "",
                provider=data.get("provider") or "",
                centre=data.get("centre") or "",
                modality=data.get("modality") or "",
                group=data.get("group") or "",
                language=data.get("language") or "",
                month=month,
                eligible=bool(data.get("eligible")),
            ),
            today=timezone.localdate(),
        )
        return courses.defer(None)  # every field, for the serializer


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published courses for every caller, found by words and filters, ranked as on the
    catalog page; a course by code, with its upcoming batches (unpublished ones only for
    those who manage the provider)."""

    filterset_class = CourseFilter
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.courses_published()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CourseDetailSerializer if self.action == "retrieve" else CourseSerializer

    def retrieve(self, request: Request, code: str | None = None) -> Response:
        course = selectors.course_get_for(user=caller(request), code=code or "")
        course.upcoming_batches = list(  # type: ignore[attr-defined]  # read by the serializer
            selectors.batches_upcoming(course=course, today=timezone.localdate())
        )
        return Response(self.get_serializer(course).data)
