"""What anyone may see without signing in: a certificate's verification page from its
public link, a form to verify any credential file, the institutes' DID documents and
status lists, and the W3C VC API's verify and issue endpoints (docs/certificates.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm, access_for
from govtrain.api.v1.permissions import caller, require
from govtrain.certificates import credential as credentials
from govtrain.certificates import identity, jsonld, selectors, verification
from govtrain.certificates.models import IssuerKey
from govtrain.certificates.services import issuing, status
from govtrain.certificates.views.common import credential_response, pdf_response
from govtrain.records.models import Enrolment


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Paste the credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    file = forms.FileField(label=gettext_lazy("or upload the credential file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > verification.MAX_CREDENTIAL_BYTES:
                raise ValidationError(_("The credential is larger than 256 KiB."))
            data["text"] = upload.read()
        if not data.get("text"):
            raise ValidationError(_("Paste the credential or choose its file."))
        try:
            data["document"] = verification.parse(data["text"])
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return data


@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = verification.verify(form.cleaned_data["document"])
    return render(request, "certificates/verify_form.html", {"form": form, "result": result})


@require_GET
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The page a certificate's QR code and shared link open: is it genuine, and valid?"""
    certificate = selectors.certificate_shared(public_id=public_id)
    result = verification.verify_issued(certificate)
    return render(
        request, "certificates/verify.html", {"certificate": certificate, "result": result}
    )


@require_GET
def shared_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    return pdf_response(selectors.certificate_shared(public_id=public_id))


@require_GET
def shared_credential(request: HttpRequest, public_id: str) -> HttpResponse:
    return credential_response(selectors.certificate_shared(public_id=public_id))


@require_GET
def did_document(request: HttpRequest, code: str) -> JsonResponse:
    """The institute's DID document (did:web): every key it has had, so that old
    certificates keep verifying; revoked keys say when."""
    provider = selectors.provider_by_code(code=code)
    did = identity.issuer_did(provider.code)
    methods = []
    for key in selectors.keys_of(provider=provider):
        method: dict[str, Any] = {
            "id": f"{did}#{key.fragment}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key,
        }
        if key.status == IssuerKey.Status.REVOKED and key.revoked_at is not None:
            method["revoked"] = credentials.xsd_datetime(key.revoked_at)
        methods.append(method)
    document = {
        "@context": [jsonld.DID_V1, jsonld.MULTIKEY_V1],
        "id": did,
        "alsoKnownAs": [provider.website] if provider.website else [],
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods if "revoked" not in m],
    }
    response = JsonResponse(document, content_type="application/did+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_list(request: HttpRequest, code: str, number: int) -> HttpResponse:
    signed = status.signed_list(status_list=selectors.status_list_get(code=code, number=number))
    response = HttpResponse(signed, content_type="application/vc+ld+json")
    # Short: a revocation must reach verifiers soon.
    response["Cache-Control"] = "public, max-age=60"
    return response


def _verification_json(result: verification.Verification) -> dict[str, Any]:
    return {
        "verified": result.valid,
        "checks": [c.name for c in result.checks if c.ok],
        "warnings": [],
        "errors": [{"check": c.name, "message": c.message} for c in result.checks if not c.ok],
    }


@csrf_exempt
@require_POST
def vc_verify(request: HttpRequest) -> JsonResponse:
    """W3C VC API: POST /credentials/verify {"verifiableCredential": {...}}. Anyone may
    ask; 200 when the credential verifies, 400 with the failed checks when it does not."""
    try:
        body = verification.parse(request.body)
        document = body.get("verifiableCredential")
        if not isinstance(document, dict):
            raise ValueError(_("Send the credential as verifiableCredential."))
    except ValueError as error:
        return JsonResponse(
            {"verified": False, "errors": [{"check": "request", "message": str(error)}]},
            status=400,
        )
    result = verification.verify(document)
    return JsonResponse(_verification_json(result), status=200 if result.valid else 400)


@api_view(["POST"])
# Refused before any lookup to whoever manages no institute, so that the answer (400 or
# 403) tells nobody else whether a PEN completed a course.
@permission_classes([require(Perm.CATALOG_MANAGE)])
def vc_issue(request: Request) -> Response:
    """W3C VC API: POST /credentials/issue, for an institute's own systems (a token of a
    user who manages the institute's courses). The credential names a completion:
    `{"credential": {"credentialSubject": {"achievement": {"id": <course URL or code>}}},
    "options": {"pen": "9000029"}}`; the answer is that completion's certificate (issued
    now if it had none), `{"verifiableCredential": {...}}`, 201."""
    body: dict[str, Any] = request.data if isinstance(request.data, dict) else {}
    options = body.get("options")
    options = options if isinstance(options, dict) else {}
    document = body.get("credential")
    document = document if isinstance(document, dict) else {}
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    course_ref = str(achievement.get("id", "")) if isinstance(achievement, dict) else ""
    course_code = course_ref.rstrip("/").rsplit("/", 1)[-1]
    pen = str(options.get("pen", ""))
    enrolment = (
        Enrolment.objects.filter(
            employee__pen=pen, course__code=course_code, status=Enrolment.Status.COMPLETED
        )
        .select_related("course")
        .order_by("-completed_on")
        .first()
    )
    if enrolment is None:
        return Response(
            {"message": _("No completed course matches that PEN and achievement.")}, status=400
        )
    user = caller(request)
    if not access_for(user).covers_provider(Perm.CATALOG_MANAGE, enrolment.course.provider_id):
        raise PermissionDenied
    certificate = issuing.certificate_issue(enrolment=enrolment, by=user)
    return Response(
        {"verifiableCredential": verification.parse(certificate.credential)}, status=201
    )
