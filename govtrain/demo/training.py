"""A year of the institutes' classroom programmes for the demo.

Six months back and six months ahead of today: batches of every classroom programme at
the providers' centres. Past batches carry their participants, attendance, feedback and
completions (hours on the training record); upcoming ones carry nominations at every
step of the chain, so each demo login has something to look at and decide.

Everything that can happen today goes through the services, as a user would do it.
Nominations to past batches cannot (their windows closed long ago): they are written as
the history an earlier system would have handed over, with their events back-dated.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.catalog.models import Centre, Course, Venue
from govtrain.classroom.models import Batch, Nomination, NominationEvent, Step
from govtrain.classroom.services import attendance, batches, completion, feedback, nominations
from govtrain.demo.accounts import demo_learner
from govtrain.notifications.services import emails_muted
from govtrain.people.models import Employee
from govtrain.records.services import enrolment_open

SEED = 2026
MONDAY = 0
# (weeks from today, share of seats filled) for each programme's batches.
PAST = (-24, -16, -8, -3)
UPCOMING = (4, 10, 18)
SLOTS = ((dt.time(9, 30), dt.time(13, 0)), (dt.time(14, 0), dt.time(17, 0)))
HOURS_PER_DAY = 6


@dataclass
class Summary:
    batches: int = 0
    nominations: int = 0
    marks: int = 0
    feedback: int = 0
    completions: int = 0
    skipped: list[str] = field(default_factory=list)


def _days_for(course: Course) -> int:
    return max(1, min(5, math.ceil(float(course.hours) / HOURS_PER_DAY)))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - MONDAY) % 7)


def _coordinator(course: Course, admin: User) -> User:
    assignment = (
        RoleAssignment.objects.filter(role=Role.COORDINATOR, provider_id=course.provider_id)
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else admin


def _faculty(course: Course) -> list[Employee]:
    users = RoleAssignment.objects.filter(role=Role.FACULTY, provider_id=course.provider_id)
    return list(Employee.objects.filter(user__in=users.values("user")).order_by("pen")[:1])


def _eligible(course: Course) -> Q:
    designations = list(course.target_designations.values_list("pk", flat=True))
    q = Q(status=Employee.Status.ACTIVE)
    return q & Q(designation_id__in=designations) if designations else q


def _schedule(
    course: Course, start: dt.date, rng: random.Random, admin: User, number: int
) -> Batch | None:
    """Book the first free room at one of the provider's centres, trying later weeks."""
    centres = list(Centre.objects.filter(provider_id=course.provider_id).order_by("code"))
    if not centres:
        return None
    days = _days_for(course)
    by = _coordinator(course, admin)
    faculty = _faculty(course)
    for week in range(6):
        starts_on = _monday(start) + dt.timedelta(weeks=week)
        centre = centres[(number + week) % len(centres)]
        venues = list(Venue.objects.filter(centre=centre, capacity__gte=20).order_by("capacity"))
        rng.shuffle(venues)
        for venue in venues:
            capacity = min(venue.capacity, 40)
            sessions = [
                (starts_on + dt.timedelta(days=d), begin, end, f"Day {d + 1}", None)
                for d in range(days)
                for begin, end in SLOTS
            ]
            try:
                return batches.batch_create(
                    by=by,
                    course=course,
                    code=f"{course.code}-{starts_on:%y%m%d}",
                    centre=centre,
                    venue=venue,
                    starts_on=starts_on,
                    ends_on=starts_on + dt.timedelta(days=days - 1),
                    capacity=capacity,
                    nominations_open_on=starts_on - dt.timedelta(days=60),
                    nominations_close_on=starts_on - dt.timedelta(days=10),
                    language=course.languages[0],
                    sessions=sessions,
                    faculty=faculty,
                )
            except ValidationError:
                continue  # the room or the faculty is taken that week: try another
    return None


def _history(
    batch: Batch, people: list[Employee], rng: random.Random, by: User, admin: User
) -> Summary:
    """A past batch as it happened: confirmed participants, marks, feedback, completions."""
    done = Summary()
    when = timezone.make_aware(dt.datetime.combine(batch.starts_on, dt.time(10)))
    nominated_at = when - dt.timedelta(days=30)
    rows = Nomination.objects.bulk_create(
        Nomination(
            batch=batch,
            employee=person,
            status=Nomination.Status.CONFIRMED,
            source=Nomination.Source.NOMINATION,
            steps=[Step.CONTROLLING_OFFICER, Step.INSTITUTE],
            nominated_by=admin,
        )
        for person in people
    )
    Nomination.objects.filter(pk__in=[n.pk for n in rows]).update(
        created_at=nominated_at, updated_at=nominated_at + dt.timedelta(days=5)
    )
    events = NominationEvent.objects.bulk_create(
        event
        for n in rows
        for event in (
            NominationEvent(nomination=n, action="created", actor=admin, to_status="approved"),
            NominationEvent(
                nomination=n,
                action="confirmed",
                actor=by,
                from_status="approved",
                to_status="confirmed",
            ),
        )
    )
    made = NominationEvent.objects.filter(pk__in=[e.pk for e in events])
    made.filter(action="created").update(at=when - dt.timedelta(days=30))
    made.filter(action="confirmed").update(at=when - dt.timedelta(days=25))
    for person in people:
        enrolment_open(employee=person, batch=batch)
    done.nominations = len(rows)
    absent = {p.pk for p in people if rng.random() < 0.12}
    for session in batch.sessions.order_by("date", "starts_at"):
        marks: dict[int, tuple[str, int | None]] = {}
        for person in people:
            roll = rng.random()
            if person.pk in absent and roll < 0.6:
                marks[person.pk] = ("absent", None)
            elif roll < 0.05:
                marks[person.pk] = ("late", None)
            else:
                marks[person.pk] = ("present", None)
        attendance.attendance_mark(session=session, marks=marks, by=by)
        done.marks += len(marks)
    form = feedback.feedback_form_for(batch=batch)
    faculty = list(batch.faculty.all())
    for person in people:
        if rng.random() > 0.7:
            continue
        answers: dict[tuple[int, int | None], int | str | None] = {}
        for question in form.questions.all():
            if question.kind == "course_rating":
                answers[(question.pk, None)] = rng.choice((3, 4, 4, 5, 5))
            elif question.kind == "faculty_rating":
                for member in faculty:
                    answers[(question.pk, member.pk)] = rng.choice((3, 4, 5, 5))
            elif rng.random() < 0.3:
                answers[(question.pk, None)] = rng.choice(COMMENTS)
        feedback.feedback_submit(batch=batch, employee=person, answers=answers)
        done.feedback += 1
    outcomes = completion.batch_complete(batch=batch, by=by)
    done.completions = outcomes.completed
    return done


COMMENTS = (
    "Case studies from our own offices were the most useful part.",
    "More time for the hands-on sessions, please.",
    "ഉദാഹരണങ്ങൾ വളരെ പ്രയോജനപ്പെട്ടു.",
    "The session on appeals should be a full day.",
    "ക്ലാസുകൾ മലയാളത്തിൽ ആയിരുന്നത് നന്നായി.",
)


def _upcoming(batch: Batch, rng: random.Random, *, spare: set[int]) -> int:
    """Nominations at every step: nodal officers' lists, requests waiting for controlling
    officers, some confirmed by the institute and some on the waitlist."""
    count = 0
    officers = RoleAssignment.objects.filter(role=Role.NODAL_OFFICER).select_related(
        "user", "department", "office"
    )
    eligible = _eligible(batch.course)
    for assignment in officers:
        if assignment.department_id:
            scope = Q(office__department_id=assignment.department_id)
        elif assignment.office is not None:
            scope = Q(office__path__startswith=assignment.office.path)
        else:
            continue
        staff = list(
            Employee.objects.filter(scope & eligible)
            .exclude(pk__in=spare)
            .select_related("office")
            .order_by("?")[: rng.randint(3, 8)]
        )
        if not staff:
            continue
        count += len(
            nominations.nominations_create(
                batch=batch, employees=staff, by=assignment.user, skip_ineligible=True
            ).created
        )
    # Employees ask for seats; their controlling officers have yet to decide.
    askers = list(
        Employee.objects.filter(eligible, controlling_officer__isnull=False, user__isnull=False)
        .exclude(nominations__batch=batch)
        .exclude(pk__in=spare)
        .select_related("user", "office")
        .order_by("?")[:4]
    )
    for person in askers:
        if person.user is None:
            continue
        try:
            nominations.nomination_request(batch=batch, employee=person, by=person.user)
            count += 1
        except ValidationError:
            continue  # not eligible for this batch (designation, overlap)
    # The institute has confirmed half of what was approved, and waitlisted one.
    approved = list(Nomination.objects.filter(batch=batch, status=Nomination.Status.APPROVED))
    coordinator = _coordinator(batch.course, _admin())
    if approved:
        result = nominations.nominations_confirm(
            batch=batch, nominations=approved[: len(approved) // 2 + 1], by=coordinator
        )
        rest = approved[len(approved) // 2 + 1 :]
        if rest and rng.random() < 0.5:
            nominations.nomination_waitlist(
                nomination=rest[0], by=coordinator, reason="Seats kept for district quota"
            )
        if result.confirmed and rng.random() < 0.3:
            gone = result.confirmed[0]
            nominations.nomination_withdraw(
                nomination=gone, by=gone.nominated_by or coordinator, reason="Transferred"
            )
    # A controlling officer has turned a request down.
    asked = Nomination.objects.filter(batch=batch, status=Nomination.Status.REQUESTED).first()
    if asked is not None and rng.random() < 0.3:
        officer = asked.employee.controlling_officer
        if officer is not None and officer.user is not None:
            nominations.nomination_reject(
                nomination=asked, by=officer.user, reason="Office audit that week; next batch"
            )
    return count


def _learner_story(learner: Employee, rng: random.Random) -> None:
    """The demo learner: one seat confirmed ahead, one request waiting for approval."""
    open_batches = [
        b
        for b in Batch.objects.filter(
            status=Batch.Status.SCHEDULED, starts_on__gt=timezone.localdate()
        )
        .select_related("course")
        .order_by("starts_on", "code")
        if eligible_for(learner, b.course)
    ]
    taken = set(
        Nomination.objects.filter(employee=learner, status__in=Nomination.ACTIVE).values_list(
            "batch__starts_on", flat=True
        )
    )
    officer = RoleAssignment.objects.filter(
        role=Role.NODAL_OFFICER, department_id=learner.office.department_id
    ).first()
    story: list[Batch] = []
    for batch in open_batches:
        if batch.starts_on in taken:
            continue
        try:
            if not story and officer is not None:
                done = nominations.nominations_create(
                    batch=batch, employees=[learner], by=officer.user
                ).created[0]
                nominations.nomination_confirm(
                    nomination=done, by=_coordinator(batch.course, _admin())
                )
            elif learner.user is not None:
                nominations.nomination_request(batch=batch, employee=learner, by=learner.user)
            else:
                break
        except ValidationError:
            continue
        story.append(batch)
        taken.add(batch.starts_on)
        if len(story) == 2:
            break


def _admin() -> User:
    return User.objects.filter(role_assignments__role=Role.STATE_ADMIN).order_by("pk")[0]


@transaction.atomic
def build_training_year(*, today: dt.date | None = None, seed: int = SEED) -> Summary:
    """Schedule the year and fill it; safe to run once on a fresh demo database."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    summary = Summary()
    if Batch.objects.exists():
        summary.skipped.append("batches exist already")
        return summary
    admin = _admin()
    learner = demo_learner()
    # The demo learner's record is written on purpose below, not by chance.
    spare = {learner.pk} if learner else set()
    courses = list(
        Course.objects.filter(is_published=True, modality__in=["classroom", "blended"])
        .prefetch_related("target_designations")
        .order_by("code")
    )
    with emails_muted():
        for number, course in enumerate(courses):
            eligible = _eligible(course)
            for weeks in PAST:
                start = today + dt.timedelta(weeks=weeks, days=7 * (number % 3))
                batch = _schedule(course, start, rng, admin, number)
                if batch is None or batch.ends_on >= today:
                    summary.skipped.append(f"{course.code} {weeks:+d} weeks")
                    continue
                size = rng.randint(int(batch.capacity * 0.6), batch.capacity)
                done_before = Employee.objects.filter(
                    enrolments__course=course, enrolments__status="completed"
                )
                people = list(
                    Employee.objects.filter(eligible)
                    .exclude(pk__in=spare)
                    .exclude(pk__in=done_before)
                    .order_by("?")[:size]
                )
                if len(people) < 5:
                    # Everyone it is meant for has done it already: the batch was called off.
                    batches.batch_cancel(
                        batch=batch, by=admin, reason="Too few nominations; merged with another"
                    )
                    continue
                # The demo learner took two of the programmes open to everyone.
                wanted = learner and (weeks, number) in ((-16, 1), (-8, 2))
                if learner and wanted and eligible_for(learner, course):
                    people = [learner, *[p for p in people if p.pk != learner.pk][: size - 1]]
                done = _history(batch, people, rng, _coordinator(course, admin), admin)
                summary.batches += 1
                summary.nominations += done.nominations
                summary.marks += done.marks
                summary.feedback += done.feedback
                summary.completions += done.completions
            for weeks in UPCOMING:
                start = today + dt.timedelta(weeks=weeks, days=7 * (number % 3))
                batch = _schedule(course, start, rng, admin, number)
                if batch is None:
                    summary.skipped.append(f"{course.code} {weeks:+d} weeks")
                    continue
                summary.batches += 1
                summary.nominations += _upcoming(batch, rng, spare=spare)
        if learner is not None:
            _learner_story(learner, rng)
    return summary


def eligible_for(employee: Employee, course: Course) -> bool:
    targets = {d.pk for d in course.target_designations.all()}
    return not targets or employee.designation_id in targets
