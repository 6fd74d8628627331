"""Full-text search of the catalog in English and Malayalam, on SQLite and PostgreSQL.

The database derives the index from the course's own columns (code, titles, summaries),
so every way a course is written (services, admin, bulk loads, the demo, raw SQL) keeps
it current: on SQLite an FTS5 table kept by triggers, on PostgreSQL GIN indexes on
`to_tsvector('simple', ...)` expressions. Both split text into words the same way, whole
Malayalam words included, and the query side below (`parse`) turns what a person typed
into prefix terms with the spelling variants Malayalam text comes in.
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
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL

FTS_TABLE = "catalog_course_fts"
INDEX_MIGRATION = ("catalog", "0005_course_search")
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


# The 'simple' configuration lower-cases and stems nothing: English and Malayalam words are
# indexed as written. The queries below repeat these expressions exactly, as PostgreSQL
# uses an expression index only for the same expression.
PG_DDL = (
    """CREATE INDEX IF NOT EXISTS catalog_course_search ON catalog_course USING gin (
        to_tsvector('simple', code || ' ' || title_en || ' ' || title_ml
                              || ' ' || summary_en || ' ' || summary_ml)
    )""",
    """CREATE INDEX IF NOT EXISTS catalog_course_search_title ON catalog_course USING gin (
        to_tsvector('simple', code || ' ' || title_en || ' ' || title_ml)
    )""",
)
# A MATERIALIZED CTE, planned as a query of its own: as a bare `id IN (SELECT ...)` the
# planner hashed a sequential scan that recomputed to_tsvector for every course (120 ms of
# a 122 ms search for "team"), where the index answers in 2-4 ms.
PG_MATCH_TITLE = """WITH title_match AS MATERIALIZED (
        SELECT id FROM catalog_course
         WHERE to_tsvector('simple', code || ' ' || title_en || ' ' || title_ml)
               @@ to_tsquery('simple', %s)
    ) SELECT id FROM title_match"""
SQLITE_MATCH = "SELECT rowid FROM catalog_course_fts WHERE catalog_course_fts MATCH %s"


def install_index(connection: BaseDatabaseWrapper) -> None:
    """Create the search index of the connection's engine and fill it (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DDL:
                cursor.execute(statement)
            cursor.execute("INSERT INTO catalog_course_fts(catalog_course_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for statement in PG_DDL:
                cursor.execute(statement)


def drop_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute("DROP TABLE IF EXISTS catalog_course_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS catalog_course_search")
            cursor.execute("DROP INDEX IF EXISTS catalog_course_search_title")


def index_is_complete(connection: BaseDatabaseWrapper) -> bool:
    """Are the FTS table and its three triggers there? (Always true off SQLite.)"""
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            [FTS_TABLE, *SQLITE_TRIGGERS],
        )
        row = cursor.fetchone()
    return bool(row and row[0] == 1 + len(SQLITE_TRIGGERS))


def repair_index(using: str = "default", **kwargs: Any) -> None:
    """After every `migrate`: put back triggers that a rebuilt table lost.

    Django alters a SQLite table by copying it to a new one and dropping the old, and the
    old table's triggers go with it; the next migration that touches Course would leave
    the index silently stale. Runs on the post_migrate signal (see apps.py).
    """
    connection = connections[using]
    if index_is_complete(connection):
        return
    if INDEX_MIGRATION not in MigrationRecorder(connection).applied_migrations():
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


class _Document(Func):
    template = "to_tsvector('simple', %(expressions)s)"
    arg_joiner = " || ' ' || "


class _Query(Func):
    template = "to_tsquery('simple', %(expressions)s)"


class _Matches(Func):
    """`to_tsvector('simple', code || ' ' || title_en ...) @@ to_tsquery('simple', %s)` on
    the outer query's own columns: the expression of the catalog_course_search index."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, query: str) -> None:
        columns = ("code", "title_en", "title_ml", "summary_en", "summary_ml")
        super().__init__(_Document(*(F(c) for c in columns)), _Query(Value(query)))


def matches(terms: Sequence[Term]) -> Q | Func:
    """A filter: courses whose code, titles or summaries contain every term."""
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        ids = RawSQL(SQLITE_MATCH, [fts5_query(terms)])  # noqa: S611 - fixed SQL, text a parameter
        return Q(id__in=ids)
    if vendor == "postgresql":
        # On the outer table rather than `id IN (...)`: one bitmap scan, no self-join.
        return _Matches(tsquery(terms))
    raise NotImplementedError(f"No catalog search on {vendor}.")


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
