from celery import shared_task

from govtrain.people.models import ImportJob
from govtrain.people.services.imports import import_run


@shared_task(ignore_result=True)
def run_import(job_id: int) -> None:
    """Run one queued employee import (web upload or API)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status == ImportJob.Status.QUEUED:
        import_run(job=job)
