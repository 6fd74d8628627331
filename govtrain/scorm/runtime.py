"""What a SCO's runtime data means, checked against each version's data model.

The browser sends scorm-again's CMI JSON (docs/scorm.md). It is the learner's browser, so
nothing in it is trusted: every value the platform uses is checked for type, length and
vocabulary (SCORM 1.2 RTE section 3.4; SCORM 2004 4th edition RTE chapter 4) before it
becomes progress.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

VERSIONS = ("1.2", "2004")

STATUS_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
EXIT_12 = {"time-out", "suspend", "logout"}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_2004 = {"passed", "failed", "unknown"}
EXIT_2004 = {"time-out", "suspend", "logout", "normal"}

# SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours of two to four digits).
TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(?:\.(\d{1,2}))?$")
# SCORM 2004 timeinterval (second, 10,0): an ISO 8601 duration.
DURATION_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
# Longer than any course could take: a total beyond this is garbage, not learning.
MAX_SECONDS = 10_000 * 3600

LIMITS = {
    "1.2": {"location": 255, "suspend_data": 4096},
    "2004": {"location": 1000, "suspend_data": 64000},
}


class RuntimeDataError(ValidationError):
    """The runtime data does not fit the SCORM data model; the message says where."""


@dataclass(frozen=True)
class RuntimeSummary:
    """What the platform needs from a SCO's runtime data, in one vocabulary for both versions."""

    version: str
    completion: str  # completed / incomplete / not attempted / unknown
    success: str  # passed / failed / unknown
    score_scaled: float | None  # -1..1
    score_raw: float | None
    total_seconds: int
    session_seconds: int
    location: str
    suspend_data: str
    exit: str

    @property
    def completed(self) -> bool:
        return self.completion == "completed"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuntimeSummary:
        """Rebuild a stored summary; fields it lacks (stored by an older version) get defaults."""
        return cls(
            **{**SUMMARY_DEFAULTS, **{k: v for k, v in data.items() if k in SUMMARY_DEFAULTS}}
        )


SUMMARY_DEFAULTS: dict[str, Any] = {
    "version": "2004",
    "completion": "unknown",
    "success": "unknown",
    "score_scaled": None,
    "score_raw": None,
    "total_seconds": 0,
    "session_seconds": 0,
    "location": "",
    "suspend_data": "",
    "exit": "",
}


def _fail(element: str, problem: str) -> RuntimeDataError:
    return RuntimeDataError(
        _("Runtime data element %(element)s: %(problem)s")
        % {"element": element, "problem": problem}
    )


def _object(value: Any, element: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(element, str(_("expected an object.")))
    return value


def _string(data: dict[str, Any], key: str, element: str, *, limit: int = 255) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(element, str(_("expected a string.")))
    text = str(value)
    if len(text) > limit:
        raise _fail(
            element, str(_("longer than the %(limit)s characters allowed.") % {"limit": limit})
        )
    return text


def _choice(data: dict[str, Any], key: str, element: str, allowed: set[str]) -> str:
    value = _string(data, key, element)
    if value and value not in allowed:
        raise _fail(
            element,
            str(
                _("“%(value)s” is not one of %(allowed)s.")
                % {"value": value[:40], "allowed": ", ".join(sorted(allowed))}
            ),
        )
    return value


def _number(
    data: dict[str, Any],
    key: str,
    element: str,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float | None:
    value = data.get(key, "")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(element, str(_("expected a number.")))
    try:
        number = float(Decimal(str(value).strip()))
    except ArithmeticError:
        number = math.nan
    if not math.isfinite(number):
        raise _fail(element, str(_("“%(value)s” is not a number.") % {"value": str(value)[:40]}))
    if (low is not None and number < low) or (high is not None and number > high):
        raise _fail(
            element,
            str(
                _("%(value)s is outside %(low)s to %(high)s.")
                % {"value": number, "low": low, "high": high}
            ),
        )
    return number


def _seconds(data: dict[str, Any], key: str, element: str, version: str) -> int:
    value = _string(data, key, element)
    if not value:
        return 0
    if version == "1.2":
        match = TIMESPAN_12.match(value)
        if match is None:
            raise _fail(element, str(_("“%(value)s” is not a time span.") % {"value": value[:40]}))
        hours, minutes, seconds, _fraction = match.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    else:
        match = DURATION_2004.match(value)
        if match is None or value in {"P", "PT"} or value.endswith("T"):
            raise _fail(element, str(_("“%(value)s” is not a duration.") % {"value": value[:40]}))
        years, months, days, hours, minutes, seconds = (
            float(g) if g else 0.0 for g in match.groups()
        )
        # RTE 4.1.1.5: a year and a month have no fixed length; use 365 and 30 days.
        total = int(
            ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
        )
    if total > MAX_SECONDS:
        raise _fail(element, str(_("%(value)s is longer than any course.") % {"value": value[:40]}))
    return total


def _manifest_value(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def summarise(
    version: str,
    cmi: Any,
    *,
    mastery_score: Decimal | float | None = None,
    completion_threshold: Decimal | float | None = None,
    scaled_passing_score: Decimal | float | None = None,
) -> RuntimeSummary:
    """Summarise scorm-again's CMI JSON (the object under `cmi`); RuntimeDataError if invalid.

    The pass marks are the manifest's (the SCO's `mastery_score`, `completion_threshold`,
    `scaled_passing_score`): the copies the browser sends back are ignored, as they are the
    learner's browser's word and the data model makes them read-only to the SCO."""
    if version not in VERSIONS:
        raise RuntimeDataError(
            _("Unknown SCORM version “%(version)s”.") % {"version": str(version)[:10]}
        )
    data = _object(cmi, "cmi")
    if version == "1.2":
        return _summarise_12(data, mastery=_manifest_value(mastery_score))
    return _summarise_2004(
        data,
        threshold=_manifest_value(completion_threshold),
        passing=_manifest_value(scaled_passing_score),
    )


def _summarise_12(cmi: dict[str, Any], *, mastery: float | None) -> RuntimeSummary:
    limits = LIMITS["1.2"]
    core = _object(cmi.get("core"), "cmi.core")
    status = _choice(core, "lesson_status", "cmi.core.lesson_status", STATUS_12)
    # 1.2 has one status for both questions (RTE 3.4.2.4.3); 2004 split it in two.
    completion = {
        "passed": "completed",
        "completed": "completed",
        "failed": "completed",
        "incomplete": "incomplete",
        "browsed": "incomplete",
        "not attempted": "not attempted",
    }.get(status, "unknown")
    success = {"passed": "passed", "failed": "failed"}.get(status, "unknown")
    score = _object(core.get("score"), "cmi.core.score")
    raw = _number(score, "raw", "cmi.core.score.raw")
    low = _number(score, "min", "cmi.core.score.min")
    high = _number(score, "max", "cmi.core.score.max")
    scaled = None
    if raw is not None:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
        if high <= low:
            raise _fail("cmi.core.score", str(_("the maximum is not above the minimum.")))
        if not low <= raw <= high:
            raise _fail("cmi.core.score.raw", str(_("the score is outside its range.")))
        scaled = round((raw - low) / (high - low), 4)
    # RTE 3.4.4 (cmi.core.lesson_status): a SCO that says only "completed" and set a raw
    # score is passed or failed by the manifest's mastery score.
    if status == "completed" and mastery is not None and raw is not None:
        success = "passed" if raw >= mastery else "failed"
    suspend = cmi.get("suspend_data", core.get("suspend_data", ""))
    return RuntimeSummary(
        version="1.2",
        completion=completion,
        success=success,
        score_scaled=scaled,
        score_raw=raw,
        total_seconds=_seconds(core, "total_time", "cmi.core.total_time", "1.2"),
        session_seconds=_seconds(core, "session_time", "cmi.core.session_time", "1.2"),
        location=_string(
            core, "lesson_location", "cmi.core.lesson_location", limit=limits["location"]
        ),
        suspend_data=_string(
            {"suspend_data": suspend},
            "suspend_data",
            "cmi.suspend_data",
            limit=limits["suspend_data"],
        ),
        exit=_choice(core, "exit", "cmi.core.exit", EXIT_12),
    )


def _summarise_2004(
    cmi: dict[str, Any], *, threshold: float | None, passing: float | None
) -> RuntimeSummary:
    limits = LIMITS["2004"]
    completion = _choice(cmi, "completion_status", "cmi.completion_status", COMPLETION_2004)
    success = _choice(cmi, "success_status", "cmi.success_status", SUCCESS_2004)
    score = _object(cmi.get("score"), "cmi.score")
    scaled = _number(score, "scaled", "cmi.score.scaled", low=-1, high=1)
    raw = _number(score, "raw", "cmi.score.raw")
    progress = _number(cmi, "progress_measure", "cmi.progress_measure", low=0, high=1)
    # RTE 4.2.4.1 and 4.2.22: with a threshold (passing score) and a measure (score), the
    # LMS decides completion (success) from them, whatever the SCO set.
    if threshold is not None and progress is not None:
        completion = "completed" if progress >= threshold else "incomplete"
    if passing is not None and scaled is not None:
        success = "passed" if scaled >= passing else "failed"
    return RuntimeSummary(
        version="2004",
        completion=completion or "unknown",
        success=success or "unknown",
        score_scaled=scaled,
        score_raw=raw,
        total_seconds=_seconds(cmi, "total_time", "cmi.total_time", "2004"),
        session_seconds=_seconds(cmi, "session_time", "cmi.session_time", "2004"),
        location=_string(cmi, "location", "cmi.location", limit=limits["location"]),
        suspend_data=_string(cmi, "suspend_data", "cmi.suspend_data", limit=limits["suspend_data"]),
        exit=_choice(cmi, "exit", "cmi.exit", EXIT_2004),
    )


def _timespan_12(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{min(hours, 9999):02d}:{rest // 60:02d}:{rest % 60:02d}"


def initial_cmi(
    version: str,
    *,
    learner_id: str,
    learner_name: str,
    resume: RuntimeSummary | None,
    mastery_score: Decimal | None = None,
    completion_threshold: Decimal | None = None,
    scaled_passing_score: Decimal | None = None,
) -> dict[str, Any]:
    """The CMI data scorm-again loads before the SCO starts (`loadFromJSON`)."""
    resuming = resume is not None and bool(
        resume.exit == "suspend" or resume.suspend_data or resume.location
    )
    if version == "1.2":
        core: dict[str, Any] = {
            "student_id": learner_id[:255],
            "student_name": learner_name[:255],
            "credit": "credit",
            "lesson_mode": "normal",
            "entry": "resume" if resuming else "ab-initio",
        }
        data: dict[str, Any] = {"core": core}
        if mastery_score is not None:
            data["student_data"] = {"mastery_score": str(mastery_score.normalize())}
        if resume is not None:
            core["total_time"] = _timespan_12(resume.total_seconds)
            core["lesson_location"] = resume.location
            status = resume.success if resume.success != "unknown" else resume.completion
            if status in STATUS_12 and status != "not attempted":
                core["lesson_status"] = status
            data["suspend_data"] = resume.suspend_data
        return data
    data = {
        "learner_id": learner_id[:4000],
        "learner_name": learner_name[:250],
        "credit": "credit",
        "mode": "normal",
        "entry": "resume" if resuming else "ab-initio",
    }
    if completion_threshold is not None:
        data["completion_threshold"] = str(completion_threshold.normalize())
    if scaled_passing_score is not None:
        data["scaled_passing_score"] = str(scaled_passing_score.normalize())
    if resume is not None:
        data["total_time"] = f"PT{max(resume.total_seconds, 0)}S"
        data["location"] = resume.location
        data["suspend_data"] = resume.suspend_data
        if resume.completion in COMPLETION_2004:
            data["completion_status"] = resume.completion
        if resume.success in SUCCESS_2004:
            data["success_status"] = resume.success
    return data
