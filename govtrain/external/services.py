"""External courses (MOOCs): an employee records their enrolment and submits completion
evidence; a coordinator of the course's provider verifies it, which completes the
enrolment and credits the course's hours to the training record, or rejects it with a
reason, after which the employee may submit again.

Every step is audited; the evidence rows themselves are the history the people concerned
see (who submitted and when, who decided, when and why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Course
from govtrain.external.models import Evidence, ExternalOffer
from govtrain.lrs import services as lrs
from govtrain.notifications.services import notify
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_complete, enrolment_open_in_course

# A scanned certificate is rarely above a few megabytes; settings may raise the limit.
DEFAULT_EVIDENCE_MAX_MB = 10


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EXTERNAL_EVIDENCE_MAX_MB", DEFAULT_EVIDENCE_MAX_MB)) * 1024**2


# --- The external course's link -------------------------------------------------------


def _require_external(course: Course) -> None:
    if course.modality != Course.Modality.EXTERNAL:
        raise ValidationError(_("This course is not an external course."))


@transaction.atomic
def offer_set(*, course: Course, url: str, by: User) -> ExternalOffer:
    """A coordinator of the course's provider sets where the course is taken."""
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, course.provider_id):
        raise PermissionDenied
    _require_external(course)
    url = url.strip()
    _check_url(url)
    offer = ExternalOffer.objects.select_for_update().filter(course=course).first()
    before = {"url": offer.url} if offer else None
    if offer is None:
        offer = ExternalOffer.objects.create(course=course, url=url)
    elif offer.url != url:
        offer.url = url
        offer.save(update_fields=["url", "updated_at"])
    else:
        return offer
    audit_record(
        actor=by, action="external.link_set", target=offer, before=before, after={"url": url}
    )
    return offer


def _check_url(url: str) -> None:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as e:
        raise ValidationError(_("Enter a web address starting with https://.")) from e


# --- The employee -------------------------------------------------------------------


def _own_employee(by: User) -> Employee:
    employee_id = access_for(by).employee_id
    if employee_id is None:
        raise PermissionDenied(_("Only an employee can record their own external course."))
    return Employee.objects.get(pk=employee_id)


def _open_course(course: Course) -> None:
    _require_external(course)
    if not course.is_published:
        raise ValidationError(_("This course is not open in the catalog."))


@transaction.atomic
def enrolment_record(*, course: Course, by: User) -> Enrolment:
    """The employee says they have enrolled in an external course (once; again after a
    withdrawal). Raises PermissionDenied for a user who is not an employee."""
    employee = _own_employee(by)
    _open_course(course)
    return enrolment_open_in_course(employee=employee, course=course, by=by)


@dataclass(frozen=True)
class CheckedFile:
    """What an upload was found to be."""

    content_type: Evidence.Kind
    size: int
    sha256: str


# Signatures of the formats a certificate comes in (ISO 32000 for PDF, the PNG and JPEG
# specifications' first bytes). Nothing else is accepted, whatever the file is called.
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_PDF = b"%PDF-"
# A PDF ends with "%%EOF", possibly followed by a few bytes of padding or a newline.
_PDF_TAIL = 1024


def evidence_file_check(*, upload: File[bytes], size: int) -> CheckedFile:
    """Identify a certificate by its content (PDF, PNG or JPEG) and check its size;
    ValidationError with a message the employee understands otherwise."""
    limit = evidence_max_bytes()
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1024**2:.1f}", "limit": limit // 1024**2}
        )
    upload.seek(0)
    head = upload.read(16)
    kind: Evidence.Kind | None = None
    if head.startswith(_PDF):
        upload.seek(max(0, size - _PDF_TAIL))
        if b"%%EOF" not in upload.read():
            raise ValidationError(_("The PDF is incomplete: it may have been cut off."))
        kind = Evidence.Kind.PDF
    elif head.startswith(_PNG) and head[12:16] == b"IHDR":
        kind = Evidence.Kind.PNG
    elif head.startswith(_JPEG):
        kind = Evidence.Kind.JPEG
    if kind is None:
        raise ValidationError(
            _("Upload the certificate as a PDF, PNG or JPEG file; this file is none of them.")
        )
    digest = hashlib.sha256()
    upload.seek(0)
    read = 0
    while chunk := upload.read(64 * 1024):
        digest.update(chunk)
        read += len(chunk)
    if read != size:
        raise ValidationError(_("The file could not be read completely; upload it again."))
    upload.seek(0)
    return CheckedFile(content_type=kind, size=size, sha256=digest.hexdigest())


def _coordinators_of(course: Course) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=course.provider_id,
            is_active=True,
        ).distinct()
    )


def _url(evidence: Evidence) -> str:
    return reverse("external:evidence-detail", args=[evidence.pk])


@transaction.atomic
def evidence_submit(
    *,
    course: Course,
    by: User,
    upload: File[bytes],
    completed_on: dt.date,
    certificate_id: str = "",
    certificate_url: str = "",
) -> Evidence:
    """The employee submits evidence of completing an external course: a certificate
    (PDF, PNG or JPEG, checked by content), the completion date and optionally the other
    institute's certificate number and link. Records the enrolment too if they had not.

    Refused (ValidationError, nothing stored) for bad input, a course already completed,
    or while an earlier submission awaits a decision or was verified.
    """
    employee = _own_employee(by)
    _open_course(course)
    if completed_on > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."))
    certificate_id = certificate_id.strip()
    certificate_url = certificate_url.strip()
    if len(certificate_id) > 100:
        raise ValidationError(_("The certificate number is too long (100 characters at most)."))
    if certificate_url:
        _check_url(certificate_url)
    checked = evidence_file_check(upload=upload, size=upload.size or 0)
    enrolment = enrolment_open_in_course(employee=employee, course=course, by=by)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise ValidationError(_("This course is already completed on your training record."))
    live = Evidence.objects.filter(
        enrolment=enrolment, status__in=(Evidence.Status.SUBMITTED, Evidence.Status.VERIFIED)
    ).exists()
    if live:
        raise ValidationError(_("Your evidence for this course is already awaiting verification."))
    evidence = Evidence(
        enrolment=enrolment,
        submitted_by=by,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        original_name=get_valid_filename(upload.name or "certificate")[:200] or "certificate",
        completed_on=completed_on,
        certificate_id=certificate_id,
        certificate_url=certificate_url,
    )
    evidence.file.save("certificate", upload, save=False)
    try:
        evidence.save()
        audit_record(
            actor=by,
            action="external.evidence_submitted",
            target=evidence,
            after={
                "status": evidence.status,
                "completed_on": completed_on.isoformat(),
                "sha256": checked.sha256,
            },
        )
        notify(
            users=_coordinators_of(course),
            message=gettext_lazy(
                "%(name)s submitted completion evidence for %(course)s; it awaits verification."
            ),
            params={"name": employee.name_en, "course": course.title_en},
            url=_url(evidence),
            email=False,
        )
    except BaseException:
        # The transaction rolls back; the stored file must not outlive it.
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


# --- The coordinator ------------------------------------------------------------------


def may_decide(*, user: User, evidence: Evidence) -> bool:
    """May the user verify or reject this evidence (a coordinator of the course's provider,
    never the employee themselves)?"""
    access = access_for(user)
    if access.employee_id is not None and access.employee_id == evidence.enrolment.employee_id:
        return False
    return access.covers_provider(Perm.CATALOG_MANAGE, evidence.enrolment.course.provider_id)


def _lock(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("enrolment__course__provider", "enrolment__employee__user")
        .get(pk=evidence.pk)
    )


def _check_decider(evidence: Evidence, by: User) -> None:
    if access_for(by).employee_id == evidence.enrolment.employee_id:
        raise PermissionDenied(_("Nobody verifies their own evidence."))
    if not may_decide(user=by, evidence=evidence):
        raise PermissionDenied
    if evidence.status != Evidence.Status.SUBMITTED:
        raise ValidationError(_("This evidence has already been decided."))


def _decide(evidence: Evidence, *, by: User, status: Evidence.Status, reason: str) -> None:
    evidence.status = status
    evidence.decided_by = by
    evidence.decided_at = timezone.now()
    evidence.reason = reason
    evidence.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit_record(
        actor=by,
        action=f"external.evidence_{status}",
        target=evidence,
        before={"status": Evidence.Status.SUBMITTED},
        after={"status": status},
        reason=reason,
    )


def _same_certificate(*, sha256: str, certificate_id: str, provider_id: int) -> Q:
    """The submissions of one certificate: the same file, or the same number from the same
    provider."""
    same = Q(sha256=sha256)
    if certificate_id:
        same |= Q(certificate_id__iexact=certificate_id, enrolment__course__provider_id=provider_id)
    return same


def _lock_same_certificate(evidence: Evidence) -> None:
    """Lock every submission of the evidence's certificate, the evidence among them, in
    one order (by pk): two coordinators verifying two copies at once take turns, and the
    second then sees the first verified. The file's hash and the number never change after
    submission, so they are read before the lock."""
    sha256, certificate_id, provider_id = (
        Evidence.objects.filter(pk=evidence.pk)
        .values_list("sha256", "certificate_id", "enrolment__course__provider_id")
        .get()
    )
    same = _same_certificate(sha256=sha256, certificate_id=certificate_id, provider_id=provider_id)
    list(
        Evidence.objects.select_for_update(of=("self",))
        .filter(same | Q(pk=evidence.pk))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _already_accepted(evidence: Evidence) -> bool:
    """Was the same certificate (the same file, or the same number from the same provider)
    accepted for another completion? One certificate counts once, as it may be reimbursed.
    Reliable only under _lock_same_certificate."""
    same = _same_certificate(
        sha256=evidence.sha256,
        certificate_id=evidence.certificate_id,
        provider_id=evidence.enrolment.course.provider_id,
    )
    return (
        Evidence.objects.filter(same, status=Evidence.Status.VERIFIED)
        .exclude(enrolment_id=evidence.enrolment_id)
        .exists()
    )


@transaction.atomic
def evidence_verify(*, evidence: Evidence, by: User, reason: str = "") -> Evidence:
    """A coordinator of the course's provider accepts the evidence: the enrolment is
    completed on the certificate's date and the course's hours are credited.

    PermissionDenied for anyone else (and for the employee themselves); ValidationError
    when it was decided already or the same certificate was accepted for another
    completion."""
    # Lock the certificate's other submissions first (this one among them, in pk order),
    # not this one alone: a row lock on one copy does not stop a second coordinator from
    # verifying another copy at the same moment (the constraint
    # evidence_one_verified_per_file is the database's backstop for the file).
    _lock_same_certificate(evidence)
    evidence = _lock(evidence)
    _check_decider(evidence, by)
    if _already_accepted(evidence):
        raise ValidationError(
            _("The same certificate was already accepted for another completion.")
        )
    reason = reason.strip()
    _decide(evidence, by=by, status=Evidence.Status.VERIFIED, reason=reason)
    enrolment_complete(
        enrolment=evidence.enrolment,
        completed_on=evidence.completed_on,
        by=by,
        reason=reason or _("External course: completion evidence verified."),
    )
    course = evidence.enrolment.course
    _record_statement(evidence)
    notify(
        users=[evidence.enrolment.employee.user],
        message=gettext_lazy(
            "Your completion of %(course)s was verified; %(hours)s hours are on your "
            "training record."
        ),
        params={"course": course.title_en, "hours": course.hours},
        url=_url(evidence),
    )
    return evidence


def _record_statement(evidence: Evidence) -> uuid.UUID:
    """The verified completion as an xAPI "completed" statement in the platform's LRS
    (docs/xapi.md), dated on the day the certificate gives. Its id derives from the
    evidence, so the statement can be traced back to the certificate that proved it."""
    course = evidence.enrolment.course
    completed_at = timezone.make_aware(dt.datetime.combine(evidence.completed_on, dt.time()))
    return lrs.statement_record(
        employee=evidence.enrolment.employee,
        verb="completed",
        activity_id=lrs.activity_iri("course", course.code),
        activity_name=course.title_en,
        activity_type="http://adlnet.gov/expapi/activities/course",
        result={"completion": True},
        context={"platform": course.provider.name_en},
        timestamp=completed_at,
        statement_id=uuid.uuid5(uuid.NAMESPACE_URL, lrs.activity_iri("evidence", str(evidence.pk))),
    )


@transaction.atomic
def evidence_reject(*, evidence: Evidence, by: User, reason: str) -> Evidence:
    """A coordinator of the course's provider refuses the evidence, with a reason the
    employee sees; the employee may then submit again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason; the employee will see it."))
    evidence = _lock(evidence)
    _check_decider(evidence, by)
    _decide(evidence, by=by, status=Evidence.Status.REJECTED, reason=reason)
    notify(
        users=[evidence.enrolment.employee.user],
        message=gettext_lazy(
            "Your completion evidence for %(course)s was not accepted: %(reason)s "
            "You may submit it again."
        ),
        params={"course": evidence.enrolment.course.title_en, "reason": reason},
        url=_url(evidence),
    )
    return evidence


class Decision(Protocol):
    def __call__(self, *, evidence: Evidence, by: User, reason: str) -> Evidence: ...


# The decisions on one submission, by the names the pages and the API use.
DECISIONS: dict[str, Decision] = {"verify": evidence_verify, "reject": evidence_reject}


def evidence_decide(*, evidence: Evidence, by: User, action: str, reason: str = "") -> Evidence:
    """Take the decision named `action` (a key of DECISIONS) with the rules of its service."""
    return DECISIONS[action](evidence=evidence, by=by, reason=reason)
