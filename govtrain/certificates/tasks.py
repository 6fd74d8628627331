from celery import shared_task

from govtrain.certificates.models import IssuanceJob
from govtrain.certificates.services import issuing
from govtrain.records.models import Enrolment


@shared_task(ignore_result=True)
def issue_for_enrolments(enrolment_ids: list[int]) -> None:
    """Certificates for completions just recorded (issuing.issue_after_commit)."""
    enrolments = list(Enrolment.objects.filter(pk__in=enrolment_ids))
    issuing.certificates_issue(enrolments=enrolments, by=None)


@shared_task(ignore_result=True)
def run_issuance_job(job_id: int) -> None:
    """Run one queued bulk issue (a coordinator's, for a batch or a course)."""
    job = IssuanceJob.objects.select_related("provider", "requested_by").get(pk=job_id)
    if job.status == IssuanceJob.Status.QUEUED:
        issuing.job_run(job=job)
