"""The platform's learning events as xAPI statements in the built-in LRS (docs/xapi.md).

Every call joins the caller's transaction, so a refused completion records no statement."""

from __future__ import annotations

from typing import Any

from govtrain.learning.models import Lesson
from govtrain.lrs import services as lrs
from govtrain.records.models import Enrolment

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"


def _record(
    *,
    enrolment: Enrolment,
    verb: str,
    kind: str,
    key: str,
    name: str,
    activity_type: str,
    result: dict[str, Any] | None = None,
) -> None:
    lrs.statement_record(
        employee=enrolment.employee,
        verb=verb,
        activity_id=lrs.activity_iri(kind, key),
        activity_name=name,
        activity_type=activity_type,
        result=result,
        context={
            "contextActivities": {
                "parent": [{"id": lrs.activity_iri("course", enrolment.course.code)}]
            }
        }
        if kind != "course"
        else None,
    )


def lesson_event(
    *, enrolment: Enrolment, lesson: Lesson, verb: str, result: dict[str, Any] | None = None
) -> None:
    """launched / progressed / completed / passed / failed, for one lesson."""
    _record(
        enrolment=enrolment,
        verb=verb,
        kind="lesson",
        key=str(lesson.pk),
        name=lesson.title_en,
        activity_type=LESSON_TYPE,
        result=result,
    )


def course_event(*, enrolment: Enrolment, verb: str, result: dict[str, Any] | None = None) -> None:
    """registered / completed, for the course."""
    _record(
        enrolment=enrolment,
        verb=verb,
        kind="course",
        key=enrolment.course.code,
        name=enrolment.course.title_en,
        activity_type=COURSE_TYPE,
        result=result,
    )
