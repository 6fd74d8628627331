"""Reads for classroom training: who may see which batch and nomination, and policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Centre, Course, Provider
from govtrain.classroom.models import (
    DEFAULT_CHAIN,
    ApprovalPolicy,
    Attendance,
    Batch,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackResponse,
    Nomination,
    Session,
    Step,
)
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.selectors import PARTICIPATING, participants_of

DEFAULT_LEAD_DAYS = 7


# --- Approval policy -----------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    steps: tuple[str, ...]
    lead_days: int


def _policy(policy: ApprovalPolicy | None) -> Policy:
    if policy is None:
        return Policy(steps=tuple(DEFAULT_CHAIN), lead_days=DEFAULT_LEAD_DAYS)
    return Policy(steps=tuple(policy.steps), lead_days=policy.lead_days)


def policy_for_provider(*, provider_id: int) -> Policy:
    """The provider's own chain, else the default one."""
    return _policy(ApprovalPolicy.objects.filter(provider_id=provider_id).first())


def policy_for(course: Course) -> Policy:
    """The course's approval policy, else its provider's, else the default chain."""
    policies = ApprovalPolicy.objects.filter(
        Q(course_id=course.pk) | Q(provider_id=course.provider_id)
    )
    # The course's own policy first: the provider's has no course.
    return _policy(policies.order_by(F("course_id").asc(nulls_last=True)).first())


# --- Nominations ---------------------------------------------------------------------


def _nominations() -> QuerySet[Nomination]:
    return Nomination.objects.select_related(
        "batch__course__provider",
        "batch__centre",
        "employee__office__department",
        "employee__designation",
    ).order_by("batch__starts_on", "batch__code", "created_at", "pk")


def nominations_visible_to(*, user: User | AnonymousUser) -> QuerySet[Nomination]:
    """Own nominations, those of staff in the user's charge (as nodal or controlling
    officer), and those to the batches of the user's institutes."""
    access = access_for(user)
    if access.user_id is None:
        return Nomination.objects.none()
    if Perm.NOMINATE in access.everywhere or Perm.CATALOG_MANAGE in access.everywhere:
        return _nominations()
    parts = []
    if access.employee_id:
        parts.append(Q(employee_id=access.employee_id))
        parts.append(Q(employee__controlling_officer_id=access.employee_id))
    if access.can(Perm.NOMINATE):
        office_q = access.office_q(Perm.NOMINATE, prefix="employee__office__")
        if office_q is not None:
            parts.append(office_q)
    if access.can(Perm.CATALOG_MANAGE) and access.providers:
        parts.append(Q(batch__course__provider_id__in=access.providers))
    if not parts:
        return Nomination.objects.none()
    return _nominations().filter(reduce(or_, parts))


def nomination_get_for(*, user: User | AnonymousUser, pk: int) -> Nomination:
    """404, not 403, outside the user's view: no leaks."""
    return get_object_or_404(nominations_visible_to(user=user), pk=pk)


def nominations_awaiting(*, user: User) -> QuerySet[Nomination]:
    """Requests and approved nominations waiting for a decision the user may take."""
    access = access_for(user)
    parts = []
    requested = Q(status=Nomination.Status.REQUESTED)
    if access.employee_id:
        parts.append(
            requested
            & Q(step=Step.CONTROLLING_OFFICER, employee__controlling_officer_id=access.employee_id)
        )
    if access.can(Perm.NOMINATE):
        office_q = access.office_q(Perm.NOMINATE, prefix="employee__office__")
        in_scope = requested & Q(step__in=[Step.CONTROLLING_OFFICER, Step.DEPARTMENT])
        parts.append(in_scope if office_q is None else in_scope & office_q)
    if access.can(Perm.CATALOG_MANAGE):
        waiting = Q(status__in=[Nomination.Status.APPROVED, Nomination.Status.WAITLISTED])
        if Perm.CATALOG_MANAGE not in access.everywhere:
            waiting &= Q(batch__course__provider_id__in=access.providers)
        parts.append(waiting)
    if not parts:
        return Nomination.objects.none()
    awaiting = _nominations().filter(reduce(or_, parts), batch__status=Batch.Status.SCHEDULED)
    if access.employee_id:
        awaiting = awaiting.exclude(employee_id=access.employee_id)
    return awaiting


def nominations_of_batch(*, batch: Batch) -> QuerySet[Nomination]:
    """Every nomination to a batch, for those who manage it: waiting ones first."""
    return _nominations().filter(batch=batch).order_by("status", "waitlisted_at", "created_at")


def nominations_of(*, employee_id: int) -> QuerySet[Nomination]:
    return _nominations().filter(employee_id=employee_id)


def nomination_counts(*, batch: Batch) -> dict[str, int]:
    """How many nominations the batch has in each status, in one query."""
    rows = (
        Nomination.objects.filter(batch=batch)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(Nomination.Status.values, 0)
    counts.update(dict(rows))
    return counts


def nomination_for_employee(*, batch: Batch, employee_id: int | None) -> Nomination | None:
    """The employee's live nomination to the batch, if any."""
    if employee_id is None:
        return None
    return Nomination.objects.filter(
        batch=batch, employee_id=employee_id, status__in=Nomination.ACTIVE
    ).first()


@dataclass(frozen=True)
class BatchFill:
    batch: Batch
    nominated: int
    confirmed: int
    waitlisted: int

    @property
    def fill_percent(self) -> int:
        return round(100 * self.confirmed / self.batch.capacity) if self.batch.capacity else 0


def department_fill(*, user: User) -> list[BatchFill]:
    """For a nodal officer: each batch their staff are nominated to, with how many of
    their staff are nominated, confirmed and waitlisted, and the batch's overall fill."""
    visible = nominations_visible_to(user=user).filter(
        status__in=Nomination.ACTIVE, batch__ends_on__gte=timezone.localdate()
    )
    rows = (
        visible.values("batch_id")
        .annotate(
            nominated=Count("pk"),
            confirmed=Count("pk", filter=Q(status=Nomination.Status.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=Nomination.Status.WAITLISTED)),
        )
        .order_by()
    )
    by_batch = {row["batch_id"]: row for row in rows}
    batches = Batch.objects.filter(pk__in=by_batch).select_related("course", "centre")
    return [
        BatchFill(
            batch=batch,
            nominated=by_batch[batch.pk]["nominated"],
            confirmed=by_batch[batch.pk]["confirmed"],
            waitlisted=by_batch[batch.pk]["waitlisted"],
        )
        for batch in batches.order_by("starts_on", "code")
    ]


# --- Batches: who manages which, the calendar, the feeds -----------------------------


@dataclass(frozen=True)
class BatchFilters:
    """What the batch list, the calendar and the API narrow batches by (None: any)."""

    centre: int | None = None
    provider: int | None = None
    topic: int | None = None
    course: int | None = None
    status: str = ""
    # Batches that meet on at least one day of [starts, ends].
    starts: dt.date | None = None
    ends: dt.date | None = None


def _filtered(batches: QuerySet[Batch], filters: BatchFilters) -> QuerySet[Batch]:
    if filters.centre:
        batches = batches.filter(centre_id=filters.centre)
    if filters.provider:
        batches = batches.filter(course__provider_id=filters.provider)
    if filters.topic:
        batches = batches.filter(course__topic_id=filters.topic)
    if filters.course:
        batches = batches.filter(course_id=filters.course)
    if filters.status:
        batches = batches.filter(status=filters.status)
    if filters.ends:
        batches = batches.filter(starts_on__lte=filters.ends)
    if filters.starts:
        batches = batches.filter(ends_on__gte=filters.starts)
    return batches


def _with_fill(batches: QuerySet[Batch]) -> QuerySet[Batch]:
    """Nominations counted by status in the same query as the batches (no query per row)."""
    S = Nomination.Status

    def count(*statuses: str) -> Count:
        return Count("nominations", filter=Q(nominations__status__in=statuses))

    # Attendance and feedback as correlated subqueries: joining them would multiply rows.
    present = (
        Attendance.objects.filter(session__batch=OuterRef("pk"))
        .values("session__batch")
        .annotate(
            share=Avg(
                Case(
                    When(status__in=["absent", "excused"], then=Value(0.0)),
                    default=Value(1.0),
                    output_field=FloatField(),
                )
            )
        )
        .values("share")
    )
    rating = (
        FeedbackAnswer.objects.filter(
            response__batch=OuterRef("pk"), question__kind="course_rating"
        )
        .values("response__batch")
        .annotate(avg=Avg("rating"))
        .values("avg")
    )
    responses = (
        FeedbackResponse.objects.filter(batch=OuterRef("pk"))
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return batches.annotate(
        n_confirmed=count(S.CONFIRMED),
        n_pending=count(S.REQUESTED, S.APPROVED),
        n_waitlisted=count(S.WAITLISTED),
        attendance_share=Subquery(present),
        course_rating=Subquery(rating),
        n_feedback=Subquery(responses),
    )


def batches_managed_by(*, user: User, filters: BatchFilters | None = None) -> QuerySet[Batch]:
    """Batches of the providers whose catalog the user manages (every batch: state admin),
    with their nomination counts (`n_confirmed`, `n_pending`, `n_waitlisted`)."""
    access = access_for(user)
    batches = Batch.objects.select_related("course__provider", "centre", "venue")
    if Perm.CATALOG_MANAGE not in access.everywhere:
        if not access.can(Perm.CATALOG_MANAGE):
            return batches.none()
        batches = batches.filter(course__provider_id__in=access.providers)
    return _with_fill(_filtered(batches, filters or BatchFilters())).order_by("starts_on", "code")


def batch_get_managed(*, user: User, pk: int) -> Batch:
    """A batch the user manages, with its nomination counts; 404 for anyone else's."""
    return get_object_or_404(batches_managed_by(user=user), pk=pk)


def centres_managed_by(*, user: User) -> QuerySet[Centre]:
    """Centres where the user may schedule batches: those of the providers they manage."""
    access = access_for(user)
    centres = Centre.objects.select_related("provider").order_by("provider__code", "code")
    if Perm.CATALOG_MANAGE in access.everywhere:
        return centres
    if not access.can(Perm.CATALOG_MANAGE):
        return centres.none()
    return centres.filter(provider_id__in=access.providers)


def batch_may_manage(*, user: User, batch: Batch) -> bool:
    return access_for(user).covers_provider(Perm.CATALOG_MANAGE, batch.course.provider_id)


def batches_visible_to(*, user: User, filters: BatchFilters | None = None) -> QuerySet[Batch]:
    """What the training calendar shows the user: batches of published courses, and every
    batch of the providers they manage. Cancelled batches stay, marked as cancelled."""
    access = access_for(user)
    batches = Batch.objects.select_related("course__provider", "course__topic", "centre", "venue")
    if Perm.CATALOG_MANAGE not in access.everywhere:
        shown = Q(course__is_published=True)
        if access.can(Perm.CATALOG_MANAGE) and access.providers:
            shown |= Q(course__provider_id__in=access.providers)
        batches = batches.filter(shown)
    return _filtered(batches, filters or BatchFilters()).order_by("starts_on", "code")


def batch_sessions(*, batch: Batch) -> QuerySet[Session]:
    return batch.sessions.select_related("faculty").order_by("date", "starts_at")


# How far back the calendar feeds reach: calendar apps keep what they have already seen.
FEED_PAST_DAYS = 90


def sessions_at_centre(*, centre: Centre, since: dt.date) -> QuerySet[Session]:
    """The public schedule of a centre: sessions of its published courses' batches."""
    return (
        Session.objects.filter(
            batch__centre=centre, batch__course__is_published=True, date__gte=since
        )
        .select_related("batch__course", "batch__venue", "batch__centre")
        .order_by("date", "starts_at")
    )


def sessions_of_employee(*, employee_id: int, since: dt.date) -> QuerySet[Session]:
    """Sessions of the batches where the employee holds a confirmed seat."""
    return (
        Session.objects.filter(
            batch__nominations__employee_id=employee_id,
            batch__nominations__status=Nomination.Status.CONFIRMED,
            date__gte=since,
        )
        .select_related("batch__course", "batch__venue", "batch__centre", "faculty")
        .order_by("date", "starts_at")
        .distinct()
    )


# --- Attendance, feedback and completion (issue #3) ------------------------------------


def batch_is_taught_by(*, user: User | AnonymousUser, batch: Batch) -> bool:
    """Is the user on the batch's faculty, or teaching one of its sessions?"""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return False
    return (
        Batch.objects.filter(pk=batch.pk)
        .filter(Q(faculty=employee_id) | Q(sessions__faculty=employee_id))
        .exists()
    )


def batches_staffed_by(*, user: User | AnonymousUser) -> QuerySet[Batch]:
    """Batches whose attendance and feedback the user looks after: those of the providers
    they coordinate (every batch: state administrator) and those they teach."""
    access = access_for(user)
    batches = Batch.objects.select_related("course__provider", "centre", "venue")
    if Perm.CATALOG_MANAGE in access.everywhere:
        return batches
    parts = []
    if access.can(Perm.CATALOG_MANAGE) and access.providers:
        parts.append(Q(course__provider_id__in=access.providers))
    if access.employee_id is not None:
        on_faculty = Batch.faculty.through.objects.filter(employee_id=access.employee_id)
        parts.append(Q(pk__in=on_faculty.values("batch_id")))
        teaching = Session.objects.filter(faculty_id=access.employee_id)
        parts.append(Q(pk__in=teaching.values("batch_id")))
    if not parts:
        return batches.none()
    return batches.filter(reduce(or_, parts))


def batch_get_for_staff(*, user: User | AnonymousUser, pk: int) -> Batch:
    """A batch the user coordinates or teaches; 404 for anyone else (no leaks)."""
    return get_object_or_404(batches_staffed_by(user=user), pk=pk)


def batches_attended_by(*, user: User | AnonymousUser) -> QuerySet[Batch]:
    """Batches where the user is a participant (holds an enrolment that is not withdrawn)."""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return Batch.objects.none()
    return Batch.objects.select_related("course__provider", "centre", "venue").filter(
        pk__in=Enrolment.objects.filter(employee_id=employee_id, status__in=PARTICIPATING).values(
            "batch_id"
        )
    )


def batch_get_for_participant(*, user: User | AnonymousUser, pk: int) -> Batch:
    """A batch the user takes part in; 404 for anyone else."""
    return get_object_or_404(batches_attended_by(user=user), pk=pk)


def provider_get_managed(*, user: User, pk: int) -> Provider:
    """A provider whose catalog the user manages; 404 for any other."""
    access = access_for(user)
    providers = Provider.objects.all()
    if Perm.CATALOG_MANAGE not in access.everywhere:
        providers = providers.filter(
            pk__in=access.providers if access.can(Perm.CATALOG_MANAGE) else []
        )
    return get_object_or_404(providers, pk=pk)


def batch_faculty(*, batch: Batch) -> list[Employee]:
    """Who teaches the batch: its faculty and those who take any of its sessions, by name."""
    return list(
        Employee.objects.filter(
            Q(pk__in=Batch.faculty.through.objects.filter(batch=batch).values("employee_id"))
            | Q(pk__in=Session.objects.filter(batch=batch).values("faculty_id"))
        ).order_by("name_en", "pen")
    )


def attendance_sessions_of(*, batch: Batch) -> list[Session]:
    """The batch's sessions in order, each with `n_marked`, how many marks it has."""
    return list(
        Session.objects.filter(batch=batch)
        .select_related("faculty")
        .annotate(n_marked=Count("attendance"))
        .order_by("date", "starts_at")
    )


def attendance_default_session(
    *, sessions: list[Session], today: dt.date | None = None
) -> Session | None:
    """The session a sheet opens on: today's first unmarked one, else the last one that
    has begun, else the first."""
    if not sessions:
        return None
    today = today or timezone.localdate()
    todays = [s for s in sessions if s.date == today]
    unmarked = [s for s in todays if not getattr(s, "n_marked", 0)]
    if unmarked or todays:
        return (unmarked or todays)[0]
    past = [s for s in sessions if s.date < today]
    return past[-1] if past else sessions[0]


def _user_label(user: User | None) -> str:
    if user is None:
        return str(_("someone no longer registered"))
    employee = getattr(user, "employee", None)
    return employee.display_name if employee is not None else user.get_username()


@dataclass(frozen=True)
class SheetRow:
    enrolment: Enrolment
    mark: Attendance | None

    @property
    def employee(self) -> Employee:
        return self.enrolment.employee


@dataclass(frozen=True)
class AttendanceSheet:
    session: Session
    rows: list[SheetRow]
    first_marked_at: dt.datetime | None
    last_changed_at: dt.datetime | None
    markers: list[str]

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.mark is not None)

    @property
    def marks(self) -> list[Attendance]:
        return [r.mark for r in self.rows if r.mark is not None]


def attendance_sheet(*, session: Session) -> AttendanceSheet:
    """Every participant of the session's batch with their mark, if any (two queries)."""
    participants = list(participants_of(batch=session.batch))
    marks = {
        a.employee_id: a
        for a in Attendance.objects.filter(session=session).select_related("marked_by__employee")
    }
    rows = [SheetRow(enrolment=e, mark=marks.get(e.employee_id)) for e in participants]
    found = list(marks.values())
    markers = sorted({_user_label(a.marked_by) for a in found})
    return AttendanceSheet(
        session=session,
        rows=rows,
        first_marked_at=min((a.created_at for a in found), default=None),
        last_changed_at=max((a.updated_at for a in found), default=None),
        markers=markers,
    )


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    by: str
    employee: Employee | None
    before: str
    after: str
    reason: str


def _mark_label(values: dict[str, object] | None) -> str:
    if not values:
        return ""
    status = str(values.get("status", ""))
    label = Attendance.Status(status).label if status in Attendance.Status.values else status
    return _("%(status)s, %(minutes)s min") % {"status": label, "minutes": values.get("minutes")}


def attendance_corrections(*, sheet: AttendanceSheet) -> list[Correction]:
    """The corrections made to the sheet's marks, newest first (one query)."""
    by_id = {str(a.pk): a for a in sheet.marks}
    if not by_id:
        return []
    employees = {r.enrolment.employee_id: r.employee for r in sheet.rows}
    events = AuditEvent.objects.filter(
        action="attendance.corrected", target_type="classroom.attendance", target_id__in=by_id
    ).select_related("actor__employee")
    return [
        Correction(
            at=e.at,
            by=_user_label(e.actor),
            employee=employees.get(by_id[e.target_id].employee_id),
            before=_mark_label(e.before),
            after=_mark_label(e.after),
            reason=e.reason,
        )
        for e in events.order_by("-at", "-pk")
    ]


def feedback_opens_on(*, batch: Batch) -> dt.date:
    """Feedback opens on the last day the batch meets (its last session, else its end)."""
    last: dt.date | None = batch.sessions.order_by("-date").values_list("date", flat=True).first()
    return last or batch.ends_on


def feedback_given(*, batch: Batch, employee_id: int) -> bool:
    return FeedbackResponse.objects.filter(batch=batch, employee_id=employee_id).exists()


@dataclass(frozen=True)
class RatingCount:
    rating: int
    count: int
    percent: int


@dataclass(frozen=True)
class RatingSummary:
    question: FeedbackQuestion
    count: int
    average: Decimal | None
    distribution: list[RatingCount]
    faculty: Employee | None = None


@dataclass(frozen=True)
class CommentGroup:
    question: FeedbackQuestion
    comments: list[str]


@dataclass(frozen=True)
class FeedbackSummary:
    participants: int
    responses: int
    ratings: list[RatingSummary]
    faculty_ratings: list[RatingSummary]
    comments: list[CommentGroup]

    @property
    def response_rate(self) -> int:
        return round(100 * self.responses / self.participants) if self.participants else 0


def _rating_summary(
    question: FeedbackQuestion, counts: dict[int, int], faculty: Employee | None = None
) -> RatingSummary:
    n = sum(counts.values())
    total = sum(rating * c for rating, c in counts.items())
    return RatingSummary(
        question=question,
        count=n,
        average=(Decimal(total) / n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None,
        distribution=[
            RatingCount(
                rating=r,
                count=counts.get(r, 0),
                percent=round(100 * counts.get(r, 0) / n) if n else 0,
            )
            for r in range(5, 0, -1)
        ],
        faculty=faculty,
    )


def feedback_summary(*, batch: Batch, form: FeedbackForm) -> FeedbackSummary:
    """The batch's feedback summed up: response rate, each rating question's average and
    distribution (per faculty member for faculty ratings), and the comments without names.

    Comments are sorted by their text, not by when they came, so that their order tells
    nothing about who wrote them. A constant number of queries, whatever the batch size.
    """
    answers = FeedbackAnswer.objects.filter(response__batch=batch)
    counts: dict[tuple[int, int | None], dict[int, int]] = {}
    for question_id, faculty_id, rating, n in (
        answers.filter(rating__isnull=False)
        .values_list("question_id", "faculty_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault((question_id, faculty_id), {})[rating] = n
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.exclude(text="").values_list("question_id", "text").order_by("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    asked = {q.pk: q for q in form.questions.all()}
    answered_elsewhere = ({qid for qid, _f in counts} | set(texts)) - set(asked)
    if answered_elsewhere:  # questions since taken off the form still count
        asked.update({q.pk: q for q in FeedbackQuestion.objects.filter(pk__in=answered_elsewhere)})
    questions = sorted(asked.values(), key=lambda q: (q.form_id != form.pk, q.position, q.pk))
    faculty = {e.pk: e for e in batch_faculty(batch=batch)}
    missing = {f for _q, f in counts if f is not None} - set(faculty)
    if missing:
        faculty.update({e.pk: e for e in Employee.objects.filter(pk__in=missing)})
    K = FeedbackQuestion.Kind
    ratings, faculty_ratings, comments = [], [], []
    for q in questions:
        if q.kind == K.COURSE_RATING:
            ratings.append(_rating_summary(q, counts.get((q.pk, None), {})))
        elif q.kind == K.FACULTY_RATING:
            per = sorted(
                (f for qid, f in counts if qid == q.pk and f is not None),
                key=lambda f: (faculty[f].name_en, faculty[f].pen),
            )
            faculty_ratings += [_rating_summary(q, counts[(q.pk, f)], faculty[f]) for f in per]
        elif texts.get(q.pk):
            comments.append(CommentGroup(question=q, comments=texts[q.pk]))
    return FeedbackSummary(
        participants=participants_of(batch=batch).count(),
        responses=FeedbackResponse.objects.filter(batch=batch).count(),
        ratings=ratings,
        faculty_ratings=faculty_ratings,
        comments=comments,
    )


@dataclass(frozen=True)
class BatchActions:
    """What the user can do about a batch on the course page."""

    nomination: Nomination | None
    closed_reason: str | None
    can_request: bool
    can_nominate: bool


# The reader's live nominations to a page's batches, on every course page: a fixed
# statement, as compiling the ORM query costs more than the database takes to answer it.
_MY_NOMINATIONS_SQL = (
    "SELECT id, batch_id, status FROM {table}"
    " WHERE employee_id = %s AND status IN ({statuses}) AND batch_id IN ({batches})"
)


def _my_nominations(employee_id: int, batch_ids: list[int]) -> dict[int, Nomination]:
    if not batch_ids:
        return {}
    from django.db import connection

    sql = _MY_NOMINATIONS_SQL.format(
        table=connection.ops.quote_name(Nomination._meta.db_table),
        statuses=", ".join(["%s"] * len(Nomination.ACTIVE)),
        batches=", ".join(["%s"] * len(batch_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [employee_id, *Nomination.ACTIVE, *batch_ids])
        rows = cursor.fetchall()
    return {
        batch_id: Nomination(pk=pk, batch_id=batch_id, employee_id=employee_id, status=status)
        for pk, batch_id, status in rows
    }


def batch_actions_for(
    *,
    user: User,
    batches: list[Batch],
    course: Course | None = None,
    lead_days: int | None = None,
) -> dict[int, BatchActions]:
    """For each batch: the user's live nomination, and whether they may ask or nominate.

    Batches of one `course` (the course page) cost two queries whatever their number, one
    if the caller knows the course's `lead_days` already."""
    from govtrain.classroom.services.eligibility import nomination_window_reason

    access = access_for(user)
    mine: dict[int, Nomination] = {}
    if access.employee_id:
        mine = _my_nominations(access.employee_id, [b.pk for b in batches])
    today = timezone.localdate()
    actions = {}
    leads: dict[int, int] = {}
    if course is not None and lead_days is not None:
        leads[course.pk] = lead_days
    for batch in batches:
        if batch.course_id not in leads:
            of = course if course is not None and course.pk == batch.course_id else batch.course
            leads[batch.course_id] = policy_for(of).lead_days
        closed = nomination_window_reason(batch, today, lead_days=leads[batch.course_id])
        nomination = mine.get(batch.pk)
        actions[batch.pk] = BatchActions(
            nomination=nomination,
            closed_reason=closed,
            can_request=bool(access.employee_id) and closed is None and nomination is None,
            can_nominate=access.can(Perm.NOMINATE) and closed is None,
        )
    return actions


def feedback_form_of_provider(*, provider: Provider) -> FeedbackForm | None:
    """The provider's own default feedback form, if it has one."""
    return (
        FeedbackForm.objects.filter(provider=provider, is_default=True)
        .prefetch_related("questions")
        .order_by("pk")
        .first()
    )


def batches_awaiting_feedback(*, user: User | AnonymousUser) -> QuerySet[Batch]:
    """Batches the user took part in whose feedback is open and not yet given by them."""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return Batch.objects.none()
    today = timezone.localdate()
    given = FeedbackResponse.objects.filter(employee_id=employee_id).values("batch_id")
    return (
        batches_attended_by(user=user)
        .exclude(status=Batch.Status.CANCELLED)
        .exclude(pk__in=given)
        .annotate(last_day=Max("sessions__date"))
        .filter(Q(last_day__lte=today) | Q(last_day__isnull=True, ends_on__lte=today))
        .order_by("-ends_on", "code")
    )


def batches_taught_by(*, employee_id: int, limit: int = 10) -> QuerySet[Batch]:
    """Batches the employee teaches (as the batch's faculty or in one of its sessions),
    from a month back: for faculty to reach their attendance sheets."""
    since = timezone.localdate() - dt.timedelta(days=30)
    taught = Q(faculty__id=employee_id) | Q(sessions__faculty_id=employee_id)
    ids = (
        Batch.objects.filter(taught, ends_on__gte=since)
        .exclude(status=Batch.Status.CANCELLED)
        .values("pk")
        .distinct()
    )
    return (
        Batch.objects.filter(pk__in=ids)
        .select_related("course", "centre")
        .order_by("starts_on", "code")[:limit]
    )
