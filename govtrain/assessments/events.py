"""Quiz results as xAPI statements in the built-in LRS (docs/xapi.md), inside the
grading service's transaction: `passed` or `failed`, with the score."""

from __future__ import annotations

from decimal import Decimal

from govtrain.assessments.models import Attempt
from govtrain.lrs import services as lrs

ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"


def _scaled(score: Decimal, out_of: Decimal) -> float:
    return round(float(score / out_of), 4) if out_of else 0.0


def attempt_result(*, attempt: Attempt) -> None:
    """The graded attempt passed or failed the quiz (again, after a regrade changed it)."""
    quiz = attempt.quiz
    score = attempt.score or Decimal(0)
    lrs.statement_record(
        employee=attempt.employee,
        verb="passed" if attempt.passed else "failed",
        activity_id=lrs.activity_iri("quiz", str(quiz.pk)),
        activity_name=quiz.title_en,
        activity_type=ASSESSMENT_TYPE,
        result={
            "success": bool(attempt.passed),
            "completion": True,
            "score": {
                "scaled": _scaled(score, attempt.max_score),
                "raw": float(score),
                "min": 0,
                "max": float(attempt.max_score),
            },
        },
        context={
            "contextActivities": {"parent": [{"id": lrs.activity_iri("course", quiz.course.code)}]},
            "extensions": {lrs.activity_iri("extension", "attempt"): attempt.number},
        },
    )
