"""Forms for online learning pages: parsing and messages only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govtrain.learning.models import Lesson
from govtrain.learning.services.authoring import LessonInput


class ModuleForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ml = forms.CharField(label=_("Title (Malayalam)"), max_length=200, required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class LessonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Lesson.Kind.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ml = forms.CharField(label=_("Title (Malayalam)"), max_length=200, required=False)
    is_required = forms.BooleanField(
        label=_("Required for completion"), required=False, initial=True
    )
    min_seconds = forms.IntegerField(
        label=_("Minimum time (seconds)"),
        min_value=0,
        initial=0,
        help_text=_("The lesson cannot be marked done before the learner has spent this long."),
    )
    body_source = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("For a page: Markdown; simple HTML is allowed and cleaned."),
    )
    video_file = forms.FileField(
        label=_("Video file (MP4 or WebM)"), required=False, widget=forms.ClearableFileInput
    )
    video_url = forms.URLField(
        label=_("Or the video's address"), required=False, assume_scheme="https"
    )
    video_seconds = forms.IntegerField(
        label=_("Video length (seconds)"), min_value=1, required=False
    )
    min_watched_percent = forms.IntegerField(
        label=_("Minimum share watched (%)"), min_value=0, max_value=100, initial=0
    )
    document = forms.FileField(label=_("Document (PDF)"), required=False)
    link_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    package = forms.IntegerField(
        label=_("SCORM package"),
        required=False,
        widget=forms.Select,
        help_text=_("A package uploaded on the SCORM packages page."),
    )

    quiz = forms.IntegerField(
        label=_("Quiz"),
        required=False,
        widget=forms.Select,
        help_text=_("One of this course's quizzes; the lesson is done when it is passed."),
    )

    def __init__(
        self,
        *args: Any,
        packages: list[tuple[int, str]] | None = None,
        quizzes: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["package"].widget.choices = [("", "—"), *(packages or [])]
        self.fields["quiz"].widget.choices = [("", "—"), *(quizzes or [])]

    @classmethod
    def initial_of(cls, lesson: Lesson) -> dict[str, Any]:
        return {
            "kind": lesson.kind,
            "title_en": lesson.title_en,
            "title_ml": lesson.title_ml,
            "is_required": lesson.is_required,
            "min_seconds": lesson.min_seconds,
            "body_source": lesson.body_source,
            "video_url": lesson.video_url,
            "video_seconds": lesson.video_seconds,
            "min_watched_percent": lesson.min_watched_percent,
            "link_url": lesson.link_url,
            "package": lesson.package_id,
            "quiz": lesson.quiz_id,
        }

    def lesson_input(self) -> LessonInput:
        data = self.cleaned_data
        return LessonInput(
            kind=data["kind"],
            title_en=data["title_en"],
            title_ml=data.get("title_ml") or "",
            is_required=bool(data.get("is_required")),
            min_seconds=data.get("min_seconds") or 0,
            min_watched_percent=data.get("min_watched_percent") or 0,
            body_source=data.get("body_source") or "",
            video_url=data.get("video_url") or "",
            video_seconds=data.get("video_seconds"),
            link_url=data.get("link_url") or "",
            package_id=data.get("package"),
            quiz_id=data.get("quiz"),
            video_file=data.get("video_file") or None,
            document=data.get("document") or None,
        )


class CaptionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("Captions (WebVTT)"))


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
