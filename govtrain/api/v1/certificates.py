"""API v1 routes of govtrain.certificates. The W3C VC API endpoints live at
/credentials/verify and /credentials/issue (govtrain/certificates/views/public.py)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller
from govtrain.certificates import selectors
from govtrain.certificates.forms import IssueForm
from govtrain.certificates.models import Certificate, IssuanceJob, IssuerKey
from govtrain.certificates.services import issuing, keys, revoking
from govtrain.certificates.verification import parse
from govtrain.certificates.views.common import pdf_response


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    pen = serializers.CharField(source="employee.pen")
    course = serializers.CharField(source="course.code")
    provider = serializers.CharField(source="provider.code")
    digilocker_uri = serializers.CharField()
    revoked = serializers.BooleanField(source="is_revoked")

    class Meta:
        model = Certificate
        fields = [
            "number",
            "digilocker_uri",
            "public_id",
            "pen",
            "recipient_en",
            "recipient_ml",
            "course",
            "course_en",
            "course_ml",
            "provider",
            "hours",
            "completed_on",
            "issued_at",
            "revoked",
            "revoked_at",
            "revoked_reason",
        ]


class CertificateDetailSerializer(CertificateSerializer):
    credential = serializers.SerializerMethodField()

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "credential"]

    def get_credential(self, certificate: Certificate) -> dict[str, Any]:
        return parse(certificate.credential)


class JobSerializer(serializers.ModelSerializer[IssuanceJob]):
    class Meta:
        model = IssuanceJob
        fields = ["id", "status", "total", "issued", "already", "failed", "errors", "finished_at"]


class KeySerializer(serializers.ModelSerializer[IssuerKey]):
    provider = serializers.CharField(source="provider.code")

    class Meta:
        model = IssuerKey
        fields = ["id", "provider", "number", "public_key", "status", "created_at", "revoked_at"]


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


class IssueSerializer(serializers.Serializer[Any]):
    batch = serializers.CharField(max_length=40, required=False, allow_blank=True)
    course = serializers.CharField(max_length=40, required=False, allow_blank=True)


@extend_schema(
    responses=CertificateSerializer(many=True),
    parameters=[OpenApiParameter("pen"), OpenApiParameter("course")],
    summary="Certificates the caller may see",
)
@api_view(["GET"])
def certificate_list(request: Request) -> Response:
    rows = selectors.certificates_visible_to(user=caller(request)).order_by("-issued_at")
    if request.query_params.get("pen"):
        rows = rows.filter(employee__pen=request.query_params["pen"])
    if request.query_params.get("course"):
        rows = rows.filter(course__code=request.query_params["course"])
    return Response(CertificateSerializer(rows[:500], many=True).data)


@extend_schema(responses=CertificateDetailSerializer, summary="A certificate and its credential")
@api_view(["GET"])
def certificate_detail(request: Request, number: str) -> Response:
    certificate = selectors.certificate_get_for(user=caller(request), number=number)
    return Response(CertificateDetailSerializer(certificate).data)


@extend_schema(responses={(200, "application/pdf"): bytes}, summary="A certificate's PDF")
@api_view(["GET"])
def certificate_pdf(request: Request, number: str) -> HttpResponse:
    return pdf_response(selectors.certificate_get_for(user=caller(request), number=number))


@extend_schema(request=ReasonSerializer, responses=CertificateSerializer, summary="Revoke")
@api_view(["POST"])
def certificate_revoke(request: Request, number: str) -> Response:
    certificate = selectors.certificate_managed_get(user=caller(request), number=number)
    form = ReasonSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        certificate = revoking.certificate_revoke(
            certificate=certificate, by=caller(request), reason=form.validated_data["reason"]
        )
    except DjangoValidationError as error:
        raise as_drf(error) from error
    return Response(CertificateSerializer(certificate).data)


@extend_schema(
    request=IssueSerializer,
    responses={202: JobSerializer},
    summary="Issue a batch's or a course's certificates in the background",
)
@api_view(["POST"])
def issue(request: Request) -> Response:
    user = caller(request)
    form = IssueForm(
        data=request.data if isinstance(request.data, dict) else {},
        providers=selectors.providers_managed_by(user=user),
    )
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    data = form.cleaned_data
    job = issuing.job_create(
        provider=data["provider_obj"],
        by=user,
        batch_id=data["batch_obj"].pk if data.get("batch_obj") else None,
        course_id=data["course_obj"].pk if data.get("course_obj") else None,
    )
    job.refresh_from_db()
    return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(responses=JobSerializer, summary="A bulk issue's progress")
@api_view(["GET"])
def job_detail(request: Request, pk: int) -> Response:
    return Response(JobSerializer(selectors.job_get_for(user=caller(request), pk=pk)).data)


@extend_schema(responses=KeySerializer(many=True), summary="The signing keys of one's institutes")
@api_view(["GET"])
def key_list(request: Request) -> Response:
    providers = selectors.providers_managed_by(user=caller(request))
    rows = selectors.keys_of_providers(providers=providers)
    return Response(KeySerializer(rows, many=True).data)


@extend_schema(request=None, responses={201: KeySerializer}, summary="Make a new active key")
@api_view(["POST"])
def key_rotate(request: Request, code: str) -> Response:
    provider = selectors.provider_managed_get(user=caller(request), code=code)
    key = keys.key_rotate(provider=provider, by=caller(request))
    return Response(KeySerializer(key).data, status=status.HTTP_201_CREATED)


@extend_schema(request=ReasonSerializer, responses=KeySerializer, summary="Revoke a key")
@api_view(["POST"])
def key_revoke(request: Request, pk: int) -> Response:
    key = selectors.key_managed_get(user=caller(request), pk=pk)
    form = ReasonSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        key = keys.key_revoke(key=key, by=caller(request), reason=form.validated_data["reason"])
    except DjangoValidationError as error:
        raise as_drf(error) from error
    return Response(KeySerializer(key).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("certificates/", certificate_list, name="certificate-list"),
    path("certificates/issue/", issue, name="certificate-issue"),
    path("certificates/jobs/<int:pk>/", job_detail, name="certificate-job"),
    path("certificates/keys/", key_list, name="certificate-keys"),
    path("certificates/keys/<str:code>/rotate/", key_rotate, name="certificate-key-rotate"),
    path("certificates/keys/<int:pk>/revoke/", key_revoke, name="certificate-key-revoke"),
    path("certificates/<str:number>/", certificate_detail, name="certificate-detail"),
    path("certificates/<str:number>/pdf/", certificate_pdf, name="certificate-pdf"),
    path("certificates/<str:number>/revoke/", certificate_revoke, name="certificate-revoke"),
]
