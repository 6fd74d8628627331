"""Responses shared by the certificate pages."""

from __future__ import annotations

from django.http import HttpResponse

from govtrain.certificates.models import Certificate
from govtrain.certificates.services.documents import certificate_pdf


def pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def credential_response(certificate: Certificate) -> HttpResponse:
    """The signed credential exactly as issued (a byte changed would break its proof)."""
    response = HttpResponse(certificate.credential, content_type="application/ld+json")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.number}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
