from django.urls import URLPattern, URLResolver, path

from govtrain.scorm.views import content, packages

app_name = "scorm"
urlpatterns: list[URLPattern | URLResolver] = [
    path("scorm/packages/", packages.package_list, name="package-list"),
    path("scorm/packages/<int:pk>/", packages.package_detail, name="package-detail"),
    path("scorm/packages/<int:pk>/preview/", packages.package_preview, name="package-preview"),
    path("scorm/packages/<int:pk>/delete/", packages.package_delete, name="package-delete"),
    # Answered by ContentOriginMiddleware on the content origin, never through the platform's
    # middleware (no session, no CSRF, no login): the token in the path is the only credential.
    path("scorm-content/<str:token>/launch/", content.launch, name="launch"),
    path("scorm-content/<str:token>/f/<path:path>", content.content_file, name="file"),
]
