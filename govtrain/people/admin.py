from django.contrib import admin

from govtrain.people.models import Cadre, Designation, Employee, ImportJob, ServiceClass


@admin.register(ServiceClass)
class ServiceClassAdmin(admin.ModelAdmin[ServiceClass]):
    list_display = ["code", "name_en", "name_ml", "national_group", "rank"]


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin[Cadre]):
    list_display = ["code", "name_en", "name_ml"]
    search_fields = ["code", "name_en"]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin[Designation]):
    list_display = ["code", "name_en", "name_ml"]
    search_fields = ["code", "name_en"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin[Employee]):
    """Read-only: employees change through the people pages and imports, which audit."""

    list_display = ["pen", "name_en", "designation", "office", "status"]
    list_filter = ["status", "service_class"]
    search_fields = ["=pen", "search_name"]
    show_full_result_count = False
    list_select_related = ["designation", "office"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = [
        "pk",
        "original_name",
        "dry_run",
        "status",
        "created_count",
        "updated_count",
        "error_count",
        "created_at",
    ]
