"""External courses over the API: the employee records an enrolment and submits evidence
(multipart), the provider's coordinators list their queue and decide. The same services
and the same visibility as the pages: evidence outside one's reach is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller
from govtrain.catalog.models import Course
from govtrain.external import selectors, services
from govtrain.external.downloads import evidence_file_response
from govtrain.external.models import Evidence


def _external_course(user: User, code: str) -> Course:
    """A published external course (or one the caller manages), else a field error."""
    course = (
        Course.objects.filter(code=code, modality=Course.Modality.EXTERNAL)
        .select_related("provider")
        .first()
    )
    visible = course is not None and (
        course.is_published
        or access_for(user).covers_provider(Perm.CATALOG_MANAGE, course.provider_id)
    )
    if course is None or not visible:
        raise ValidationError({"course": [_("No external course %(code)s.") % {"code": code}]})
    return course


class EvidenceSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="enrolment.course.code", read_only=True)
    employee = serializers.CharField(source="enrolment.employee.pen", read_only=True)
    hours = serializers.DecimalField(
        source="enrolment.course.hours", max_digits=6, decimal_places=1, read_only=True
    )
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    file = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "course",
            "employee",
            "hours",
            "status",
            "completed_on",
            "certificate_id",
            "certificate_url",
            "content_type",
            "size",
            "file",
            "created_at",
            "decided_by",
            "decided_at",
            "reason",
        ]

    def get_file(self, evidence: Evidence) -> str:
        """Where the certificate is downloaded (by the employee and those who verify)."""
        url = reverse("v1:external-evidence-file", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class EvidenceSubmitSerializer(serializers.Serializer[Any]):
    course = serializers.CharField(max_length=30)
    file = serializers.FileField()
    completed_on = serializers.DateField()
    certificate_id = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    certificate_url = serializers.URLField(
        max_length=500, required=False, default="", allow_blank=True
    )


class ExternalEnrolmentSerializer(serializers.Serializer[Any]):
    course = serializers.CharField(max_length=30)


class ExternalEnrolmentResultSerializer(serializers.Serializer[Any]):
    course = serializers.CharField()
    status = serializers.CharField()


class EvidenceDecisionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=list(services.DECISIONS))
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Completion evidence of external courses: the list is the caller's own submissions;
    `queue` lists what waits for the caller's verification."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[Evidence]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model
            return Evidence.objects.none()
        user = caller(self.request)
        if self.action == "list":
            employee_id = access_for(user).employee_id
            if employee_id is None:
                return Evidence.objects.none()
            return selectors.evidence_of(employee_id=employee_id)
        if self.action == "queue":
            return selectors.evidence_awaiting(user=user)
        return selectors.evidence_visible_to(user=user).order_by("-created_at", "-pk")

    @extend_schema(
        request={"multipart/form-data": EvidenceSubmitSerializer},
        responses={201: EvidenceSerializer},
    )
    def create(self, request: Request) -> Response:
        """The caller submits a certificate (PDF, PNG or JPEG) for an external course they
        took; their enrolment is recorded too if it was not."""
        user = caller(request)
        data = EvidenceSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = _external_course(user, data.validated_data["course"])
        try:
            evidence = services.evidence_submit(
                course=course,
                by=user,
                upload=data.validated_data["file"],
                completed_on=data.validated_data["completed_on"],
                certificate_id=data.validated_data["certificate_id"],
                certificate_url=data.validated_data["certificate_url"],
            )
        except DjangoPermissionDenied as e:
            raise PermissionDenied(str(e) or None) from e
        except DjangoValidationError as e:
            raise as_drf(e) from e
        evidence = selectors.evidence_visible_to(user=user).get(pk=evidence.pk)
        body = EvidenceSerializer(evidence, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: EvidenceSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def queue(self, request: Request) -> Response:
        """Submissions waiting for the caller's decision, oldest first."""
        if not access_for(caller(request)).can(Perm.CATALOG_MANAGE):
            raise PermissionDenied
        return self.list(request)

    @extend_schema(request=EvidenceDecisionSerializer, responses={200: EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Verify (completes the enrolment and credits the hours) or reject (a reason is
        required; the employee may submit again)."""
        evidence = self.get_object()
        data = EvidenceDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = caller(request)
        try:
            services.evidence_decide(
                evidence=evidence,
                by=user,
                action=data.validated_data["action"],
                reason=data.validated_data["reason"],
            )
        except DjangoPermissionDenied as e:
            raise PermissionDenied(str(e) or None) from e
        except DjangoValidationError as e:
            raise as_drf(e) from e
        evidence = self.get_queryset().get(pk=evidence.pk)
        return Response(EvidenceSerializer(evidence, context={"request": request}).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str) -> FileResponse:
        """The certificate as a download."""
        return evidence_file_response(self.get_object())


class EnrolmentViewSet(viewsets.GenericViewSet):
    """Record the caller's enrolment in an external course ("I have enrolled")."""

    serializer_class = ExternalEnrolmentSerializer

    @extend_schema(
        request=ExternalEnrolmentSerializer, responses={201: ExternalEnrolmentResultSerializer}
    )
    def create(self, request: Request) -> Response:
        user = caller(request)
        data = ExternalEnrolmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = _external_course(user, data.validated_data["course"])
        try:
            enrolment = services.enrolment_record(course=course, by=user)
        except DjangoPermissionDenied as e:
            raise PermissionDenied(str(e) or None) from e
        except DjangoValidationError as e:
            raise as_drf(e) from e
        return Response(
            {"course": course.code, "status": enrolment.status}, status=status.HTTP_201_CREATED
        )


router = SimpleRouter()
router.register("external/evidence", EvidenceViewSet, basename="external-evidence")
router.register("external/enrolments", EnrolmentViewSet, basename="external-enrolment")

urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
