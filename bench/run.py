"""`make bench`: state-scale figures of govtrain's hot paths, each next to a baseline
measured in the same run on the same machine (bench/README.md).

    .venv/bin/python -m bench.run [--rows 500000] [--databases sqlite,postgres] [--queries 300]
    .venv/bin/python -m bench.run --only classroom --reuse-database

Prints a table and merges its records into bench/results/latest.json. Work files
(databases, the generated CSV, logs) stay in bench/work/.

Parts (--only): import (the employee import), people (directory search), catalog
(catalog search), throughput (catalog and course pages under load), classroom (bulk
nomination and attendance), lrs (xAPI statement ingestion and queries at --statements
stored statements, bench/lrs.py), certificates (signing, PDFs, verification and issuing
--certificates completions, bench/certificates.py). Every part runs on the database the
import filled; without the import part the employees are imported all the same, untimed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dataclasses import dataclass

from bench.catalog import measure_catalog, prepare_catalog
from bench.certificates import measure_certificates
from bench.classroom import measure_classroom
from bench.common import (
    GOVTRAIN,
    PG_SERVER,
    RESULTS,
    WORK,
    BenchError,
    Record,
    database,
    merge_results,
    run_checked,
    say,
    table,
)
from bench.importing import import_untimed, measure_import, prepare
from bench.lrs import measure_lrs
from bench.search import measure_search


@dataclass(frozen=True)
class Target:
    """A figure's target: its value (or its ratio to the baseline) at most or at least
    `limit`; `strict` makes "at most" mean "under"."""

    limit: float
    label: str
    ratio: bool = False
    at_least: bool = False
    strict: bool = False

    def met(self, record: Record) -> bool:
        figure = record.ratio if self.ratio else record.value
        if figure is None:
            return False
        if self.at_least:
            return figure >= self.limit
        return figure < self.limit if self.strict else figure <= self.limit


# The issues' targets, for half a million employees (#1: import; #3: catalog, classroom).
TARGET_ROWS = 500_000
TARGETS = {
    "import_employees": Target(120.0, "under 2 minutes", strict=True),
    "import_peak_rss_mb": Target(300.0, "under 300 MB", strict=True),
    "catalog_search_p95_ms": Target(50.0, "p95 at most 50 ms"),
    "bulk_nominate_500_s": Target(2.0, "at most 2 s"),
    "attendance_60_s": Target(1.0, "at most 1 s"),
    "catalog_page_rps": Target(0.15, "at least 0.15 of the bare view's", ratio=True, at_least=True),
    "course_page_rps": Target(0.15, "at least 0.15 of the bare view's", ratio=True, at_least=True),
    # Issue #4, at 10 million statements (--statements).
    "lrs_ingest_single_per_s": Target(
        0.5, "at least 0.5 of the bare view's", ratio=True, at_least=True
    ),
    "lrs_ingest_batch100_per_s": Target(
        0.4, "at least 0.4 of the floor's", ratio=True, at_least=True
    ),
    "lrs_query_p95_ms": Target(100.0, "p95 at most 100 ms"),
    # Issue #5, for 100,000 completions (--certificates).
    "certificate_pdf_p95_ms": Target(500.0, "p95 at most 500 ms"),
    "credential_verify_p95_ms": Target(50.0, "p95 at most 50 ms"),
    "issue_100k_certificates_s": Target(900.0, "at most 15 minutes"),
}
PARTS = ("import", "people", "catalog", "throughput", "classroom", "lrs", "certificates")
TARGET_STATEMENTS = 10_000_000
TARGET_CERTIFICATES = 100_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="govtrain bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="employees in the CSV")
    parser.add_argument(
        "--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    parser.add_argument(
        "--queries", type=int, default=300, help="directory queries (and as many /healthz)"
    )
    parser.add_argument(
        "--search-time-limit",
        type=float,
        default=600,
        help="seconds of search measurement at most, per database",
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to measure: {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--reuse-database",
        "--skip-import",
        action="store_true",
        help="measure on the bench databases of the last run as they are: no fresh\n"
        "database, no import (the import part is then left out)",
    )
    parser.add_argument(
        "--catalog-queries", type=int, default=300, help="catalog searches (and as many /healthz)"
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=12.0,
        help="seconds of load per endpoint for the throughput figures (after warm-up)",
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="search PostgreSQL without running ANALYZE first (see bench/README.md)",
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=TARGET_STATEMENTS,
        help="statements stored in the LRS before its figures (lrs part)",
    )
    parser.add_argument(
        "--certificates",
        type=int,
        default=TARGET_CERTIFICATES,
        help="completions whose certificates are issued (certificates part)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON file to merge into")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown or not args.parts:
        parser.error(f"--only takes parts among {', '.join(PARTS)}")
    if args.reuse_database and "import" in args.parts:
        if args.only != ",".join(PARTS):
            parser.error("--reuse-database measures no import: leave import out of --only")
        args.parts.remove("import")
    if args.rows < 100 or args.queries < 1 or args.catalog_queries < 1:
        parser.error("--rows must be at least 100, --queries and --catalog-queries at least 1")
    if args.statements < 1000:
        parser.error("--statements must be at least 1000")
    if not 1 <= args.load_seconds <= 120:
        parser.error("--load-seconds must be between 1 and 120")
    return args


def postgres_ready() -> bool:
    if not shutil.which("pg_isready"):
        return True  # let psql say what is wrong
    host_port = PG_SERVER.rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    done = subprocess.run(  # noqa: S603 - fixed argv
        ["pg_isready", "-q", "-h", host, "-p", port or "5432"],  # noqa: S607 - from PATH
        check=False,
    )
    return done.returncode == 0


def _scale_note(r: Record) -> str:
    """Says so when a figure was measured at another scale than its target's."""
    if r.name.startswith("lrs_"):
        target, what = TARGET_STATEMENTS, "stored statements"
    elif r.name.startswith(("credential", "certificate", "issue_100k")):
        target, what = TARGET_CERTIFICATES, "completions"
    else:
        target, what = TARGET_ROWS, "employees"
    return "" if r.rows == target else f" (targets are set for {target:,} {what})"


def target_lines(records: list[Record]) -> tuple[list[str], bool]:
    lines, missed = [], False
    for r in records:
        scale = _scale_note(r)
        if r.name in TARGETS:
            target = TARGETS[r.name]
            ok = target.met(r)
            verdict = "ok    " if ok else "MISSED"
            figure = f"{r.value:g} {r.unit}"
            if target.ratio:
                figure += f", {r.ratio:g} of the baseline's {r.baseline:g}"
            lines.append(f"{verdict} {r.name} on {r.database}: {figure}, {target.label}{scale}")
            missed |= not ok
        elif r.name == "import_employees_unchanged_writes":
            ok = r.value == 0
            verdict = "ok    " if ok else "MISSED"
            lines.append(
                f"{verdict} re-import of the unchanged file on {r.database}:"
                f" {r.value:g} writes, zero expected"
            )
            missed |= not ok
    return lines, missed


MEASURED_CODE = ("govtrain", "templates")


def code_version() -> str:
    """The commit measured and the git trees of the application code in it, plus a hash
    of any uncommitted change to that code (a commit elsewhere changes nothing)."""

    def git(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - fixed argv
            ["git", *args],  # noqa: S607 - git from PATH
            cwd=WORK.parent.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    trees = " ".join(
        t[:10] for t in git("rev-parse", *(f"HEAD:{p}" for p in MEASURED_CODE)).split()
    )
    diff = git("diff", "HEAD", "--", *MEASURED_CODE)
    changes = f" +changes {hashlib.sha256(diff.encode()).hexdigest()[:10]}" if diff else ""
    return f"{commit} (trees {trees or 'unknown'}{changes})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = WORK / f"employees-{args.rows}.csv"
    records: list[Record] = []
    notes: dict[str, object] = {
        "rows": args.rows,
        "databases": {},
        "parts": args.parts,
        "reused_database": args.reuse_database,
        "load_average_at_start": os.getloadavg(),
        "code": code_version(),
    }
    failures: list[str] = []
    csv_rows = 0
    static_done = False
    for name in args.databases:
        db = database(name)
        db_notes: dict[str, object] = {}
        notes["databases"][name] = db_notes  # type: ignore[index]
        try:
            if name == "postgres" and not postgres_ready():
                raise BenchError(
                    f"PostgreSQL does not answer at {PG_SERVER}; start it, or pass"
                    " --databases sqlite"
                )
            if args.reuse_database:
                if not db.exists():
                    raise BenchError(
                        f"no bench database for {name} to reuse: run without --reuse-database"
                    )
                say(f"{name}: reusing the bench database of the last run")
                run_checked(
                    [GOVTRAIN, "migrate", "--noinput"],
                    env=db.env(),
                    log=WORK / "logs" / name / "migrate",
                    what="migrate",
                )
            else:
                db.recreate()
            if not static_done and {"people", "catalog", "throughput"} & set(args.parts):
                say("collecting static files for the server")
                run_checked(
                    [GOVTRAIN, "collectstatic", "--noinput"],
                    env=db.env(),
                    log=WORK / "logs" / "collectstatic",
                    what="collectstatic",
                )
                static_done = True
            if not args.reuse_database:
                csv_rows = prepare(db, csv_path, args.rows, write_csv=not csv_rows)
                if "import" in args.parts:
                    found, db_notes["import"] = measure_import(db, csv_path, csv_rows)
                    records += found
                else:
                    import_untimed(db, csv_path, csv_rows)
            if "people" in args.parts:
                searched, db_notes["search"] = measure_search(
                    db,
                    csv_rows or args.rows,
                    args.queries,
                    args.search_time_limit,
                    analyze=not args.no_analyze,
                )
                records += searched
            if {"catalog", "throughput", "classroom"} & set(args.parts):
                db_notes["catalog_data"] = prepare_catalog(db, analyze=not args.no_analyze)
            if {"catalog", "throughput"} & set(args.parts):
                found, db_notes["catalog"] = measure_catalog(
                    db,
                    search="catalog" in args.parts,
                    throughput="throughput" in args.parts,
                    queries=args.catalog_queries,
                    time_limit=args.search_time_limit,
                    load_seconds=args.load_seconds,
                )
                records += found
            if "classroom" in args.parts:
                found, db_notes["classroom"] = measure_classroom(db)
                records += found
            if "certificates" in args.parts:
                found, db_notes["certificates"] = measure_certificates(
                    db, completions=args.certificates
                )
                records += found
            if "lrs" in args.parts:
                found, db_notes["lrs"] = measure_lrs(
                    db, statements=args.statements, load_seconds=args.load_seconds
                )
                records += found
        except (BenchError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            failures.append(f"{name}: {exc} {detail}".strip())
            say(f"{name}: FAILED: {exc} {detail}".strip())
    elapsed = time.monotonic() - started
    notes["seconds"] = round(elapsed, 1)
    notes["load_average_at_end"] = os.getloadavg()
    code_at_end = code_version()
    changed = code_at_end.split(" ", 1)[1] != str(notes["code"]).split(" ", 1)[1]
    if changed:
        failures.append(
            f"the code changed during the run ({notes['code']} -> {code_at_end}):"
            f" {args.results} left as it was; run again"
        )
    (WORK / "last-run.json").write_text(json.dumps(notes, indent=2, ensure_ascii=False) + "\n")
    if records and not changed:
        merge_results(records, args.results)
    out = sys.stdout
    out.write("\n" + table(records) + "\n\n")
    lines, missed = target_lines(records)
    out.write("\n".join(lines) + ("\n" if lines else ""))
    out.write(
        f"\n{0 if changed else len(records)} records merged into {args.results};"
        f" details in {WORK / 'last-run.json'}."
        f"\nThe run took {elapsed / 60:.1f} minutes; load average"
        f" {os.getloadavg()[2]:.2f} over the last 15 minutes on {os.cpu_count()} cores;"
        f" code {notes['code']}.\n"
    )
    for failure in failures:
        out.write(f"FAILED {failure}\n")
    if failures or (args.check and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
