"""The training record over the API, scoped like `/employees/`: the caller's own, or any
employee in their part of the organisation (404 for anyone else)."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.api.v1.permissions import caller
from govtrain.people.models import Employee
from govtrain.people.selectors import employees_visible_to
from govtrain.records import selectors


class RecordEntrySerializer(serializers.Serializer):
    course = serializers.CharField(source="course.code")
    title_en = serializers.CharField(source="course.title_en")
    title_ml = serializers.CharField(source="course.title_ml")
    provider = serializers.CharField(source="course.provider.code")
    batch = serializers.CharField(source="batch.code", allow_null=True, default=None)
    starts_on = serializers.DateField(source="batch.starts_on", allow_null=True, default=None)
    ends_on = serializers.DateField(source="batch.ends_on", allow_null=True, default=None)
    completed_on = serializers.DateField()
    hours = serializers.DecimalField(source="hours_credited", max_digits=6, decimal_places=1)
    attendance_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class TotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    hours_this_year = serializers.DecimalField(max_digits=8, decimal_places=1)
    hours_all_time = serializers.DecimalField(max_digits=8, decimal_places=1)
    courses_all_time = serializers.IntegerField()


class TrainingRecordSerializer(serializers.Serializer):
    pen = serializers.CharField()
    name_en = serializers.CharField()
    totals = TotalsSerializer()
    completed = RecordEntrySerializer(many=True)


@extend_schema(responses=TrainingRecordSerializer)
@api_view(["GET"])
def training_record(request: Request, pen: str) -> Response:
    """An employee's completed training with hours credited this year and in all."""
    employee: Employee = get_object_or_404(employees_visible_to(user=caller(request)), pen=pen)
    data: dict[str, Any] = {
        "pen": employee.pen,
        "name_en": employee.name_en,
        "totals": selectors.training_totals_for(employee=employee),
        "completed": selectors.training_record_for(employee=employee),
    }
    return Response(TrainingRecordSerializer(data).data)
