"""Baselines that run without Django, each in its own process (`python -m bench.plain_steps`).

`floor DATABASE_URL FILE`: the floor of any import. Read the HR export with csv.reader,
map codes to ids with dictionaries, and executemany INSERT every row, 2,000 at a time in
one transaction, over a plain DB-API connection into a scratch copy of people_employee
with the same columns and indexes (no foreign-key checks, no login rows, no comparison).

`csv-pass FILE`: the floor of a re-import that finds nothing to change: one csv.reader
pass over the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCRATCH = "bench_floor_employee"
CHUNK = 2000
REFERENCE_TABLES = {
    "office": "organisation_office",
    "designation": "people_designation",
    "service_class": "people_serviceclass",
    "cadre": "people_cadre",
}
COLUMNS = (
    "id",
    "pen",
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
    "controlling_officer_id",
    "user_id",
    "search_name",
    "created_at",
    "updated_at",
)


def connect(url: str) -> tuple[Any, str]:
    """A DB-API connection and its placeholder, from a DATABASE_URL."""
    if url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        # The settings' pragmas, less foreign keys (PostgreSQL's copy has none either).
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "busy_timeout=20000",
            "cache_size=-64000",
        ):
            conn.execute(f"PRAGMA {pragma}")
        return conn, "?"
    import psycopg

    return psycopg.connect(url), "%s"


def create_scratch(conn: Any, sqlite: bool) -> None:
    drop_scratch(conn, sqlite)
    if not sqlite:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {SCRATCH} (LIKE people_employee INCLUDING ALL)")
        conn.commit()
        return
    statements = conn.execute(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'people_employee' "
        "AND sql IS NOT NULL ORDER BY type = 'index'"
    ).fetchall()
    for kind, sql in statements:
        if kind == "index":
            sql = re.sub(r'INDEX "([^"]+)"', rf'INDEX "{SCRATCH}_\1"', sql, count=1)
        conn.execute(sql.replace('"people_employee"', f'"{SCRATCH}"'))


def drop_scratch(conn: Any, sqlite: bool) -> None:
    if sqlite:
        conn.execute(f'DROP TABLE IF EXISTS "{SCRATCH}"')
    else:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        conn.commit()


def references(conn: Any) -> dict[str, dict[str, int]]:
    refs = {}
    for column, table in REFERENCE_TABLES.items():
        cur = conn.cursor()
        cur.execute(f"SELECT code, id FROM {table}")  # noqa: S608 - fixed table names
        refs[column] = {str(code).upper(): pk for code, pk in cur.fetchall()}
    return refs


def rows_of(path: Path, refs: dict[str, dict[str, int]], now: object) -> Iterator[tuple[Any, ...]]:
    offices, designations = refs["office"], refs["designation"]
    classes, cadres = refs["service_class"], refs["cadre"]
    ids: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        (pen_i, en_i, ml_i, gender_i, class_i, cadre_i, desig_i, office_i, doj_i, status_i,
         email_i, phone_i, co_i) = (
            at[c]
            for c in (
                "pen", "name_en", "name_ml", "gender", "service_class", "cadre", "designation",
                "office", "date_of_joining", "status", "email", "phone", "controlling_officer_pen",
            )
        )  # fmt: skip
        for n, cells in enumerate(reader, start=1):
            pen = cells[pen_i]
            ids[pen] = n
            name_en = cells[en_i].strip()
            yield (
                n,
                pen,
                name_en,
                cells[ml_i].strip(),
                cells[gender_i],
                classes[cells[class_i].upper()],
                cadres.get(cells[cadre_i].upper()),
                designations[cells[desig_i].upper()],
                offices[cells[office_i].upper()],
                cells[doj_i] or None,
                cells[status_i],
                cells[email_i].lower(),
                cells[phone_i],
                ids.get(cells[co_i]),
                None,
                name_en.lower(),
                now,
                now,
            )


def floor(url: str, path: Path) -> dict[str, Any]:
    sqlite = url.startswith("sqlite:")
    conn, mark = connect(url)
    try:
        create_scratch(conn, sqlite)
        refs = references(conn)
        now: object = dt.datetime.now(dt.UTC)
        if sqlite:
            now = now.replace(tzinfo=None).isoformat(" ")  # type: ignore[attr-defined]
        sql = (
            f"INSERT INTO {SCRATCH} ({', '.join(COLUMNS)}) "  # noqa: S608 - fixed names
            f"VALUES ({', '.join([mark] * len(COLUMNS))})"
        )
        start = time.perf_counter()
        written = 0
        cur = conn.cursor()
        if sqlite:
            cur.execute("BEGIN IMMEDIATE")
        batch: list[tuple[Any, ...]] = []
        for row in rows_of(path, refs, now):
            batch.append(row)
            if len(batch) >= CHUNK:
                cur.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            written += len(batch)
        if sqlite:
            cur.execute("COMMIT")
        else:
            conn.commit()
        seconds = time.perf_counter() - start
        drop_scratch(conn, sqlite)
    finally:
        conn.close()
    return {"rows": written, "read_and_insert_seconds": round(seconds, 2)}


def csv_pass(path: Path) -> dict[str, Any]:
    rows = 0
    with path.open(newline="", encoding="utf-8") as f:
        for _cells in csv.reader(f):
            rows += 1
    return {"rows": rows - 1}


def main(argv: list[str]) -> None:
    if argv[:1] == ["floor"] and len(argv) == 3:
        result = floor(argv[1], Path(argv[2]))
    elif argv[:1] == ["csv-pass"] and len(argv) == 2:
        result = csv_pass(Path(argv[1]))
    else:
        raise SystemExit("usage: python -m bench.plain_steps floor URL FILE | csv-pass FILE")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
