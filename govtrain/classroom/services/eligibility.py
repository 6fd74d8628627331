"""May this employee be nominated to this batch? Every refusal comes with its reason.

Checked for many people at once (a nodal officer nominates 500), so each rule reads the
database once for the whole group rather than once per person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govtrain.classroom.models import Batch, BatchQuota, Nomination
from govtrain.classroom.selectors import policy_for
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

# Nominations that count against a quota: all that are alive and not on the waitlist.
QUOTA_COUNTED = (
    Nomination.Status.REQUESTED,
    Nomination.Status.APPROVED,
    Nomination.Status.CONFIRMED,
)


@dataclass
class Eligibility:
    """Reasons per employee id; an employee with none may be nominated."""

    reasons: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def refuse(self, employee_id: int, reason: str) -> None:
        self.reasons[employee_id].append(reason)

    def ok(self, employee_id: int) -> bool:
        return not self.reasons.get(employee_id)

    def for_employee(self, employee_id: int) -> list[str]:
        return list(self.reasons.get(employee_id, []))


def nomination_window_reason(
    batch: Batch, today: dt.date, *, lead_days: int | None = None
) -> str | None:
    """Why nominations to the batch are closed today, or None when they are open."""
    if batch.status != Batch.Status.SCHEDULED:
        return _("The batch is %(status)s.") % {"status": batch.get_status_display().lower()}
    if today < batch.nominations_open_on:
        return _("Nominations open on %(date)s.") % {"date": date_format(batch.nominations_open_on)}
    lead = policy_for(batch.course).lead_days if lead_days is None else lead_days
    closes = min(batch.nominations_close_on, batch.starts_on - dt.timedelta(days=lead))
    if today > closes:
        return _("Nominations closed on %(date)s (%(days)s days before the start).") % {
            "date": date_format(closes),
            "days": (batch.starts_on - closes).days,
        }
    return None


def _target_reasons(batch: Batch, employees: Sequence[Employee], result: Eligibility) -> None:
    course = batch.course
    classes = set(course.target_service_classes.values_list("pk", flat=True))
    cadres = set(course.target_cadres.values_list("pk", flat=True))
    designations = set(course.target_designations.values_list("pk", flat=True))
    for employee in employees:
        if classes and employee.service_class_id not in classes:
            result.refuse(employee.pk, _("The course is not meant for their service class."))
        if cadres and employee.cadre_id not in cadres:
            result.refuse(employee.pk, _("The course is not meant for their cadre."))
        if designations and employee.designation_id not in designations:
            result.refuse(employee.pk, _("The course is not meant for their designation."))


def _prerequisite_reasons(batch: Batch, ids: list[int], result: Eligibility) -> None:
    required = dict(batch.course.prerequisites.values_list("pk", "title_en"))
    if not required:
        return
    done: dict[int, set[int]] = defaultdict(set)
    for employee_id, course_id in Enrolment.objects.filter(
        employee_id__in=ids, course_id__in=required, status=Enrolment.Status.COMPLETED
    ).values_list("employee_id", "course_id"):
        done[employee_id].add(course_id)
    for employee_id in ids:
        missing = [title for pk, title in required.items() if pk not in done[employee_id]]
        if missing:
            result.refuse(
                employee_id,
                _("They have not completed the prerequisite: %(courses)s.")
                % {"courses": ", ".join(sorted(missing))},
            )


def _overlap_reasons(batch: Batch, ids: list[int], result: Eligibility) -> None:
    clashes = (
        Nomination.objects.filter(
            employee_id__in=ids,
            status__in=Nomination.ACTIVE,
            batch__starts_on__lte=batch.ends_on,
            batch__ends_on__gte=batch.starts_on,
            batch__status=Batch.Status.SCHEDULED,
        )
        .exclude(batch=batch)
        .values_list("employee_id", "batch__code")
    )
    for employee_id, code in clashes:
        result.refuse(
            employee_id,
            _("They are already nominated to batch %(code)s on overlapping dates.")
            % {"code": code},
        )


def _existing_reasons(batch: Batch, ids: list[int], result: Eligibility) -> None:
    existing = Nomination.objects.filter(
        batch=batch, employee_id__in=ids, status__in=Nomination.ACTIVE
    ).values_list("employee_id", "status")
    for employee_id, status in existing:
        result.refuse(
            employee_id,
            _("They already have a nomination to this batch (%(status)s).")
            % {"status": Nomination.Status(status).label.lower()},
        )


def quota_matches(quota: BatchQuota, employee: Employee, department_id: int) -> bool:
    return (
        (quota.department_id is None or quota.department_id == department_id)
        and (quota.service_class_id is None or quota.service_class_id == employee.service_class_id)
        and (not quota.gender or quota.gender == employee.gender)
    )


def quota_used(batch: Batch) -> dict[int, int]:
    """Seats taken in each quota row of the batch, in one query per row kind."""
    quotas = list(batch.quotas.all())
    used: dict[int, int] = {}
    for quota in quotas:
        q = Q(batch=batch, status__in=QUOTA_COUNTED)
        if quota.department_id:
            q &= Q(employee__office__department_id=quota.department_id)
        if quota.service_class_id:
            q &= Q(employee__service_class_id=quota.service_class_id)
        if quota.gender:
            q &= Q(employee__gender=quota.gender)
        used[quota.pk] = Nomination.objects.filter(q).aggregate(n=Count("pk"))["n"]
    return used


def _quota_reasons(batch: Batch, employees: Sequence[Employee], result: Eligibility) -> None:
    """Fill each quota in the order given; those beyond a full quota are refused."""
    quotas = list(batch.quotas.select_related("department", "service_class"))
    if not quotas:
        return
    used = Counter(quota_used(batch))
    for employee in employees:
        if not result.ok(employee.pk):
            continue
        matching = [q for q in quotas if quota_matches(q, employee, employee.office.department_id)]
        full = [q for q in matching if used[q.pk] >= q.seats]
        if full:
            result.refuse(
                employee.pk,
                _("The quota (%(quota)s) is full.") % {"quota": str(full[0])},
            )
            continue
        for q in matching:
            used[q.pk] += 1


def eligibility_check(
    *, batch: Batch, employees: Iterable[Employee], today: dt.date, quota: bool = True
) -> Eligibility:
    """Check every rule for every employee; employees need `office` loaded."""
    employees = list(employees)
    ids = [e.pk for e in employees]
    result = Eligibility()
    window = nomination_window_reason(batch, today)
    for employee in employees:
        if window:
            result.refuse(employee.pk, window)
        if not employee.is_serving:
            result.refuse(employee.pk, _("They are not in service."))
    _existing_reasons(batch, ids, result)
    _target_reasons(batch, employees, result)
    _prerequisite_reasons(batch, ids, result)
    _overlap_reasons(batch, ids, result)
    if quota:
        _quota_reasons(batch, employees, result)
    return result
