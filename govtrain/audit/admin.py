from django.contrib import admin

from govtrain.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The trail is append-only: nobody edits or deletes it, not even administrators."""

    list_display = ["at", "actor", "action", "target_label"]
    list_filter = ["action"]
    search_fields = ["target_label", "target_id"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
