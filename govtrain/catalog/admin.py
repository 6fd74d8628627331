from django.contrib import admin

from govtrain.catalog.models import Centre, Provider, Topic, Venue


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ["code", "name_en", "kind"]
    search_fields = ["code", "name_en", "name_ml"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin[Centre]):
    list_display = ["code", "name_en", "provider", "district"]
    list_filter = ["provider"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin[Venue]):
    list_display = ["code", "name_en", "centre", "kind", "capacity"]
    list_filter = ["centre", "kind"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["code", "name_en", "name_ml", "parent"]
    search_fields = ["code", "name_en", "name_ml"]
