from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts import selectors, services
from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.api.v1.permissions import caller, require
from govtrain.catalog.models import Provider
from govtrain.organisation.models import Department, District, LocalBody, Office


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    department = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=Department.objects.all()
    )
    district = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=District.objects.all()
    )
    local_body = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=LocalBody.objects.all()
    )
    office = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=Office.objects.all()
    )
    provider = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=Provider.objects.all()
    )
    scope = serializers.CharField(source="scope_label", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "role",
            "department",
            "district",
            "local_body",
            "office",
            "provider",
            "scope",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators: list[Any] = []


class RoleAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which role over which scope. Changing roles needs `roles.manage`."""

    serializer_class = RoleAssignmentSerializer

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        return selectors.role_assignments_visible_to(user=caller(self.request))

    def get_permissions(self) -> Sequence[Any]:
        if self.action in {"create", "destroy"}:
            return [require(Perm.ROLES_MANAGE)()]
        return super().get_permissions()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        user, role = data.pop("user"), data.pop("role")
        scope = {k: v for k, v in data.items() if v is not None}
        try:
            serializer.instance = services.role_assign(
                by=caller(self.request), user=user, role=role, **scope
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def perform_destroy(self, instance: RoleAssignment) -> None:
        try:
            services.role_revoke(by=caller(self.request), assignment=instance)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    language = serializers.CharField()
    employee_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The caller: account, roles and what they may do."""
    access = access_for(request.user)
    return Response(
        MeSerializer(
            {
                "username": request.user.get_username(),
                "language": getattr(request.user, "language", "en"),
                "employee_id": access.employee_id,
                "roles": sorted(access.roles),
                "permissions": sorted(str(p) for p in access.perms),
            }
        ).data,
        status=status.HTTP_200_OK,
    )


__all__ = ["MeSerializer", "Role", "RoleAssignmentViewSet", "me"]
