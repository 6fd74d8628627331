"""Online courses: modules and lessons, each learner's progress, the time the server
measured, SCORM attempts, and the flags raised on implausible completions (issue #4)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class _BilingualTitle(models.Model):
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ml = models.CharField(_("title (Malayalam)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "ml" and self.title_ml:
            return self.title_ml
        return self.title_en


class Module(_BilingualTitle, TimeStampedModel):
    """A part of an online or blended course: an ordered list of lessons."""

    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="modules")
    # Positions are kept 1..n by the services; no unique constraint, because swapping two
    # would need a deferrable constraint that SQLite does not have.
    position = models.PositiveIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["course_id", "position", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        indexes = [models.Index(fields=["course", "position"], name="module_course_position")]


# Lesson files are stored under a random name with the extension of what the content was
# found to be (services/content.py), never the author's name, in folders that no URL
# serves: only learning.views.learner reads them, with the checked type (as
# external.models.evidence_upload_to does for certificates).
def _random_name(folder: str, extension: str) -> str:
    return f"learning/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def lesson_video_upload_to(instance: Lesson, filename: str) -> str:
    return _random_name("video", VIDEO_EXTENSIONS[Lesson.VideoType(instance.video_type)])


def lesson_document_upload_to(instance: Lesson, filename: str) -> str:
    return _random_name("documents", "pdf")


def caption_upload_to(instance: CaptionTrack, filename: str) -> str:
    return _random_name("captions", "vtt")


class Lesson(_BilingualTitle, TimeStampedModel):
    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        SCORM = "scorm", _("SCORM package")
        LINK = "link", _("External link")
        QUIZ = "quiz", _("Quiz")

    class VideoType(models.TextChoices):
        MP4 = "video/mp4", "MP4"
        WEBM = "video/webm", "WebM"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_required = models.BooleanField(_("required"), default=True)
    # The author's floor: the server must have measured this much time on the lesson
    # before it can be marked done (completions feed appraisals).
    min_seconds = models.PositiveIntegerField(_("minimum time (seconds)"), default=0)
    # Video: the share of the video's length actually watched, from merged ranges.
    min_watched_percent = models.PositiveSmallIntegerField(
        _("minimum share watched (%)"), default=0
    )
    # Page: what the author wrote (Markdown, HTML allowed) and its sanitised rendering.
    body_source = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    video_file = models.FileField(
        _("video file"), upload_to=lesson_video_upload_to, max_length=200, blank=True
    )
    # What the video file's content was found to be (never what the upload claimed); the
    # file is served with this type only.
    video_type = models.CharField(
        _("video type"), max_length=20, choices=VideoType.choices, blank=True
    )
    video_url = models.URLField(_("video address"), blank=True)
    # The author's figure, not the player's: the page's report of a length is untrusted.
    video_seconds = models.PositiveIntegerField(_("video length (seconds)"), null=True, blank=True)
    document = models.FileField(
        _("document (PDF)"), upload_to=lesson_document_upload_to, max_length=200, blank=True
    )
    link_url = models.URLField(_("link"), blank=True)
    package = models.ForeignKey(
        "scorm.Package",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("SCORM package"),
    )
    # Quiz: one of the course's quizzes (docs/assessments.md); done when it is passed.
    quiz = models.ForeignKey(
        "assessments.Quiz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("quiz"),
    )

    class Meta:
        ordering = ["module_id", "position", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["module", "position"], name="lesson_module_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_watched_percent__lte=100), name="lesson_watched_share_le_100"
            ),
        ]


class CaptionTrack(TimeStampedModel):
    """A WebVTT caption file of a video lesson in one language."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(_("captions (WebVTT)"), upload_to=caption_upload_to, max_length=200)

    class Meta:
        ordering = ["lesson_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "language"], name="one_caption_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} {self.language}"


VIDEO_EXTENSIONS = {
    Lesson.VideoType.MP4: "mp4",
    Lesson.VideoType.WEBM: "webm",
}


class LessonProgress(TimeStampedModel):
    """One learner's progress in one lesson of an enrolment, as the server measured it."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    enrolment = models.ForeignKey(
        "records.Enrolment", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTED
    )
    first_opened_at = models.DateTimeField(_("first opened"))
    last_opened_at = models.DateTimeField(_("last opened"))
    seconds_spent = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Merged [start, end] ranges of the video, in seconds of the video.
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.PositiveIntegerField(default=0)
    ranges_reported_at = models.DateTimeField(null=True, blank=True)
    # The heartbeat seconds (of seconds_spent) that watched reports have drawn on: new video
    # is accepted only against time credited since. It may run ahead of seconds_spent by
    # the small slack a report is allowed, repaid by the heartbeats that follow.
    video_credit_used = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    score_scaled = models.DecimalField(
        _("score"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["enrolment_id", "lesson_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="lesson_completion_has_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["enrolment", "-last_opened_at"], name="progress_last_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_id} {self.status}"


class LearnerClock(TimeStampedModel):
    """Up to when an employee's learning time has been credited, across all their tabs and
    courses: a heartbeat is credited only for time after this, so two tabs open at once
    cannot earn more than the clock."""

    employee = models.OneToOneField(
        "people.Employee", on_delete=models.CASCADE, related_name="learning_clock"
    )
    credited_until = models.DateTimeField()
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.employee_id} {self.credited_until.isoformat()}"


class ScormAttempt(TimeStampedModel):
    """The runtime data of one enrolment's attempt at a SCORM lesson."""

    enrolment = models.ForeignKey(
        "records.Enrolment", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="scorm_attempts")
    number = models.PositiveIntegerField(default=1)
    cmi = models.JSONField(_("runtime data"), default=dict, blank=True)
    suspend_data = models.TextField(blank=True)
    location = models.CharField(max_length=1000, blank=True)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    commits = models.PositiveIntegerField(default=0)
    # The latest page playing the package (services.scorm.scorm_attempt_launch): only its
    # commits are stored. "" before the lesson page is first opened.
    launch = models.CharField(max_length=64, blank=True)
    # That page numbers its commits from 1; an older one arriving late is ignored.
    last_sequence = models.PositiveIntegerField(default=0)
    # scorm.runtime.RuntimeSummary.as_dict() of the last commit, to resume from.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["enrolment_id", "lesson_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "number"], name="one_scorm_attempt_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_id} #{self.number}"


class PlausibilityFlag(TimeStampedModel):
    """A completion the server refused as implausible, for the course's coordinator."""

    class Reason(models.TextChoices):
        TOO_FAST = "too_fast", _("Finished faster than the required time")
        OVERLAP = "overlap", _("Time reported from two lessons at once")
        VIDEO = "video", _("More video reported than time passed")

    enrolment = models.ForeignKey(
        "records.Enrolment", on_delete=models.CASCADE, related_name="learning_flags"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True)
    module = models.ForeignKey(Module, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["enrolment", "reason"], name="flag_enrolment_reason")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.reason}"
