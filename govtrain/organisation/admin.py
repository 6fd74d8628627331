from django.contrib import admin

from govtrain.organisation.models import Department, District, LocalBody, Office


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["code", "name_en", "name_ml"]
    search_fields = ["code", "name_en", "name_ml"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["code", "name_en", "name_ml"]
    search_fields = ["code", "name_en", "name_ml"]


@admin.register(LocalBody)
class LocalBodyAdmin(admin.ModelAdmin[LocalBody]):
    list_display = ["code", "name_en", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["code", "name_en", "name_ml"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["code", "name_en", "department", "district", "local_body"]
    list_filter = ["department", "district"]
    search_fields = ["code", "name_en", "name_ml"]
    raw_id_fields = ["parent", "local_body"]
    readonly_fields = ["path"]
