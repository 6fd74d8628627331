"""The PDFs: a certificate, rendered on its first download and kept; and an employee's
training record as a transcript, rendered on each request (it changes)."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from govtrain.certificates import identity, pdf
from govtrain.certificates.models import Certificate
from govtrain.certificates.selectors import template_of
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def _style(certificate: Certificate) -> pdf.CertificateStyle:
    template = template_of(provider=certificate.provider)
    return pdf.CertificateStyle(
        heading_en=template.heading_en,
        heading_ml=template.heading_ml,
        accent=template.accent,
        signatory_name_en=template.signatory_name_en,
        signatory_name_ml=template.signatory_name_ml,
        signatory_title_en=template.signatory_title_en,
        signatory_title_ml=template.signatory_title_ml,
        footer_en=template.footer_en,
        footer_ml=template.footer_ml,
    )


def certificate_document(certificate: Certificate) -> pdf.CertificateDocument:
    return pdf.CertificateDocument(
        certificate_id=certificate.number,
        recipient_en=certificate.recipient_en,
        recipient_ml=certificate.recipient_ml,
        pen=certificate.employee.pen,
        course_en=certificate.course_en,
        course_ml=certificate.course_ml,
        provider_en=certificate.provider_en,
        provider_ml=certificate.provider_ml,
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        issued_on=timezone.localdate(certificate.issued_at),
        verify_url=identity.verify_url(certificate.public_id),
        style=_style(certificate),
    )


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate's PDF, rendered once and kept in storage."""
    if certificate.pdf:
        with certificate.pdf.open("rb") as handle:
            data: bytes = handle.read()
        return data
    data = pdf.render_certificate(certificate_document(certificate))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.pdf:
            locked.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
            locked.save(update_fields=["pdf", "updated_at"])
        certificate.pdf = locked.pdf
    return data


def transcript_pdf(*, employee: Employee) -> bytes:
    """The employee's whole training record: every completed course, with its certificate."""
    completed = (
        Enrolment.objects.filter(employee=employee, status=Enrolment.Status.COMPLETED)
        .select_related("course__provider")
        .order_by("completed_on", "pk")
    )
    numbers = dict(
        Certificate.objects.filter(employee=employee, revoked_at__isnull=True).values_list(
            "enrolment_id", "number"
        )
    )
    lines = tuple(
        pdf.TranscriptLine(
            course_en=e.course.title_en,
            course_ml=e.course.title_ml,
            provider_en=e.course.provider.name_en,
            provider_ml=e.course.provider.name_ml,
            modality=str(e.course.get_modality_display()),
            completed_on=e.completed_on or timezone.localdate(),
            hours=e.hours_credited,
            certificate_id=numbers.get(e.pk, ""),
        )
        for e in completed
    )
    office = employee.office
    return pdf.render_transcript(
        pdf.TranscriptDocument(
            recipient_en=employee.name_en,
            recipient_ml=employee.name_ml,
            pen=employee.pen,
            office_en=office.name_en if office else "",
            designation_en=employee.designation.name_en if employee.designation_id else "",
            lines=lines,
            total_hours=sum((line.hours for line in lines), start=Decimal(0)),
            generated_on=timezone.localdate(),
            verify_note_en=(
                "Each certificate number can be verified at " + identity.site_url() + "/verify/."
            ),
            verify_note_ml=(
                "ഓരോ സർട്ടിഫിക്കറ്റ് നമ്പറും " + identity.site_url() + "/verify/ എന്ന വിലാസത്തിൽ പരിശോധിക്കാം."
            ),
        )
    )
