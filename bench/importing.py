"""The employee import at state scale: time, memory, and writes of an unchanged re-import.

Every figure is a whole process, timed from spawn to exit, as an administrator would run
it; each baseline is a process of the same kind doing the least that the same job needs.

- import_employees: `govtrain import_employees FILE --apply --no-progress` into an empty
  table; baseline `plain_steps floor`, a csv.reader pass with executemany INSERT of the same
  rows into a scratch copy of people_employee.
- import_peak_rss_mb: peak RSS of that import process; baseline, the peak RSS of a process
  that only runs django.setup().
- import_employees_unchanged: the same command on the same file again (nothing to change);
  baseline `plain_steps csv-pass`, one csv.reader pass over the file.
- import_employees_unchanged_writes: INSERT/UPDATE/DELETE statements of that re-import,
  those on people_importjob aside; baseline 0.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from bench.common import (
    GOVTRAIN,
    PYTHON,
    WORK,
    BenchError,
    Database,
    Record,
    measure,
    run_checked,
    say,
    step_json,
)

SUMMARY = re.compile(r"(\d+) new, (\d+) changed, (\d+) unchanged, (\d+) errors")


def prepare(db: Database, csv_path: Path, rows: int, *, write_csv: bool) -> int:
    """Migrate the fresh database, build the organisation; write the CSV if asked.

    Returns the number of employees in the CSV.
    """
    env, logs = db.env(), WORK / "logs" / db.name
    say(f"{db.name}: migrating a fresh database")
    run_checked([GOVTRAIN, "migrate", "--noinput"], env=env, log=logs / "migrate", what="migrate")
    argv = [PYTHON, "-m", "bench.django_steps", "prepare"]
    if write_csv:
        say(f"{db.name}: building the organisation and writing {rows:,} employees to {csv_path}")
        argv += ["--csv", str(csv_path), "--rows", str(rows)]
    else:
        say(f"{db.name}: building the organisation")
    result = step_json(run_checked(argv, env=env, log=logs / "prepare", what="prepare"))
    if write_csv:
        return int(result["rows"])
    return sum(1 for _line in csv_path.open("rb")) - 1


def import_untimed(db: Database, csv_path: Path, rows: int) -> None:
    """The employees for the other parts, when the import itself is not measured."""
    say(f"{db.name}: importing {rows:,} employees (not measured: --only leaves import out)")
    done = run_checked(
        [GOVTRAIN, "import_employees", str(csv_path), "--apply", "--no-progress"],
        env=db.env(),
        log=WORK / "logs" / db.name / "import",
        what="import",
    )
    summary = SUMMARY.search(done.stdout)
    if not summary or int(summary.group(1)) != rows or int(summary.group(4)):
        raise BenchError(f"the import did not create {rows} employees: {done.stdout[-2000:]}")


def measure_import(db: Database, csv_path: Path, rows: int) -> tuple[list[Record], dict[str, Any]]:
    env, logs = db.env(), WORK / "logs" / db.name
    notes: dict[str, Any] = {}

    say(f"{db.name}: baseline, a process that only runs django.setup()")
    setup_only = run_checked(
        [PYTHON, "-m", "bench.django_steps", "setup-only"],
        env=env,
        log=logs / "setup-only",
        what="django.setup()",
    )

    say(f"{db.name}: baseline, a bare executemany INSERT of {rows:,} rows")
    floor = run_checked(
        [PYTHON, "-m", "bench.plain_steps", "floor", db.url, str(csv_path)],
        env=env,
        log=logs / "floor",
        what="floor insert",
    )
    notes["floor"] = {**step_json(floor), "seconds": round(floor.seconds, 2)}

    notes["load_average_before_import"] = os.getloadavg()
    say(f"{db.name}: importing {rows:,} employees (govtrain import_employees --apply)")
    first = run_checked(
        [GOVTRAIN, "import_employees", str(csv_path), "--apply", "--no-progress"],
        env=env,
        log=logs / "import",
        what="import",
    )
    summary = SUMMARY.search(first.stdout)
    if not summary or int(summary.group(1)) != rows or int(summary.group(4)):
        raise BenchError(f"the import did not create {rows} employees: {first.stdout[-2000:]}")
    say(f"{db.name}: import took {first.seconds:.1f} s, peak RSS {first.peak_rss_mb:.0f} MB")

    say(f"{db.name}: baseline, one csv.reader pass over the file")
    csv_pass = run_checked(
        [PYTHON, "-m", "bench.plain_steps", "csv-pass", str(csv_path)],
        env=env,
        log=logs / "csv-pass",
        what="csv pass",
    )

    say(f"{db.name}: re-importing the unchanged file, counting writes")
    again = measure(
        [PYTHON, "-m", "bench.django_steps", "reimport", str(csv_path)],
        env=env,
        log=logs / "reimport",
    )
    if again.returncode != 0:
        raise BenchError(f"the re-import failed: {again.stderr[-2000:]}")
    counted = step_json(again)
    if counted["error"] or counted["unchanged"] != rows:
        raise BenchError(f"the re-import did not find {rows} unchanged rows: {counted}")
    notes["reimport"] = {
        "seconds": round(again.seconds, 2),
        "peak_rss_mb": round(again.peak_rss_mb, 1),
        "writes_by_table": counted["writes_by_table"],
        "examples": counted["examples"],
    }
    say(
        f"{db.name}: re-import took {again.seconds:.1f} s, {counted['writes']} writes,"
        f" peak RSS {again.peak_rss_mb:.0f} MB"
    )

    records = [
        Record.of("import_employees", db.name, first.seconds, "s", floor.seconds, rows),
        Record.of(
            "import_peak_rss_mb", db.name, first.peak_rss_mb, "MB", setup_only.peak_rss_mb, rows
        ),
        Record.of(
            "import_employees_unchanged", db.name, again.seconds, "s", csv_pass.seconds, rows
        ),
        Record.of(
            "import_employees_unchanged_writes",
            db.name,
            counted["writes"],
            "statements",
            0,
            rows,
        ),
    ]
    return records, notes
