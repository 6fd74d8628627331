"""Full-text search of the catalog, in English and Malayalam, on either database."""

import unicodedata

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import translation

from govtrain import testing as t
from govtrain.catalog import search, services
from govtrain.catalog.models import Course

pytestmark = pytest.mark.django_db


def test_english_words_find_courses_by_title_summary_and_code(find, rti, noting) -> None:
    assert find("officers") == ["IMG-RTI"]
    assert find("appeals") == ["IMG-RTI"]
    assert find("img-rti") == ["IMG-RTI"]
    assert find("DRAFTING") == ["IMG-NOTE"]


def test_the_last_word_typed_matches_as_a_prefix(find, rti, noting) -> None:
    assert find("public informat") == ["IMG-RTI"]
    assert find("dr") == ["IMG-NOTE"]


def test_every_word_must_be_found(find, rti, noting) -> None:
    assert find("information appeals") == ["IMG-RTI"]
    assert find("appeals drafting") == []
    assert find("information drafting") == ["IMG-NOTE"]


def test_a_malayalam_word_finds_the_course_that_uses_it_inflected(find, rti, noting) -> None:
    # The title says "വിവരാവകാശ നിയമം": the noun's compound form, without its anusvara.
    assert find("വിവരാവകാശം") == ["IMG-RTI"]


def test_a_malayalam_prefix_finds_the_course(find, rti, noting) -> None:
    assert find("വിവരാ") == ["IMG-RTI"]
    assert find("ഓഫീസർ") == ["IMG-RTI"]
    assert find("കുറിപ്പ്") == ["IMG-NOTE"]


def test_malayalam_words_are_matched_from_their_start_not_by_letters_inside_others(
    find,
) -> None:
    # FTS5's default tokenizer cut "ഭൂരേഖകളും" at its vowel signs, so "രേഖ" ("record")
    # matched this course through fragments from the middle of the word.
    t.make_course("ILDM-LAND", title_en="Land records and survey", title_ml="ഭൂരേഖകളും സർവേയും")
    t.make_course("IMG-DOCS", title_en="Office records", title_ml="ഓഫീസ് രേഖകൾ")

    assert find("രേഖ") == ["IMG-DOCS"]
    assert find("ഭൂരേഖ") == ["ILDM-LAND"]


def test_malayalam_text_in_older_encodings_is_found(find) -> None:
    # Chillu as consonant + virama + ZWJ (before Unicode 5.1), and the vowel sign "ോ" in
    # two parts: both still come out of some input methods and old documents.
    t.make_course("OLD-1", title_en="Old", title_ml="ഓഫീസര്\u200dമാര്\u200dക്ക് പരിശീലനം")
    t.make_course("OLD-2", title_en="Old", title_ml=unicodedata.normalize("NFD", "കോഡ് പഠനം"))

    assert find("ഓഫീസർമാർക്ക്") == ["OLD-1"]
    assert find("ഓഫീസർ") == ["OLD-1"]
    assert find("കോഡ്") == ["OLD-2"]


def test_courses_with_the_words_in_the_title_come_first(find) -> None:
    t.make_course("A-1", title_en="Accounts for beginners", summary_en="Includes treasury rules.")
    t.make_course("Z-1", title_en="Treasury procedures", summary_en="Bills and cheques.")
    t.make_course("B-1", title_en="Budgeting", summary_en="Treasury, budget and audit.")

    assert find("treasury") == ["Z-1", "A-1", "B-1"]


def test_unpublished_courses_are_never_found(find, rti) -> None:
    t.make_course("IMG-RTI-2", title_en="RTI appeals", is_published=False)

    assert find("rti") == ["IMG-RTI"]


def test_the_index_follows_every_kind_of_write(find, rti, admin) -> None:
    services.course_update(course=rti, by=admin, title_en="Transparency for officers")
    assert find("transparency") == ["IMG-RTI"]
    assert find("public") == []

    Course.objects.filter(pk=rti.pk).update(summary_en="Now about grievances.")
    assert find("grievances") == ["IMG-RTI"]
    assert find("appeals") == []

    Course.objects.bulk_create([Course(**_fields("BULK-1", "Procurement on GeM"))])
    assert find("procurement") == ["BULK-1"]

    rti.delete()
    assert find("transparency") == []


def _fields(code: str, title: str) -> dict[str, object]:
    return {
        "code": code,
        "title_en": title,
        "provider": t.make_provider(),
        "topic": t.make_topic(),
        "modality": Course.Modality.ONLINE,
        "hours": 4,
        "languages": ["en"],
        "is_published": True,
    }


@pytest.mark.parametrize(
    "text",
    ['"', "rti\"'", "AND", "NEAR(rti", "*", "^rti", "col:rti", "a & b | !c", "(", "a:*", "\\"],
)
def test_search_syntax_typed_by_a_reader_is_just_text(find, rti, text) -> None:
    find(text)  # no error from the engine's query parser


def test_punctuation_alone_searches_for_nothing(find, rti, noting) -> None:
    assert search.parse("--- ?!") == []
    assert find("--- ?!") == ["IMG-NOTE", "IMG-RTI"]


def test_query_terms_are_prefixes_from_three_letters_or_when_typed_last() -> None:
    terms = search.parse("an rti of ab")

    assert [(term.variants[0], term.prefix) for term in terms] == [
        ("an", False),
        ("rti", True),
        ("of", False),
        ("ab", True),
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="triggers keep the FTS5 index")
def test_triggers_lost_when_django_rebuilds_the_table_come_back_after_migrate(find, rti) -> None:
    # Django alters a SQLite table by copying it and dropping the original, triggers and all.
    with connection.cursor() as cursor:
        for trigger in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    Course.objects.filter(pk=rti.pk).update(title_en="Renamed while unindexed")

    catalog = apps.get_app_config("catalog")
    post_migrate.send(sender=catalog, app_config=catalog, using="default")

    assert search.index_is_complete(connection)
    assert find("renamed") == ["IMG-RTI"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_course_fts(catalog_course_fts) VALUES ('integrity-check')"
        )


def test_the_search_uses_the_full_text_index(rti) -> None:
    courses = Course.objects.filter(search.matches(search.parse("information")))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is scanned
        assert "catalog_coursesearch_document" in courses.explain()
    else:
        assert "VIRTUAL TABLE INDEX" in courses.explain()
    assert list(courses) == [rti]


def test_malayalam_readers_get_the_catalog_in_the_order_of_malayalam_titles(find) -> None:
    t.make_course("C-1", title_en="Accounts", title_ml="കണക്കുകൾ")
    t.make_course("C-2", title_en="Budget", title_ml="ബജറ്റ്")
    t.make_course("C-3", title_en="Audit", title_ml="ഓഡിറ്റ്")

    with translation.override("ml"):
        assert find() == ["C-3", "C-1", "C-2"]
    with translation.override("en"):
        assert find() == ["C-1", "C-3", "C-2"]


def _stored(course_id: int) -> tuple[str, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text, title_document::text FROM catalog_coursesearch"
            " WHERE course_id = %s",
            [course_id],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL's")
def test_the_postgresql_side_table_follows_inserts_updates_and_deletes(rti) -> None:
    stored = _stored(rti.pk)
    assert stored is not None
    document, title_document = stored
    assert "'appeals'" in document
    assert "'appeals'" not in title_document
    assert "'officers'" in title_document
    assert "'img-rti'" in title_document

    Course.objects.filter(pk=rti.pk).update(summary_en="Now about grievances.")
    document, title_document = _stored(rti.pk) or ("", "")
    assert "'grievances'" in document
    assert "'appeals'" not in document
    assert "'officers'" in title_document

    Course.objects.filter(pk=rti.pk).update(title_en="Transparency", is_published=False)
    document, title_document = _stored(rti.pk) or ("", "")
    assert "'transparency'" in title_document
    assert "'officers'" not in title_document

    Course.objects.filter(pk=rti.pk).update(hours=9)  # no text changed: left as it was
    assert _stored(rti.pk) == (document, title_document)

    [bulk] = Course.objects.bulk_create([Course(**_fields("BULK-1", "Procurement on GeM"))])
    assert "'procurement'" in (_stored(bulk.pk) or ("", ""))[1]

    rti.delete()
    assert _stored(rti.pk) is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_course")
        courses = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM catalog_coursesearch")
        assert cursor.fetchone() == courses

        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
        cursor.execute("TRUNCATE catalog_course CASCADE")
        cursor.execute("SELECT count(*) FROM catalog_coursesearch")
        assert cursor.fetchone() == (0,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL's")
def test_the_postgresql_gin_indexes_have_no_pending_list(db) -> None:
    # A pending list, emptied only by vacuum, made the planner scan the table instead.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN (%s, %s) ORDER BY 1",
            ["catalog_coursesearch_document", "catalog_coursesearch_title"],
        )
        assert cursor.fetchall() == [
            ("catalog_coursesearch_document", ["fastupdate=off"]),
            ("catalog_coursesearch_title", ["fastupdate=off"]),
        ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL's")
def test_the_title_columns_can_still_change_type_on_postgresql(find, rti) -> None:
    # What a stored generated column, or a trigger `UPDATE OF title_en`, would refuse.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
        cursor.execute("ALTER TABLE catalog_course ALTER COLUMN title_en TYPE varchar(400)")
    Course.objects.filter(pk=rti.pk).update(title_en="Renamed after the change")
    assert find("renamed") == ["IMG-RTI"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL's")
def test_postgresql_triggers_dropped_by_a_migration_come_back_after_migrate(find, rti) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER catalog_coursesearch_write ON catalog_course")
    assert not search.index_is_complete(connection)
    Course.objects.filter(pk=rti.pk).update(title_en="Renamed while unindexed")

    catalog = apps.get_app_config("catalog")
    post_migrate.send(sender=catalog, app_config=catalog, using="default")

    assert search.index_is_complete(connection)
    assert find("renamed") == ["IMG-RTI"]
