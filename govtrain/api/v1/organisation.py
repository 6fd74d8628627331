from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from govtrain.organisation import selectors
from govtrain.organisation.models import Department, District, LocalBody, Office


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name_en", "name_ml"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name_en", "name_ml"]


class LocalBodySerializer(serializers.ModelSerializer):
    district: serializers.SlugRelatedField[District] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = LocalBody
        fields = ["id", "code", "kind", "name_en", "name_ml", "district"]


class OfficeSerializer(serializers.ModelSerializer):
    department: serializers.SlugRelatedField[Department] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    district: serializers.SlugRelatedField[District] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    local_body: serializers.SlugRelatedField[LocalBody] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    # DRF pops declared fields off the class, so this does not shadow Field.parent.
    parent: serializers.SlugRelatedField[Office] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True
    )

    class Meta:
        model = Office
        fields = [
            "id",
            "code",
            "name_en",
            "name_ml",
            "department",
            "district",
            "local_body",
            "parent",
            "path",
        ]


class LocalBodyFilter(filters.FilterSet):
    district = filters.CharFilter(field_name="district__code")
    kind = filters.ChoiceFilter(choices=LocalBody.Kind.choices)

    class Meta:
        model = LocalBody
        fields = ["district", "kind"]


class OfficeFilter(filters.FilterSet):
    department = filters.CharFilter(field_name="department__code")
    district = filters.CharFilter(field_name="district__code")
    local_body = filters.CharFilter(field_name="local_body__code")
    parent = filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Office
        fields = ["department", "district", "local_body", "parent"]


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Kerala's districts (reference data)."""

    serializer_class = DistrictSerializer
    queryset = selectors.districts_all()
    lookup_field = "code"


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    queryset = selectors.departments_all()
    lookup_field = "code"


class LocalBodyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LocalBodySerializer
    queryset = selectors.local_bodies_all()
    filterset_class = LocalBodyFilter
    lookup_field = "code"


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficeSerializer
    queryset = selectors.offices_all().select_related("parent")
    filterset_class = OfficeFilter
    lookup_field = "code"
