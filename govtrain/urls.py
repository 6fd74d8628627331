from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "govtrain"
admin.site.site_title = "govtrain"

urlpatterns = [
    path("", include("govtrain.core.urls")),
    path("", include("govtrain.accounts.urls")),
    path("", include("govtrain.people.urls")),
    path("", include("govtrain.audit.urls")),
    path("", include("govtrain.classroom.urls")),
    path("", include("govtrain.notifications.urls")),
    path("", include("govtrain.records.urls")),
    path("", include("govtrain.catalog.urls")),
    path("", include("govtrain.learning.urls")),
    path("", include("govtrain.scorm.urls")),
    path("", include("govtrain.external.urls")),
    path("", include("govtrain.lrs.urls")),
    path("", include("govtrain.assessments.urls")),
    path("", include("govtrain.certificates.urls")),
    path("api/", include("govtrain.api.urls")),
    path("admin/", admin.site.urls),
]
