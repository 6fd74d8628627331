"""Reads of external courses and their evidence. Evidence is seen by the employee who
submitted it and by those who may verify it (coordinators of the course's provider, state
administrators); for anyone else it does not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.catalog.models import Course
from govtrain.external.models import Evidence, ExternalOffer
from govtrain.records.models import Enrolment

_RELATED = (
    "enrolment__course__provider",
    "enrolment__employee",
    "submitted_by",
    "decided_by__employee",
)


def _providers_q(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """Courses' providers whose evidence the user may verify (None: every provider)."""
    access = access_for(user)
    if Perm.CATALOG_MANAGE in access.everywhere:
        return None
    if not access.can(Perm.CATALOG_MANAGE) or not access.providers:
        return Q(pk__in=[])
    return Q(**{f"{prefix}enrolment__course__provider_id__in": access.providers})


def evidence_visible_to(*, user: User | AnonymousUser) -> QuerySet[Evidence]:
    """The user's own submissions and those they may verify."""
    evidence = Evidence.objects.select_related(*_RELATED)
    providers = _providers_q(user)
    if providers is None:
        return evidence
    employee_id = access_for(user).employee_id
    if employee_id is not None:
        providers |= Q(enrolment__employee_id=employee_id)
    return evidence.filter(providers)


def evidence_get_for(*, user: User | AnonymousUser, pk: int) -> Evidence:
    """One submission the user may see; Http404 otherwise (no leaks)."""
    return get_object_or_404(evidence_visible_to(user=user), pk=pk)


def evidence_awaiting(*, user: User | AnonymousUser) -> QuerySet[Evidence]:
    """Submissions waiting for the user's decision, oldest first (never their own)."""
    evidence = Evidence.objects.select_related(*_RELATED).filter(status=Evidence.Status.SUBMITTED)
    providers = _providers_q(user)
    if providers is not None:
        evidence = evidence.filter(providers)
    employee_id = access_for(user).employee_id
    if employee_id is not None:
        evidence = evidence.exclude(enrolment__employee_id=employee_id)
    return evidence.order_by("created_at", "pk")


def evidence_of(*, employee_id: int) -> QuerySet[Evidence]:
    """An employee's own submissions, newest first."""
    return (
        Evidence.objects.select_related(*_RELATED)
        .filter(enrolment__employee_id=employee_id)
        .order_by("-created_at", "-pk")
    )


def evidence_history(*, evidence: Evidence) -> list[Evidence]:
    """Every submission for the same enrolment, oldest first: who submitted, who decided,
    when and why."""
    return list(
        Evidence.objects.select_related("submitted_by__employee", "decided_by__employee")
        .filter(enrolment_id=evidence.enrolment_id)
        .order_by("created_at", "pk")
    )


def evidence_same_certificate(*, evidence: Evidence) -> list[Evidence]:
    """Other enrolments' submissions of the same file, or of the same certificate number
    from the same provider: for the coordinator to look at before verifying."""
    same = Q(sha256=evidence.sha256)
    if evidence.certificate_id:
        same |= Q(
            certificate_id__iexact=evidence.certificate_id,
            enrolment__course__provider_id=evidence.enrolment.course.provider_id,
        )
    return list(
        Evidence.objects.select_related(*_RELATED)
        .filter(same)
        .exclude(enrolment_id=evidence.enrolment_id)
        .order_by("-created_at")[:10]
    )


def offer_for(*, course: Course) -> ExternalOffer | None:
    return ExternalOffer.objects.filter(course=course).first()


@dataclass(frozen=True)
class CourseActions:
    """What the reader of an external course's page sees and may do about it."""

    course: Course
    offer: ExternalOffer | None
    enrolment: Enrolment | None  # the reader's own, if they recorded one
    latest: Evidence | None  # the reader's latest submission for it
    is_learner: bool
    can_manage: bool  # may set the link and verify evidence

    @property
    def is_enrolled(self) -> bool:
        return self.enrolment is not None and self.enrolment.status in (
            Enrolment.Status.ENROLLED,
            Enrolment.Status.COMPLETED,
        )

    @property
    def is_completed(self) -> bool:
        return self.enrolment is not None and self.enrolment.status == Enrolment.Status.COMPLETED

    @property
    def awaiting(self) -> bool:
        return self.latest is not None and self.latest.status == Evidence.Status.SUBMITTED

    @property
    def can_record_enrolment(self) -> bool:
        return self.is_learner and self.course.is_published and not self.is_enrolled

    @property
    def can_submit(self) -> bool:
        return (
            self.is_learner
            and self.course.is_published
            and not self.is_completed
            and not self.awaiting
        )


def course_actions_for(*, user: User | AnonymousUser, course: Course) -> CourseActions | None:
    """The external-course part of a course page for this reader; None for other courses.
    At most three small queries, and none for a course that is not external."""
    if course.modality != Course.Modality.EXTERNAL:
        return None
    access = access_for(user)
    enrolment = None
    latest = None
    if access.employee_id is not None:
        enrolment = Enrolment.objects.filter(
            employee_id=access.employee_id, course=course, batch=None
        ).first()
        if enrolment is not None:
            latest = (
                Evidence.objects.filter(enrolment=enrolment).order_by("-created_at", "-pk").first()
            )
    return CourseActions(
        course=course,
        offer=offer_for(course=course),
        enrolment=enrolment,
        latest=latest,
        is_learner=access.employee_id is not None,
        can_manage=access.covers_provider(Perm.CATALOG_MANAGE, course.provider_id),
    )
