"""The home page of each role: what they look after, at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Provider
from govtrain.classroom.models import Nomination
from govtrain.classroom.selectors import batches_taught_by, nominations_awaiting, nominations_of
from govtrain.organisation.models import Department, District, LocalBody, Office
from govtrain.people.models import Employee, ImportJob, ServiceClass
from govtrain.people.selectors import employees_visible_to
from govtrain.records.selectors import training_record_for, training_totals_for


@dataclass
class Dashboard:
    employee: Employee | None = None
    scopes: list[str] = field(default_factory=list)
    providers: list[Provider] = field(default_factory=list)
    people_in_scope: int | None = None
    by_group: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    recent_imports: list[ImportJob] = field(default_factory=list)
    recent_events: list[Any] = field(default_factory=list)
    reportees: int = 0
    upcoming: list[Any] = field(default_factory=list)
    teaching: list[Any] = field(default_factory=list)
    record_totals: Any = None  # records.selectors.RecordTotals of the user's own record
    recent: list[Any] = field(default_factory=list)
    awaiting: int = 0


def dashboard_for(*, user: User) -> Dashboard:
    """Everything the home page shows the user, already scoped to what they may see."""
    access = access_for(user)
    board = Dashboard()
    if access.employee_id:
        board.employee = Employee.objects.select_related(
            "designation", "office__department", "office__district", "controlling_officer"
        ).get(pk=access.employee_id)
        board.reportees = Employee.objects.filter(controlling_officer_id=access.employee_id).count()
        board.upcoming = list(
            nominations_of(employee_id=access.employee_id).filter(
                status__in=Nomination.ACTIVE, batch__ends_on__gte=timezone.localdate()
            )[:10]
        )
        board.teaching = list(batches_taught_by(employee_id=access.employee_id))
        board.record_totals = training_totals_for(employee=board.employee)
        board.recent = list(training_record_for(employee=board.employee)[:3])
    board.awaiting = nominations_awaiting(user=user).count()
    board.scopes = [f"{a.get_role_display()}: {a.scope_label}" for a in access.assignments]
    board.providers = list(Provider.objects.filter(pk__in=access.providers))
    if access.can(Perm.PEOPLE_VIEW):
        visible = employees_visible_to(user=user)
        board.people_in_scope = visible.count()
        counts = (
            visible.values_list("service_class__national_group")
            .annotate(n=Count("pk"))
            .order_by("service_class__national_group")
        )
        board.by_group = [
            {"group": ServiceClass.NationalGroup(group).label, "n": n} for group, n in counts
        ]
    if access.has_role(Role.STATE_ADMIN) or access.has_role(Role.AUDITOR) or user.is_superuser:
        board.totals = {
            "districts": District.objects.count(),
            "local_bodies": LocalBody.objects.count(),
            "departments": Department.objects.count(),
            "offices": Office.objects.count(),
        }
    if access.can(Perm.PEOPLE_IMPORT):
        board.recent_imports = list(ImportJob.objects.order_by("-created_at")[:5])
    if access.can(Perm.AUDIT_VIEW):
        from govtrain.audit.selectors import audit_events_visible_to

        board.recent_events = list(audit_events_visible_to(user=user)[:8])
    return board
