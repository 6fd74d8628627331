from django.urls import URLPattern

app_name = "classroom"

# Each area adds its pages here; paths use plural nouns (STYLE.md section 8).
urlpatterns: list[URLPattern] = []
