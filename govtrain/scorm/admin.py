from django.contrib import admin
from django.http import HttpRequest

from govtrain.scorm.models import Package, Sco


class ScoInline(admin.TabularInline[Sco, Package]):
    model = Sco
    extra = 0
    can_delete = False
    fields = ["position", "identifier", "title", "organisation", "href"]
    readonly_fields = ["position", "identifier", "title", "organisation", "href"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin[Package]):
    """Read-only: packages come in through the upload, which checks them (services)."""

    list_display = ["title", "version", "provider", "file_count", "created_at"]
    list_filter = ["version", "provider"]
    search_fields = ["title", "identifier"]
    inlines = [ScoInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Package | None = None) -> bool:
        return False
