"""Certificate figures (issue #5), each step in its own process with the bench database's
environment: `python -m bench.certificates_steps prepare|sign|pdf|verify|issue|floor ...`.
Each prints one JSON object on stdout.

- `prepare --completions N`: N completed enrolments of online courses of IMG (the
  employees imported by the bench, as many courses as N needs), written straight into
  the table; idempotent for a reused database. Prints the enrolment ids' range.
- `sign --count N`: N credentials built and signed as a bulk issue does (one key, one
  `created`), no database writes; baseline: Ed25519 over the same credentials' JSON bytes
  (what signing costs without RDF canonicalization).
- `pdf --count N`: N certificate PDFs rendered (distinct names and courses, English and
  Malayalam); baseline: the same number of one-page PDFs of plain text in fpdf2's core
  Helvetica (no font to embed, nothing to shape).
- `verify --count N`: N issued credentials verified as the verification page does;
  baseline: Ed25519 verification of their JSON bytes.
- `issue --part K --of P`: the certificates of every P-th prepared completion from the
  K-th, through the service (signing, status bits, rows, audit, notifications, xAPI).
- `floor --count N`: the same number of certificate rows, with a prebuilt credential,
  inserted in chunks of 200 by the engine's bulk path into a plain copy of the table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

COURSE_PREFIX = "BN-CERT-"


def _setup() -> None:
    import django

    django.setup()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)]


def _courses(count: int) -> list[Any]:
    from govtrain.catalog.models import Course, Provider, Topic

    provider = Provider.objects.get_or_create(
        code="IMG",
        defaults={"name_en": "Institute of Management in Government", "kind": "state_institute"},
    )[0]
    topic = Topic.objects.get_or_create(code="BNCERT", defaults={"name_en": "Bench"})[0]
    return [
        Course.objects.get_or_create(
            code=f"{COURSE_PREFIX}{n:02d}",
            defaults={
                "provider": provider,
                "topic": topic,
                "title_en": f"Digital fluency, part {n + 1}",
                "title_ml": f"ഡിജിറ്റൽ വൈദഗ്ധ്യം, ഭാഗം {n + 1}",
                "modality": Course.Modality.ONLINE,
                "hours": Decimal("6"),
                "languages": ["ml", "en"],
                "is_published": True,
            },
        )[0]
        for n in range(count)
    ]


def _prepared_ids() -> list[int]:
    from govtrain.records.models import Enrolment

    return list(
        Enrolment.objects.filter(course__code__startswith=COURSE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def prepare(completions: int) -> dict[str, Any]:
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from govtrain.people.models import Employee

    ids = _prepared_ids()
    if len(ids) < completions:
        employees = list(Employee.objects.order_by("pen").values_list("pk", flat=True))
        courses = _courses(-(-completions // len(employees)))
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        done = dt.date(2026, 11, 20)
        rows = [
            (employees[n % len(employees)], courses[n // len(employees)].pk, now, done)
            for n in range(len(ids), completions)
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO records_enrolment (employee_id, course_id, status, completed_on,"
                " hours_credited, created_at, updated_at)"
                " VALUES (%s, %s, 'completed', %s, 6, %s, %s)",
                [(e, c, d.isoformat(), t, t) for e, c, t, d in rows],
            )
        ids = _prepared_ids()
    return {"completions": len(ids[:completions]), "first": ids[0], "last": ids[completions - 1]}


def _sample_enrolments(count: int) -> list[Any]:
    from govtrain.records.models import Enrolment

    return list(
        Enrolment.objects.filter(pk__in=_prepared_ids()[:count]).select_related(
            "employee", "course__provider"
        )
    )


def sign(count: int) -> dict[str, Any]:
    _setup()
    from django.db import transaction

    from govtrain.certificates.services import issuing, status
    from govtrain.certificates.services.keys import key_active, secret_key

    enrolments = _sample_enrolments(count)
    provider = enrolments[0].course.provider
    # The bits are taken for real (and left unused): a bulk issue takes them the same way.
    with transaction.atomic():
        key = key_active(provider=provider)
        bits = status.allocate(provider=provider, count=len(enrolments))
    issuing._signed(provider, key, enrolments[:20], bits[:20])  # warm-up: contexts, key
    started = time.perf_counter()
    certificates = issuing._signed(provider, key, enrolments, bits)
    seconds = time.perf_counter() - started
    secret = secret_key(key)
    payloads = [c.credential.encode() for c in certificates]
    started = time.perf_counter()
    for payload in payloads:
        secret.sign(payload)
    floor = time.perf_counter() - started
    sample = json.loads(certificates[0].credential)
    return {
        "count": len(certificates),
        "seconds": round(seconds, 3),
        "per_s": round(len(certificates) / seconds, 1),
        "floor_per_s": round(len(payloads) / floor, 1),
        "bytes": len(certificates[0].credential),
        "cryptosuite": sample["proof"]["cryptosuite"],
        "canonicalize_share": round(1 - floor / seconds, 3),
    }


def pdf(count: int) -> dict[str, Any]:
    _setup()
    from fpdf import FPDF

    from govtrain.certificates import pdf as documents
    from govtrain.certificates.services.documents import certificate_document
    from govtrain.certificates.services.issuing import certificates_issue

    enrolments = _sample_enrolments(count)
    issued = certificates_issue(enrolments=enrolments, by=None)
    from govtrain.certificates.models import Certificate

    certificates = list(
        Certificate.objects.filter(enrolment__in=enrolments).select_related("employee", "provider")
    )
    docs = [certificate_document(c) for c in certificates]
    started = time.perf_counter()
    documents.render_certificate(docs[0])
    first = time.perf_counter() - started
    times = []
    sizes = []
    for doc in docs:
        started = time.perf_counter()
        sizes.append(len(documents.render_certificate(doc)))
        times.append(time.perf_counter() - started)
    floor = []
    for doc in docs:
        started = time.perf_counter()
        plain = FPDF(orientation="L", format="A4")
        plain.add_page()
        plain.set_font("Helvetica", size=14)
        for line in (doc.recipient_en, doc.course_en, doc.provider_en, doc.verify_url):
            plain.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
        bytes(plain.output())
        floor.append(time.perf_counter() - started)
    return {
        "count": len(docs),
        "issued_for_it": len(issued.issued),
        "first_ms": round(first * 1000, 1),
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(_percentile(times, 0.95) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "floor_p50_ms": round(statistics.median(floor) * 1000, 2),
        "floor_p95_ms": round(_percentile(floor, 0.95) * 1000, 2),
        "bytes_median": int(statistics.median(sizes)),
    }


def verify(count: int) -> dict[str, Any]:
    _setup()
    from cryptography.exceptions import InvalidSignature

    from govtrain.certificates import dataintegrity, verification
    from govtrain.certificates.models import Certificate

    certificates = list(Certificate.objects.select_related("key").order_by("pk")[:count])
    documents = [json.loads(c.credential) for c in certificates]
    verification.verify(documents[0])  # warm-up
    times = []
    for document in documents:
        started = time.perf_counter()
        result = verification.verify(document)
        times.append(time.perf_counter() - started)
        if not result.valid:
            raise SystemExit(f"a genuine credential failed: {result.reason}")
    key = dataintegrity.public_key_from_multibase(certificates[0].key.public_key)
    signature = bytes(64)
    floor = []
    for c in certificates:
        started = time.perf_counter()
        with contextlib.suppress(InvalidSignature):  # a made-up signature: the check is timed
            key.verify(signature, c.credential.encode())
        floor.append(time.perf_counter() - started)
    return {
        "count": len(documents),
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(_percentile(times, 0.95) * 1000, 2),
        "floor_p95_ms": round(_percentile(floor, 0.95) * 1000, 3),
    }


def issue(part: int, of: int) -> dict[str, Any]:
    _setup()
    from govtrain.certificates.services.issuing import certificates_issue
    from govtrain.notifications.services import emails_muted
    from govtrain.records.models import Enrolment

    ids = _prepared_ids()[part::of]
    started = time.perf_counter()
    issued = already = 0
    # In chunks of enrolments loaded as the job loads them.
    for start in range(0, len(ids), 2000):
        enrolments = list(Enrolment.objects.filter(pk__in=ids[start : start + 2000]))
        with emails_muted():
            summary = certificates_issue(enrolments=enrolments, by=None)
        issued += len(summary.issued)
        already += summary.already
        if summary.failed:
            raise SystemExit(f"{len(summary.failed)} could not be issued: {summary.failed[:3]}")
    return {
        "part": part,
        "of": of,
        "issued": issued,
        "already": already,
        "seconds": round(time.perf_counter() - started, 1),
    }


def floor(count: int) -> dict[str, Any]:
    _setup()
    from django.db import connection, transaction

    from govtrain.certificates.models import Certificate

    template = Certificate.objects.order_by("pk").first()
    if template is None:
        raise SystemExit("no certificate to copy: run the issue step first")
    table = "bench_certificate_floor"
    columns = [str(f.column) for f in Certificate._meta.concrete_fields if f.column != "id"]
    values = [
        f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in Certificate._meta.concrete_fields
        if f.column != "id"
    ]
    unique = {"number", "public_id", "credential_uuid", "enrolment_id"}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        key = (
            "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
        )
        kinds = ", ".join(f"{c} TEXT" for c in columns)
        cursor.execute(f"CREATE TABLE {table} (id {key}, {kinds})")
        for column in unique:
            cursor.execute(f"CREATE UNIQUE INDEX {table}_{column} ON {table} ({column})")
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our names
    rows: list[list[str | None]] = []
    for n in range(count):
        row: list[str | None] = [str(v) if v is not None else None for v in values]
        for position, column in enumerate(columns):
            if column in unique:
                row[position] = f"{row[position]}-{n}"
        rows.append(row)
    started = time.perf_counter()
    for start in range(0, count, 200):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows[start : start + 200])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return {"count": count, "seconds": round(seconds, 2)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.certificates_steps")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "sign", "pdf", "verify", "floor"):
        sub = commands.add_parser(name)
        sub.add_argument("--count", type=int, default=100)
        sub.add_argument("--completions", type=int, default=100_000)
    run = commands.add_parser("issue")
    run.add_argument("--part", type=int, required=True)
    run.add_argument("--of", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "prepare":
        result = prepare(args.completions)
    elif args.command == "issue":
        result = issue(args.part, args.of)
    else:
        result = {"sign": sign, "pdf": pdf, "verify": verify, "floor": floor}[args.command](
            args.count
        )
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
