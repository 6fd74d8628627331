"""Reads of the organisation tree. Reference data: every signed-in user may read it."""

from django.db.models import QuerySet

from govtrain.organisation.models import Department, District, LocalBody, Office


def districts_all() -> QuerySet[District]:
    return District.objects.order_by("name_en")


def departments_all() -> QuerySet[Department]:
    return Department.objects.order_by("name_en")


def local_bodies_all() -> QuerySet[LocalBody]:
    return LocalBody.objects.select_related("district").order_by("name_en")


def offices_all() -> QuerySet[Office]:
    return Office.objects.select_related("department", "district", "local_body").order_by("path")
