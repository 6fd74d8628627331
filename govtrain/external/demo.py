"""Demo data of external courses: each external course's link, and a history of employees'
certificates (verified, rejected and submitted again, awaiting verification), written
through the same services as the pages. Called by `govtrain seed_demo`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Course
from govtrain.external import services
from govtrain.external.models import Evidence, ExternalOffer
from govtrain.notifications.services import emails_muted
from govtrain.people.models import Employee

SEED = 4
# The demo learner has enrolled in one course, ready to submit the certificate, and had
# another verified; either falls back to the first external course that is not the other.
LEARNER_ENROLLED, LEARNER_VERIFIED = "UMOOC-PP", "UMOOC-EIA"

REJECTIONS = (
    "The certificate does not show the course's name.",
    "The scan is unreadable; upload the PDF the institute sent you.",
    "The name on the certificate is not yours.",
)


@dataclass
class Summary:
    links: int = 0
    verified: int = 0
    rejected: int = 0
    awaiting: int = 0


def certificate_pdf(*, name: str, course: str, on: dt.date, number: str) -> bytes:
    """A one-page PDF certificate (the demo's stand-in for the other institute's)."""
    text = [f"Certificate of completion {number}", name, course, on.isoformat()]
    lines = " ".join(
        f"BT /F1 {16 if i == 0 else 12} Tf 72 {720 - 30 * i} Td ({_pdf_text(t)}) Tj ET"
        for i, t in enumerate(text)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(lines), lines.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number_, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number_, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(value: str) -> str:
    # PDF literal strings escape backslashes and parentheses; Helvetica has no Malayalam.
    ascii_only = value.encode("latin-1", "replace").decode("latin-1")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _decider(course: Course) -> User:
    """A coordinator of the course's provider, else the state administrator."""
    user = (
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=course.provider_id,
        )
        .order_by("pk")
        .first()
    )
    return user or User.objects.filter(role_assignments__role=Role.STATE_ADMIN).order_by("pk")[0]


def _link(course: Course) -> str:
    site = (
        course.provider.website or f"https://{course.provider.code.lower()}.example.org"
    ).rstrip("/")
    return f"{site}/courses/{course.code.lower()}"


@transaction.atomic
def build_external_history(*, learner: Employee | None = None, seed: int = SEED) -> Summary:
    """Links for every external course and a few dozen certificates in each state of their
    review, once per course; `learner` (the demo learner) is left enrolled in one course,
    ready to submit its certificate, with another one verified (`_learner_story`)."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    summary = Summary()
    today = timezone.localdate()
    courses = list(
        Course.objects.filter(modality=Course.Modality.EXTERNAL, is_published=True)
        .select_related("provider")
        .order_by("code")
    )
    staff = [
        (employee, employee.user)
        for employee in Employee.objects.filter(status=Employee.Status.ACTIVE)
        .exclude(user=None)
        .exclude(pk__in=[learner.pk] if learner else [])
        .select_related("user")
        .order_by("pen")[:2000]
        if employee.user is not None
    ]
    built: list[Course] = []  # the courses whose history is written now
    with emails_muted():
        for course in courses:
            decider = _decider(course)
            if not ExternalOffer.objects.filter(course=course).exists():
                services.offer_set(course=course, url=_link(course), by=decider)
                summary.links += 1
            if Evidence.objects.filter(enrolment__course=course).exists():
                continue  # its history was written before: running again doubles nothing
            for employee, user in rng.sample(staff, min(len(staff), 12)):
                if user == decider:
                    continue
                on = today - dt.timedelta(days=rng.randint(3, 200))
                pdf = certificate_pdf(
                    name=employee.name_en,
                    course=course.title_en,
                    on=on,
                    number=f"{course.code}-{rng.randint(10000, 99999)}",
                )
                evidence = services.evidence_submit(
                    course=course,
                    by=user,
                    upload=ContentFile(pdf, name="certificate.pdf"),
                    completed_on=on,
                )
                fate = rng.random()
                if fate < 0.2:
                    services.evidence_reject(
                        evidence=evidence, by=decider, reason=rng.choice(REJECTIONS)
                    )
                    summary.rejected += 1
                elif fate < 0.7:
                    services.evidence_verify(evidence=evidence, by=decider)
                    summary.verified += 1
                else:
                    summary.awaiting += 1
            built.append(course)
        if learner is not None and learner.user is not None and built:
            summary.verified += _learner_story(learner, learner.user, built, today)
    return summary


def _learner_story(learner: Employee, user: User, courses: list[Course], today: dt.date) -> int:
    """The demo learner enrolled in one course (LEARNER_ENROLLED) and, in another
    (LEARNER_VERIFIED), had a certificate verified with the hours on their record; returns
    the number of certificates verified (0 or 1)."""
    enrolled = next((c for c in courses if c.code == LEARNER_ENROLLED), courses[0])
    services.enrolment_record(course=enrolled, by=user)
    verified = next((c for c in courses if c.code == LEARNER_VERIFIED and c != enrolled), None)
    if verified is None:
        return 0
    on = today - dt.timedelta(days=40)
    pdf = certificate_pdf(
        name=learner.name_en, course=verified.title_en, on=on, number=f"{verified.code}-20417"
    )
    evidence = services.evidence_submit(
        course=verified,
        by=user,
        upload=ContentFile(pdf, name="certificate.pdf"),
        completed_on=on,
        certificate_id=f"{verified.code}-20417",
    )
    services.evidence_verify(evidence=evidence, by=_decider(verified))
    return 1
