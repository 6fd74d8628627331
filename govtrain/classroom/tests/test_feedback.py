"""Participants give feedback once after the batch; faculty and coordinators see it summed up."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom import selectors
from govtrain.classroom.models import (
    Batch,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackResponse,
    Session,
)
from govtrain.classroom.services import feedback as services
from govtrain.people.models import Employee
from govtrain.records.services import enrolment_open

pytestmark = pytest.mark.django_db
K = FeedbackQuestion.Kind


def past_batch(code: str = "RTI-01", days_ago: int = 7, days: int = 3) -> Batch:
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    return t.make_batch(
        code=code,
        starts_on=starts,
        days=days,
        nominations_open_on=starts - dt.timedelta(days=30),
        nominations_close_on=starts - dt.timedelta(days=7),
    )


@pytest.fixture
def batch(db) -> Batch:
    return past_batch()


@pytest.fixture
def faculty(office_a, batch) -> list[Employee]:
    """Deepa is on the batch's faculty; Eldho takes one session as a guest."""
    deepa = t.make_employee(office_a, name="Deepa R.")
    eldho = t.make_employee(office_a, name="Eldho J.")
    batch.faculty.add(deepa)
    Session.objects.filter(pk=batch.sessions.first().pk).update(faculty=eldho)
    return [deepa, eldho]


@pytest.fixture
def participants(batch, learner_a, office_a) -> list[Employee]:
    people = [learner_a, t.make_employee(office_a, name="Binu T.")]
    for person in people:
        enrolment_open(employee=person, batch=batch)
    return people


@pytest.fixture
def other_faculty(office_a) -> Employee:
    person = t.make_employee(office_a, name="Faisal M.")
    past_batch("RTI-02").faculty.add(person)
    return person


@pytest.fixture
def other_coordinator(office_a) -> Employee:
    person = t.make_employee(office_a, name="Kavya N.")
    t.grant(person.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return person


def questions(batch: Batch) -> dict[str, FeedbackQuestion]:
    form = services.feedback_form_for(batch=batch)
    return {q.kind: q for q in form.questions.all()}


def answers_for(
    batch, faculty, course=5, ratings=(4, 3), comment=""
) -> dict[tuple[int, int | None], int | str | None]:
    q = questions(batch)
    answers: dict[tuple[int, int | None], int | str | None] = {
        (q[K.COURSE_RATING].pk, None): course,
        (q[K.TEXT].pk, None): comment,
    }
    for person, rating in zip(faculty, ratings, strict=True):
        answers[(q[K.FACULTY_RATING].pk, person.pk)] = rating
    return answers


# --- Which form -----------------------------------------------------------------------


def test_the_common_form_is_made_once_with_bilingual_course_faculty_and_comment_questions(
    batch,
) -> None:
    form = services.feedback_form_for(batch=batch)

    assert services.feedback_form_for(batch=batch) == form
    assert FeedbackForm.objects.count() == 1
    assert (form.provider, form.is_default) == (None, True)
    assert [(q.kind, q.required) for q in form.questions.all()] == [
        (K.COURSE_RATING, True),
        (K.FACULTY_RATING, True),
        (K.TEXT, False),
    ]
    assert all(q.text_ml for q in form.questions.all())


def test_a_providers_own_form_comes_before_the_common_one_and_the_batchs_before_both(
    coordinator, batch
) -> None:
    own = services.feedback_form_create_for_provider(
        provider=batch.course.provider, by=coordinator.user
    )
    assert services.feedback_form_for(batch=batch) == own
    assert own.questions.count() == 3

    special = FeedbackForm.objects.create(name="RTI special", provider=batch.course.provider)
    Batch.objects.filter(pk=batch.pk).update(feedback_form=special)
    batch.refresh_from_db()

    assert services.feedback_form_for(batch=batch) == special


# --- Giving feedback ------------------------------------------------------------------


def test_participant_rates_the_course_and_each_faculty_member_once(
    batch, faculty, participants
) -> None:
    anitha = participants[0]

    response = services.feedback_submit(
        batch=batch,
        employee=anitha,
        answers=answers_for(batch, faculty, comment="More case studies"),
    )

    assert response.answers.count() == 4
    assert sorted(
        response.answers.filter(faculty__isnull=False).values_list("faculty__name_en", "rating")
    ) == [("Deepa R.", 4), ("Eldho J.", 3)]
    with pytest.raises(ValidationError, match="already given"):
        services.feedback_submit(batch=batch, employee=anitha, answers=answers_for(batch, faculty))
    assert FeedbackResponse.objects.count() == 1


def test_required_ratings_are_enforced_per_question_and_per_faculty_member(
    batch, faculty, participants
) -> None:
    q = questions(batch)
    answers = answers_for(batch, faculty)
    del answers[(q[K.FACULTY_RATING].pk, faculty[1].pk)]
    answers[(q[K.COURSE_RATING].pk, None)] = 7

    with pytest.raises(ValidationError) as error:
        services.feedback_submit(batch=batch, employee=participants[0], answers=answers)

    assert set(error.value.message_dict) == {
        services.answer_key(q[K.COURSE_RATING].pk),
        services.answer_key(q[K.FACULTY_RATING].pk, faculty[1].pk),
    }
    assert not FeedbackResponse.objects.exists()


def test_the_comment_is_optional(batch, faculty, participants) -> None:
    services.feedback_submit(
        batch=batch, employee=participants[0], answers=answers_for(batch, faculty, comment="  ")
    )

    assert not FeedbackAnswer.objects.filter(question__kind=K.TEXT).exists()


def test_feedback_opens_on_the_last_day_of_the_batch(faculty, participants) -> None:
    running = past_batch("RTI-03", days_ago=1, days=3)
    enrolment_open(employee=participants[0], batch=running)

    with pytest.raises(ValidationError, match="opens on the last day"):
        services.feedback_submit(batch=running, employee=participants[0], answers={})

    last_day = past_batch("RTI-04", days_ago=2, days=3)
    enrolment_open(employee=participants[0], batch=last_day)
    services.feedback_submit(
        batch=last_day, employee=participants[0], answers=answers_for(last_day, [], ratings=())
    )


def test_only_participants_give_feedback(batch, faculty, participants, learner_b) -> None:
    with pytest.raises(ValidationError, match="Only participants"):
        services.feedback_submit(
            batch=batch, employee=learner_b, answers=answers_for(batch, faculty)
        )


def test_participant_gives_feedback_on_the_page(client, batch, faculty, participants) -> None:
    q = questions(batch)
    client.force_login(participants[0].user)
    url = reverse("classroom:feedback-form", args=[batch.pk])

    page = client.get(url).content.decode()
    assert "How well did this faculty member teach? — Deepa R." in page
    assert "How well did this faculty member teach? — Eldho J." in page

    response = client.post(
        url,
        {
            services.answer_key(q[K.COURSE_RATING].pk): "5",
            services.answer_key(q[K.FACULTY_RATING].pk, faculty[0].pk): "4",
            services.answer_key(q[K.FACULTY_RATING].pk, faculty[1].pk): "2",
            services.answer_key(q[K.TEXT].pk): "Good examples",
        },
    )

    assert response.status_code == 302
    assert FeedbackResponse.objects.get().employee == participants[0]
    assert "You have given your feedback" in client.get(url).content.decode()


def test_a_missing_rating_is_sent_back_on_the_page(client, batch, faculty, participants) -> None:
    q = questions(batch)
    client.force_login(participants[0].user)

    response = client.post(
        reverse("classroom:feedback-form", args=[batch.pk]),
        {services.answer_key(q[K.COURSE_RATING].pk): "5"},
    )

    assert response.status_code == 400
    assert not FeedbackResponse.objects.exists()


@pytest.mark.parametrize("who", ["learner_b", "officer_a", "coordinator", "faculty_member"])
def test_the_feedback_form_does_not_exist_for_non_participants(
    request, client, who, batch, faculty, participants
) -> None:
    person = faculty[0] if who == "faculty_member" else request.getfixturevalue(who)
    client.force_login(person.user)

    assert client.get(reverse("classroom:feedback-form", args=[batch.pk])).status_code == 404


# --- The summary ----------------------------------------------------------------------


@pytest.fixture
def answered(batch: Batch, faculty, participants, office_a) -> Batch:
    third = t.make_employee(office_a, name="Chitra P.")
    enrolment_open(employee=third, batch=batch)
    services.feedback_submit(
        batch=batch,
        employee=participants[0],
        answers=answers_for(batch, faculty, 5, (5, 3), "Zero complaints"),
    )
    services.feedback_submit(
        batch=batch,
        employee=participants[1],
        answers=answers_for(batch, faculty, 4, (4, 2), "A longer session on appeals"),
    )
    return batch


def test_the_summary_sums_up_ratings_per_question_and_per_faculty_member(answered, faculty) -> None:
    summary = selectors.feedback_summary(
        batch=answered, form=services.feedback_form_for(batch=answered)
    )

    assert (summary.participants, summary.responses, summary.response_rate) == (3, 2, 67)
    (course,) = summary.ratings
    assert (course.count, str(course.average)) == (2, "4.5")
    assert [(d.rating, d.count, d.percent) for d in course.distribution] == [
        (5, 1, 50),
        (4, 1, 50),
        (3, 0, 0),
        (2, 0, 0),
        (1, 0, 0),
    ]
    assert [(r.faculty.name_en, str(r.average)) for r in summary.faculty_ratings] == [
        ("Deepa R.", "4.5"),
        ("Eldho J.", "2.5"),
    ]
    # Sorted by text, not by who answered first.
    assert summary.comments[0].comments == ["A longer session on appeals", "Zero complaints"]


@pytest.mark.parametrize("who", ["coordinator", "faculty_member", "admin"])
def test_faculty_and_coordinators_read_the_summary_without_names(
    request, client, who, answered, faculty, participants
) -> None:
    user = faculty[0].user if who == "faculty_member" else request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client.force_login(user)

    response = client.get(reverse("classroom:feedback-summary", args=[answered.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 / 3" in html
    assert "A longer session on appeals" in html
    assert participants[0].name_en not in html.split("<main")[1]
    assert participants[1].name_en not in html


@pytest.mark.parametrize("who", ["other_faculty", "other_coordinator", "officer_a", "learner_a"])
def test_nobody_else_sees_the_summary(request, client, who, answered) -> None:
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(reverse("classroom:feedback-summary", args=[answered.pk])).status_code == 404


def test_the_summary_page_takes_a_fixed_number_of_queries(
    client, coordinator, answered, django_assert_max_num_queries
) -> None:
    client.force_login(coordinator.user)
    client.get(reverse("classroom:feedback-summary", args=[answered.pk]))

    with django_assert_max_num_queries(16):
        client.get(reverse("classroom:feedback-summary", args=[answered.pk]))


# --- The institute's questions --------------------------------------------------------


def formset_data(
    form: FeedbackForm, extra_rows: list[dict[str, object]] | None = None, **changes
) -> dict[str, object]:
    rows = [
        {
            "id": q.pk,
            "position": q.position,
            "kind": q.kind,
            "text_en": q.text_en,
            "text_ml": q.text_ml,
            "required": "on" if q.required else "",
            **changes.get(str(q.pk), {}),
        }
        for q in form.questions.all()
    ] + (extra_rows or [])
    data: dict[str, object] = {
        "questions-TOTAL_FORMS": len(rows),
        "questions-INITIAL_FORMS": form.questions.count(),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({f"questions-{i}-{k}": v for k, v in row.items() if v not in ("", None)})
    return data


def test_coordinator_makes_the_institutes_own_form_and_changes_its_questions(
    client, coordinator, batch
) -> None:
    provider = batch.course.provider
    client.force_login(coordinator.user)
    url = reverse("classroom:feedback-questions", args=[provider.pk])
    assert "common feedback form" in client.get(url).content.decode()

    client.post(reverse("classroom:feedback-form-create", args=[provider.pk]))
    form = FeedbackForm.objects.get(provider=provider)
    comment = form.questions.get(kind=K.TEXT)
    response = client.post(
        url,
        formset_data(
            form,
            [
                {
                    "position": 4,
                    "kind": K.COURSE_RATING,
                    "text_en": "How good was the venue?",
                    "text_ml": "വേദി എങ്ങനെ?",
                    "required": "on",
                }
            ],
            **{str(comment.pk): {"text_ml": "നിർദ്ദേശങ്ങൾ"}},
        ),
    )

    assert response.status_code == 302
    assert services.feedback_form_for(batch=batch) == form
    assert [q.text_en for q in form.questions.all()][-1] == "How good was the venue?"
    assert form.questions.get(pk=comment.pk).text_ml == "നിർദ്ദേശങ്ങൾ"
    assert AuditEvent.objects.filter(action="feedback_form.changed").count() == 1


def test_an_answered_question_cannot_be_removed(coordinator, batch, faculty, participants) -> None:
    form = services.feedback_form_create_for_provider(
        provider=batch.course.provider, by=coordinator.user
    )
    services.feedback_submit(
        batch=batch, employee=participants[0], answers=answers_for(batch, faculty)
    )

    with pytest.raises(ValidationError, match="answered cannot be removed"):
        services.feedback_questions_update(
            form=form,
            by=coordinator.user,
            questions=[],
            delete=[form.questions.get(kind=K.COURSE_RATING).pk],
        )


def test_the_page_says_why_an_answered_question_stays(
    client, coordinator, batch, faculty, participants
) -> None:
    form = services.feedback_form_create_for_provider(
        provider=batch.course.provider, by=coordinator.user
    )
    services.feedback_submit(
        batch=batch, employee=participants[0], answers=answers_for(batch, faculty)
    )
    course_rating = form.questions.get(kind=K.COURSE_RATING)
    client.force_login(coordinator.user)

    response = client.post(
        reverse("classroom:feedback-questions", args=[batch.course.provider_id]),
        formset_data(form, **{str(course_rating.pk): {"DELETE": "on"}}),
    )

    assert response.status_code == 400
    assert "A question that has been answered cannot be removed." in response.content.decode()
    assert form.questions.filter(pk=course_rating.pk).exists()


def test_a_coordinator_of_another_institute_cannot_touch_the_questions(
    client, other_coordinator, coordinator, batch
) -> None:
    provider = batch.course.provider
    form = services.feedback_form_create_for_provider(provider=provider, by=coordinator.user)
    client.force_login(other_coordinator.user)

    assert (
        client.get(reverse("classroom:feedback-questions", args=[provider.pk])).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        services.feedback_questions_update(form=form, by=other_coordinator.user, questions=[])


def test_my_training_page_asks_for_feedback_until_it_is_given(
    client, batch, faculty, participants
) -> None:
    not_yet_over = past_batch("RTI-05", days_ago=1, days=3)
    enrolment_open(employee=participants[0], batch=not_yet_over)
    client.force_login(participants[0].user)
    feedback_url = reverse("classroom:feedback-form", args=[batch.pk])

    page = client.get(reverse("records:mine")).content.decode()
    assert feedback_url in page
    assert reverse("classroom:feedback-form", args=[not_yet_over.pk]) not in page

    services.feedback_submit(
        batch=batch, employee=participants[0], answers=answers_for(batch, faculty)
    )

    assert feedback_url not in client.get(reverse("records:mine")).content.decode()
