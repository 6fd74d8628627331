from django.urls import path

from govtrain.records import views

app_name = "records"
urlpatterns = [
    path("records/mine/", views.record_mine, name="mine"),
    path(
        "records/employees/<int:pk>/training-record.<str:fmt>",
        views.record_export,
        name="export",
    ),
]
