from django.urls import path

from govtrain.catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalog/", views.course_list, name="course-list"),
    path("catalog/<str:code>/", views.course_detail, name="course-detail"),
]
