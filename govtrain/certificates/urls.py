from django.urls import URLPattern, URLResolver, path

from govtrain.certificates.views import institute, mine, public

app_name = "certificates"
urlpatterns: list[URLPattern | URLResolver] = [
    # The employee's own.
    path("certificates/", mine.certificate_list, name="mine"),
    path("certificates/transcript.pdf", mine.transcript_pdf, name="transcript"),
    path("certificates/<str:number>/", mine.certificate_detail, name="detail"),
    path("certificates/<str:number>/certificate.pdf", mine.certificate_pdf, name="pdf"),
    path(
        "certificates/<str:number>/credential.json",
        mine.certificate_credential,
        name="credential",
    ),
    # The institute's.
    path("institute/certificates/", institute.certificate_list, name="institute-list"),
    path(
        "institute/certificates/<str:number>/revoke/",
        institute.certificate_revoke,
        name="revoke",
    ),
    path("institute/certificates/issue/", institute.issue, name="issue"),
    path("institute/certificates/jobs/<int:pk>/", institute.job_detail, name="job"),
    path("institute/keys/", institute.key_list, name="keys"),
    path("institute/keys/<int:pk>/revoke/", institute.key_revoke, name="key-revoke"),
    path("institute/template/", institute.template_edit, name="template"),
    # Anyone's: verification, the issuers' keys and status lists, the VC API.
    path("verify/", public.verify_form, name="verify-form"),
    path("verify/<str:public_id>/", public.verify, name="verify"),
    path("verify/<str:public_id>/certificate.pdf", public.shared_pdf, name="shared-pdf"),
    path(
        "verify/<str:public_id>/credential.json",
        public.shared_credential,
        name="shared-credential",
    ),
    path("issuers/<str:code>/did.json", public.did_document, name="did"),
    path("credentials/status/<str:code>/<int:number>", public.status_list, name="status-list"),
    path("credentials/verify", public.vc_verify, name="vc-verify"),
    path("credentials/issue", public.vc_issue, name="vc-issue"),
]
