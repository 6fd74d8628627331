"""Classroom figures at state scale, each step in its own process:
`python -m bench.classroom_steps nominate|attendance`, with the bench database's
environment (bench.common.Database.env). Each prints one JSON object on stdout.

Both steps build what they need under codes of their own (`BN-<run>-...`), so they run
as often as asked on the same database; they never touch the generated catalog's rows.
Every timed call is preceded by an untimed warm-up of the same call in the same process
(a server process answering a request is warm too), and each figure is the median of
ROUNDS rounds, each with its own batch or session and its own people.

- `nominate`: a nodal officer over a department nominates NOMINEES of its staff to one
  batch with `nominations_create` (the employees loaded with their offices, as the
  nominate view loads them). Baseline: `Nomination.objects.bulk_create` of the same rows
  into a twin batch, nothing checked.
- `attendance`: the batch's faculty marks a session of PARTICIPANTS with
  `attendance_mark`, then submits the sheet again with CORRECTIONS marks changed.
  Baseline: `Attendance.objects.bulk_create` of the same marks into another session.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

ROUNDS = 3
NOMINEES = 500
PARTICIPANTS = 60
CORRECTIONS = 6
SEED = 20251124
T = TypeVar("T")


def _setup() -> None:
    import django

    django.setup()


@contextmanager
def counting_queries() -> Iterator[Counter[str]]:
    """Statements sent to the database, by their first word (SELECT, INSERT, ...)."""
    from django.db import connection

    counts: Counter[str] = Counter()

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        counts[sql.lstrip().split(" ", 1)[0].upper()] += 1
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(count):
        yield counts


def timed(call: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def login_of(employee: Any) -> Any:
    if employee.user is None:
        raise SystemExit(f"{employee} has no login")
    return employee.user


def _run_id() -> str:
    return time.strftime("%m%d%H%M%S")


def _staff(department_id: int, count: int, rng: random.Random) -> list[int]:
    """Ids of `count` serving employees of the department, with logins and no live
    nomination anywhere (so that none is refused), spread over its offices."""
    from govtrain.classroom.models import Nomination
    from govtrain.people.models import Employee

    busy = Nomination.objects.filter(status__in=Nomination.ACTIVE).values("employee_id")
    ids = list(
        Employee.objects.filter(
            office__department_id=department_id,
            status__in=Employee.SERVING,
            user__isnull=False,
        )
        .exclude(pk__in=busy)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) < count:
        raise SystemExit(f"only {len(ids)} free employees in department {department_id}")
    return rng.sample(ids, count)


def _biggest_department() -> Any:
    from django.db.models import Count

    from govtrain.organisation.models import Department
    from govtrain.people.models import Employee

    row = (
        Employee.objects.filter(status__in=Employee.SERVING, user__isnull=False)
        .values("office__department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("no employees: import them first")
    return Department.objects.get(pk=row["office__department_id"])


def _course(code: str, *, title: str, **fields: Any) -> Any:
    from govtrain.catalog.models import Course, Provider, Topic

    values: dict[str, Any] = {
        "provider": Provider.objects.get(code="IMG"),
        "title_en": title,
        "topic": Topic.objects.get(code="RULES"),
        "modality": Course.Modality.CLASSROOM,
        "hours": Decimal(18),
        "languages": ["ml", "en"],
        "is_published": True,
    }
    values.update(fields)
    return Course.objects.create(code=code, **values)


def _batch(course: Any, code: str, *, starts_on: dt.date, days: int, capacity: int) -> Any:
    """A scheduled batch at IMG Thiruvananthapuram's auditorium with two sessions a day,
    open for nominations today (govtrain.testing.make_batch does the same for tests)."""
    from django.utils import timezone

    from govtrain.catalog.models import Venue
    from govtrain.classroom.models import Batch, Session

    venue = Venue.objects.select_related("centre").get(centre__code="IMG-TVM", code="AUD")
    batch = Batch.objects.create(
        course=course,
        code=code,
        centre=venue.centre,
        venue=venue,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        capacity=capacity,
        nominations_open_on=min(timezone.localdate(), starts_on) - dt.timedelta(days=1),
        nominations_close_on=max(starts_on - dt.timedelta(days=7), timezone.localdate()),
    )
    slots = [(dt.time(9, 30), dt.time(13, 0)), (dt.time(14, 0), dt.time(17, 0))]
    Session.objects.bulk_create(
        Session(
            batch=batch,
            date=starts_on + dt.timedelta(days=day),
            starts_at=start,
            ends_at=end,
            title=f"Day {day + 1}",
        )
        for day in range(days)
        for start, end in slots
    )
    return batch


# --- nominate --------------------------------------------------------------------------


def _nominations_floor(batch: Any, employees: list[Any], steps: list[str], by: Any) -> Any:
    """The same rows as nominations_create writes, with bulk_create alone."""
    from django.utils import timezone

    from govtrain.classroom.models import Nomination, Step

    now = timezone.now()
    return Nomination.objects.bulk_create(
        Nomination(
            batch=batch,
            employee=employee,
            status=Nomination.Status.APPROVED,
            source=Nomination.Source.NOMINATION,
            steps=steps,
            step=Step.INSTITUTE,
            nominated_by=by,
            created_at=now,
            updated_at=now,
        )
        for employee in employees
    )


def nominate() -> dict[str, Any]:
    _setup()
    from django.db import connection
    from django.utils import timezone

    from govtrain.accounts.models import Role, RoleAssignment
    from govtrain.classroom.models import BatchQuota, Nomination
    from govtrain.classroom.services.nominations import nominations_create
    from govtrain.people.models import Employee, ServiceClass
    from govtrain.records.models import Enrolment

    rng = random.Random(SEED)  # noqa: S311 - a fixed choice of people, not a secret
    run = _run_id()
    department = _biggest_department()
    warm_up = 5
    ids = _staff(department.pk, NOMINEES * ROUNDS + warm_up + 1, rng)
    officer = login_of(Employee.objects.select_related("user").get(pk=ids.pop()))
    RoleAssignment.objects.get_or_create(
        user=officer, role=Role.NODAL_OFFICER, department=department
    )
    # A course with every rule the check reads: targets, a prerequisite, a quota.
    classes = ServiceClass.objects.filter(
        pk__in=Employee.objects.filter(pk__in=ids).values("service_class_id")
    )
    before = _course(f"BN-{run}-PRE", title="Office procedure (bench prerequisite)")
    course = _course(f"BN-{run}-NOM", title="Kerala Service Rules (bench nominations)")
    course.target_service_classes.set(classes)
    course.prerequisites.set([before])
    today = timezone.localdate()
    Enrolment.objects.bulk_create(
        Enrolment(
            employee_id=pk,
            course=before,
            status=Enrolment.Status.COMPLETED,
            completed_on=today - dt.timedelta(days=100),
            hours_credited=before.hours,
        )
        for pk in ids
    )

    def batch(name: str) -> Any:
        made = _batch(
            course,
            f"BN-{run}-{name}",
            starts_on=today + dt.timedelta(days=30),
            days=3,
            capacity=NOMINEES,
        )
        BatchQuota.objects.create(batch=made, department=department, seats=NOMINEES + 100)
        return made

    def load(chosen: list[int]) -> list[Employee]:
        # As the nominate view loads them (classroom.views.nominations._resolve).
        return list(Employee.objects.select_related("office").filter(pk__in=chosen))

    warm = load(ids[:warm_up])
    nominations_create(batch=batch("WARM"), employees=warm, by=officer)
    rounds: list[dict[str, Any]] = []
    for n in range(ROUNDS):
        chosen = ids[warm_up + n * NOMINEES : warm_up + (n + 1) * NOMINEES]
        employees = load(chosen)
        target, twin = batch(f"R{n + 1}"), batch(f"R{n + 1}-FLOOR")
        with counting_queries() as counts:
            seconds, result = timed(
                partial(nominations_create, batch=target, employees=employees, by=officer)
            )
        if len(result.created) != NOMINEES or result.refused:
            raise SystemExit(f"nominated {len(result.created)}, refused {len(result.refused)}")
        steps = list(result.created[0].steps)
        floor, _rows = timed(partial(_nominations_floor, twin, employees, steps, officer))
        rounds.append(
            {"seconds": round(seconds, 4), "floor": round(floor, 4), "queries": dict(counts)}
        )
    return {
        "seconds": statistics.median(r["seconds"] for r in rounds),
        "floor": statistics.median(r["floor"] for r in rounds),
        "rounds": rounds,
        "nominees": NOMINEES,
        "department": department.code,
        "department_staff": Employee.objects.filter(office__department=department).count(),
        "employees": Employee.objects.count(),
        "nominations_in_database": Nomination.objects.count(),
        "vendor": connection.vendor,
    }


# --- attendance ------------------------------------------------------------------------


def _sheet(ids: list[int], rng: random.Random) -> dict[int, tuple[str, int | None]]:
    """A day's register: most present, a few late, partly present or absent."""
    statuses = ["present"] * (len(ids) - 10) + ["late"] * 4 + ["partial"] * 3 + ["absent"] * 3
    rng.shuffle(statuses)
    return {pk: (s, 90 if s == "partial" else None) for pk, s in zip(ids, statuses, strict=True)}


def _corrected(sheet: dict[int, tuple[str, int | None]]) -> dict[int, tuple[str, int | None]]:
    """The same sheet with CORRECTIONS marks changed, as after a complaint."""
    changed = dict(sheet)
    wrong = [pk for pk, (s, _m) in sheet.items() if s != "present"][: CORRECTIONS - 1]
    for pk in wrong:
        changed[pk] = ("present", None)
    first_present = next(pk for pk, (s, _m) in sheet.items() if s == "present")
    changed[first_present] = ("excused", None)
    return changed


def attendance() -> dict[str, Any]:
    _setup()
    from django.db import connection
    from django.utils import timezone

    from govtrain.classroom.models import Attendance
    from govtrain.classroom.services.attendance import attendance_mark, mark_minutes
    from govtrain.people.models import Employee
    from govtrain.records.services import enrolment_open

    rng = random.Random(SEED + 1)  # noqa: S311 - a fixed choice of people, not a secret
    run = _run_id()
    department = _biggest_department()
    warm_up = 5
    ids = _staff(department.pk, PARTICIPANTS + warm_up + 1, rng)
    teacher_employee = Employee.objects.select_related("user").get(pk=ids.pop())
    teacher = login_of(teacher_employee)
    course = _course(f"BN-{run}-ATT", title="Noting and drafting (bench attendance)")
    today = timezone.localdate()
    # Started two days ago, ends today: every session may be marked.
    batch = _batch(
        course, f"BN-{run}-ATT", starts_on=today - dt.timedelta(days=2), days=3, capacity=60
    )
    warm_batch = _batch(
        course, f"BN-{run}-ATT-WARM", starts_on=today - dt.timedelta(days=2), days=3, capacity=60
    )
    for b in (batch, warm_batch):
        b.faculty.add(teacher_employee)
    people = Employee.objects.in_bulk(ids)
    for pk in ids[:warm_up]:
        enrolment_open(employee=people[pk], batch=warm_batch)
    participants = ids[warm_up:]
    for pk in participants:
        enrolment_open(employee=people[pk], batch=batch)
    sessions = list(batch.sessions.order_by("date", "starts_at"))
    if len(sessions) < 2 * ROUNDS:
        raise SystemExit("the batch has too few sessions")
    warm_session = warm_batch.sessions.order_by("date", "starts_at").first()
    attendance_mark(
        session=warm_session,
        marks=dict.fromkeys(ids[:warm_up], ("present", None)),
        by=teacher,
    )
    rounds: list[dict[str, Any]] = []
    for n in range(ROUNDS):
        session, floor_session = sessions[n], sessions[ROUNDS + n]
        sheet = _sheet(participants, rng)
        with counting_queries() as first_counts:
            first, marked = timed(
                partial(attendance_mark, session=session, marks=sheet, by=teacher)
            )
        if marked.created != PARTICIPANTS:
            raise SystemExit(f"marked {marked}")
        fixed = _corrected(sheet)
        with counting_queries() as again_counts:
            again, corrected = timed(
                partial(
                    attendance_mark,
                    session=session,
                    marks=fixed,
                    by=teacher,
                    reason="Register checked again",
                )
            )
        if corrected.corrected != CORRECTIONS:
            raise SystemExit(f"corrected {corrected}")
        length = floor_session.minutes
        rows = [
            Attendance(
                session=floor_session,
                employee_id=pk,
                status=status,
                minutes=mark_minutes(
                    status=status, minutes=minutes, session_minutes=length, late_by=15
                ),
                marked_by=teacher,
            )
            for pk, (status, minutes) in sheet.items()
        ]
        floor, _rows = timed(partial(Attendance.objects.bulk_create, rows))
        rounds.append(
            {
                "seconds": round(first, 4),
                "correction_seconds": round(again, 4),
                "floor": round(floor, 4),
                "queries": dict(first_counts),
                "correction_queries": dict(again_counts),
            }
        )
    return {
        "seconds": statistics.median(r["seconds"] for r in rounds),
        "correction_seconds": statistics.median(r["correction_seconds"] for r in rounds),
        "floor": statistics.median(r["floor"] for r in rounds),
        "rounds": rounds,
        "participants": PARTICIPANTS,
        "corrections": CORRECTIONS,
        "employees": Employee.objects.count(),
        "attendance_in_database": Attendance.objects.count(),
        "vendor": connection.vendor,
    }


def main(argv: list[str]) -> None:
    step = argv[0] if argv else ""
    if "--profile" in argv:  # where the time goes, on stderr (for development)
        import cProfile
        import pstats

        target = nominate if step == "nominate" else attendance
        profile = cProfile.Profile()
        profile.runcall(target)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
        return
    if step == "nominate":
        result = nominate()
    elif step == "attendance":
        result = attendance()
    else:
        raise SystemExit("usage: python -m bench.classroom_steps nominate | attendance")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
