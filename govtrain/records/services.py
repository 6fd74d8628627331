"""Writes to the training record. Classroom confirmations open enrolments here."""

from __future__ import annotations

from django.db import transaction

from govtrain.classroom.models import Batch
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


@transaction.atomic
def enrolment_open(*, employee: Employee, batch: Batch) -> Enrolment:
    """Enrol a confirmed participant in a batch (again, if they had withdrawn)."""
    enrolment, created = Enrolment.objects.get_or_create(
        employee=employee, batch=batch, defaults={"course_id": batch.course_id}
    )
    if not created and enrolment.status == Enrolment.Status.WITHDRAWN:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


def enrolment_withdraw(*, employee: Employee, batch: Batch) -> None:
    """A participant left the batch before it was completed."""
    Enrolment.objects.filter(
        employee=employee, batch=batch, status=Enrolment.Status.ENROLLED
    ).update(status=Enrolment.Status.WITHDRAWN)
