"""What every benchmark shares: records, the results file, databases, measured subprocesses."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
RESULTS = REPO / "bench" / "results" / "latest.json"
BIN = Path(sys.executable).parent
PYTHON = sys.executable
GOVTRAIN = str(BIN / "govtrain")
# The PostgreSQL server to create the bench database in (trust auth on loopback).
PG_SERVER = os.environ.get("BENCH_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "govtrain_bench"


@dataclass
class Record:
    """One figure on one database, next to its baseline from the same run."""

    name: str
    database: str
    value: float
    unit: str
    baseline: float
    ratio: float | None
    rows: int

    @classmethod
    def of(
        cls, name: str, database: str, value: float, unit: str, baseline: float, rows: int
    ) -> Record:
        ratio = round(value / baseline, 2) if baseline else None
        return cls(name, database, _round(value), unit, _round(baseline), ratio, rows)


def _round(x: float) -> float:
    """To 0.01, or to three significant digits below 1 (0.0282 s, not 0.03 s)."""
    if abs(x) >= 1 or x == 0:
        return round(x, 2)
    return float(f"{x:.3g}")


def say(message: str) -> None:
    """Progress on stderr, so that stdout carries only the table."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


# --- results ---------------------------------------------------------------------------


def load_results(path: Path = RESULTS) -> list[dict[str, object]]:
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return data if isinstance(data, list) else []


def merge_results(records: list[Record], path: Path = RESULTS) -> None:
    """Replace the records with the same name and database; keep every other one."""
    fresh = {(r.name, r.database): asdict(r) for r in records}
    kept = [r for r in load_results(path) if (r.get("name"), r.get("database")) not in fresh]
    merged = sorted([*kept, *fresh.values()], key=lambda r: (str(r["database"]), str(r["name"])))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")


def table(records: list[Record]) -> str:
    header = ("name", "database", "value", "unit", "baseline", "ratio", "rows")
    lines = [
        (
            r.name,
            r.database,
            f"{r.value:g}",
            r.unit,
            f"{r.baseline:g}",
            "-" if r.ratio is None else f"{r.ratio:g}",
            str(r.rows),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    right = {2, 4, 5, 6}

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(row) for row in lines)])


# --- databases -------------------------------------------------------------------------


@dataclass
class Database:
    """A fresh database for one run, and the environment that points govtrain at it."""

    name: str  # "sqlite" or "postgres"
    var_dir: Path

    @property
    def url(self) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{self.var_dir / 'govtrain.sqlite3'}"
        return f"{PG_SERVER}/{PG_DATABASE}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="govtrain.settings",
            GOVTRAIN_VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.url,
            STATIC_ROOT=str(WORK / "static"),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(REPO),
        )
        # The bench measures what it is told to: no stray settings from the caller.
        for name in ("REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "DB_CONN_MAX_AGE"):
            env.pop(name, None)
        return env

    def exists(self) -> bool:
        """Is there a bench database from an earlier run?"""
        if self.name == "sqlite":
            return (self.var_dir / "govtrain.sqlite3").exists()
        done = subprocess.run(  # noqa: S603 - fixed argv
            ["psql", self.url, "-Atq", "-c", "SELECT 1"],  # noqa: S607 - psql from PATH
            check=False,
            capture_output=True,
            text=True,
        )
        return done.returncode == 0

    def recreate(self) -> None:
        if self.var_dir.exists():
            shutil.rmtree(self.var_dir)
        self.var_dir.mkdir(parents=True)
        if self.name == "postgres":
            for sql in (
                f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)",
                f"CREATE DATABASE {PG_DATABASE}",
            ):
                subprocess.run(  # noqa: S603 - fixed argv
                    ["psql", f"{PG_SERVER}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],  # noqa: S607 - psql from PATH
                    check=True,
                    capture_output=True,
                    text=True,
                )


def database(name: str) -> Database:
    if name not in {"sqlite", "postgres"}:
        raise SystemExit(f"Unknown database {name!r}: choose sqlite or postgres.")
    return Database(name, WORK / name)


# --- measured subprocesses -------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def measure(argv: list[str], *, env: dict[str, str], log: Path, timeout: float = 1800) -> Measured:
    """Run argv to its end; wall time from spawn to exit and the child's own peak RSS.

    os.wait4 gives the resource usage of that one child (RUSAGE_CHILDREN would be the
    maximum over every child so far). Output goes to files: no pipe to fill up.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, cwd=REPO, stdout=out, stderr=err)  # noqa: S603 - our own argv
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in kilobytes.
    return Measured(
        seconds,
        usage.ru_maxrss / 1024,
        process.returncode,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
    )


def run_checked(
    argv: list[str], *, env: dict[str, str], log: Path, what: str, timeout: float = 1800
) -> Measured:
    result = measure(argv, env=env, log=log, timeout=timeout)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise BenchError(f"{what} failed (exit {result.returncode}); see {log}.*\n{tail}")
    return result


class BenchError(Exception):
    pass


def step_json(result: Measured) -> dict[str, Any]:
    """The JSON object a bench step prints as its last line."""
    lines = result.stdout.strip().splitlines()
    if not lines:
        raise BenchError(f"no output from a bench step; stderr:\n{result.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def stop_process_group(process: subprocess.Popen[bytes], *, grace: float = 15) -> None:
    """SIGTERM a process we started in its own session, then SIGKILL its group if needed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # leftovers of that session only
    if process.poll() is None:
        process.wait(timeout=grace)
