"""The online learning pages: the services' rules through the browser's requests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module, PlausibilityFlag
from govtrain.learning.services import progress as svc
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
# The user with their access, the course, the enrolment, modules, lessons, the
# learner's progress and the course's final exams.
QUERIES_COURSE_PAGE = 7


def login(client: Client, employee: Employee) -> Client:
    assert employee.user is not None
    client.force_login(employee.user)
    return client


def test_an_employee_cannot_open_the_authoring_pages(
    client: Client, learner_a: Employee, online_course: Course, basics: Module, page: Lesson
) -> None:
    login(client, learner_a)

    for url in (
        reverse("learning:outline-edit", args=[online_course.pk]),
        reverse("learning:lesson-edit", args=[page.pk]),
        reverse("learning:flag-list"),
    ):
        assert client.get(url).status_code == 404
    response = client.post(reverse("learning:module-move", args=[basics.pk]), {"direction": "up"})
    assert response.status_code == 404


def test_a_coordinator_of_another_provider_gets_404_and_nothing_changes(
    client: Client, other_coordinator: Employee, online_course: Course, basics: Module
) -> None:
    login(client, other_coordinator)

    assert client.get(reverse("learning:outline-edit", args=[online_course.pk])).status_code == 404
    response = client.post(
        reverse("learning:module-create", args=[online_course.pk]), {"title_en": "Mine"}
    )

    assert response.status_code == 404
    assert Module.objects.count() == 1


def test_the_coordinator_builds_the_outline_and_reorders_with_htmx(
    client: Client, coordinator: Employee, online_course: Course, basics: Module
) -> None:
    login(client, coordinator)

    response = client.post(
        reverse("learning:module-create", args=[online_course.pk]), {"title_en": "Filing"}
    )
    assert response.status_code == 302
    filing = Module.objects.get(title_en="Filing")
    response = client.post(
        reverse("learning:lesson-create", args=[filing.pk]),
        {
            "kind": "page",
            "title_en": "Notes",
            "is_required": "on",
            "min_seconds": "60",
            "min_watched_percent": "0",
            "body_source": "Write **notes**.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("learning:module-move", args=[filing.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert b'id="outline"' in response.content
    assert b"<html" not in response.content
    titles = Module.objects.filter(course=online_course).values_list("title_en", flat=True)
    assert list(titles) == ["Filing", "Basics"]
    assert (
        Lesson.objects.get(title_en="Notes").body_html == "<p>Write <strong>notes</strong>.</p>\n"
    )
    page = client.get(reverse("learning:outline-edit", args=[online_course.pk]))
    assert b"Move up" in page.content


def test_a_bad_lesson_form_shows_its_messages_and_writes_nothing(
    client: Client, coordinator: Employee, basics: Module
) -> None:
    login(client, coordinator)

    response = client.post(
        reverse("learning:lesson-create", args=[basics.pk]),
        {"kind": "video", "title_en": "Tour", "min_seconds": "0", "min_watched_percent": "80"},
    )

    assert response.status_code == 400
    assert "Upload the video or give its address." in response.content.decode()
    assert not Lesson.objects.exists()


def test_an_employee_enrols_opens_a_lesson_and_resumes_there(
    client: Client, learner_a: Employee, online_course: Course, page: Lesson, link: Lesson
) -> None:
    login(client, learner_a)

    response = client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    assert response.status_code == 302
    assert client.get(reverse("learning:lesson-detail", args=[link.pk])).status_code == 200
    course_page = client.get(reverse("learning:course-learn", args=[online_course.pk]))

    assert Enrolment.objects.get(employee=learner_a).status == Enrolment.Status.ENROLLED
    assert course_page.context["state"].resume == link
    assert "Resume" in course_page.content.decode()


def test_a_lesson_is_404_for_an_employee_not_enrolled(
    client: Client, learner_b: Employee, page: Lesson
) -> None:
    login(client, learner_b)

    assert client.get(reverse("learning:lesson-detail", args=[page.pk])).status_code == 404
    response = client.post(reverse("learning:lesson-heartbeat", args=[page.pk]))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_heartbeats_count_time_and_the_lesson_completes_when_it_is_enough(
    client: Client, learner_a: Employee, online_course: Course, page: Lesson
) -> None:
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    url = reverse("learning:lesson-heartbeat", args=[page.pk])
    with time_machine.travel(T0, tick=False) as clock:
        client.get(reverse("learning:lesson-detail", args=[page.pk]))
        clock.shift(15)
        first = client.post(url).json()
        refused = client.post(reverse("learning:lesson-complete", args=[page.pk]), follow=True)
        for _ in range(7):
            clock.shift(15)
            client.post(url)
        done = client.post(reverse("learning:lesson-complete", args=[page.pk]))

    assert first["credited"] == 15
    assert "Spend at least 2 min on this lesson; 15 s so far." in refused.content.decode()
    assert done.status_code == 302
    assert LessonProgress.objects.get().status == LessonProgress.Status.COMPLETED


def test_a_video_skipped_through_is_refused(
    client: Client, learner_a: Employee, online_course: Course, video: Lesson
) -> None:
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    with time_machine.travel(T0, tick=False) as clock:
        client.get(reverse("learning:lesson-detail", args=[video.pk]))
        clock.shift(10)
        client.post(reverse("learning:lesson-heartbeat", args=[video.pk]))
        reported = client.post(
            reverse("learning:lesson-watched", args=[video.pk]),
            json.dumps({"ranges": [[0, 300]]}),
            content_type="application/json",
        ).json()
        refused = client.post(reverse("learning:lesson-complete", args=[video.pk]), follow=True)

    # 25 of 300 seconds: the 10 s the heartbeat credited, at double speed, and 5 s of slack.
    assert reported["watched_percent"] == 8
    assert "Watch at least 80% of the video; 8% so far." in refused.content.decode()
    assert PlausibilityFlag.objects.get().reason == PlausibilityFlag.Reason.VIDEO


def test_the_coordinator_sees_and_resolves_flags_of_their_courses_only(
    client: Client,
    coordinator: Employee,
    other_coordinator: Employee,
    learner_a: Employee,
    online_course: Course,
    video: Lesson,
) -> None:
    assert learner_a.user is not None
    enrolment = svc.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=T0)
    svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=T0)
    flag = PlausibilityFlag.objects.get()

    theirs = login(Client(), other_coordinator).get(reverse("learning:flag-list"))
    assert list(theirs.context["flags"]) == []
    other = login(Client(), other_coordinator).post(
        reverse("learning:flag-resolve", args=[flag.pk])
    )
    assert other.status_code == 404
    login(client, coordinator)
    listing = client.get(reverse("learning:flag-list"))
    assert "More video reported than time passed" in listing.content.decode()
    client.post(reverse("learning:flag-resolve", args=[flag.pk]), {"note": "Spoke to her."})

    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert AuditEvent.objects.get(action="learning.flag_resolved").reason == "Spoke to her."


def test_the_course_page_costs_the_same_queries_whatever_its_length(
    client: Client,
    learner_a: Employee,
    online_course: Course,
    page: Lesson,
    link: Lesson,
    django_assert_num_queries: Any,
) -> None:
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    client.get(reverse("learning:lesson-detail", args=[page.pk]))
    url = reverse("learning:course-learn", args=[online_course.pk])
    client.get(url)  # the session and the menu are cached after the first page
    for n in range(5):
        Lesson.objects.create(module=link.module, kind=Lesson.Kind.LINK, title_en=f"More {n}")

    with django_assert_num_queries(QUERIES_COURSE_PAGE):
        client.get(url)


def test_a_video_is_served_by_ranges_to_enrolled_learners_only(
    client: Client, learner_a: Employee, learner_b: Employee, online_course: Course, video: Lesson
) -> None:
    from django.core.files.base import ContentFile

    body = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4
    video.video_type = Lesson.VideoType.MP4
    video.video_file.save("tour.mp4", ContentFile(body))
    url = reverse("learning:lesson-file", args=[video.pk, "video"])
    assert login(Client(), learner_b).get(url).status_code == 404
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))

    whole = client.get(url)
    part = client.get(url, headers={"Range": "bytes=4-11"})
    tail = client.get(url, headers={"Range": "bytes=-4"})
    beyond = client.get(url, headers={"Range": f"bytes={len(body)}-"})

    assert b"".join(whole.streaming_content) == body  # type: ignore[attr-defined]
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(body)}"
    assert b"".join(part.streaming_content) == b"ftypmp42"  # type: ignore[attr-defined]
    assert b"".join(tail.streaming_content) == body[-4:]  # type: ignore[attr-defined]
    assert beyond.status_code == 416


def test_my_online_courses_lists_mine_and_those_open_to_me(
    client: Client, learner_a: Employee, online_course: Course, page: Lesson
) -> None:
    from govtrain import testing as t

    other = t.make_course("IMG-OL2", modality=Course.Modality.ONLINE, title_en="Open one")
    t.make_course("IMG-DRAFT", modality=Course.Modality.ONLINE, is_published=False)
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))

    response = client.get(reverse("learning:my-learning"))

    assert [e.course for e in response.context["enrolments"]] == [online_course]
    assert response.context["open_courses"] == [other]


def test_the_authoring_list_shows_the_coordinators_courses_only(
    client: Client, coordinator: Employee, other_coordinator: Employee, online_course: Course
) -> None:
    from govtrain import testing as t

    t.make_course("IMG-RTI")  # classroom: nothing to author here
    response = login(client, coordinator).get(reverse("learning:author-course-list"))

    theirs = login(Client(), other_coordinator).get(reverse("learning:author-course-list"))

    assert list(response.context["courses"]) == [online_course]
    assert list(theirs.context["courses"]) == []


def test_the_video_page_offers_captions_in_the_readers_language_first(
    client: Client, learner_a: Employee, online_course: Course, video: Lesson
) -> None:
    from django.core.files.base import ContentFile

    from govtrain.learning.models import CaptionTrack

    for language in ("en", "ml"):
        track = CaptionTrack(lesson=video, language=language)
        track.file.save(f"{language}.vtt", ContentFile(b"WEBVTT\n"))
    assert learner_a.user is not None
    learner_a.user.language = "ml"
    learner_a.user.save()
    login(client, learner_a)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))

    html = client.get(reverse("learning:lesson-detail", args=[video.pk])).content.decode()
    vtt = client.get(reverse("learning:caption-file", args=[video.pk, "ml"]))

    assert 'preload="metadata"' in html
    assert 'srclang="ml" label="' in html
    assert f'{reverse("learning:caption-file", args=[video.pk, "ml"])}" default>' in html
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
