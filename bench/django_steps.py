"""Steps that need Django, each in its own process (`python -m bench.django_steps STEP`).

The environment (bench.common.Database.env) points them at the bench database. Each prints
one JSON object on stdout.

- `prepare [--csv FILE --rows N]`: the demo organisation (reference data and offices),
  and, given --csv, the synthetic HR export of N employees.
- `setup-only`: django.setup() and nothing else: the memory floor of any import process.
- `reimport FILE`: `import_employees FILE --apply --no-progress`, in process, counting the
  INSERT/UPDATE/DELETE statements it sends (a row of an executemany or of a COPY counts
  as one), except those on people_importjob (the job's own bookkeeping row).
- `admin`: a state administrator to log in as, with the password in BENCH_ADMIN_PASSWORD;
  the department ids the directory queries filter on.
- `catalog [--courses N]`: fill the catalog up to N courses with their batches
  (bench/catalog_data.py); nothing when it holds that many already.
- `learner`: a clerk with no role to log in as, with the password in
  BENCH_LEARNER_PASSWORD; the catalog's filter codes and the codes of courses with
  upcoming batches, for the catalog's queries and course pages.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WRITE = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|REPLACE)\b", re.I | re.S)
TABLE = re.compile(r'(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
COPY_TABLE = re.compile(r'COPY\s+"?(\w+)"?', re.I)
BOOKKEEPING = "people_importjob"
ADMIN_USERNAME = "bench-admin"
COURSE_PAGES = 50  # courses whose pages the throughput figure cycles through


def _setup() -> None:
    import django

    django.setup()


def prepare(csv_path: str | None, rows: int) -> dict[str, Any]:
    _setup()
    from govtrain.demo.generate import build_offices, build_reference_data, write_employees_csv

    build_reference_data()
    plan = build_offices()
    result: dict[str, Any] = {"offices": len(plan)}
    if csv_path:
        result["rows"] = _write_exactly(Path(csv_path), rows, plan, write_employees_csv)
    return result


def _write_exactly(path: Path, rows: int, plan: Any, write: Callable[..., int]) -> int:
    """The demo generator's export cut to exactly `rows` employees.

    The generator rounds office sizes and falls a little short of its target (499,763 of
    500,000); asked for a little more, its first `rows` rows are kept. Officers always
    come before their staff in the file, so the cut leaves no dangling reference.
    """
    margin = rows // 100 + 100
    while True:
        draft = path.with_suffix(".draft.csv")
        written = write(draft, plan, rows + margin)
        if written >= rows:
            break
        margin *= 2
    with draft.open("rb") as source, path.open("wb") as target:
        for number, line in enumerate(source):
            if number > rows:  # line 0 is the header
                break
            target.write(line)
    draft.unlink()
    return rows


def reimport(path: str) -> dict[str, Any]:
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    from govtrain.people.models import Employee, ImportJob

    writes: Counter[str] = Counter()
    examples: list[str] = []

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match and BOOKKEEPING not in sql:
            if many and not isinstance(params, Sequence):
                params = list(params)
            table = TABLE.search(sql)
            writes[table.group(1) if table else "?"] += len(params) if many else 1
            if len(examples) < 10:
                examples.append(sql[:300])
        return execute(sql, params, many, context)

    def note_copy(statement: Any) -> Callable[[], None]:
        text = str(statement)
        table = COPY_TABLE.search(text)
        name = table.group(1) if table else "?"
        if len(examples) < 10:
            examples.append(text[:300])

        def row() -> None:
            if name != BOOKKEEPING:
                writes[name] += 1

        return row

    error = ""
    with connection.execute_wrapper(count), _counting_copy(note_copy):
        try:
            call_command(
                "import_employees", path, apply=True, no_progress=True, stdout=io.StringIO()
            )
        except CommandError as exc:
            error = str(exc)
    job = ImportJob.objects.order_by("-pk").first()
    return {
        "writes": sum(writes.values()),
        "writes_by_table": dict(writes),
        "examples": examples,
        "status": job.status if job else None,
        "created": job.created_count if job else None,
        "updated": job.updated_count if job else None,
        "unchanged": job.unchanged_count if job else None,
        "employees": Employee.objects.count(),
        "error": error,
    }


@contextmanager
def _counting_copy(note: Callable[[Any], Callable[[], None]]) -> Iterator[None]:
    """COPY (psycopg's cursor.copy) bypasses execute wrappers: count its rows too."""
    from django.db.backends.utils import CursorWrapper

    class CountingCopy:
        def __init__(self, inner: Any, row: Callable[[], None]) -> None:
            self.inner, self.row, self.copy = inner, row, None

        def __enter__(self) -> CountingCopy:
            self.copy = self.inner.__enter__()
            return self

        def __exit__(self, *exc: object) -> Any:
            return self.inner.__exit__(*exc)

        def write_row(self, values: Any) -> None:
            self.row()
            self.copy.write_row(values)  # type: ignore[attr-defined]

        def write(self, data: Any) -> None:
            self.row()  # a block of rows: counted once, as at least one write
            self.copy.write(data)  # type: ignore[attr-defined]

    def copy(self: Any, statement: Any, *args: Any, **kwargs: Any) -> CountingCopy:
        return CountingCopy(self.cursor.copy(statement, *args, **kwargs), note(statement))

    CursorWrapper.copy = copy  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del CursorWrapper.copy  # type: ignore[attr-defined]


def admin() -> dict[str, Any]:
    _setup()
    from govtrain.accounts.models import Role, RoleAssignment, User
    from govtrain.organisation.models import Department
    from govtrain.people.models import Employee

    user, _created = User.objects.get_or_create(username=ADMIN_USERNAME)
    user.set_password(os.environ["BENCH_ADMIN_PASSWORD"])
    user.is_active = True
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.STATE_ADMIN)
    return {
        "username": ADMIN_USERNAME,
        "departments": dict(Department.objects.values_list("code", "pk")),
        "employees": Employee.objects.count(),
    }


def catalog(courses: int) -> dict[str, Any]:
    _setup()
    import time

    from bench.catalog_data import generate

    start = time.perf_counter()
    result = generate(courses=courses)
    return {**result, "seconds": round(time.perf_counter() - start, 2)}


def learner() -> dict[str, Any]:
    """A clerk in service with a login and no role: what most readers of the catalog are."""
    _setup()
    from django.db.models import Count, Q
    from django.utils import timezone

    from govtrain.accounts.models import RoleAssignment
    from govtrain.catalog.models import Centre, Course, Provider, Topic
    from govtrain.classroom.models import Batch
    from govtrain.people.models import Employee

    with_roles = RoleAssignment.objects.values("user_id")
    employee = (
        Employee.objects.filter(
            status=Employee.Status.ACTIVE, designation__code="CLK", user__isnull=False
        )
        .exclude(user_id__in=with_roles)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if employee is None or employee.user is None:
        raise SystemExit("no clerk with a login: import the employees first")
    user = employee.user
    user.set_password(os.environ["BENCH_LEARNER_PASSWORD"])
    user.is_active = True
    user.save()
    today = timezone.localdate()
    upcoming = Q(batches__status=Batch.Status.SCHEDULED, batches__starts_on__gte=today)
    courses = list(
        Course.objects.filter(is_published=True)
        .annotate(n=Count("batches", filter=upcoming))
        .filter(n__gte=2)
        .order_by("-n", "code")
        .values_list("code", flat=True)[:COURSE_PAGES]
    )
    return {
        "username": user.username,
        "employee": employee.pen,
        "course_pages": courses,
        "topics": sorted(Topic.objects.values_list("code", flat=True)),
        "providers": sorted(Provider.objects.values_list("code", flat=True)),
        "centres": sorted(Centre.objects.values_list("code", flat=True)),
        "courses": Course.objects.count(),
        "published": Course.objects.filter(is_published=True).count(),
        "employees": Employee.objects.count(),
        "today": today.isoformat(),
    }


def main(argv: list[str]) -> None:
    step = argv[0] if argv else ""
    if step == "prepare":
        csv_path = argv[argv.index("--csv") + 1] if "--csv" in argv else None
        rows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else 0
        result = prepare(csv_path, rows)
    elif step == "setup-only":
        _setup()
        result = {}
    elif step == "reimport" and len(argv) == 2:
        result = reimport(argv[1])
    elif step == "admin":
        result = admin()
    elif step == "catalog":
        courses = int(argv[argv.index("--courses") + 1]) if "--courses" in argv else 5000
        result = catalog(courses)
    elif step == "learner":
        result = learner()
    else:
        raise SystemExit(
            "usage: python -m bench.django_steps prepare [--csv FILE --rows N] | setup-only"
            " | reimport FILE | admin | catalog [--courses N] | learner"
        )
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
