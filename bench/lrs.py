"""The xAPI Learning Record Store on the real server (issue #4): ingestion and queries.

`measure_lrs` fills the LRS with --statements statements straight into its tables
(bench/lrs_steps.py generate: the service's own rows, written by the engine's bulk path;
not through HTTP), then serves the database with `govtrain serve --no-worker --workers 2`
(gunicorn, as for the catalog) with the baseline view routed
(GOVTRAIN_LRS_BENCH_BASELINE=1, govtrain/lrs/baseline.py), and measures:

- lrs_ingest_single_per_s: statements per second that POST /xapi/statements stores, one
  statement a request, under a closed loop of POST_CONNECTIONS kept-alive connections;
  baseline, the same loop POSTing the same body to the bare view that stores it as one
  row. The two take turns in ROUNDS rounds.
- lrs_ingest_batch100_per_s: statements per second in batches of 100 a request, the same
  way; baseline (the floor), the same kind of batches inserted straight into a plain
  table by the engine's fastest bulk path (COPY / executemany), one transaction a batch.
- lrs_query_p95_ms: p95 latency of a fixed mix of statement queries (by id, agent,
  agent and verb, activity, related activities, registration, verb since a month ago,
  the newest, ascending, and `more` pages), one at a time over one connection
  (bench.load with one connection); baseline, GET /healthz the same way.

The EXPLAIN of every kind of query, the load and index times and the store's size go to
the notes (bench/work/last-run.json).
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

from bench.common import (
    PYTHON,
    WORK,
    BenchError,
    Database,
    Record,
    run_checked,
    say,
    step_json,
)
from bench.lrs_steps import SEED, statement
from bench.search import served

SERVER_WORKERS = 2
POST_CONNECTIONS = 8
ROUNDS = 3
WARM_UP = 1.0
QUERY_SECONDS = 20.0


def _post(
    port: int, path: str, body: str, seconds: float, headers: list[str], log: str, db: Database
) -> dict[str, Any]:
    body_file = WORK / "logs" / db.name / f"{log}-body.json"
    body_file.write_text(body)
    argv = [
        PYTHON, "-m", "bench.lrs_steps", "post",
        "--port", str(port), "--path", path, "--body", str(body_file),
        "--connections", str(POST_CONNECTIONS),
        "--start-at", str(time.time() + WARM_UP), "--seconds", str(seconds),
    ]  # fmt: skip
    for header in headers:
        argv += ["--header", header]
    result = step_json(
        run_checked(argv, env=db.env(), log=WORK / "logs" / db.name / log, what="lrs post load")
    )
    bad = {k: v for k, v in result["statuses"].items() if k not in {"200", "204"}}
    if bad or not result["requests"]:
        raise BenchError(f"POST {path}: responses {result['statuses']}")
    return result


def _hit(
    port: int, paths: list[str], seconds: float, headers: list[str], log: str, db: Database
) -> dict[str, Any]:
    argv = [
        PYTHON, "-m", "bench.load", "hit", "--port", str(port), "--connections", "1",
        "--start-at", str(time.time() + WARM_UP), "--seconds", str(seconds),
    ]  # fmt: skip
    for header in headers:
        argv += ["--header", header]
    result = step_json(
        run_checked(
            [*argv, *paths],
            env={"PATH": "/usr/bin:/bin"},
            log=WORK / "logs" / db.name / log,
            what="bench.load",
        )
    )
    bad = {k: v for k, v in result["statuses"].items() if k != "200"}
    if bad or not result["requests"]:
        raise BenchError(f"GET {paths[0]}: responses {result['statuses']}")
    return result


def measure_lrs(
    db: Database, *, statements: int, load_seconds: float
) -> tuple[list[Record], dict[str, Any]]:
    env, logs = db.env(), WORK / "logs" / db.name
    say(f"{db.name}: {statements:,} statements straight into the LRS's tables")
    generated = step_json(
        run_checked(
            [PYTHON, "-m", "bench.lrs_steps", "generate", "--statements", str(statements)],
            env=env,
            log=logs / "lrs-generate",
            what="generating statements",
            timeout=6 * 3600,
        )
    )
    say(
        f"{db.name}: loaded in {generated['load_seconds']} s, indexed in"
        f" {generated['index_seconds']} s, {generated['bytes'] / 1e6:.0f} MB"
    )
    rng = random.Random(SEED + 3)  # noqa: S311 - synthetic data
    single = json.dumps(statement(rng, 3, 1000, 100))
    batch = json.dumps([statement(rng, n, 1000, 100) for n in range(100)])
    auth = [f"Authorization: {generated['authorization']}"]
    version = ["X-Experience-API-Version: 1.0.3"]
    notes: dict[str, Any] = {
        k: v for k, v in generated.items() if k not in {"authorization", "queries"}
    }
    log = logs / "lrs-server.log"
    server_env = {**env, "GOVTRAIN_LRS_BENCH_BASELINE": "1"}
    say(f"{db.name}: serving the LRS ({SERVER_WORKERS} workers)")
    turn = load_seconds / ROUNDS
    with served(env=server_env, log=log, workers=SERVER_WORKERS) as port:
        turns: dict[str, list[dict[str, Any]]] = {"single": [], "bare": [], "batch": []}
        say(
            f"{db.name}: POSTing single statements, the bare view and batches of 100,"
            f" {ROUNDS} rounds"
        )
        for n in range(ROUNDS):
            turns["single"].append(
                _post(port, "/xapi/statements", single, turn, auth, f"lrs-single-{n}", db)
            )
            turns["bare"].append(
                _post(port, "/xapi/bench-baseline", single, turn, [], f"lrs-bare-{n}", db)
            )
            turns["batch"].append(
                _post(port, "/xapi/statements", batch, turn, auth, f"lrs-batch-{n}", db)
            )
        rps = {
            k: sum(t["requests"] for t in v) / sum(t["seconds"] for t in v)
            for k, v in turns.items()
        }
        notes["ingest"] = {k: [t["rps"] for t in v] for k, v in turns.items()}
        paths = [q["path"] for q in generated["queries"]]
        say(
            f"{db.name}: {len(paths)} statement queries in a loop for {QUERY_SECONDS:g} s,"
            " then /healthz"
        )
        queried = _hit(port, paths, QUERY_SECONDS, auth + version, "lrs-query", db)
        bare = _hit(port, ["/healthz"], QUERY_SECONDS / 4, [], "lrs-healthz", db)
        notes["query"] = queried
        notes["healthz"] = bare
    say(f"{db.name}: the floor: batches of 100 straight into a plain table")
    floor = step_json(
        run_checked(
            [PYTHON, "-m", "bench.lrs_steps", "floor", "--batches", "100"],
            env=env,
            log=logs / "lrs-floor",
            what="lrs floor",
        )
    )
    notes["floor"] = floor
    records = [
        Record.of(
            "lrs_ingest_single_per_s",
            db.name,
            rps["single"],
            "statements/s",
            rps["bare"],
            statements,
        ),
        Record.of(
            "lrs_ingest_batch100_per_s",
            db.name,
            rps["batch"] * 100,
            "statements/s",
            floor["per_s"],
            statements,
        ),
        Record.of("lrs_query_p95_ms", db.name, queried["p95_ms"], "ms", bare["p95_ms"], statements),
    ]
    return records, notes
