"""Responses shared by the certificate pages: downloads, as attachments. SecurityMiddleware
adds `X-Content-Type-Options: nosniff` to every response (SECURE_CONTENT_TYPE_NOSNIFF)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from govtrain.certificates.models import Certificate
from govtrain.certificates.services.documents import certificate_pdf


def download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def pdf_response(certificate: Certificate) -> HttpResponse:
    return download(
        certificate_pdf(certificate=certificate),
        content_type="application/pdf",
        filename=f"certificate-{certificate.number}.pdf",
    )


def credential_response(certificate: Certificate) -> HttpResponse:
    """The signed credential exactly as issued (a byte changed would break its proof)."""
    return download(
        certificate.credential,
        content_type="application/ld+json",
        filename=f"certificate-{certificate.number}.json",
    )
