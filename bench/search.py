"""People-directory search latency on the real server, next to a bare view on that server.

`govtrain serve --no-worker` (gunicorn, the production WSGI set-up) runs against the bench
database on a free loopback port. One client logs in as a state administrator (who sees
all half a million employees) and sends, one at a time over one kept-alive connection, a
fixed seeded list of directory queries (GET /people/?q=...: name prefixes in English and
Malayalam, PEN prefixes, a department filter with a name), interleaved with as many GETs
of /healthz without cookies: the bare view that is the baseline, which reads no session
and no user. A third interleaved GET of /healthz with the session cookie shows (in the
run's notes, not as a record) what authenticating a request costs by itself. Latency is
from sending the request to having read the whole response.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import secrets
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import (
    GOVTRAIN,
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

SEED = 20250601
FIRST_PEN = 9000001  # govtrain.demo.generate.FIRST_PEN
WARM_UP = 10
REQUEST_TIMEOUT = 60.0
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MATCHES = re.compile(r'<p class="count">([0-9,]+)')


def directory_queries(count: int, rows: int, departments: dict[str, int]) -> list[tuple[str, str]]:
    """`count` (kind, URL) pairs of directory queries, the same for the same arguments."""
    from govtrain.demo import reference as ref

    rng = random.Random(SEED)  # noqa: S311 - a fixed query mix, not a secret
    names = [*ref.GIVEN_NAMES_F, *ref.GIVEN_NAMES_M]
    initials = [en for en, _ml in ref.INITIALS]
    busy = [code for code in ("REV", "LSGD", "HFW", "GEDU", "AGRI") if code in departments]
    last_pen = FIRST_PEN + max(rows, 1) - 1

    def name_prefix() -> dict[str, str]:
        return {"q": rng.choice(names)[0][:2].lower()}

    def full_name() -> dict[str, str]:
        return {"q": rng.choice(names)[0]}

    def name_and_initial() -> dict[str, str]:
        return {"q": f"{rng.choice(names)[0].lower()} {rng.choice(initials).lower()}"}

    def malayalam_prefix() -> dict[str, str]:
        return {"q": rng.choice(names)[1][:3]}

    def pen_prefix() -> dict[str, str]:
        pen = str(rng.randint(FIRST_PEN, last_pen))
        return {"q": pen[: rng.choice((4, 5, 6, 7))]}

    def department_and_name() -> dict[str, str]:
        params = {"q": rng.choice(names)[0].lower()}
        if busy:
            params["department"] = str(departments[rng.choice(busy)])
        return params

    kinds = [
        (name_prefix, 20),
        (full_name, 25),
        (name_and_initial, 15),
        (malayalam_prefix, 10),
        (pen_prefix, 20),
        (department_and_name, 10),
    ]
    makers, weights = zip(*kinds, strict=True)
    chosen = [rng.choices(makers, weights)[0] for _ in range(count)]
    return [(make.__name__, "/people/?" + urlencode(make())) for make in chosen]


def by_kind(
    urls: list[tuple[str, str]], page: list[float], matches: list[int]
) -> dict[str, dict[str, float]]:
    """Latency and matches per kind of query, to see which kind is slow."""
    kinds: dict[str, tuple[list[float], list[int]]] = {}
    for (kind, _url), ms, n in zip(urls, page, matches, strict=False):
        kinds.setdefault(kind, ([], []))
        kinds[kind][0].append(ms)
        kinds[kind][1].append(n)
    return {
        kind: {
            "count": len(ms),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "matches_median": statistics.median(n),
        }
        for kind, (ms, n) in sorted(kinds.items())
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Client:
    """One kept-alive HTTP/1.1 connection with a cookie jar."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        *,
        cookies: bool = True,
    ) -> tuple[int, str, float]:
        headers = dict(headers or {})
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                start = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                seconds = time.perf_counter() - start
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed an idle kept-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
                continue
            for header in response.msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, data.decode("utf-8", errors="replace"), seconds
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(client: Client, username: str, password: str) -> None:
    status, page, _s = client.request("GET", "/login/")
    token = CSRF_FIELD.search(page)
    if status != 200 or not token:
        raise BenchError(f"GET /login/ gave {status} without a CSRF token")
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    status, _page, _s = client.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{client.port}/login/",
        },
    )
    if status != 302 or "sessionid" not in client.cookies:
        raise BenchError(f"logging in as {username} failed (HTTP {status})")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with `share` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def wait_ready(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"the server stopped at start; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchError(f"the server did not answer /healthz within 90 s; see {log}")


@contextmanager
def served(*, env: dict[str, str], log: Path, workers: int | None = None) -> Iterator[int]:
    """`govtrain serve --no-worker` (gunicorn, as deployed) on a free loopback port, up and
    answering /healthz; yields the port and stops the server on leaving, whatever happens."""
    port = free_port()
    argv = [GOVTRAIN, "serve", "--no-worker", "--bind", f"127.0.0.1:{port}"]
    if workers is not None:
        argv += ["--workers", str(workers)]
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - our own argv
            argv,
            env=env,
            cwd=WORK.parent.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_ready(port, server, log)
            yield port
        finally:
            stop_process_group(server)


def postgres_statistics(db: Database, *, analyze: bool) -> dict[str, Any]:
    """ANALYZE the bench database, as autovacuum does on a default PostgreSQL server
    within a minute of a bulk load. (This machine's server may run with autovacuum off;
    without statistics the planner guesses 3 offices per department, not 1,200.)"""

    def psql(sql: str) -> str:
        done = subprocess.run(  # noqa: S603 - fixed argv
            ["psql", db.url, "-Atq", "-v", "ON_ERROR_STOP=1", "-c", sql],  # noqa: S607 - PATH
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    autovacuum = psql("SHOW autovacuum")
    if analyze:
        say(f"{db.name}: ANALYZE (the server's autovacuum is {autovacuum})")
        psql("ANALYZE")
    return {"autovacuum": autovacuum, "analyzed": analyze}


def measure_search(
    db: Database, rows: int, queries: int, time_limit: float, *, analyze: bool = True
) -> tuple[list[Record], dict[str, Any]]:
    env, logs = db.env(), WORK / "logs" / db.name
    statistics_notes = postgres_statistics(db, analyze=analyze) if db.name == "postgres" else {}
    password = secrets.token_urlsafe(16)
    env["BENCH_ADMIN_PASSWORD"] = password
    admin = step_json(
        run_checked(
            [PYTHON, "-m", "bench.django_steps", "admin"],
            env=env,
            log=logs / "admin",
            what="creating the bench administrator",
        )
    )
    env.pop("BENCH_ADMIN_PASSWORD")
    employees = int(admin["employees"])
    # PENs run from FIRST_PEN for as many employees as were imported (--reuse-database).
    urls = directory_queries(queries, employees, admin["departments"])

    log = logs / "server.log"
    say(f"{db.name}: serving; {queries} directory queries and {queries} /healthz")
    with served(env=env, log=log) as port:
        client = Client(port)
        login(client, admin["username"], password)
        page: list[float] = []
        bare: list[float] = []
        signed_in: list[float] = []
        matches: list[int] = []
        for _kind, url in urls[:WARM_UP]:
            client.request("GET", url)
            client.request("GET", "/healthz", cookies=False)
            client.request("GET", "/healthz")
        deadline = time.monotonic() + time_limit
        for _kind, url in urls:
            if time.monotonic() > deadline:
                say(f"{db.name}: time limit reached after {len(page)} queries")
                break
            status, body, seconds = client.request("GET", url)
            if status != 200 or "<table" not in body:
                raise BenchError(f"GET {url} gave HTTP {status} without a result table")
            page.append(seconds * 1000)
            found = MATCHES.search(body)
            matches.append(int(found.group(1).replace(",", "")) if found else -1)
            status, _body, seconds = client.request("GET", "/healthz", cookies=False)
            if status != 200:
                raise BenchError(f"GET /healthz gave HTTP {status}")
            bare.append(seconds * 1000)
            _status, _body, seconds = client.request("GET", "/healthz")
            signed_in.append(seconds * 1000)
        client.close()
    if not page:
        raise BenchError("no directory query was measured")
    notes = {
        **statistics_notes,
        "queries": len(page),
        "people_mean_ms": round(statistics.fmean(page), 2),
        "people_max_ms": round(max(page), 2),
        "healthz_mean_ms": round(statistics.fmean(bare), 2),
        "healthz_signed_in_p50_ms": round(percentile(signed_in, 0.50), 2),
        "healthz_signed_in_p95_ms": round(percentile(signed_in, 0.95), 2),
        "matches_median": statistics.median(matches),
        "matches_max": max(matches),
        "queries_matching_nobody": sum(1 for m in matches if m == 0),
        "by_kind": by_kind(urls, page, matches),
        "slowest": sorted(
            (
                {"url": url, "ms": round(ms, 1), "matches": n}
                for (_kind, url), ms, n in zip(urls, page, matches, strict=False)
            ),
            key=lambda q: -float(q["ms"]),  # type: ignore[arg-type]
        )[:8],
    }
    records = [
        Record.of(
            "people_search_p50_ms",
            db.name,
            percentile(page, 0.50),
            "ms",
            percentile(bare, 0.50),
            employees,
        ),
        Record.of(
            "people_search_p95_ms",
            db.name,
            percentile(page, 0.95),
            "ms",
            percentile(bare, 0.95),
            employees,
        ),
    ]
    return records, notes
