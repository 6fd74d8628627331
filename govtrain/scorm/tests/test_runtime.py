"""What the platform reads from a SCO's runtime data, and the nonsense it refuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from govtrain.scorm.runtime import (
    RuntimeDataError,
    RuntimeSummary,
    initial_cmi,
    summarise,
)


def cmi_12(**core: Any) -> dict[str, Any]:
    return {"suspend_data": core.pop("suspend_data", ""), "core": core}


def test_a_passed_scorm_12_lesson_is_completed_and_passed_with_its_score_scaled() -> None:
    summary = summarise(
        "1.2",
        cmi_12(
            lesson_status="passed",
            score={"raw": "80", "min": "0", "max": "100"},
            total_time="0001:02:03.5",
            session_time="00:10:00",
            lesson_location="page-2",
            suspend_data='{"page":2}',
            exit="suspend",
        ),
    )

    assert summary == RuntimeSummary(
        version="1.2",
        completion="completed",
        success="passed",
        score_scaled=0.8,
        score_raw=80.0,
        total_seconds=3723,
        session_seconds=600,
        location="page-2",
        suspend_data='{"page":2}',
        exit="suspend",
    )


@pytest.mark.parametrize(
    ("status", "completion", "success"),
    [
        ("completed", "completed", "unknown"),
        ("failed", "completed", "failed"),
        ("incomplete", "incomplete", "unknown"),
        ("browsed", "incomplete", "unknown"),
        ("not attempted", "not attempted", "unknown"),
        ("", "unknown", "unknown"),
    ],
)
def test_scorm_12_lesson_status_answers_both_questions(
    status: str, completion: str, success: str
) -> None:
    summary = summarise("1.2", cmi_12(lesson_status=status))

    assert (summary.completion, summary.success) == (completion, success)


def test_a_scorm_12_score_without_a_range_is_out_of_100_and_a_custom_range_is_used() -> None:
    assert summarise("1.2", cmi_12(score={"raw": 45})).score_scaled == 0.45
    assert summarise("1.2", cmi_12(score={"raw": "3", "min": "0", "max": "4"})).score_scaled == 0.75


def test_scorm_2004_data_is_summarised_and_the_lms_decides_by_threshold_and_passing_score() -> None:
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "progress_measure": "0.5",
        "score": {"scaled": "0.6", "raw": "2", "min": "0", "max": "3"},
        "total_time": "P1DT2H3M4.5S",
        "session_time": "PT1M",
        "location": "page-2",
        "suspend_data": "x" * 64000,
        "exit": "normal",
    }

    summary = summarise(
        "2004", cmi, completion_threshold=Decimal("1"), scaled_passing_score=Decimal("0.67")
    )

    # Progress 0.5 is below the threshold: not complete, whatever the SCO said (RTE 4.2.4.1).
    assert summary.completion == "incomplete"
    # 0.6 is below the passing score 0.67: failed, though the SCO said passed (RTE 4.2.22).
    assert summary.success == "failed"
    assert summary.score_scaled == pytest.approx(0.6)
    assert summary.score_raw == 2
    assert summary.total_seconds == 26 * 3600 + 3 * 60 + 4
    assert summary.session_seconds == 60
    assert (summary.location, summary.exit) == ("page-2", "normal")


def test_scorm_2004_pass_marks_sent_by_the_browser_are_ignored_for_the_manifests() -> None:
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "progress_measure": "0.5",
        "score": {"scaled": "0.6"},
        # What a learner's browser may claim: a threshold and a pass mark anyone meets.
        "completion_threshold": "0.1",
        "scaled_passing_score": "-1",
    }

    by_manifest = summarise(
        "2004", cmi, completion_threshold=Decimal("1.0"), scaled_passing_score=Decimal("0.66")
    )
    without_manifest = summarise("2004", cmi)

    assert (by_manifest.completion, by_manifest.success) == ("incomplete", "failed")
    # No pass marks in the manifest: the statuses the SCO set stand.
    assert (without_manifest.completion, without_manifest.success) == ("completed", "passed")


@pytest.mark.parametrize(
    ("status", "raw", "success"),
    [
        ("completed", "70", "passed"),
        ("completed", "60", "failed"),
        ("completed", "", "unknown"),
        ("passed", "60", "passed"),
        ("incomplete", "60", "unknown"),
    ],
)
def test_a_scorm_12_lesson_only_completed_is_passed_or_failed_by_the_mastery_score(
    status: str, raw: str, success: str
) -> None:
    summary = summarise(
        "1.2", cmi_12(lesson_status=status, score={"raw": raw}), mastery_score=Decimal("66")
    )

    # RTE 3.4.4: the manifest's mastery score decides once the SCO says "completed" with a
    # raw score; a SCO that said passed or failed itself keeps its word.
    assert summary.success == success


def test_an_empty_record_is_not_attempted_and_unknown() -> None:
    summary = summarise("2004", {})

    assert (summary.completion, summary.success, summary.score_scaled) == (
        "unknown",
        "unknown",
        None,
    )
    assert summary.total_seconds == 0


NONSENSE: list[tuple[str, Any, str]] = [
    ("1.2", ["not", "an", "object"], "cmi: expected an object"),
    ("1.2", {"core": "text"}, "cmi.core: expected an object"),
    ("1.2", cmi_12(lesson_status="done"), "cmi.core.lesson_status: “done” is not one of"),
    ("1.2", cmi_12(exit="quit"), "cmi.core.exit"),
    ("1.2", cmi_12(score={"raw": "lots"}), "cmi.core.score.raw: “lots” is not a number"),
    ("1.2", cmi_12(score={"raw": "120"}), "outside its range"),
    ("1.2", cmi_12(score={"raw": "1", "min": "5", "max": "5"}), "maximum is not above"),
    ("1.2", cmi_12(score={"raw": True}), "expected a number"),
    ("1.2", cmi_12(total_time="PT5M"), "cmi.core.total_time: “PT5M” is not a time span"),
    ("1.2", cmi_12(total_time="00:61:00"), "not a time span"),
    ("1.2", cmi_12(lesson_location="x" * 256), "longer than the 255 characters"),
    ("1.2", cmi_12(suspend_data="x" * 4097), "cmi.suspend_data: longer than the 4096"),
    ("1.2", cmi_12(lesson_location={"a": 1}), "expected a string"),
    ("2004", {"completion_status": "passed"}, "cmi.completion_status"),
    ("2004", {"success_status": "completed"}, "cmi.success_status"),
    ("2004", {"score": {"scaled": "1.5"}}, "cmi.score.scaled: 1.5 is outside -1 to 1"),
    ("2004", {"score": {"scaled": "NaN"}}, "is not a number"),
    ("2004", {"progress_measure": "-0.1"}, "cmi.progress_measure"),
    ("2004", {"total_time": "01:00:00"}, "cmi.total_time: “01:00:00” is not a duration"),
    ("2004", {"total_time": "PT"}, "not a duration"),
    ("2004", {"total_time": "P99999Y"}, "longer than any course"),
    ("2004", {"location": "x" * 1001}, "longer than the 1000"),
    ("2004", {"suspend_data": "x" * 64001}, "longer than the 64000"),
    ("2004", {"exit": "gone"}, "cmi.exit"),
    ("3", {}, "Unknown SCORM version"),
]


@pytest.mark.parametrize(("version", "cmi", "message"), NONSENSE)
def test_nonsense_is_refused_with_a_message_naming_the_element(
    version: str, cmi: Any, message: str
) -> None:
    with pytest.raises(RuntimeDataError) as caught:
        summarise(version, cmi)

    assert message in caught.value.messages[0]


def test_a_summary_survives_a_round_trip_through_json_fields() -> None:
    summary = summarise("1.2", cmi_12(lesson_status="incomplete", lesson_location="p1"))

    assert RuntimeSummary.from_dict(summary.as_dict()) == summary


def test_initial_data_for_a_first_scorm_12_launch_and_for_a_resume() -> None:
    first = initial_cmi(
        "1.2",
        learner_id="8100001",
        learner_name="Asha",
        resume=None,
        mastery_score=Decimal("67.00"),
    )
    resume = RuntimeSummary(
        version="1.2",
        completion="incomplete",
        success="unknown",
        score_scaled=None,
        score_raw=None,
        total_seconds=3725,
        session_seconds=0,
        location="page-2",
        suspend_data="{}",
        exit="suspend",
    )
    again = initial_cmi("1.2", learner_id="8100001", learner_name="Asha", resume=resume)

    assert first["core"]["entry"] == "ab-initio"
    assert first["student_data"] == {"mastery_score": "67"}
    assert "lesson_location" not in first["core"]
    assert again["core"]["entry"] == "resume"
    assert again["core"]["lesson_location"] == "page-2"
    assert again["core"]["lesson_status"] == "incomplete"
    assert again["core"]["total_time"] == "01:02:05"
    assert again["suspend_data"] == "{}"


def test_initial_data_for_scorm_2004_carries_the_manifest_thresholds() -> None:
    data = initial_cmi(
        "2004",
        learner_id="8100001",
        learner_name="Asha",
        resume=None,
        completion_threshold=Decimal("1.0000"),
        scaled_passing_score=Decimal("0.6700"),
    )

    assert data["entry"] == "ab-initio"
    assert data["completion_threshold"] == "1"
    assert data["scaled_passing_score"] == "0.67"


def test_a_summary_stored_without_some_fields_still_rebuilds() -> None:
    summary = RuntimeSummary.from_dict({"version": "1.2", "location": "p3", "unknown": 1})

    assert summary.location == "p3"
    assert (summary.completion, summary.total_seconds, summary.score_scaled) == ("unknown", 0, None)
