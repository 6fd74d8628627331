from django.urls import URLPattern, URLResolver, path

from govtrain.external import views

app_name = "external"
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "external-courses/<str:code>/enrolment/",
        views.enrolment_record,
        name="enrolment-record",
    ),
    path("external-courses/<str:code>/evidence/", views.evidence_submit, name="evidence-submit"),
    path("external-courses/<str:code>/link/", views.offer_edit, name="offer-edit"),
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/queue/", views.evidence_queue, name="evidence-queue"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<int:pk>/decide/", views.evidence_decide, name="evidence-decide"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence-file"),
]
