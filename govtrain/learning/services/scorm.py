"""SCORM lessons: each enrolment's attempt at a lesson's package, the runtime data the
player commits (docs/scorm.md), and its meaning for the lesson's progress.

Completion reported by the package counts only under the same rules as any lesson: the
server's own measure of time on the lesson page, and the plausibility check on finishing
a module or the course. The package's own time is stored but never trusted for that.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.learning import events
from govtrain.learning.models import Lesson, LessonProgress, ScormAttempt
from govtrain.learning.services.progress import (
    ImplausibleCompletion,
    lesson_complete,
    unmet_requirements,
)
from govtrain.records.models import Enrolment
from govtrain.scorm.runtime import RuntimeSummary, summarise


@transaction.atomic
def scorm_attempt_current(*, enrolment: Enrolment, lesson: Lesson) -> ScormAttempt:
    """The attempt the lesson page plays: the latest, or a first one."""
    if lesson.kind != Lesson.Kind.SCORM or lesson.package_id is None:
        raise ValidationError(_("This lesson has no SCORM package."))
    attempt = (
        ScormAttempt.objects.select_for_update()
        .filter(enrolment=enrolment, lesson=lesson)
        .order_by("-number")
        .first()
    )
    if attempt is None:
        attempt = ScormAttempt.objects.create(enrolment=enrolment, lesson=lesson, number=1)
    return attempt


@transaction.atomic
def scorm_attempt_launch(*, enrolment: Enrolment, lesson: Lesson) -> ScormAttempt:
    """The lesson page launches the package (again): the attempt gets a new launch id,
    which the player sends with each commit, numbered from 1. Only the latest launch's
    commits are stored (scorm_commit): a page left open in another tab, or the late
    unload commit of a page that was reloaded, would overwrite newer progress."""
    attempt = scorm_attempt_current(enrolment=enrolment, lesson=lesson)
    attempt.launch = secrets.token_urlsafe(12)
    attempt.last_sequence = 0
    attempt.save(update_fields=["launch", "last_sequence", "updated_at"])
    return attempt


def resume_summary(attempt: ScormAttempt) -> RuntimeSummary | None:
    return RuntimeSummary.from_dict(attempt.summary) if attempt.summary else None


@dataclass(frozen=True)
class CommitResult:
    ok: bool
    message: str = ""
    # Refused: the completion as implausible, or the commit of a launch superseded by a
    # newer one.
    conflict: bool = False


def _score(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def scorm_commit(
    *,
    enrolment: Enrolment,
    lesson: Lesson,
    body: Any,
    by: User | None,
    now: dt.datetime | None = None,
) -> CommitResult:
    """Store a commit of the player's runtime data on the learner's attempt and map it to
    the lesson's progress. Raises ValidationError on a malformed body or another
    learner's attempt (nothing written). A commit of another launch than the attempt's
    latest is refused (ok False, conflict, nothing written): its page was left or the
    lesson was opened again elsewhere, and its data would overwrite newer progress."""
    now = now or timezone.now()
    if not isinstance(body, dict):
        raise ValidationError(_("The commit is not valid."))
    sequence = body.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise ValidationError(_("The commit has no valid sequence number."))
    launch = body.get("launch")
    if not isinstance(launch, str) or not launch:
        raise ValidationError(_("The commit has no valid launch."))
    with transaction.atomic():
        try:
            attempt = ScormAttempt.objects.select_for_update().get(
                pk=int(str(body.get("attempt", ""))), enrolment=enrolment, lesson=lesson
            )
        except (ValueError, ScormAttempt.DoesNotExist) as error:
            raise ValidationError(_("This attempt is not yours.")) from error
        sco = lesson.package.default_sco if lesson.package is not None else None
        if lesson.package is None or sco is None:
            raise ValidationError(_("This lesson has no SCORM package."))
        # The lesson plays the package's default SCO: its manifest sets the pass marks.
        summary = summarise(
            lesson.package.version,
            body.get("cmi"),
            mastery_score=sco.mastery_score,
            completion_threshold=sco.completion_threshold,
            scaled_passing_score=sco.scaled_passing_score,
        )
        if launch != attempt.launch:
            return CommitResult(
                ok=False,
                message=_(
                    "This lesson was opened again in another tab or window, so progress "
                    "made here is no longer saved. Reload the page to go on here."
                ),
                conflict=True,
            )
        if sequence <= attempt.last_sequence:
            return CommitResult(ok=True)  # an older commit of this launch arriving late
        before_success = attempt.success_status
        attempt.cmi = body["cmi"]
        attempt.summary = summary.as_dict()
        attempt.suspend_data = summary.suspend_data
        attempt.location = summary.location
        attempt.completion_status = summary.completion
        attempt.success_status = summary.success
        attempt.score_scaled = _score(summary.score_scaled)
        attempt.total_seconds = summary.total_seconds
        attempt.commits += 1
        attempt.last_sequence = sequence
        attempt.save()
        progress = LessonProgress.objects.select_for_update().get(
            enrolment=enrolment, lesson=lesson
        )
        if summary.score_scaled is not None:
            progress.score_scaled = _score(summary.score_scaled)
            progress.save(update_fields=["score_scaled", "updated_at"])
        result: dict[str, Any] = {"completion": summary.completion == "completed"}
        if summary.score_scaled is not None:
            result["score"] = {"scaled": round(summary.score_scaled, 4)}
        if summary.success in ("passed", "failed") and summary.success != before_success:
            result["success"] = summary.success == "passed"
            events.lesson_event(
                enrolment=enrolment, lesson=lesson, verb=summary.success, result=result
            )
        elif body.get("finished") is True:
            events.lesson_event(
                enrolment=enrolment, lesson=lesson, verb="progressed", result=result
            )
    done = summary.completion == "completed" and summary.success != "failed"
    if not done or progress.status == LessonProgress.Status.COMPLETED:
        return CommitResult(ok=True)
    # Outside the commit's transaction: a refused completion leaves the runtime data saved
    # and its flag written.
    try:
        lesson_complete(progress=progress, by=by, now=now)
    except ImplausibleCompletion as error:
        return CommitResult(ok=False, message=" ".join(error.messages), conflict=True)
    except ValidationError as error:
        return CommitResult(
            ok=True,
            message=_("Your progress is saved. %(why)s") % {"why": " ".join(error.messages)},
        )
    return CommitResult(ok=True, message=_("Lesson completed."))


def scorm_complete_if_due(*, progress: LessonProgress, by: User | None) -> bool:
    """Complete a SCORM lesson whose package reported completion before the lesson's
    minimum time had passed, once it has (called after each heartbeat). True if the
    lesson is done."""
    if progress.status == LessonProgress.Status.COMPLETED:
        return True
    lesson = progress.lesson
    if lesson.kind != Lesson.Kind.SCORM:
        return False
    attempt = (
        ScormAttempt.objects.filter(enrolment_id=progress.enrolment_id, lesson=lesson)
        .order_by("-number")
        .first()
    )
    if attempt is None or attempt.completion_status != "completed":
        return False
    if attempt.success_status == "failed" or unmet_requirements(progress):
        return False
    try:
        lesson_complete(progress=progress, by=by)
    except ValidationError:  # refused as implausible: flagged by lesson_complete
        return False
    return True
