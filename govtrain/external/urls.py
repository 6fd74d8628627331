from django.urls import URLPattern, URLResolver

app_name = "external"
urlpatterns: list[URLPattern | URLResolver] = []
