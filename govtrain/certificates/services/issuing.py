"""Issuing certificates: one per completed enrolment, signed with the institute's key.

Every completion path (a batch closed, an online course's rule met, external evidence
verified) calls `issue_after_commit`; a coordinator can also issue a batch's or a course's
at once (IssuanceJob, in the background with progress). Issuing is idempotent: an
enrolment that has its certificate is skipped.

A bulk issue signs in chunks: the chunk's status bits are allocated under one lock,
every credential of the chunk shares its proof options (one `created`, one key), so their
canonical proof configuration is hashed once (dataintegrity.proof_configuration_hash),
the signing runs outside any transaction, and rows, audit events, notifications and xAPI
statements go in with one insert each.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record_many
from govtrain.catalog.models import Provider
from govtrain.certificates import credential, dataintegrity, identity
from govtrain.certificates.models import Certificate, IssuanceJob, IssuerKey, StatusList
from govtrain.certificates.services import status
from govtrain.certificates.services.keys import key_active, secret_key
from govtrain.lrs import services as lrs
from govtrain.notifications.services import notify_each
from govtrain.records.models import Enrolment

CHUNK = 200
Progress = Callable[[int, int], None]


@dataclass
class IssueSummary:
    issued: list[Certificate] = field(default_factory=list)
    already: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (enrolment id, reason)


def _number(provider: Provider, issued_at: dt.datetime, list_number: int, index: int) -> str:
    """The DigiLocker DocId: the institute's code, the year, the list and the bit."""
    code = "".join(ch for ch in provider.code.upper() if ch.isalnum())
    return f"{code}{issued_at:%Y}{list_number:02d}{index:06d}"


def _completed(enrolment_ids: Iterable[int]) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(pk__in=list(enrolment_ids))
        .select_related("employee__user", "course__provider")
        .order_by("pk")
    )


def certificate_issue(*, enrolment: Enrolment, by: User | None) -> Certificate:
    """The enrolment's certificate, issued now if it has none. ValidationError unless the
    enrolment is completed."""
    summary = certificates_issue(enrolments=[enrolment], by=by)
    if summary.failed:
        raise ValidationError(summary.failed[0][1])
    if summary.issued:
        return summary.issued[0]
    return Certificate.objects.get(enrolment=enrolment)


def certificates_issue(
    *,
    enrolments: Sequence[Enrolment],
    by: User | None,
    on_progress: Progress | None = None,
) -> IssueSummary:
    """Certificates for the completed enrolments among `enrolments` that have none yet."""
    summary = IssueSummary()
    ids = [e.pk for e in enrolments]
    for start in range(0, len(ids), CHUNK):
        _issue_chunk(ids[start : start + CHUNK], by, summary)
        if on_progress is not None:
            on_progress(min(start + CHUNK, len(ids)), len(ids))
    return summary


def _issue_chunk(ids: list[int], by: User | None, summary: IssueSummary) -> None:
    """Sign outside any transaction: on SQLite a write transaction holds the database's
    only write lock, and signing 200 credentials takes a second of CPU that two worker
    processes can spend in parallel. The status bits are taken first (a gap is left if the
    chunk fails), and the rows written last, skipping enrolments certified meanwhile."""
    done = set(
        Certificate.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True)
    )
    summary.already += len(done)
    todo: dict[Provider, list[Enrolment]] = {}
    for enrolment in _completed(set(ids) - done):
        if enrolment.status != Enrolment.Status.COMPLETED or enrolment.completed_on is None:
            summary.failed.append((enrolment.pk, _("Only a completed course is certified.")))
            continue
        todo.setdefault(enrolment.course.provider, []).append(enrolment)
    for provider, group in todo.items():
        with transaction.atomic():
            key = key_active(provider=provider)
            bits = status.allocate(provider=provider, count=len(group))
        certificates = _signed(provider, key, group, bits)
        summary.issued += _store(certificates, by, summary)


def _signed(
    provider: Provider,
    key: IssuerKey,
    group: list[Enrolment],
    bits: list[tuple[StatusList, int]],
) -> list[Certificate]:
    signing_key = secret_key(key)
    now = timezone.now().replace(microsecond=0)
    options = dataintegrity.ProofOptions(
        verification_method=identity.verification_method(key),
        created=credential.xsd_datetime(now),
    )
    configuration = dataintegrity.proof_configuration_hash(options.as_json(), credential.CONTEXT)
    certificates = []
    for enrolment, (status_list, index) in zip(group, bits, strict=True):
        employee, course = enrolment.employee, enrolment.course
        public_id = secrets.token_urlsafe(12)
        completed_on = enrolment.completed_on or now.date()
        document = credential.achievement_credential(
            public_id=public_id,
            provider_code=provider.code,
            provider_name=provider.name_en,
            provider_url=provider.website,
            course_code=course.code,
            course_name=course.title_en,
            hours=course.hours,
            recipient_name=employee.name_en,
            pen=employee.pen,
            salt=secrets.token_hex(8),
            completed_on=completed_on,
            issued_at=now,
            status_list_url=identity.status_list_url(status_list),
            status_index=index,
        )
        signed = dataintegrity.sign(
            document, key=signing_key, options=options, configuration_hash=configuration
        )
        certificates.append(
            Certificate(
                number=_number(provider, now, status_list.number, index),
                public_id=public_id,
                enrolment=enrolment,
                employee=employee,
                course=course,
                provider=provider,
                recipient_en=employee.name_en,
                recipient_ml=employee.name_ml,
                course_en=course.title_en,
                course_ml=course.title_ml,
                provider_en=provider.name_en,
                provider_ml=provider.name_ml,
                hours=course.hours,
                completed_on=completed_on,
                issued_at=now,
                key=key,
                status_list=status_list,
                status_index=index,
                credential=credential.dumps(signed),
                created_at=now,
                updated_at=now,
            )
        )
    return certificates


@transaction.atomic
def _store(
    certificates: list[Certificate], by: User | None, summary: IssueSummary
) -> list[Certificate]:
    """Write the signed certificates whose enrolments are still uncertified (locked), with
    their audit events, notifications and xAPI statements, one insert each."""
    ids = [c.enrolment_id for c in certificates]
    list(Enrolment.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    taken = set(
        Certificate.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True)
    )
    summary.already += len(taken)
    certificates = [c for c in certificates if c.enrolment_id not in taken]
    if not certificates:
        return []
    now = certificates[0].issued_at
    Certificate.objects.bulk_create(certificates)
    audit_record_many(actor=by, action="certificates.issued", targets=list(certificates))
    notify_each(
        message=gettext_lazy("Your certificate for %(course)s is ready to download."),
        items=[
            (c.employee.user, {"course": c.course}, _detail_url(c.number)) for c in certificates
        ],
    )
    lrs.statements_record(
        statements=[
            {
                "actor": lrs.agent_for(c.employee),
                "verb": {"id": lrs.VERBS["earned"], "display": {"en": "earned"}},
                "object": {
                    "objectType": "Activity",
                    "id": lrs.activity_iri("certificate", c.number),
                    "definition": {"name": {"en": f"Certificate: {c.course_en}"}},
                },
                "context": {
                    "contextActivities": {
                        "parent": [{"id": lrs.activity_iri("course", c.course.code)}]
                    }
                },
                "timestamp": credential.xsd_datetime(now),
            }
            for c in certificates
        ]
    )
    return certificates


def _detail_url(number: str) -> str:
    from django.urls import reverse

    return reverse("certificates:detail", args=[number])


def issue_after_commit(*, enrolment_ids: Sequence[int]) -> None:
    """Certificates for completions just recorded, once their transaction commits, in the
    background (the completion paths call this)."""
    ids = list(enrolment_ids)
    if not ids:
        return

    def enqueue() -> None:
        from govtrain.certificates.tasks import issue_for_enrolments

        issue_for_enrolments.delay(enrolment_ids=ids)

    transaction.on_commit(enqueue)


@transaction.atomic
def job_create(
    *, provider: Provider, by: User, batch_id: int | None = None, course_id: int | None = None
) -> IssuanceJob:
    """A coordinator issues the certificates of a batch's or a course's completions."""
    if (batch_id is None) == (course_id is None):
        raise ValidationError(_("Choose a batch or a course."))
    job = IssuanceJob.objects.create(
        provider=provider, batch_id=batch_id, course_id=course_id, requested_by=by
    )
    transaction.on_commit(lambda: _enqueue_job(job.pk))
    return job


def _enqueue_job(job_id: int) -> None:
    from govtrain.certificates.tasks import run_issuance_job

    run_issuance_job.delay(job_id=job_id)


def job_run(*, job: IssuanceJob) -> IssuanceJob:
    """Issue the job's certificates, saving its progress as it goes."""
    completed = Enrolment.objects.filter(
        course__provider=job.provider, status=Enrolment.Status.COMPLETED
    )
    if job.batch_id is not None:
        completed = completed.filter(batch_id=job.batch_id)
    elif job.course_id is not None:
        completed = completed.filter(course_id=job.course_id)
    enrolments = list(completed.order_by("pk"))
    job.status, job.total = IssuanceJob.Status.RUNNING, len(enrolments)
    job.save(update_fields=["status", "total", "updated_at"])

    def progress(done: int, total: int) -> None:
        IssuanceJob.objects.filter(pk=job.pk).update(issued=done, updated_at=timezone.now())

    try:
        summary = certificates_issue(
            enrolments=enrolments, by=job.requested_by, on_progress=progress
        )
    except Exception as error:
        job.status = IssuanceJob.Status.FAILED
        job.errors = [str(error)[:500]]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "errors", "finished_at", "updated_at"])
        raise
    job.status = IssuanceJob.Status.FINISHED
    job.issued, job.already = len(summary.issued), summary.already
    job.failed = len(summary.failed)
    job.errors = [{"enrolment": e, "reason": r} for e, r in summary.failed[:100]]
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "issued",
            "already",
            "failed",
            "errors",
            "finished_at",
            "updated_at",
        ]
    )
    return job
