"""Classroom writes at state scale: bulk nomination and attendance (bench/classroom_steps.py).

Each step is its own process with the bench database's environment, timed inside
(`time.perf_counter` around the service call, after an untimed warm-up of the same call),
as the median of three rounds:

- bulk_nominate_500_s: `nominations_create` of 500 staff of the largest department to one
  batch, by their nodal officer; baseline, `bulk_create` of the same 500 nomination rows
  (no checks, no events, no audit, no notifications) in the same process.
- attendance_60_s: `attendance_mark` of a whole session of 60 participants by the batch's
  faculty; baseline, `bulk_create` of the same 60 attendance rows. A correction pass
  (the same sheet with 6 marks changed) is timed too, in the notes only.
"""

from __future__ import annotations

from typing import Any

from bench.common import PYTHON, WORK, Database, Record, run_checked, say, step_json


def measure_classroom(db: Database) -> tuple[list[Record], dict[str, Any]]:
    env, logs = db.env(), WORK / "logs" / db.name
    say(f"{db.name}: a nodal officer nominates 500 staff to a batch (3 rounds)")
    nominated = step_json(
        run_checked(
            [PYTHON, "-m", "bench.classroom_steps", "nominate"],
            env=env,
            log=logs / "nominate",
            what="bulk nomination",
        )
    )
    say(
        f"{db.name}: 500 nominations took {nominated['seconds']:.2f} s"
        f" (bulk_create alone {nominated['floor']:.3f} s)"
    )
    say(f"{db.name}: faculty marks the attendance of 60 participants (3 rounds)")
    marked = step_json(
        run_checked(
            [PYTHON, "-m", "bench.classroom_steps", "attendance"],
            env=env,
            log=logs / "attendance",
            what="attendance",
        )
    )
    say(
        f"{db.name}: marking 60 took {marked['seconds']:.3f} s, correcting"
        f" {marked['corrections']} {marked['correction_seconds']:.3f} s"
        f" (bulk_create alone {marked['floor']:.3f} s)"
    )
    records = [
        Record.of(
            "bulk_nominate_500_s",
            db.name,
            nominated["seconds"],
            "s",
            nominated["floor"],
            nominated["employees"],
        ),
        Record.of(
            "attendance_60_s", db.name, marked["seconds"], "s", marked["floor"], marked["employees"]
        ),
    ]
    return records, {"nominate": nominated, "attendance": marked}
