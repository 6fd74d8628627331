from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from govtrain.accounts.models import RoleAssignment, User


@admin.register(User)
class GovtrainUserAdmin(UserAdmin):  # type: ignore[type-arg]  # django-stubs generic
    list_display = ["username", "is_active", "is_staff", "language", "last_login"]
    fieldsets = (*UserAdmin.fieldsets, ("govtrain", {"fields": ("language",)}))  # type: ignore[misc]  # tuple concat of stub type


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """Read-only here: roles change through the roles page so that each change is audited."""

    list_display = ["user", "role", "department", "district", "local_body", "office", "provider"]
    list_filter = ["role"]
    search_fields = ["user__username"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
