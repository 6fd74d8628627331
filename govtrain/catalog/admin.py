from django.contrib import admin

from govtrain.catalog.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ["code", "name_en", "kind"]
    search_fields = ["code", "name_en", "name_ml"]
