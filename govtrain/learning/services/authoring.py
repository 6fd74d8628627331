"""Building an online course: its modules and lessons, their order, files and captions.

Coordinators of the course's provider and state administrators author
(Perm.CATALOG_MANAGE over the provider). Every rule is checked before anything is
written, and every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.assessments.selectors import quiz_of_course
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Course
from govtrain.learning.models import CaptionTrack, Lesson, LessonProgress, Module
from govtrain.learning.services.content import (
    check_pdf,
    check_video,
    check_webvtt,
    render_markdown,
)
from govtrain.scorm.models import Package

AUTHORED_MODALITIES = (Course.Modality.ONLINE, Course.Modality.BLENDED)
Direction = Literal["up", "down"]


def may_author(*, user: User, course: Course) -> bool:
    """May the user build this course's modules and lessons?"""
    return access_for(user).covers_provider(Perm.CATALOG_MANAGE, course.provider_id)


def _require_author(user: User, course: Course) -> None:
    if not may_author(user=user, course=course):
        raise PermissionDenied
    if course.modality not in AUTHORED_MODALITIES:
        raise ValidationError(_("Only online and blended courses have modules and lessons."))


def _titles(title_en: str, title_ml: str) -> tuple[str, str]:
    title_en, title_ml = title_en.strip(), title_ml.strip()
    if not title_en:
        raise ValidationError({"title_en": _("Give a title in English.")})
    return title_en, title_ml


@transaction.atomic
def module_create(*, course: Course, title_en: str, title_ml: str = "", by: User) -> Module:
    """Add a module at the end of the course."""
    _require_author(by, course)
    title_en, title_ml = _titles(title_en, title_ml)
    last = Module.objects.filter(course=course).aggregate(m=Max("position"))["m"] or 0
    module = Module.objects.create(
        course=course, title_en=title_en, title_ml=title_ml, position=last + 1
    )
    audit_record(
        actor=by,
        action="learning.module_created",
        target=module,
        after={"title_en": title_en, "position": module.position},
    )
    return module


@transaction.atomic
def module_update(*, module: Module, title_en: str, title_ml: str = "", by: User) -> Module:
    _require_author(by, module.course)
    title_en, title_ml = _titles(title_en, title_ml)
    before = {"title_en": module.title_en, "title_ml": module.title_ml}
    module.title_en, module.title_ml = title_en, title_ml
    module.save(update_fields=["title_en", "title_ml", "updated_at"])
    after = {"title_en": title_en, "title_ml": title_ml}
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit_record(
            actor=by,
            action="learning.module_changed",
            target=module,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return module


def _renumber(items: Sequence[Module | Lesson]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])


def _move(items: list[Module | Lesson], pk: int, direction: Direction) -> bool:
    index = next(i for i, item in enumerate(items) if item.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    return True


@transaction.atomic
def module_move(*, module: Module, direction: Direction, by: User) -> Module:
    """Move a module one place up or down; at either end nothing changes."""
    _require_author(by, module.course)
    # Lock the course's modules: two authors reordering at once would interleave positions.
    modules: list[Module | Lesson] = list(
        Module.objects.select_for_update().filter(course_id=module.course_id)
    )
    if _move(modules, module.pk, direction):
        audit_record(
            actor=by,
            action="learning.module_moved",
            target=module,
            after={"direction": direction},
        )
    module.refresh_from_db()
    return module


@transaction.atomic
def module_delete(*, module: Module, by: User) -> None:
    """Remove a module no learner has started (progress is evidence, never deleted); its
    lessons' files are deleted after commit."""
    _require_author(by, module.course)
    if LessonProgress.objects.filter(lesson__module=module).exists():
        raise ValidationError(_("Learners have started this module; it cannot be removed."))
    audit_record(
        actor=by,
        action="learning.module_deleted",
        target=module,
        before={"title_en": module.title_en},
    )
    course_id = module.course_id
    files = _files_of(module.lessons.prefetch_related("captions"))
    module.delete()
    _renumber(list(Module.objects.filter(course_id=course_id)))
    _delete_after_commit(files)


@dataclass
class LessonInput:
    """What an author gives for a lesson; files are new uploads (None keeps the stored one)."""

    kind: str
    title_en: str
    title_ml: str = ""
    is_required: bool = True
    min_seconds: int = 0
    min_watched_percent: int = 0
    body_source: str = ""
    video_url: str = ""
    video_seconds: int | None = None
    link_url: str = ""
    package_id: int | None = None
    quiz_id: int | None = None
    video_file: File[bytes] | None = None
    document: File[bytes] | None = None


def _check_lesson(
    data: LessonInput, lesson: Lesson | None, course: Course
) -> tuple[dict[str, list[str]], str]:
    """The errors of the author's input, by field, and the type of a new video file."""
    errors: dict[str, list[str]] = {}
    video_type = ""

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in Lesson.Kind.values:
        fail("kind", _("Choose the kind of lesson."))
    if not data.title_en.strip():
        fail("title_en", _("Give a title in English."))
    if data.min_seconds < 0:
        fail("min_seconds", _("The minimum time cannot be negative."))
    if not 0 <= data.min_watched_percent <= 100:
        fail("min_watched_percent", _("The share watched is a percentage from 0 to 100."))
    # A file is stored only on the kind of lesson that shows it, and only after its content
    # is checked: a file on another kind would be checked by nothing.
    if data.video_file is not None and data.kind != Lesson.Kind.VIDEO:
        fail(
            "video_file",
            _("Only a video lesson takes a video file: choose the kind Video or leave it out."),
        )
    if data.document is not None and data.kind != Lesson.Kind.DOCUMENT:
        fail(
            "document",
            _("Only a document lesson takes a document: choose the kind Document or leave it out."),
        )
    if data.kind == Lesson.Kind.PAGE and not data.body_source.strip():
        fail("body_source", _("A page needs its text."))
    if data.kind == Lesson.Kind.VIDEO:
        has_file = data.video_file is not None or bool(lesson and lesson.video_file)
        if not has_file and not data.video_url:
            fail("video_file", _("Upload the video or give its address."))
        if data.video_file is not None:
            try:
                video_type = check_video(data.video_file)
            except ValidationError as error:
                errors.setdefault("video_file", []).extend(error.messages)
        if data.min_watched_percent and not data.video_seconds:
            fail("video_seconds", _("Give the video's length to require a share watched."))
    if data.kind == Lesson.Kind.DOCUMENT:
        if data.document is None and not (lesson and lesson.document):
            fail("document", _("Upload the document (PDF)."))
        if data.document is not None:
            try:
                check_pdf(data.document)
            except ValidationError as error:
                errors.setdefault("document", []).extend(error.messages)
    if data.kind == Lesson.Kind.LINK and not data.link_url:
        fail("link_url", _("Give the link's address."))
    if data.kind == Lesson.Kind.QUIZ:
        if not data.quiz_id:
            fail("quiz_id", _("Choose the quiz."))
        elif quiz_of_course(course_id=course.pk, pk=data.quiz_id) is None:
            fail("quiz_id", _("Choose a quiz of this course."))
        if data.min_seconds:
            # The lesson's page only leads to the quiz: passing it is what counts.
            fail("min_seconds", _("A quiz lesson has no minimum time: passing the quiz counts."))
    if data.kind == Lesson.Kind.SCORM:
        if not data.package_id:
            fail("package_id", _("Choose the SCORM package."))
        elif not packages_for(course=course).filter(pk=data.package_id).exists():
            fail("package_id", _("Choose a SCORM package of this course's institute."))
    return errors, video_type


def packages_for(*, course: Course) -> QuerySet[Package]:
    """The SCORM packages a lesson of the course may play: its institute's and the
    state-wide ones."""
    return Package.objects.filter(
        Q(provider_id=course.provider_id) | Q(provider__isnull=True)
    ).order_by("title")


_AUDITED = (
    "kind",
    "video_type",
    "title_en",
    "title_ml",
    "is_required",
    "min_seconds",
    "min_watched_percent",
    "video_url",
    "video_seconds",
    "link_url",
    "package_id",
    "quiz_id",
)


def _snapshot(lesson: Lesson) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(lesson, name) for name in _AUDITED}
    values["body_source"] = len(lesson.body_source)  # length only: the audit is no archive
    values["video_file"] = lesson.video_file.name or ""
    values["document"] = lesson.document.name or ""
    return values


StoredFile = tuple[Storage, str]


def _stored(field: FieldFile) -> StoredFile:
    return field.storage, field.name or ""


def _delete_after_commit(files: Iterable[StoredFile]) -> None:
    """Delete stored files once the transaction that stopped using them has committed (a
    rollback leaves them in place, still referenced)."""
    for storage, name in set(files):
        if name:
            transaction.on_commit(partial(storage.delete, name))


def _files_of(lessons: Iterable[Lesson]) -> list[StoredFile]:
    """The stored files of lessons and of their captions."""
    files: list[StoredFile] = []
    for lesson in lessons:
        files.extend(_stored(f) for f in (lesson.video_file, lesson.document) if f)
        files.extend(_stored(track.file) for track in lesson.captions.all() if track.file)
    return files


@transaction.atomic
def lesson_save(
    *, module: Module, data: LessonInput, by: User, lesson: Lesson | None = None
) -> Lesson:
    """Create a lesson at the end of the module, or change `lesson`. Uploads are checked by
    content and size, and a file is refused on a kind of lesson that does not show it; on
    any error nothing is written. A file replaced, or no longer shown because the kind
    changed, is deleted after commit (captions too, when a video becomes something else)."""
    _require_author(by, module.course)
    if lesson is not None and lesson.module_id != module.pk:
        raise ValidationError(_("The lesson is not in this module."))
    errors, video_type = _check_lesson(data, lesson, module.course)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(lesson) if lesson is not None else None
    if lesson is None:
        last = Lesson.objects.filter(module=module).aggregate(m=Max("position"))["m"] or 0
        lesson = Lesson(module=module, position=last + 1)
    lesson.kind = data.kind
    lesson.title_en, lesson.title_ml = data.title_en.strip(), data.title_ml.strip()
    lesson.is_required = data.is_required
    lesson.min_seconds = data.min_seconds
    lesson.min_watched_percent = data.min_watched_percent if data.kind == Lesson.Kind.VIDEO else 0
    lesson.body_source = data.body_source if data.kind == Lesson.Kind.PAGE else ""
    lesson.body_html = render_markdown(lesson.body_source) if lesson.body_source else ""
    lesson.video_url = data.video_url if data.kind == Lesson.Kind.VIDEO else ""
    lesson.video_seconds = data.video_seconds if data.kind == Lesson.Kind.VIDEO else None
    lesson.link_url = data.link_url if data.kind == Lesson.Kind.LINK else ""
    lesson.package_id = data.package_id if data.kind == Lesson.Kind.SCORM else None
    lesson.quiz_id = data.quiz_id if data.kind == Lesson.Kind.QUIZ else None
    # Files the lesson stops using: replaced, or of a kind it no longer is.
    unused: list[StoredFile] = []
    if lesson.video_file and (data.kind != Lesson.Kind.VIDEO or data.video_file is not None):
        unused.append(_stored(lesson.video_file))
        lesson.video_file.name, lesson.video_type = "", ""
    if lesson.document and (data.kind != Lesson.Kind.DOCUMENT or data.document is not None):
        unused.append(_stored(lesson.document))
        lesson.document.name = ""
    stored: list[StoredFile] = []
    try:
        if data.video_file is not None:
            lesson.video_type = video_type  # the stored name's extension comes from it
            lesson.video_file.save("video", data.video_file, save=False)
            stored.append(_stored(lesson.video_file))
        if data.document is not None:
            lesson.document.save("document", data.document, save=False)
            stored.append(_stored(lesson.document))
        lesson.save()
        if before is not None and data.kind != Lesson.Kind.VIDEO:
            # Captions belong to a video; a lesson that is no longer one does not serve them.
            for track in lesson.captions.all():
                unused.append(_stored(track.file))
                track.delete()
        after = _snapshot(lesson)
        if before is None:
            audit_record(actor=by, action="learning.lesson_created", target=lesson, after=after)
        else:
            changed = [k for k in after if after[k] != before[k]]
            if changed:
                audit_record(
                    actor=by,
                    action="learning.lesson_changed",
                    target=lesson,
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
    except BaseException:
        # The transaction rolls back: the files stored for it must not outlive it.
        for storage, name in stored:
            storage.delete(name)
        raise
    _delete_after_commit(unused)
    return lesson


@transaction.atomic
def lesson_move(*, lesson: Lesson, direction: Direction, by: User) -> Lesson:
    """Move a lesson one place up or down within its module."""
    _require_author(by, lesson.module.course)
    lessons: list[Module | Lesson] = list(
        Lesson.objects.select_for_update().filter(module_id=lesson.module_id)
    )
    if _move(lessons, lesson.pk, direction):
        audit_record(
            actor=by, action="learning.lesson_moved", target=lesson, after={"direction": direction}
        )
    lesson.refresh_from_db()
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, by: User) -> None:
    """Remove a lesson no learner has started; its files are deleted after commit."""
    _require_author(by, lesson.module.course)
    if lesson.progress.exists():
        raise ValidationError(_("Learners have started this lesson; it cannot be removed."))
    audit_record(
        actor=by,
        action="learning.lesson_deleted",
        target=lesson,
        before={"title_en": lesson.title_en},
    )
    module_id = lesson.module_id
    files = _files_of([lesson])
    lesson.delete()
    _renumber(list(Lesson.objects.filter(module_id=module_id)))
    _delete_after_commit(files)


@transaction.atomic
def caption_add(*, lesson: Lesson, language: str, file: File[bytes], by: User) -> CaptionTrack:
    """Add or replace a video lesson's WebVTT captions in one language (checked by content,
    stored under a random name); a replaced file is deleted after commit."""
    _require_author(by, lesson.module.course)
    if lesson.kind != Lesson.Kind.VIDEO:
        raise ValidationError(_("Only a video lesson has captions."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language.")})
    check_webvtt(file)
    track = CaptionTrack.objects.select_for_update().filter(
        lesson=lesson, language=language
    ).first() or CaptionTrack(lesson=lesson, language=language)
    replaced = _stored(track.file)
    try:
        track.file.save(f"{language}.vtt", file, save=True)
        audit_record(
            actor=by,
            action="learning.captions_added",
            target=lesson,
            after={"language": language, "file": track.file.name},
        )
    except BaseException:
        # The transaction rolls back: the new file must not outlive it.
        if track.file.name and track.file.name != replaced[1]:
            track.file.storage.delete(track.file.name)
        raise
    _delete_after_commit([replaced])
    return track
