"""The employee's certificates: a list, each one's page with its share link, the PDF and
the signed credential, and the whole training record as a PDF transcript. Officers and the
institute's coordinators reach an employee's certificate pages too (selectors)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from govtrain.certificates import identity, selectors, verification
from govtrain.certificates.services.documents import transcript_pdf as render_transcript
from govtrain.certificates.views.common import credential_response, download, pdf_response
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee


@login_required
def certificate_list(request: AuthedRequest) -> HttpResponse:
    certificates = selectors.certificates_of_employee(user=request.user)
    return render(request, "certificates/mine.html", {"certificates": certificates})


@login_required
def certificate_detail(request: AuthedRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for(user=request.user, number=number)
    result = verification.verify_issued(certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "result": result,
            "share_url": identity.verify_url(certificate.public_id),
            "may_revoke": (
                selectors.may_manage(user=request.user, certificate=certificate)
                and not certificate.is_revoked
            ),
        },
    )


@login_required
def certificate_pdf(request: AuthedRequest, number: str) -> HttpResponse:
    return pdf_response(selectors.certificate_get_for(user=request.user, number=number))


@login_required
def certificate_credential(request: AuthedRequest, number: str) -> HttpResponse:
    return credential_response(selectors.certificate_get_for(user=request.user, number=number))


@login_required
def transcript_pdf(request: AuthedRequest) -> HttpResponse:
    try:
        employee = request.user.employee
    except Employee.DoesNotExist as error:
        raise Http404 from error
    return download(
        render_transcript(employee=employee),
        content_type="application/pdf",
        filename=f"training-record-{employee.pen}.pdf",
    )
