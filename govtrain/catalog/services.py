"""Writes to the catalog: coordinators look after their own institute's courses."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Course
from govtrain.catalog.selectors import CATALOG_VERSION_KEY

TARGETS = ("target_service_classes", "target_cadres", "target_designations", "prerequisites")


def catalog_changed() -> None:
    """Make the catalog's cached pages stale: call it from every service that changes a
    course, a batch or a nomination (what the catalog and the course pages show).

    The version changes now, so that the writer's own next page is fresh even inside its
    transaction, and again after the commit: a page rendered meanwhile from the data
    before the commit may have been cached under the first new version.
    """

    def bump() -> None:
        cache.set(CATALOG_VERSION_KEY, uuid.uuid4().hex[:16], timeout=None)

    bump()
    transaction.on_commit(bump)


def _check_manages(*, by: User, provider_id: int) -> None:
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, provider_id):
        raise PermissionDenied(_("You do not manage this provider's catalog."))


def _snapshot(course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        "title_en": course.title_en,
        "modality": course.modality,
        "hours": str(course.hours),
        "fee": str(course.fee),
        "fee_currency": course.fee_currency,
        "is_published": course.is_published,
    }


def _set_targets(course: Course, targets: dict[str, Any]) -> None:
    prerequisites = targets.get("prerequisites")
    if prerequisites is not None and any(p.pk == course.pk for p in prerequisites):
        raise ValidationError({"prerequisites": _("A course cannot be its own prerequisite.")})
    for name, values in targets.items():
        getattr(course, name).set(values)


@transaction.atomic
def course_create(*, by: User, **fields: Any) -> Course:
    """A new, unpublished course of a provider the user manages."""
    targets = {name: fields.pop(name) for name in TARGETS if name in fields}
    course = Course(**fields)
    _check_manages(by=by, provider_id=course.provider_id)
    course.full_clean()
    course.save()
    _set_targets(course, targets)
    audit_record(actor=by, action="course.created", target=course, after=_snapshot(course))
    catalog_changed()
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, **changes: Any) -> Course:
    """Change a course; it cannot be moved to a provider the user does not manage."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    _check_manages(by=by, provider_id=course.provider_id)
    before = _snapshot(course)
    targets = {name: changes.pop(name) for name in TARGETS if name in changes}
    for name, value in changes.items():
        setattr(course, name, value)
    _check_manages(by=by, provider_id=course.provider_id)
    course.full_clean()
    course.save()
    _set_targets(course, targets)
    after = _snapshot(course)
    catalog_changed()
    changed = {k for k in after if after[k] != before[k]}
    if changed or targets:
        audit_record(
            actor=by,
            action="course.updated",
            target=course,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return course


def course_publish(*, course: Course, by: User, published: bool = True) -> Course:
    """Show the course in the catalog (or take it out)."""
    return course_update(course=course, by=by, is_published=published)
