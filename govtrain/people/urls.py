from django.urls import path

from govtrain.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.directory, name="employee-list"),
    path("people/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee-edit"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_new, name="import-new"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
]
