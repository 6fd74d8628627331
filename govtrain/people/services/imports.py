"""Bulk import of employees from the HR/payroll export.

Two passes over the stored file, both streaming:

1. *Validate*: every row is checked (PEN, names, codes of office/designation/class/
   cadre, dates, contacts, duplicates, controlling officer). Clean rows are spooled to a
   temporary file in a compact form; errors go to a downloadable CSV as they are found.
2. *Apply* (only if pass 1 found no error): chunk by chunk, compare each clean row with
   the stored employee and write only what differs, all inside one transaction, so a
   failure leaves nothing half-applied. A dry run does the comparison and writes nothing.

Re-importing an unchanged file therefore writes nothing at all. Progress goes to the
cache (the transaction hides row updates from other connections) and to the job row at
the end of each phase.
"""

from __future__ import annotations

import datetime as dt
import marshal
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.audit.services import audit_record
from govtrain.organisation.models import Office
from govtrain.people.models import (
    PEN_PATTERN,
    Cadre,
    Designation,
    Employee,
    ImportJob,
    ServiceClass,
)
from govtrain.people.services import audit_value, search_name_for
from govtrain.people.services.reading import (
    FileRejected,
    RawRow,
    cell_text,
    count_rows,
    iter_rows,
    write_error_csv,
)

CHUNK = 2000
ANALYZE_AFTER = 10_000  # new rows after which PostgreSQL gets fresh statistics
PREVIEW_ERRORS = 100
PEN_RE = re.compile(PEN_PATTERN)
PHONE_RE = re.compile(r"^\+?[0-9 -]{6,20}$")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
# UTF-8 Malayalam read as Latin-1/Windows-1252 turns into these pairs ("mojibake").
MOJIBAKE = re.compile("[\u00e0\u00c3][\u0080-\u00ff]")
GENDERS = {
    "f": "F",
    "female": "F",
    "m": "M",
    "male": "M",
    "t": "T",
    "transgender": "T",
    "x": "X",
    "": "X",
    "not stated": "X",
}
STATUSES = {s.value: s.value for s in Employee.Status} | {
    str(s.label).lower(): s.value for s in Employee.Status
}
# The compared fields, in the order of a spooled clean row after the PEN.
FIELDS = (
    "name_en",
    "name_ml",
    "gender",
    "service_class_id",
    "cadre_id",
    "designation_id",
    "office_id",
    "date_of_joining",
    "status",
    "email",
    "phone",
)
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class References:
    """Code -> id of the reference data, loaded once per import."""

    offices: dict[str, int]
    designations: dict[str, int]
    service_classes: dict[str, int]
    cadres: dict[str, int]

    @classmethod
    def load(cls) -> References:
        def codes(model: Any) -> dict[str, int]:
            return {code.upper(): pk for code, pk in model.objects.values_list("code", "pk")}

        return cls(codes(Office), codes(Designation), codes(ServiceClass), codes(Cadre))


@dataclass
class Outcome:
    total: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    preview: list[dict[str, Any]] = field(default_factory=list)


class ImportAborted(Exception):
    pass


# --- entry points ----------------------------------------------------------------------


def import_start(*, by: User, upload: File[bytes], dry_run: bool = True) -> ImportJob:
    """Store an upload and queue its import. PermissionDenied without `people.import`."""
    if not access_for(by).can(Perm.PEOPLE_IMPORT):
        raise PermissionDenied
    job = ImportJob(
        created_by=by, original_name=Path(upload.name or "upload").name, dry_run=dry_run
    )
    job.file.save(job.original_name, upload, save=False)
    job.save()
    _enqueue(job)
    return job


def import_apply(*, dry_run_job: ImportJob, by: User) -> ImportJob:
    """Apply the file of a clean dry run for real, as a new job."""
    if not access_for(by).can(Perm.PEOPLE_IMPORT):
        raise PermissionDenied
    if not dry_run_job.dry_run or dry_run_job.status != ImportJob.Status.SUCCEEDED:
        raise ValidationError(_("Only a finished dry run without errors can be applied."))
    job = ImportJob.objects.create(
        created_by=by,
        original_name=dry_run_job.original_name,
        dry_run=False,
        file=dry_run_job.file.name,
        applied_from=dry_run_job,
    )
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from govtrain.people.tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))


def progress_key(job_id: int) -> str:
    return f"govtrain:import-progress:{job_id}"


def import_run(*, job: ImportJob, on_progress: ProgressCallback | None = None) -> ImportJob:
    """Run a queued job to its end. Never raises for bad input: the job records it.

    Messages and row errors are written in the language of whoever uploaded the file.
    """
    language = job.created_by.language if job.created_by else settings.LANGUAGE_CODE
    with translation.override(language):
        return _run(job, on_progress)


def _run(job: ImportJob, on_progress: ProgressCallback | None) -> ImportJob:
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    outcome = Outcome()

    def report(phase: str, processed: int, total: int) -> None:
        cache.set(
            progress_key(job.pk),
            {"phase": phase, "processed": processed, "total": total},
            timeout=6 * 3600,
        )
        if on_progress:
            on_progress(phase, processed, total)

    fmt = "xlsx" if job.original_name.lower().endswith(".xlsx") else "csv"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = _local_copy(job, Path(tmp))
            outcome.total = count_rows(path, fmt)
            spool = Path(tmp) / "clean.bin"
            errors_path = Path(tmp) / "errors.csv"
            job.phase = ImportJob.Phase.VALIDATING
            job.total_rows = outcome.total
            job.save(update_fields=["phase", "total_rows", "updated_at"])
            _validate(path, fmt, spool, errors_path, outcome, report)
            if outcome.errors:
                with errors_path.open("rb") as f:
                    job.error_report.save(f"errors-{job.pk}.csv", File(f), save=False)
                job.status = ImportJob.Status.REJECTED
                job.message = _("%(count)s rows have errors; nothing was changed.") % {
                    "count": outcome.errors
                }
            else:
                job.phase = ImportJob.Phase.APPLYING
                job.save(update_fields=["phase", "updated_at"])
                _apply(job, spool, outcome, report)
                job.status = ImportJob.Status.SUCCEEDED
                job.message = (
                    _("Dry run: nothing was changed.")
                    if job.dry_run
                    else _("The import was applied.")
                )
    except FileRejected as exc:
        job.status, job.message = ImportJob.Status.REJECTED, str(exc)
    except Exception as exc:
        job.status, job.message = ImportJob.Status.FAILED, _("The import failed: %s") % exc
        _finish(job, outcome)
        raise
    _finish(job, outcome)
    return job


def _local_copy(job: ImportJob, tmp: Path) -> Path:
    """The upload as a local file: the stored one, or a copy from object storage."""
    try:
        return Path(job.file.path)
    except NotImplementedError:
        local = tmp / ("upload" + Path(job.original_name).suffix.lower())
        with job.file.open("rb") as source, local.open("wb") as target:
            for chunk in source.chunks():
                target.write(chunk)
        return local


def _finish(job: ImportJob, outcome: Outcome) -> None:
    job.phase = ImportJob.Phase.DONE
    job.finished_at = timezone.now()
    job.processed_rows = outcome.processed
    job.total_rows = max(outcome.total, outcome.processed)
    job.created_count, job.updated_count = outcome.created, outcome.updated
    job.unchanged_count, job.error_count = outcome.unchanged, outcome.errors
    job.errors_preview = outcome.preview
    job.save()
    cache.delete(progress_key(job.pk))


# --- pass 1: validate ------------------------------------------------------------------


class OfficerCheck:
    """Controlling officers must exist, in the file (earlier or later) or already stored.

    Rows naming an officer not yet seen wait in `pending`; the database is asked about
    each such PEN once, a chunk at a time.
    """

    def __init__(self) -> None:
        self.pending: dict[str, list[int]] = {}
        self.stored: set[str] = set()
        self.asked: set[str] = set()

    def note(self, officer_pen: str, row: int, seen_in_file: dict[str, int]) -> None:
        if officer_pen not in seen_in_file and officer_pen not in self.stored:
            self.pending.setdefault(officer_pen, []).append(row)

    def seen(self, pen: str) -> None:
        self.pending.pop(pen, None)

    def ask_database(self) -> None:
        unasked = [pen for pen in self.pending if pen not in self.asked]
        for start in range(0, len(unasked), CHUNK):
            part = unasked[start : start + CHUNK]
            self.asked.update(part)
            found = set(Employee.objects.filter(_in("pen", part)).values_list("pen", flat=True))
            self.stored |= found
            for pen in found:
                self.pending.pop(pen, None)


def _validate(
    path: Path, fmt: str, spool: Path, errors_path: Path, outcome: Outcome, report: ProgressCallback
) -> None:
    refs = References.load()
    first_row_of_pen: dict[str, int] = {}
    officers = OfficerCheck()
    email_check = EmailValidator()
    with (
        spool.open("wb") as spool_file,
        errors_path.open("w", newline="", encoding="utf-8") as errors_file,
    ):
        errors = write_error_csv(errors_file)

        def error(row: int, pen: str, column: str, message: str) -> None:
            outcome.errors += 1
            record = {"row": row, "pen": pen, "column": column, "message": message}
            errors.writerow(record)
            if len(outcome.preview) < PREVIEW_ERRORS:
                outcome.preview.append(record)

        batch: list[tuple[Any, ...]] = []
        for raw in iter_rows(path, fmt):
            outcome.processed += 1
            clean = _clean_row(raw, refs, email_check, error)
            if clean is None:
                continue
            pen, officer_pen = clean[0], clean[-1]
            if pen in first_row_of_pen:
                error(
                    raw.number,
                    pen,
                    "pen",
                    _("This PEN is already in row %s.") % first_row_of_pen[pen],
                )
                continue
            first_row_of_pen[pen] = raw.number
            officers.seen(pen)
            if officer_pen == pen:
                error(
                    raw.number,
                    pen,
                    "controlling_officer_pen",
                    _("An employee cannot control themselves."),
                )
                continue
            if officer_pen:
                officers.note(officer_pen, raw.number, first_row_of_pen)
            batch.append(clean)
            if len(batch) >= CHUNK:
                marshal.dump(batch, spool_file)
                batch = []
                officers.ask_database()
                report(ImportJob.Phase.VALIDATING, outcome.processed, outcome.total)
        if batch:
            marshal.dump(batch, spool_file)
        officers.ask_database()
        for officer_pen, rows in officers.pending.items():
            for row in rows:
                error(
                    row,
                    "",
                    "controlling_officer_pen",
                    _("No employee has the controlling officer's PEN %s.") % officer_pen,
                )
        report(ImportJob.Phase.VALIDATING, outcome.processed, outcome.total)


def _clean_row(
    raw: RawRow,
    refs: References,
    email_check: EmailValidator,
    error: Callable[[int, str, str, str], None],
) -> tuple[Any, ...] | None:
    """One row as a tuple ready to compare, or None after reporting what is wrong."""
    v = raw.values
    pen = cell_text(v.get("pen"))
    if raw.encoding_error:
        error(raw.number, pen, "", _("This row is not UTF-8 text. Save the file as “CSV UTF-8”."))
        return None
    ok = True

    def bad(column: str, message: str) -> None:
        nonlocal ok
        ok = False
        error(raw.number, pen, column, message)

    if not PEN_RE.match(pen):
        bad("pen", _("A PEN is 5 to 10 digits; found “%s”.") % pen)
    name_en = " ".join(cell_text(v.get("name_en")).split())
    name_ml = " ".join(cell_text(v.get("name_ml")).split())
    if not name_en:
        bad("name_en", _("The English name is missing."))
    elif len(name_en) > 150:
        bad("name_en", _("The English name is longer than 150 characters."))
    if MOJIBAKE.search(name_ml) or MOJIBAKE.search(name_en):
        bad(
            "name_ml",
            _(
                "The name looks garbled: the file was probably saved in another "
                "encoding than UTF-8."
            ),
        )
    elif len(name_ml) > 150:
        bad("name_ml", _("The Malayalam name is longer than 150 characters."))

    def ref(column: str, table: dict[str, int], required: bool = True) -> int | None:
        code = cell_text(v.get(column)).upper()
        if not code:
            if required:
                bad(column, _("This value is required."))
            return None
        if code not in table:
            bad(column, _("Unknown code “%s”.") % code)
            return None
        return table[code]

    service_class_id = ref("service_class", refs.service_classes)
    cadre_id = ref("cadre", refs.cadres, required=False)
    designation_id = ref("designation", refs.designations)
    office_id = ref("office", refs.offices)
    gender = GENDERS.get(cell_text(v.get("gender")).lower())
    if gender is None:
        bad("gender", _("Gender must be F, M, T or X."))
    status = STATUSES.get(cell_text(v.get("status")).lower() or Employee.Status.ACTIVE)
    if status is None:
        bad("status", _("Unknown status “%s”.") % cell_text(v.get("status")))
    joined = _parse_date(v.get("date_of_joining"))
    if joined is False:
        bad("date_of_joining", _("Write the date as YYYY-MM-DD or DD-MM-YYYY."))
    email = cell_text(v.get("email")).lower()
    if email:
        try:
            email_check(email)
        except ValidationError:
            bad("email", _("“%s” is not an e-mail address.") % email)
    phone = cell_text(v.get("phone"))
    if phone and not PHONE_RE.match(phone):
        bad("phone", _("“%s” is not a phone number.") % phone)
    co_pen = cell_text(v.get("controlling_officer_pen"))
    if co_pen and not PEN_RE.match(co_pen):
        bad("controlling_officer_pen", _("A PEN is 5 to 10 digits; found “%s”.") % co_pen)
    if not ok:
        return None
    return (
        pen,
        name_en,
        name_ml,
        gender,
        service_class_id,
        cadre_id,
        designation_id,
        office_id,
        joined.toordinal() if isinstance(joined, dt.date) else None,
        status,
        email,
        phone,
        co_pen,
    )


def _parse_date(value: object) -> dt.date | bool | None:
    """A date, None when empty, False when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return False
    for fmt in DATE_FORMATS[1:]:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return False


# --- pass 2: compare and apply -----------------------------------------------------------


def _read_spool(spool: Path) -> Iterator[list[tuple[Any, ...]]]:
    with spool.open("rb") as f:
        while True:
            try:
                yield marshal.load(f)  # noqa: S302 - our own spool file, written moments ago
            except EOFError:
                return


def _apply(job: ImportJob, spool: Path, outcome: Outcome, report: ProgressCallback) -> None:
    actor = job.created_by
    done = 0
    with transaction.atomic():
        into_empty = not Employee.objects.exists()
        deferred: list[tuple[str, str]] = []  # (employee PEN, officer PEN) not yet stored
        for batch in _read_spool(spool):
            deferred += _apply_chunk(batch, job, actor, outcome, into_empty)
            done += len(batch)
            report(ImportJob.Phase.APPLYING, done, outcome.total)
        _apply_deferred_officers(deferred, job)
        if not job.dry_run and (outcome.created or outcome.updated):
            audit_record(
                actor=actor,
                action="employees.imported",
                target=job,
                after={
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                    "file": job.original_name,
                },
            )
    if connection.vendor == "postgresql" and not job.dry_run and outcome.created > ANALYZE_AFTER:
        # Fresh statistics, or the planner takes a bulk-loaded table for a small one
        # (department searches took seconds in make bench until autovacuum caught up).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_employee, accounts_user")


def _in(field: str, keys: Iterable[str]) -> Q:
    """`field IN keys`, planned as index lookups even for a chunk of 2,000 keys.

    PostgreSQL planned a 2,000-literal IN list as a parallel sequential scan (50-75 ms
    a chunk at 500,000 rows, make bench); an array it unnests uses the index.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::text[])", (list(keys),))})
    return Q(**{f"{field}__in": list(keys)})


def _stored(pens: list[str]) -> dict[str, tuple[Any, ...]]:
    rows = Employee.objects.filter(_in("pen", pens)).values_list(
        "pen", *FIELDS, "controlling_officer_id", "id", "user_id"
    )
    return {row[0]: row[1:] for row in rows}


def _apply_chunk(
    batch: list[tuple[Any, ...]],
    job: ImportJob,
    actor: User | None,
    outcome: Outcome,
    into_empty: bool,
) -> list[tuple[str, str]]:
    """Compare a chunk with the stored employees and write the difference.

    Returns (employee PEN, officer PEN) pairs whose officer comes later in the file.
    """
    # Into an empty registry nothing is stored yet: the file's PENs are unique.
    stored = _stored([row[0] for row in batch]) if not into_empty else {}
    officer_pens = {row[-1] for row in batch if row[-1]}
    officers = dict(Employee.objects.filter(_in("pen", officer_pens)).values_list("pen", "id"))
    new_rows: list[NewRow] = []
    existing = []
    for row in batch:
        pen, values, co_pen = row[0], list(row[1:-1]), row[-1]
        if values[7] is not None:
            values[7] = dt.date.fromordinal(values[7])
        if pen in stored:
            existing.append((pen, values, co_pen))
        else:
            new_rows.append((pen, values, co_pen))
    outcome.created += len(new_rows)
    deferred = [] if job.dry_run else _insert_new(new_rows, officers)
    changed: list[Changed] = []
    for pen, values, co_pen in existing:
        current = stored[pen]
        co_id = officers.get(co_pen) if co_pen else None
        if co_pen and co_id is None:
            # The officer is stored later in this file: a change of officer all the same.
            deferred.append((pen, co_pen))
            changed.append((pen, values, co_id, current))
        elif (*values, co_id) != current[:-2]:
            changed.append((pen, values, co_id, current))
        else:
            outcome.unchanged += 1
    outcome.updated += len(changed)
    if not job.dry_run:
        _update(changed, job, actor)
    return deferred


NewRow = tuple[str, list[Any], str]
Changed = tuple[str, list[Any], int | None, tuple[Any, ...]]
EMPLOYEE_COLUMNS = (
    "pen",
    *FIELDS,
    "controlling_officer_id",
    "user_id",
    "search_name",
    "created_at",
    "updated_at",
)
USER_COLUMNS = (
    "username",
    "password",
    "is_active",
    "is_superuser",
    "is_staff",
    "first_name",
    "last_name",
    "email",
    "language",
    "date_joined",
)


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Write many new rows at once: COPY on PostgreSQL, one executemany elsewhere.

    Django's bulk_create spends ~200 us a row compiling SQL at this width (measured on
    20,000 employees), and on PostgreSQL an executemany is still a statement a row
    (244 s for half a million employees in make bench); the HR export of a whole state
    has half a million rows.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from our models
            rows,
        )


def _insert_new(new_rows: list[NewRow], officers: dict[str, int]) -> list[tuple[str, str]]:
    """Create employees and their logins. Officers go in before their staff, in waves,
    so that each row is written once with its officer; returns what must wait."""
    if not new_rows:
        return []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    serving = set(Employee.SERVING)
    pens = [pen for pen, _values, _co in new_rows]
    # A login may outlive its employee row (deleted by an administrator); reuse it.
    users = dict(
        User.objects.filter(_in("username", pens), employee__isnull=True).values_list(
            "username", "id"
        )
    )
    _insert(
        User,
        USER_COLUMNS,
        [
            (
                pen,
                UNUSABLE_PASSWORD_PREFIX,
                values[8] in serving,
                False,
                False,
                "",
                "",
                "",
                "en",
                now,
            )
            for pen, values, _co in new_rows
            if pen not in users
        ],
    )
    users.update(
        User.objects.filter(_in("username", [pen for pen in pens if pen not in users])).values_list(
            "username", "id"
        )
    )
    deferred: list[tuple[str, str]] = []
    pending = new_rows
    while pending:
        wave = [r for r in pending if not r[2] or r[2] in officers]
        later = [r for r in pending if r[2] and r[2] not in officers]
        if not wave:  # every officer left is further down the file
            deferred = [(pen, co_pen) for pen, _values, co_pen in later]
            wave, later = later, []
        _insert(
            Employee,
            EMPLOYEE_COLUMNS,
            [
                (
                    pen,
                    *values[:7],
                    connection.ops.adapt_datefield_value(values[7]),
                    *values[8:],
                    officers.get(co_pen) if co_pen else None,
                    users[pen],
                    search_name_for(values[0]),
                    now,
                    now,
                )
                for pen, values, co_pen in wave
            ],
        )
        waiting_for = {co_pen for _pen, _values, co_pen in later}
        if waiting_for:
            officers.update(
                Employee.objects.filter(
                    _in("pen", [pen for pen, _v, _c in wave if pen in waiting_for])
                ).values_list("pen", "id")
            )
        pending = later
    return deferred


def _update(
    changed: list[Changed],
    job: ImportJob,
    actor: User | None,
) -> None:
    if not changed:
        return
    now = timezone.now()
    employees, events = [], []
    activate: list[int] = []
    deactivate: list[int] = []
    serving = set(Employee.SERVING)
    for pen, values, co_id, current in changed:
        employee = Employee(
            pen=pen,
            pk=current[-2],
            user_id=current[-1],
            **dict(zip(FIELDS, values, strict=True)),
            controlling_officer_id=co_id if co_id is not None else current[-3],
            search_name=search_name_for(values[0]),
            updated_at=now,
        )
        employees.append(employee)
        names = (*FIELDS, "controlling_officer_id")
        new = (*values, employee.controlling_officer_id)
        before = {n: audit_value(o) for n, o, v in zip(names, current, new, strict=False) if o != v}
        after = {n: audit_value(v) for n, o, v in zip(names, current, new, strict=False) if o != v}
        events.append(
            AuditEvent(
                actor=actor,
                action="employee.updated",
                target_type="people.employee",
                target_id=str(employee.pk),
                target_label=f"{employee.name_en} ({pen})"[:200],
                before=before,
                after=after,
                reason=_("Import #%s") % job.pk,
            )
        )
        if current[-1] is not None and (values[8] in serving) != (current[8] in serving):
            (activate if values[8] in serving else deactivate).append(current[-1])
    Employee.objects.bulk_update(
        employees, [*FIELDS, "controlling_officer_id", "search_name", "updated_at"], batch_size=500
    )
    AuditEvent.objects.bulk_create(events, batch_size=CHUNK)
    User.objects.filter(pk__in=activate).update(is_active=True)
    User.objects.filter(pk__in=deactivate).update(is_active=False)


def _apply_deferred_officers(deferred: list[tuple[str, str]], job: ImportJob) -> None:
    """Officers that appear later in the file than their staff, now that all exist."""
    if job.dry_run or not deferred:
        return
    staff_of: dict[str, list[str]] = {}
    for pen, co_pen in deferred:
        staff_of.setdefault(co_pen, []).append(pen)
    officer_ids = dict(Employee.objects.filter(_in("pen", staff_of)).values_list("pen", "id"))
    for co_pen, staff in staff_of.items():
        for start in range(0, len(staff), CHUNK):
            Employee.objects.filter(_in("pen", staff[start : start + CHUNK])).update(
                controlling_officer_id=officer_ids[co_pen]
            )


def import_progress(*, job: ImportJob) -> dict[str, Any]:
    """Phase and counts of a job, live from the cache while it runs."""
    live = cache.get(progress_key(job.pk)) if not job.is_finished else None
    processed = live["processed"] if live else job.processed_rows
    total = live["total"] if live else job.total_rows
    phase = live["phase"] if live else job.phase
    # Validation and saving each take about half the time.
    share = processed / total if total else (1.0 if job.is_finished else 0.0)
    if phase == ImportJob.Phase.VALIDATING:
        percent = share * 50
    elif phase == ImportJob.Phase.APPLYING:
        percent = 50 + share * 50
    else:
        percent = 100.0 if job.is_finished else 0.0
    return {
        "phase": phase,
        "processed": processed,
        "total": total,
        "percent": round(min(percent, 100.0)),
    }
