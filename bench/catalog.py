"""The catalog on the real server: search latency, and page throughput under load.

`prepare_catalog` fills the bench database's catalog to 5,000 bilingual courses with
their batches (bench/catalog_data.py, in a bench step) and, on PostgreSQL, runs ANALYZE.
`measure_catalog` then serves the database with `govtrain serve --no-worker --workers 2`
(gunicorn, the production WSGI set-up, 4 threads a worker) on a free loopback port, logs
in as a learner (a clerk with no role) and measures, as asked:

- search (`catalog_search_p50_ms`, `catalog_search_p95_ms`): a fixed seeded list of
  catalog queries, GET /catalog/?q=..., the full page, one at a time over one kept-alive
  connection, each followed by the same URL as the htmx partial (HX-Request: true; in the
  notes) and a GET /healthz without cookies (the baseline, as for the people directory).
- throughput (`catalog_page_rps`, `course_page_rps`): requests per second that the two
  workers serve to bench.load's closed loop of LOAD_CONNECTIONS kept-alive connections,
  for GET /catalog/ and GET /catalog/<code>/ (cycling through COURSE_PAGES courses with
  upcoming batches) as the learner, and for GET /healthz without cookies, the baseline.
  The three endpoints take turns in LOAD_ROUNDS rounds so that whatever else the machine
  does falls on all three alike; each turn has a second of warm-up. Then, with the
  server stopped, the client's own ceiling is measured against bench.load's canned server.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import catalog_data
from bench.common import (
    PYTHON,
    WORK,
    BenchError,
    Database,
    Record,
    run_checked,
    say,
    step_json,
    stop_process_group,
)
from bench.search import (
    MATCHES,
    WARM_UP,
    Client,
    by_kind,
    free_port,
    login,
    percentile,
    postgres_statistics,
    served,
)

SEED = 20251125
SERVER_WORKERS = 2
LOAD_CONNECTIONS = 8  # two workers of four threads: every thread has a request to serve
LOAD_ROUNDS = 3
LOAD_WARM_UP = 1.0
CEILING_SECONDS = 3.0


def prepare_catalog(db: Database, *, analyze: bool) -> dict[str, Any]:
    """The state-scale catalog in the bench database (a no-op when it is there)."""
    env, logs = db.env(), WORK / "logs" / db.name
    say(f"{db.name}: filling the catalog to {catalog_data.COURSES:,} courses with batches")
    made = step_json(
        run_checked(
            [PYTHON, "-m", "bench.django_steps", "catalog", "--courses", str(catalog_data.COURSES)],
            env=env,
            log=logs / "catalog",
            what="generating the catalog",
        )
    )
    if db.name == "postgres":
        made["statistics"] = postgres_statistics(db, analyze=analyze)
    return made


# --- the queries ----------------------------------------------------------------------


def _words(text: str, *, least: int) -> list[str]:
    return [w.strip(":,.()'") for w in text.split() if len(w.strip(":,.()'")) >= least]


def catalog_queries(
    count: int, codes: dict[str, list[str]], today: dt.date
) -> list[tuple[str, str]]:
    """`count` (kind, URL) pairs of catalog searches, the same for the same arguments:
    what people type (English and Malayalam words, half-typed prefixes, codes) with and
    without the filters."""
    rng = random.Random(SEED)  # noqa: S311 - a fixed query mix, not a secret
    subjects = catalog_data.all_subjects()
    english = sorted({w.lower() for _t, en, _ml, _s in subjects for w in _words(en, least=4)})
    malayalam = sorted({w for _t, _en, ml, _s in subjects for w in _words(ml, least=3)})
    parents = sorted(catalog_data.SUBJECTS)
    months = []
    year, month = today.year, today.month
    for _n in range(6):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months.append(f"{year}-{month:02d}")
    providers = codes["providers"]
    centres = codes["centres"]

    def english_prefix() -> dict[str, str]:
        word = rng.choice(english)
        return {"q": word[: rng.randint(3, min(5, len(word)))]}

    def english_words() -> dict[str, str]:
        _t, en, _ml, _s = rng.choice(subjects)
        words = _words(en, least=4) or [en]
        start = rng.randrange(len(words))
        return {"q": " ".join(words[start : start + rng.choice((1, 2))]).lower()}

    def english_word_and_prefix() -> dict[str, str]:
        _t, en, _ml, _s = rng.choice(subjects)
        words = _words(en, least=3)
        if len(words) < 2:
            return english_prefix()
        return {"q": f"{words[0].lower()} {words[1][:3].lower()}"}

    def malayalam_word() -> dict[str, str]:
        return {"q": rng.choice(malayalam)}

    def malayalam_prefix() -> dict[str, str]:
        word = rng.choice(malayalam)
        return {"q": word[: rng.randint(2, min(4, len(word)))]}

    def code() -> dict[str, str]:
        # The words of a course code (B-IMG-RTI-0042) that a coordinator would type.
        provider, _weight, taught = rng.choice(catalog_data.PROVIDER_MIX)
        return {"q": f"{provider} {rng.choice(taught or parents)}".lower()}

    def word_and_filters() -> dict[str, str]:
        params = rng.choice((english_words, malayalam_word, english_prefix))()
        for name, values in rng.sample(
            [
                ("topic", parents),
                ("provider", providers),
                ("modality", ["classroom", "online", "blended"]),
                ("language", ["ml", "en"]),
                ("month", months),
                ("centre", centres),
            ],
            rng.choice((1, 1, 2)),
        ):
            params[name] = rng.choice(values)
        return params

    def filters_only() -> dict[str, str]:
        pair = rng.choice(
            [
                {"topic": rng.choice(parents), "month": rng.choice(months)},
                {"provider": rng.choice(providers), "modality": "classroom"},
                {"centre": rng.choice(centres)},
                {"topic": rng.choice(parents), "language": "en"},
            ]
        )
        return dict(pair)

    def meant_for_me() -> dict[str, str]:
        return {**english_prefix(), "eligible": "on"}

    def next_page() -> dict[str, str]:
        return {"q": rng.choice(["training", "office", "kerala", "management"]), "page": "2"}

    kinds = [
        (english_prefix, 18),
        (english_words, 15),
        (english_word_and_prefix, 8),
        (malayalam_word, 10),
        (malayalam_prefix, 10),
        (code, 4),
        (word_and_filters, 15),
        (filters_only, 10),
        (meant_for_me, 5),
        (next_page, 5),
    ]
    makers, weights = zip(*kinds, strict=True)
    chosen = [rng.choices(makers, weights)[0] for _ in range(count)]
    return [(make.__name__, "/catalog/?" + urlencode(make())) for make in chosen]


# --- measuring ------------------------------------------------------------------------


def _search(
    db: Database, client: Client, urls: list[tuple[str, str]], time_limit: float
) -> tuple[list[float], list[float], dict[str, Any]]:
    """Latencies in ms of the full pages and of the baselines, and the notes."""
    page: list[float] = []
    partial: list[float] = []
    bare: list[float] = []
    matches: list[int] = []
    htmx = {"HX-Request": "true"}
    for _kind, url in urls[:WARM_UP]:
        client.request("GET", url)
        client.request("GET", url, headers=htmx)
        client.request("GET", "/healthz", cookies=False)
    deadline = time.monotonic() + time_limit
    for _kind, url in urls:
        if time.monotonic() > deadline:
            say(f"{db.name}: time limit reached after {len(page)} catalog queries")
            break
        status, body, seconds = client.request("GET", url)
        if status != 200 or '<p class="count">' not in body:
            raise BenchError(f"GET {url} gave HTTP {status} without a course count")
        page.append(seconds * 1000)
        found = MATCHES.search(body)
        matches.append(int(found.group(1).replace(",", "")) if found else -1)
        status, body, seconds = client.request("GET", url, headers=htmx)
        if status != 200 or "<html" in body:
            raise BenchError(f"GET {url} as htmx gave HTTP {status} or a whole page")
        partial.append(seconds * 1000)
        status, _body, seconds = client.request("GET", "/healthz", cookies=False)
        if status != 200:
            raise BenchError(f"GET /healthz gave HTTP {status}")
        bare.append(seconds * 1000)
    if not page:
        raise BenchError("no catalog query was measured")
    notes = {
        "queries": len(page),
        "measured": "the full page, GET /catalog/?q=...; the htmx partial in partial_*",
        "page_mean_ms": round(statistics.fmean(page), 2),
        "page_max_ms": round(max(page), 2),
        "partial_p50_ms": round(percentile(partial, 0.50), 2),
        "partial_p95_ms": round(percentile(partial, 0.95), 2),
        "healthz_mean_ms": round(statistics.fmean(bare), 2),
        "matches_median": statistics.median(matches),
        "queries_matching_nothing": sum(1 for m in matches if m == 0),
        "by_kind": by_kind(urls, page, matches),
        "slowest": sorted(
            (
                {"url": url, "ms": round(ms, 1), "matches": n}
                for (_kind, url), ms, n in zip(urls, page, matches, strict=False)
            ),
            key=lambda q: -float(q["ms"]),  # type: ignore[arg-type]
        )[:8],
    }
    return page, bare, notes


def _hit(
    port: int, paths: list[str], seconds: float, *, cookie: str = "", log: Path
) -> dict[str, Any]:
    """One bench.load process against the port; its JSON result."""
    argv = [
        PYTHON,
        "-m",
        "bench.load",
        "hit",
        "--port",
        str(port),
        "--connections",
        str(LOAD_CONNECTIONS),
        "--start-at",
        str(time.time() + LOAD_WARM_UP),
        "--seconds",
        str(seconds),
    ]
    if cookie:
        argv += ["--cookie", cookie]
    result = step_json(
        run_checked([*argv, *paths], env={"PATH": "/usr/bin:/bin"}, log=log, what="bench.load")
    )
    bad = {k: v for k, v in result["statuses"].items() if k != "200"}
    if bad or not result["requests"]:
        raise BenchError(f"bench.load on {paths[0]}: responses {result['statuses']}")
    return result


def client_ceiling(db: Database) -> dict[str, Any]:
    """bench.load against its canned server: what the client alone can do here."""
    port = free_port()
    log = WORK / "logs" / db.name / "canned.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - our own argv
            [PYTHON, "-m", "bench.load", "canned", "--port", str(port), "--seconds", "30"],
            cwd=WORK.parent.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            time.sleep(0.5)
            result = _hit(
                port, ["/healthz"], CEILING_SECONDS, log=WORK / "logs" / db.name / "load-ceiling"
            )
        finally:
            stop_process_group(server)
    return {
        "rps": result["rps"],
        "client_cpu_per_request_us": round(
            1e6 * result["client_cpu_seconds"] / max(result["requests"], 1), 1
        ),
    }


def _throughput(
    db: Database, port: int, cookie: str, courses: list[str], seconds: float, rows: int
) -> tuple[list[Record], dict[str, Any]]:
    logs = WORK / "logs" / db.name
    endpoints = {
        "healthz": (["/healthz"], ""),
        "catalog": (["/catalog/"], cookie),
        "course": ([f"/catalog/{code}/" for code in courses], cookie),
    }
    turns: dict[str, list[dict[str, Any]]] = {name: [] for name in endpoints}
    for n in range(LOAD_ROUNDS):
        for name, (paths, with_cookie) in endpoints.items():
            turns[name].append(
                _hit(
                    port,
                    paths,
                    seconds / LOAD_ROUNDS,
                    cookie=with_cookie,
                    log=logs / f"load-{name}-{n + 1}",
                )
            )
    rps = {
        name: sum(t["requests"] for t in done) / sum(t["seconds"] for t in done)
        for name, done in turns.items()
    }
    notes = {
        name: {
            "rps": round(rps[name], 1),
            "rps_by_round": [t["rps"] for t in done],
            "p50_ms": statistics.median(t["p50_ms"] for t in done),
            "p95_ms": max(t["p95_ms"] for t in done),
            "client_cpu_share_of_one_core": round(
                sum(t["client_cpu_seconds"] for t in done) / sum(t["seconds"] for t in done), 3
            ),
        }
        for name, done in turns.items()
    }
    records = [
        Record.of("catalog_page_rps", db.name, rps["catalog"], "req/s", rps["healthz"], rows),
        Record.of("course_page_rps", db.name, rps["course"], "req/s", rps["healthz"], rows),
    ]
    return records, notes


def measure_catalog(
    db: Database,
    *,
    search: bool,
    throughput: bool,
    queries: int,
    time_limit: float,
    load_seconds: float,
) -> tuple[list[Record], dict[str, Any]]:
    env, logs = db.env(), WORK / "logs" / db.name
    password = secrets.token_urlsafe(16)
    env["BENCH_LEARNER_PASSWORD"] = password
    learner = step_json(
        run_checked(
            [PYTHON, "-m", "bench.django_steps", "learner"],
            env=env,
            log=logs / "learner",
            what="choosing the bench learner",
        )
    )
    env.pop("BENCH_LEARNER_PASSWORD")
    rows = int(learner["employees"])
    if not learner["course_pages"]:
        raise BenchError("no course has upcoming batches: was the catalog generated?")
    records: list[Record] = []
    notes: dict[str, Any] = {
        "courses": learner["courses"],
        "published": learner["published"],
        "learner": learner["employee"],
    }
    log = logs / "catalog-server.log"
    say(f"{db.name}: serving the catalog ({SERVER_WORKERS} workers)")
    with served(env=env, log=log, workers=SERVER_WORKERS) as port:
        client = Client(port)
        login(client, learner["username"], password)
        if search:
            urls = catalog_queries(queries, learner, dt.date.fromisoformat(learner["today"]))
            say(f"{db.name}: {len(urls)} catalog searches, each with its partial and /healthz")
            page, bare, notes["search"] = _search(db, client, urls, time_limit)
            records += [
                Record.of(
                    "catalog_search_p50_ms",
                    db.name,
                    percentile(page, 0.50),
                    "ms",
                    percentile(bare, 0.50),
                    rows,
                ),
                Record.of(
                    "catalog_search_p95_ms",
                    db.name,
                    percentile(page, 0.95),
                    "ms",
                    percentile(bare, 0.95),
                    rows,
                ),
            ]
        client.close()
        if throughput:
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            say(
                f"{db.name}: throughput of /healthz, /catalog/ and course pages,"
                f" {load_seconds:g} s each over {LOAD_CONNECTIONS} connections"
            )
            found, notes["throughput"] = _throughput(
                db, port, cookie, learner["course_pages"], load_seconds, rows
            )
            records += found
    if throughput:
        notes["throughput"]["client_ceiling"] = client_ceiling(db)
    return records, notes
