from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm, access_for
from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller, require
from govtrain.organisation.models import Office
from govtrain.people import selectors, services
from govtrain.people.models import Cadre, Designation, Employee, ImportJob, ServiceClass
from govtrain.people.selectors import DirectoryFilters
from govtrain.people.services import EDITABLE_FIELDS, imports


class EmployeeSerializer(serializers.ModelSerializer):
    service_class = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceClass.objects.all()
    )
    cadre = serializers.SlugRelatedField(
        slug_field="code", queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    designation = serializers.SlugRelatedField(
        slug_field="code", queryset=Designation.objects.all()
    )
    office = serializers.SlugRelatedField(slug_field="code", queryset=Office.objects.all())
    controlling_officer = serializers.SlugRelatedField(
        slug_field="pen", queryset=Employee.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Employee
        fields = ["id", "pen", *EDITABLE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["pen"].read_only = True  # a PEN is for life
        return fields


class EmployeeFilter(filters.FilterSet):
    q = filters.CharFilter(method="noop", label="Name or PEN prefix")
    department = filters.CharFilter(field_name="office__department__code")
    district = filters.CharFilter(field_name="office__district__code")
    office = filters.CharFilter(field_name="office__code")
    designation = filters.CharFilter(field_name="designation__code")
    service_class = filters.CharFilter(field_name="service_class__code")
    status = filters.ChoiceFilter(choices=Employee.Status.choices)
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Employee
        fields = [
            "q",
            "department",
            "district",
            "office",
            "designation",
            "service_class",
            "status",
            "updated_since",
        ]

    def noop(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        return queryset  # applied by the selector, which knows the indexes


class EmployeeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Employees in the caller's part of the organisation, looked up by PEN.

    HR systems create and update employees here one at a time, or send the whole export
    to `/imports/`. Outside the caller's scope an employee does not exist (404).
    """

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    lookup_field = "pen"
    permission_classes = [require(Perm.PEOPLE_VIEW)]

    def get_queryset(self) -> QuerySet[Employee]:
        q = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.employees_search(
            user=caller(self.request), filters=DirectoryFilters(q=q)
        ).select_related("cadre", "office", "controlling_officer")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = services.employee_create(
                by=caller(self.request), **serializer.validated_data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:
            raise NotFound
        if not access_for(self.request.user).can_on_employee(
            Perm.PEOPLE_CHANGE, serializer.instance
        ):
            raise NotFound
        try:
            serializer.instance = services.employee_update(
                employee=serializer.instance, by=caller(self.request), **serializer.validated_data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "dry_run",
            "status",
            "phase",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors_preview",
            "message",
            "progress",
            "error_report_url",
            "created_at",
            "started_at",
            "finished_at",
            "applied_from",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> dict[str, Any]:
        return imports.import_progress(job=job)

    def get_error_report_url(self, job: ImportJob) -> str | None:
        from django.urls import reverse

        if not job.error_count:
            return None
        request = self.context.get("request")
        url = reverse("people:import-errors", args=[job.pk])
        return request.build_absolute_uri(url) if request else url


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bulk imports of the HR export: upload (a dry run by default), poll, apply."""

    serializer_class = ImportJobSerializer
    permission_classes = [require(Perm.PEOPLE_IMPORT)]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    queryset = ImportJob.objects.order_by("-created_at")

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportJobSerializer})
    def create(self, request: Request) -> Response:
        from govtrain.people.forms import ImportForm

        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        form = ImportForm(files=MultiValueDict({"file": [upload.validated_data["file"]]}))
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        # DRF reads an absent boolean in a multipart form as False; a missing dry_run
        # must mean a dry run, never an import applied by omission.
        dry_run = upload.validated_data["dry_run"] if "dry_run" in request.data else True
        job = imports.import_start(
            by=caller(request), upload=form.cleaned_data["file"], dry_run=dry_run
        )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None) -> Response:
        """Apply a finished, clean dry run for real."""
        try:
            job = imports.import_apply(dry_run_job=self.get_object(), by=caller(request))
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ml = serializers.CharField()


class ServiceClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceClass
        fields = ["code", "name_en", "name_ml", "national_group", "rank"]


class DesignationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Designation
        fields = ["code", "name_en", "name_ml"]


class CadreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cadre
        fields = ["code", "name_en", "name_ml"]


class ServiceClassViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceClassSerializer
    queryset = selectors.service_classes_all()
    lookup_field = "code"


class DesignationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DesignationSerializer
    queryset = selectors.designations_all()
    lookup_field = "code"


class CadreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CadreSerializer
    queryset = selectors.cadres_all()
    lookup_field = "code"
