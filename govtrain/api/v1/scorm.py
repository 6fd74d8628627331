"""SCORM packages over the API: coordinators upload (multipart) and list the packages of
their institutes, through the same service, checks and visibility as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from govtrain.accounts.access import Perm, access_for
from govtrain.api.v1.permissions import caller, require
from govtrain.catalog.models import Provider
from govtrain.scorm import selectors, services
from govtrain.scorm.models import Package, Sco


class ScoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sco
        fields = [
            "identifier",
            "title",
            "organisation",
            "href",
            "mastery_score",
            "completion_threshold",
            "scaled_passing_score",
        ]


class PackageSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code", read_only=True, allow_null=True)
    scos = ScoSerializer(many=True, read_only=True)

    class Meta:
        model = Package
        fields = [
            "id",
            "title",
            "version",
            "identifier",
            "provider",
            "size_bytes",
            "file_count",
            "created_at",
            "scos",
        ]


class PackageUploadSerializer(serializers.Serializer[Any]):
    package = serializers.FileField(help_text="The SCORM 1.2 or 2004 zip.")
    provider = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Provider.objects.all(),
        required=False,
        allow_null=True,
        help_text="The institute's code; empty for a state-wide package (state administrators).",
    )
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PackageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Package],
):
    """Packages of the caller's institutes (all of them for state administrators)."""

    serializer_class = PackageSerializer
    permission_classes = [require(Perm.CATALOG_MANAGE)]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Package]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return Package.objects.none()
        return selectors.packages_visible_to(caller(self.request)).prefetch_related("scos")

    @extend_schema(request=PackageUploadSerializer, responses={201: PackageSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload and validate a package; 400 with the reason, and nothing stored, if bad."""
        user = caller(request)
        form = PackageUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        provider: Provider | None = form.validated_data.get("provider")
        access = access_for(user)
        if provider is None and Perm.CATALOG_MANAGE not in access.everywhere:
            raise ValidationError({"provider": ["Give the code of one of your institutes."]})
        if provider is not None and not access.covers_provider(Perm.CATALOG_MANAGE, provider.pk):
            raise ValidationError({"provider": ["You do not manage this institute's content."]})
        try:
            package = services.package_import(
                upload=form.validated_data["package"],
                by=user,
                provider=provider,
                title=form.validated_data["title"],
            )
        except DjangoValidationError as error:
            raise ValidationError({"package": error.messages}) from error
        package = self.get_queryset().get(pk=package.pk)
        return Response(PackageSerializer(package).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Package) -> None:
        """Remove a package that no lesson uses; 400 with the reason otherwise."""
        try:
            services.package_delete(package=instance, by=caller(self.request))
        except DjangoValidationError as error:
            raise ValidationError({"package": error.messages}) from error


router = SimpleRouter()
router.register("scorm/packages", PackageViewSet, basename="scorm-package")

urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
