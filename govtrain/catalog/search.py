"""Full-text search of the catalog in English and Malayalam, on SQLite and PostgreSQL.

The database derives the index from the course's own columns (code, titles, summaries),
so every way a course is written (services, admin, bulk loads, the demo, raw SQL) keeps
it current: on SQLite an FTS5 table kept by triggers, on PostgreSQL a side table of
stored `to_tsvector('simple', ...)` values kept by triggers, with GIN indexes. Both split
text into words the same way, whole Malayalam words included, and the query side below
(`parse`) turns what a person typed into prefix terms with the spelling variants
Malayalam text comes in.
docs/decisions/0003-catalog-search.md has the measurements behind the choices.

Changing a statement here needs a migration that drops and recreates the index
(`drop_index`, then `install_index`): existing databases keep what they were given.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "catalog_course_fts"
# The migration that installed the engine's current index (before it, nothing to repair).
INDEX_MIGRATIONS = {
    "sqlite": ("catalog", "0005_course_search"),
    "postgresql": ("catalog", "0006_course_search_table"),
}
TITLE_COLUMNS = "{code title_en title_ml}"  # an FTS5 column filter

# FTS5's default tokenizer keeps only letters and digits in a word and cuts Malayalam
# words at every vowel sign and virama (Unicode categories Mc and Mn): "വിവരാവകാശ" became
# "വ വര വക ശ", and a query for it matched any text sharing the fragments. Marks (M*) are
# word characters here, as they are to PostgreSQL's parser. Prefix indexes of 2 and 3
# characters serve search as you type.
SQLITE_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS catalog_course_fts USING fts5(
        code, title_en, title_ml, summary_en, summary_ml,
        content='catalog_course', content_rowid='id',
        tokenize="unicode61 categories 'L* N* Co M*'", prefix='2 3'
    )""",
    """CREATE TRIGGER IF NOT EXISTS catalog_course_fts_insert AFTER INSERT ON catalog_course
    BEGIN
        INSERT INTO catalog_course_fts(rowid, code, title_en, title_ml, summary_en, summary_ml)
        VALUES (new.id, new.code, new.title_en, new.title_ml, new.summary_en, new.summary_ml);
    END""",
    """CREATE TRIGGER IF NOT EXISTS catalog_course_fts_delete AFTER DELETE ON catalog_course
    BEGIN
        INSERT INTO catalog_course_fts(
            catalog_course_fts, rowid, code, title_en, title_ml, summary_en, summary_ml
        ) VALUES (
            'delete', old.id, old.code, old.title_en, old.title_ml, old.summary_en, old.summary_ml
        );
    END""",
    """CREATE TRIGGER IF NOT EXISTS catalog_course_fts_update
    AFTER UPDATE OF code, title_en, title_ml, summary_en, summary_ml ON catalog_course
    BEGIN
        INSERT INTO catalog_course_fts(
            catalog_course_fts, rowid, code, title_en, title_ml, summary_en, summary_ml
        ) VALUES (
            'delete', old.id, old.code, old.title_en, old.title_ml, old.summary_en, old.summary_ml
        );
        INSERT INTO catalog_course_fts(rowid, code, title_en, title_ml, summary_en, summary_ml)
        VALUES (new.id, new.code, new.title_en, new.title_ml, new.summary_en, new.summary_ml);
    END""",
)
SQLITE_TRIGGERS = (
    "catalog_course_fts_insert",
    "catalog_course_fts_delete",
    "catalog_course_fts_update",
)


# On PostgreSQL the index is a side table of tsvectors, one row per course, kept by
# triggers on catalog_course and searched through GIN indexes. The 'simple' configuration
# lower-cases and stems nothing: English and Malayalam words are stored as written.
# Indexes on the to_tsvector(...) expressions served narrow searches, but when most of the
# catalog matched, the planner scanned the table and recomputed to_tsvector over every
# summary (1 s for "offices"); stored, nothing is recomputed at query time.
PG_TABLE = "catalog_coursesearch"
PG_TRIGGERS = ("catalog_coursesearch_write", "catalog_coursesearch_truncate")


def _pg_document(row: str, columns: Sequence[str]) -> str:
    prefix = f"{row}." if row else ""
    return "to_tsvector('simple', " + " || ' ' || ".join(prefix + c for c in columns) + ")"


_PG_TEXT = ("code", "title_en", "title_ml", "summary_en", "summary_ml")
_PG_TITLE = ("code", "title_en", "title_ml")
_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in ("id", *_PG_TEXT))

# No foreign key to catalog_course: PostgreSQL refuses to TRUNCATE a referenced table
# alone, which Django's `flush` (and transactional tests) do; a statement trigger empties
# the side table instead. The row trigger fires on every UPDATE and checks the columns in
# its body: `UPDATE OF code, title_en, ...` would make the columns depend on the trigger,
# and PostgreSQL refuses `ALTER COLUMN ... TYPE` on them (the generated column's problem).
PG_DDL = (
    """CREATE TABLE IF NOT EXISTS catalog_coursesearch (
        course_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        title_document tsvector NOT NULL
    )""",
    f"""CREATE OR REPLACE FUNCTION catalog_coursesearch_write() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NOT ({_PG_CHANGED}) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM catalog_coursesearch WHERE course_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO catalog_coursesearch (course_id, document, title_document)
            VALUES (NEW.id, {_pg_document("NEW", _PG_TEXT)}, {_pg_document("NEW", _PG_TITLE)});
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608 - column names, no input
    """CREATE OR REPLACE TRIGGER catalog_coursesearch_write
        AFTER INSERT OR UPDATE OR DELETE ON catalog_course
        FOR EACH ROW EXECUTE FUNCTION catalog_coursesearch_write()""",
    """CREATE OR REPLACE FUNCTION catalog_coursesearch_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE catalog_coursesearch;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE TRIGGER catalog_coursesearch_truncate
        AFTER TRUNCATE ON catalog_course
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_coursesearch_truncate()""",
    # Without fastupdate: course writes are few, and a GIN index's pending list of recent
    # inserts, emptied only by (auto)vacuum, made the planner scan the table instead of
    # the index (17 ms where the index takes 5 ms for a 200-course match).
    """CREATE INDEX IF NOT EXISTS catalog_coursesearch_document
        ON catalog_coursesearch USING gin (document) WITH (fastupdate = off)""",
    """CREATE INDEX IF NOT EXISTS catalog_coursesearch_title
        ON catalog_coursesearch USING gin (title_document) WITH (fastupdate = off)""",
    "ALTER INDEX catalog_coursesearch_document SET (fastupdate = off)",
    "ALTER INDEX catalog_coursesearch_title SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('catalog_coursesearch_document')",
    "SELECT gin_clean_pending_list('catalog_coursesearch_title')",
)
# Idempotent: rows already right are left alone (no dead rows for vacuum to clear).
PG_REBUILD = (
    """DELETE FROM catalog_coursesearch s
     WHERE NOT EXISTS (SELECT 1 FROM catalog_course c WHERE c.id = s.course_id)""",
    f"""INSERT INTO catalog_coursesearch (course_id, document, title_document)
    SELECT id, {_pg_document("", _PG_TEXT)}, {_pg_document("", _PG_TITLE)} FROM catalog_course
    ON CONFLICT (course_id) DO UPDATE
       SET document = excluded.document, title_document = excluded.title_document
     WHERE (catalog_coursesearch.document, catalog_coursesearch.title_document)
           IS DISTINCT FROM (excluded.document, excluded.title_document)""",  # noqa: S608 - as above
)
# What migration 0005 created on PostgreSQL, dropped by 0006 (and by drop_index).
PG_LEGACY_INDEXES = ("catalog_course_search", "catalog_course_search_title")

PG_MATCH = "SELECT course_id FROM catalog_coursesearch WHERE document @@ to_tsquery('simple', %s)"
PG_MATCH_TITLE = (
    "SELECT course_id FROM catalog_coursesearch WHERE title_document @@ to_tsquery('simple', %s)"
)
SQLITE_MATCH = "SELECT rowid FROM catalog_course_fts WHERE catalog_course_fts MATCH %s"


def install_index(connection: BaseDatabaseWrapper) -> None:
    """Create the search index of the connection's engine and fill it (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DDL:
                cursor.execute(statement)
            cursor.execute("INSERT INTO catalog_course_fts(catalog_course_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for statement in (*PG_DDL, *PG_REBUILD):
                cursor.execute(statement)


def drop_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute("DROP TABLE IF EXISTS catalog_course_fts")
        elif connection.vendor == "postgresql":
            for trigger in PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON catalog_course")
                cursor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
            cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
            for index in PG_LEGACY_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")


def index_is_complete(connection: BaseDatabaseWrapper) -> bool:
    """Are the index table and its triggers there?"""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *SQLITE_TRIGGERS],
            )
            expected = 1 + len(SQLITE_TRIGGERS)
        elif connection.vendor == "postgresql":
            cursor.execute(
                """SELECT (to_regclass(%s) IS NOT NULL)::int + (
                       SELECT count(*) FROM pg_trigger
                        WHERE tgrelid = to_regclass('catalog_course') AND tgname IN (%s, %s))""",
                [PG_TABLE, *PG_TRIGGERS],
            )
            expected = 1 + len(PG_TRIGGERS)
        else:
            return True
        row = cursor.fetchone()
    return bool(row and row[0] == expected)


def repair_index(using: str = "default", **kwargs: Any) -> None:
    """After every `migrate`: put back triggers that a rebuilt table lost.

    Django alters a SQLite table by copying it to a new one and dropping the old, and the
    old table's triggers go with it; the next migration that touches Course would leave
    the index silently stale. PostgreSQL alters tables in place, but a migration that
    recreates catalog_course would lose them the same way. Runs on the post_migrate
    signal (see apps.py).
    """
    connection = connections[using]
    if index_is_complete(connection):
        return
    needed = INDEX_MIGRATIONS.get(connection.vendor)
    if needed is None or needed not in MigrationRecorder(connection).applied_migrations():
        return  # migrated back to before the index existed
    install_index(connection)


# --- The query side -------------------------------------------------------------------

MAX_TERMS = 8
MAX_TERM_LENGTH = 50
ZWJ, ZWNJ = "\u200d", "\u200c"
VIRAMA, ANUSVARA = "\u0d4d", "\u0d02"
# Malayalam's atomic chillu letters (Unicode 5.1) and the older encoding of each, still
# found in text typed before 2008 and in some input methods: consonant, virama, ZWJ.
CHILLU = {
    "\u0d7a": "\u0d23",  # ൺ ണ
    "\u0d7b": "\u0d28",  # ൻ ന
    "\u0d7c": "\u0d30",  # ർ ര
    "\u0d7d": "\u0d32",  # ൽ ല
    "\u0d7e": "\u0d33",  # ൾ ള
    "\u0d7f": "\u0d15",  # ൿ ക
}
_LEGACY_CHILLU = {atomic: base + VIRAMA + ZWJ for atomic, base in CHILLU.items()}


@dataclass(frozen=True)
class Term:
    """One word of a query: the spellings to look for, and whether as a prefix."""

    variants: tuple[str, ...]
    prefix: bool


def _is_word_char(ch: str) -> bool:
    # The same classes as the FTS5 tokenizer's; ZWJ and ZWNJ are kept for _canonical to handle.
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co" or ch in (ZWJ, ZWNJ)


def _is_malayalam(word: str) -> bool:
    return any("\u0d00" <= ch <= "\u0d7f" for ch in word)


def _canonical(word: str) -> str:
    """NFC, atomic chillus, no joiners: one spelling for the variants below to start from."""
    word = unicodedata.normalize("NFC", word).lower()
    for atomic, legacy in _LEGACY_CHILLU.items():
        word = word.replace(legacy, atomic)
    return word.replace(ZWJ, "").replace(ZWNJ, "")


def _variants(word: str) -> tuple[str, ...]:
    """The spellings stored text may use for `word`: the vowel signs ൊ ോ ൌ precomposed or in
    two parts (NFC or NFD), chillus atomic or as consonant + virama + ZWJ."""
    legacy = word
    for atomic, old in _LEGACY_CHILLU.items():
        legacy = legacy.replace(atomic, old)
    spellings = [word, unicodedata.normalize("NFD", word), legacy]
    spellings.append(unicodedata.normalize("NFD", legacy))
    return tuple(dict.fromkeys(spellings))


def parse(text: str) -> list[Term]:
    """The terms of a query, all of which a course must contain.

    A term is a prefix (search as you type) when it has three characters or more, or two
    when it is the last word typed. A Malayalam word loses a final anusvara or virama and
    becomes a prefix: nouns change their ending when inflected or compounded
    ("വിവരാവകാശം", "വിവരാവകാശ നിയമം", "വിവരാവകാശത്തിന്റെ").
    """
    words: list[str] = []
    current: list[str] = []
    for ch in f"{text} ":
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            word = _canonical("".join(current))[:MAX_TERM_LENGTH]
            if word and word not in words:
                words.append(word)
            current = []
    words = words[:MAX_TERMS]
    terms = []
    for n, word in enumerate(words):
        stem = word
        if _is_malayalam(word) and word[-1] in (ANUSVARA, VIRAMA) and len(word) > 3:
            stem = word[:-1]
        is_last = n == len(words) - 1
        prefix = stem != word or len(stem) >= 3 or (is_last and len(stem) >= 2)
        terms.append(Term(variants=_variants(stem), prefix=prefix))
    return terms


def _fts5_phrase(variant: str, prefix: bool) -> str:
    return '"' + variant.replace('"', '""') + '"' + ("*" if prefix else "")


def fts5_query(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: every term, each in any of its spellings."""
    parts = []
    for term in terms:
        phrases = [_fts5_phrase(v, term.prefix) for v in term.variants]
        parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts)


def _tsquery_lexeme(variant: str, prefix: bool) -> str:
    escaped = variant.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if prefix else "")


def tsquery(terms: Sequence[Term]) -> str:
    """The same query as text for PostgreSQL's to_tsquery."""
    parts = []
    for term in terms:
        lexemes = [_tsquery_lexeme(v, term.prefix) for v in term.variants]
        parts.append(lexemes[0] if len(lexemes) == 1 else "(" + " | ".join(lexemes) + ")")
    return " & ".join(parts)


def matches(terms: Sequence[Term]) -> Q:
    """A filter: courses whose code, titles or summaries contain every term."""
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        ids = RawSQL(SQLITE_MATCH, [fts5_query(terms)])  # noqa: S611 - fixed SQL, text a parameter
    elif vendor == "postgresql":
        ids = RawSQL(PG_MATCH, [tsquery(terms)])  # noqa: S611 - as above
    else:
        raise NotImplementedError(f"No catalog search on {vendor}.")
    return Q(id__in=ids)


def title_matches(terms: Sequence[Term]) -> Q:
    """A filter: courses whose code or titles contain every term (ranked first).

    A self-contained subquery that each engine runs once over its title index, however
    many courses it is tested against.
    """
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        match = f"{TITLE_COLUMNS} : ({fts5_query(terms)})"
        return Q(id__in=RawSQL(SQLITE_MATCH, [match]))  # noqa: S611 - fixed SQL, text a parameter
    if vendor == "postgresql":
        return Q(id__in=RawSQL(PG_MATCH_TITLE, [tsquery(terms)]))  # noqa: S611 - as above
    raise NotImplementedError(f"No catalog search on {vendor}.")
