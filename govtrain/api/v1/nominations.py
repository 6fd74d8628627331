"""Nominations over the API: the same services and the same visibility as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.api.v1.errors import as_drf
from govtrain.api.v1.permissions import caller
from govtrain.catalog.models import Course, Provider
from govtrain.classroom import selectors
from govtrain.classroom.models import Batch, Nomination, NominationEvent, Step
from govtrain.classroom.selectors import policy_for, policy_for_provider
from govtrain.classroom.services import nominations as services
from govtrain.classroom.services import policies
from govtrain.people.models import Employee


class NominationEventSerializer(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = NominationEvent
        fields = ["action", "actor", "from_status", "to_status", "reason", "at"]


class NominationSerializer(serializers.ModelSerializer):
    batch: serializers.SlugRelatedField[Batch] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    course = serializers.CharField(source="batch.course.code", read_only=True)
    employee: serializers.SlugRelatedField[Employee] = serializers.SlugRelatedField(
        slug_field="pen", read_only=True
    )
    events = NominationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "batch",
            "course",
            "employee",
            "status",
            "step",
            "steps",
            "source",
            "created_at",
            "updated_at",
            "events",
        ]


class NominateSerializer(serializers.Serializer[Any]):
    batch = serializers.SlugRelatedField(slug_field="code", queryset=Batch.objects.all())
    pens = serializers.ListField(child=serializers.CharField(max_length=10), max_length=2000)
    reason = serializers.CharField(max_length=500, required=False, default="")
    skip_ineligible = serializers.BooleanField(required=False, default=False)


class RequestSerializer(serializers.Serializer[Any]):
    batch = serializers.SlugRelatedField(slug_field="code", queryset=Batch.objects.all())


class DecisionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=list(services.DECISIONS))
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class NominationFilter(filters.FilterSet):
    batch = filters.CharFilter(field_name="batch__code")
    course = filters.CharFilter(field_name="batch__course__code")
    employee = filters.CharFilter(field_name="employee__pen")
    status = filters.ChoiceFilter(choices=Nomination.Status.choices)
    awaiting_me = filters.BooleanFilter(method="noop", label="Only those waiting for my decision")

    class Meta:
        model = Nomination
        fields = ["batch", "course", "employee", "status", "awaiting_me"]

    def noop(self, queryset: QuerySet[Nomination], name: str, value: bool) -> QuerySet[Nomination]:
        return queryset  # applied in get_queryset, which knows the user


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nominations the caller may see: their own, their staff's, their institute's."""

    serializer_class = NominationSerializer
    filterset_class = NominationFilter

    def get_queryset(self) -> QuerySet[Nomination]:
        user = caller(self.request)
        if self.request.query_params.get("awaiting_me") in ("true", "True", "1"):
            nominations = selectors.nominations_awaiting(user=user)
        else:
            nominations = selectors.nominations_visible_to(user=user)
        return nominations.prefetch_related("events__actor")

    @extend_schema(request=NominateSerializer, responses={201: NominationSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """A nodal officer nominates staff by PEN; all or nothing unless skip_ineligible."""
        user = caller(request)
        if not access_for(user).can(Perm.NOMINATE):
            raise PermissionDenied
        data = NominateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pens = data.validated_data["pens"]
        employees = list(Employee.objects.select_related("office").filter(pen__in=pens))
        unknown = sorted(set(pens) - {e.pen for e in employees})
        if unknown:
            raise ValidationError({"pens": [f"Unknown PEN: {pen}" for pen in unknown]})
        try:
            result = services.nominations_create(
                batch=data.validated_data["batch"],
                employees=employees,
                by=user,
                reason=data.validated_data["reason"],
                skip_ineligible=data.validated_data["skip_ineligible"],
            )
        except services.NominationRefused as e:
            raise ValidationError(
                {"refused": {employee.pen: reasons for employee, reasons in e.refusals.items()}}
            ) from e
        except DjangoPermissionDenied as e:
            raise PermissionDenied(str(e)) from e
        body = {
            "created": NominationSerializer(result.created, many=True).data,
            "refused": {employee.pen: reasons for employee, reasons in result.refused.items()},
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=RequestSerializer, responses={201: NominationSerializer})
    @action(detail=False, methods=["post"], url_path="request")
    def ask(self, request: Request) -> Response:
        """The caller asks for a seat in a batch for themselves."""
        user = caller(request)
        data = RequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employee_id = access_for(user).employee_id
        if employee_id is None:
            raise PermissionDenied
        try:
            nomination = services.nomination_request(
                batch=data.validated_data["batch"],
                employee=Employee.objects.get(pk=employee_id),
                by=user,
            )
        except DjangoValidationError as e:
            raise as_drf(e) from e
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve, reject (with a reason), confirm, waitlist or withdraw."""
        nomination = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = caller(request)
        verb = data.validated_data["action"]
        reason = data.validated_data["reason"]
        try:
            services.nomination_decide(nomination=nomination, by=user, action=verb, reason=reason)
        except DjangoPermissionDenied as e:
            raise PermissionDenied from e
        except DjangoValidationError as e:
            raise as_drf(e) from e
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data)


class ApprovalPolicySerializer(serializers.Serializer[Any]):
    course = serializers.CharField(required=False, allow_blank=True, default="")
    steps = serializers.ListField(child=serializers.ChoiceField(choices=Step.values))
    lead_days = serializers.IntegerField(min_value=0, max_value=90)


@extend_schema(request=ApprovalPolicySerializer, responses={200: ApprovalPolicySerializer})
@api_view(["GET", "PUT"])
def approval_policy(request: Request, code: str) -> Response:
    """The approval chain of a provider's nominations (GET `?course=` for one course's);
    PUT sets it, for the provider or, with `course`, for one of its courses."""
    user = caller(request)
    provider = Provider.objects.filter(code=code).first()
    if provider is None or not access_for(user).covers_provider(Perm.CATALOG_MANAGE, provider.pk):
        raise NotFound
    if request.method == "GET":
        course = Course.objects.filter(
            provider=provider, code=request.query_params.get("course", "")
        ).first()
        policy = policy_for(course) if course else policy_for_provider(provider_id=provider.pk)
        body = {
            "course": course.code if course else "",
            "steps": policy.steps,
            "lead_days": policy.lead_days,
        }
        return Response(body)
    data = ApprovalPolicySerializer(data=request.data)
    data.is_valid(raise_exception=True)
    course_code = data.validated_data["course"]
    course = (
        Course.objects.filter(provider=provider, code=course_code).first() if course_code else None
    )
    if course_code and course is None:
        raise ValidationError({"course": [f"No course {course_code} at this institute."]})
    try:
        saved = policies.approval_policy_set(
            by=user,
            steps=data.validated_data["steps"],
            lead_days=data.validated_data["lead_days"],
            provider=None if course else provider,
            course=course,
        )
    except DjangoValidationError as e:
        raise as_drf(e) from e
    return Response({"course": course_code, "steps": saved.steps, "lead_days": saved.lead_days})
