from django.urls import URLPattern, URLResolver

app_name = "lrs"
urlpatterns: list[URLPattern | URLResolver] = []
