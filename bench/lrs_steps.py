"""LRS figures, each step in its own process with the bench database's environment
(bench.common.Database.env): `python -m bench.lrs_steps generate|floor|post ...`. Each
prints one JSON object on stdout.

- `generate --statements N`: N realistic statements (employees launching, progressing,
  completing, passing courses and lessons, with registrations and parent courses), written
  straight into the LRS's tables (its statement and link rows, exactly as the service
  would write them) with the engine's bulk path and the secondary indexes built after the
  load; ANALYZE; an xAPI client with the `all` scope; the plain tables of the baselines;
  the query mix for the latency figure (paths with their filters, `more` links among
  them) and the EXPLAIN of each kind of query.
- `floor --batches B`: the floor of batch ingestion: B batches of 100 statements like
  those the server is sent, inserted straight into a plain table (id, body) by the
  engine's fastest bulk path (COPY on PostgreSQL, executemany in one transaction on
  SQLite), one transaction per batch as the LRS commits one per request.
- `post --port P --path PATH --body FILE ...`: a closed loop of POSTs over kept-alive
  connections (bench.load speaks GET only): as many requests in flight as connections,
  counted from --start-at for --seconds.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import random
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SEED = 20251126
VERBS = ("launched", "initialized", "progressed", "completed", "passed", "failed", "terminated")
HOME = "https://govtrain.kerala.gov.in"
ADL = "http://adlnet.gov/expapi/verbs/"  # every verb of VERBS is ADL's
FLOOR_TABLE = "lrs_bench_floor"
BASELINE_TABLE = "lrs_bench_baseline"
CHUNK = 20_000


def _setup() -> None:
    import django

    django.setup()


def statement(rng: random.Random, n: int, agents: int, courses: int) -> dict[str, Any]:
    """One statement as a content player sends it (no id: the LRS gives one)."""
    pen = f"{9000001 + rng.randrange(agents)}"
    course = rng.randrange(courses)
    lesson = rng.randrange(12)
    verb = VERBS[n % len(VERBS)]
    body: dict[str, Any] = {
        "actor": {
            "objectType": "Agent",
            "name": f"Employee {pen}",
            "account": {"homePage": HOME, "name": pen},
        },
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{HOME}/xapi/activities/lesson/C{course:05d}-L{lesson:02d}",
            "definition": {
                "name": {"en": f"Lesson {lesson} of course {course}"},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "contextActivities": {
                "parent": [
                    {"id": f"{HOME}/xapi/activities/course/C{course:05d}", "objectType": "Activity"}
                ]
            },
            "platform": "govtrain",
            "language": "ml-IN",
        },
    }
    if verb in {"completed", "passed", "failed"}:
        body["result"] = {
            "completion": True,
            "success": verb != "failed",
            "score": {
                "scaled": round(rng.random(), 2),
                "raw": rng.randrange(101),
                "min": 0,
                "max": 100,
            },
            "duration": f"PT{rng.randrange(5, 90)}M{rng.randrange(60)}S",
        }
    return body


def _shape(statements: int) -> tuple[int, int]:
    """Employees and courses for a store of this size: ~40 statements per employee, ~400
    per course (10 million: 250,000 employees, 25,000 courses)."""
    return max(statements // 40, 10), max(statements // 400, 5)


def _rows(count: int, agents: int, courses: int, now: dt.datetime) -> Iterator[tuple[Any, ...]]:
    """(statement_id, actor_hash, verb_hash, activity_hash, registration, stored, body,
    linked agent hashes, linked activity hashes, the object's id and definition) as the
    service stores them, oldest first over a year."""
    from govtrain.lrs.services import dumps, index_keys, iso, key_hash, platform_authority

    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not a secret
    authority = platform_authority()
    start = now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(count, 1)
    for n in range(count):
        body = statement(rng, n, agents, courses)
        stored = (start + step * n).replace(microsecond=0) + dt.timedelta(milliseconds=n % 1000)
        statement_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        full = {"id": str(statement_id), **body}
        full["timestamp"] = iso(stored)
        full["stored"] = iso(stored)
        full["authority"] = authority
        full["version"] = "1.0.0"
        keys = index_keys(full)
        yield (
            statement_id,
            keys.actor,
            key_hash(body["verb"]["id"]),
            keys.activity,
            uuid.UUID(body["context"]["registration"]),
            stored,
            dumps(full),
            keys.linked_agents,
            keys.linked_activities,
            body["object"]["id"],
            body["object"]["definition"],
        )


def _activities(definitions: dict[str, Any], vendor: str) -> None:
    """The activities' canonical definitions, written as the service writes them (compact
    JSON, keyed by the SHA-256 of the id), so that ingestion finds them known."""
    import hashlib

    from django.db import connection, transaction
    from django.utils import timezone

    from govtrain.lrs.services import dumps

    now = timezone.now()
    rows = [
        (hashlib.sha256(a.encode()).hexdigest(), a, dumps(d), now, now)
        for a, d in definitions.items()
    ]
    columns = "key, activity_id, definition, created_at, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY lrs_activity ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"INSERT OR IGNORE INTO lrs_activity ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608 - fixed columns
                [(k, a, d, stamp, stamp) for k, a, d, _c, _u in rows],
            )


def _secondary_indexes(cursor: Any, vendor: str, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the tables' indexes other than the primary key and the
    unique constraints, which the bulk load keeps."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " AND indexname NOT LIKE '%%_pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [list(tables)],
        )
    else:
        marks = ",".join("%s" for _ in tables)
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608 - placeholders only
            f" AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'"
        )
        cursor.execute(
            query,
            list(tables),
        )
    return [(name, sql) for name, sql in cursor.fetchall()]


def generate(statements: int) -> dict[str, Any]:
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from govtrain.accounts.models import User
    from govtrain.lrs import services
    from govtrain.lrs.models import Statement

    vendor = connection.vendor
    agents, courses = _shape(statements)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    tables = ("lrs_statement", "lrs_statementlink")
    uuid_field = Statement._meta.get_field("statement_id")
    stored_field = Statement._meta.get_field("stored")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM lrs_statement")
        seq = int(cursor.fetchone()[0])
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM lrs_statementlink")
        link_id = int(cursor.fetchone()[0])
        # A reused bench database (--reuse-database) keeps its statements.
        reused = seq > 0
        indexes = [] if reused else _secondary_indexes(cursor, vendor, tables)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    statement_cols = (
        "seq, statement_id, actor_hash, verb_hash, activity_hash, registration, stored,"
        " voided, body"
    )
    rows = _rows(statements, agents, courses, now)
    written = 0
    # Each activity's definition, as the service keeps the latest one it was sent.
    definitions: dict[str, Any] = {}
    while written < statements and not reused:
        chunk: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        for row in rows:
            seq += 1
            sid, actor, verb, activity, registration, stored, body, agent_hs, activity_hs = row[:9]
            definitions[row[9]] = row[10]
            chunk.append((seq, sid, actor, verb, activity, registration, stored, False, body))
            for h in agent_hs:
                link_id += 1
                links.append((link_id, seq, 1, h, stored))
            for h in activity_hs:
                link_id += 1
                links.append((link_id, seq, 2, h, stored))
            if len(chunk) == CHUNK:
                break
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY lrs_statement ({statement_cols}) FROM STDIN") as copy:
                    for values in chunk:
                        copy.write_row(values)
                with raw.copy(
                    "COPY lrs_statementlink (id, statement_id, kind, key_hash, stored) FROM STDIN"
                ) as copy:
                    for values in links:
                        copy.write_row(values)
            else:
                cursor.executemany(
                    f"INSERT INTO lrs_statement ({statement_cols})"  # noqa: S608 - fixed columns
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            s,
                            uuid_field.get_db_prep_save(sid, connection),
                            a,
                            v,
                            ac,
                            uuid_field.get_db_prep_save(r, connection),
                            stored_field.get_db_prep_save(t, connection),
                            vo,
                            b,
                        )
                        for s, sid, a, v, ac, r, t, vo, b in chunk
                    ],
                )
                cursor.executemany(
                    "INSERT INTO lrs_statementlink (id, statement_id, kind, key_hash, stored)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [
                        (i, s, k, h, stored_field.get_db_prep_save(t, connection))
                        for i, s, k, h, t in links
                    ],
                )
        written += len(chunk)
        if written % (CHUNK * 10) == 0:
            sys.stderr.write(f"{written} statements\n")
    _activities(definitions, vendor)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        indexed = time.perf_counter() - started - loaded
        if vendor == "postgresql":
            for table, column in (("lrs_statement", "seq"), ("lrs_statementlink", "id")):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"  # noqa: S608 - fixed names
                    f" (SELECT MAX({column}) FROM {table}))"
                )
            cursor.execute("ANALYZE lrs_statement")
            cursor.execute("ANALYZE lrs_statementlink")
            cursor.execute(
                "SELECT pg_total_relation_size('lrs_statement')"
                " + pg_total_relation_size('lrs_statementlink')"
            )
            size = int(cursor.fetchone()[0])
        else:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'lrs_%%'")
            size = int(cursor.fetchone()[0] or 0)
        for table in (FLOOR_TABLE, BASELINE_TABLE):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            key = "BIGSERIAL PRIMARY KEY" if vendor == "postgresql" else "INTEGER PRIMARY KEY"
            extra = ", statement_id UUID" if table == FLOOR_TABLE and vendor == "postgresql" else ""
            extra = extra or (", statement_id TEXT" if table == FLOOR_TABLE else "")
            cursor.execute(f"CREATE TABLE {table} (id {key}{extra}, body TEXT NOT NULL)")
    # A reused database has the user of the run that made it.
    admin = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.get_or_create(username="lrs-bench")[0]
    )
    with transaction.atomic():
        client, secret = services.client_create(name="Bench player", scopes=["all"], by=admin)
    queries, explains = _queries(statements, agents, courses, now)
    if reused:
        statements = Statement.objects.count()
    return {
        "reused": reused,
        "statements": statements,
        "employees": agents,
        "courses": courses,
        "load_seconds": round(loaded, 1),
        "index_seconds": round(indexed, 1),
        "bytes": size,
        "bytes_per_statement": round(size / max(statements, 1)),
        "authorization": "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode(),
        "queries": queries,
        "explain": explains,
    }


def _queries(
    statements: int, agents: int, courses: int, now: dt.datetime
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The query mix (kind, path) and the EXPLAIN of each kind."""
    from urllib.parse import urlencode

    from govtrain.lrs import selectors
    from govtrain.lrs.models import Statement

    rng = random.Random(SEED + 1)  # noqa: S311 - a fixed query mix
    sample = list(
        Statement.objects.filter(
            seq__in=[rng.randrange(1, statements + 1) for _ in range(40)]
        ).values_list("statement_id", "registration", "body")
    )
    mix: list[dict[str, str]] = []
    explains: dict[str, str] = {}

    def add(kind: str, params: dict[str, str], f: selectors.StatementFilter | None) -> None:
        mix.append({"kind": kind, "path": "/xapi/statements?" + urlencode(params)})
        if f is not None and kind not in explains:
            explains[kind] = _explain(selectors.statements_queries(f))

    month_ago = now - dt.timedelta(days=30)
    for statement_id, registration, body in sample:
        data = json.loads(body)
        actor = data["actor"]
        actor_param = json.dumps({"account": actor["account"]})
        verb = ADL + rng.choice(VERBS)
        course = data["context"]["contextActivities"]["parent"][0]["id"]
        add("id", {"statementId": str(statement_id)}, None)
        add(
            "agent",
            {"agent": actor_param, "limit": "25"},
            selectors.StatementFilter(agent=actor, limit=25),
        )
        add(
            "agent_verb",
            {"agent": actor_param, "verb": verb},
            selectors.StatementFilter(agent=actor, verb=verb),
        )
        add(
            "activity",
            {"activity": data["object"]["id"], "limit": "25"},
            selectors.StatementFilter(activity=data["object"]["id"], limit=25),
        )
        add(
            "related_course",
            {"activity": course, "related_activities": "true", "limit": "25"},
            selectors.StatementFilter(activity=course, related_activities=True, limit=25),
        )
        add(
            "registration",
            {"registration": str(registration)},
            selectors.StatementFilter(registration=registration),
        )
        add(
            "verb_since",
            {"verb": verb, "since": month_ago.isoformat(), "limit": "50"},
            selectors.StatementFilter(verb=verb, since=month_ago, limit=50),
        )
        add("recent", {"limit": "25"}, selectors.StatementFilter(limit=25))
        add(
            "agent_ascending",
            {"agent": actor_param, "ascending": "true", "limit": "10"},
            selectors.StatementFilter(agent=actor, ascending=True, limit=10),
        )
        # The second page of the verb's statements: a `more` link as the LRS makes it.
        f = selectors.StatementFilter(verb=verb, limit=25)
        page = selectors.statements_matching(f)
        if len(page) > f.limit:
            last = page[f.limit - 1]
            token = selectors.more_token(f, "exact", (last[1], last[0]))
            mix.append({"kind": "more", "path": "/xapi/statements?" + urlencode({"more": token})})
            if "more" not in explains:
                explains["more"] = _explain(
                    selectors.statements_queries(f, after=(last[1], last[0]))
                )
    return mix, explains


def _explain(queries: list[Any]) -> str:
    """The plans of a filter's queries (one per way its leading filter finds statements)."""
    return "\n--- and ---\n".join(query.explain() for query in queries)


def floor(batches: int) -> dict[str, Any]:
    _setup()
    from django.db import connection, transaction

    from govtrain.lrs.services import dumps

    rng = random.Random(SEED + 2)  # noqa: S311 - synthetic data
    agents, courses = 10_000, 500
    prepared = [
        [
            (uuid.uuid4(), dumps({"id": "", **statement(rng, n, agents, courses)}))
            for n in range(100)
        ]
        for _ in range(batches)
    ]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FLOOR_TABLE}")  # noqa: S608 - fixed name
    started = time.perf_counter()
    for batch in prepared:
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {FLOOR_TABLE} (statement_id, body) FROM STDIN"
                ) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {FLOOR_TABLE} (statement_id, body) VALUES (%s, %s)",  # noqa: S608 - fixed name
                    [(str(sid), body) for sid, body in batch],
                )
    seconds = time.perf_counter() - started
    count = batches * 100
    return {"statements": count, "seconds": round(seconds, 3), "per_s": round(count / seconds, 1)}


def post(args: argparse.Namespace) -> dict[str, Any]:
    body = Path(args.body).read_bytes()
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    for header in args.header:
        name, _sep, value = header.partition(":")
        headers[name.strip()] = value.strip()
    start_at = args.start_at
    stop_at = start_at + args.seconds
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    latencies: list[float] = []

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        while True:
            sent = time.time()
            if sent >= stop_at:
                break
            conn.request("POST", args.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            done = time.time()
            if sent >= start_at and done <= stop_at:
                with lock:
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    latencies.append(done - sent)
        conn.close()

    threads = [threading.Thread(target=loop) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    count = sum(statuses.values())
    latencies.sort()
    return {
        "requests": count,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": args.seconds,
        "rps": round(count / args.seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2) if latencies else 0.0,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lrs_steps", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--statements", type=int, required=True)
    flo = commands.add_parser("floor")
    flo.add_argument("--batches", type=int, default=50)
    run = commands.add_parser("post")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--path", required=True)
    run.add_argument("--body", required=True)
    run.add_argument("--connections", type=int, default=8)
    run.add_argument("--start-at", type=float, required=True)
    run.add_argument("--seconds", type=float, default=5.0)
    run.add_argument("--header", action="append", default=[])
    args = parser.parse_args(argv)
    if args.command == "generate":
        result = generate(args.statements)
    elif args.command == "floor":
        result = floor(args.batches)
    else:
        result = post(args)
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
