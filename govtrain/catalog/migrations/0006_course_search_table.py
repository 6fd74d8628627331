from typing import Any

from django.db import migrations

from govtrain.catalog.search import PG_LEGACY_INDEXES, drop_index, install_index

# The GIN expression indexes that 0005 created on PostgreSQL, put back on reversal.
LEGACY_PG_DDL = (
    """CREATE INDEX IF NOT EXISTS catalog_course_search ON catalog_course USING gin (
        to_tsvector('simple', code || ' ' || title_en || ' ' || title_ml
                              || ' ' || summary_en || ' ' || summary_ml)
    )""",
    """CREATE INDEX IF NOT EXISTS catalog_course_search_title ON catalog_course USING gin (
        to_tsvector('simple', code || ' ' || title_en || ' ' || title_ml)
    )""",
)


def forward(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL: stored tsvectors in catalog_coursesearch, kept by triggers and filled
    from the courses, replace the expression indexes. SQLite keeps its FTS5 table."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install_index(connection)
    with connection.cursor() as cursor:
        for index in PG_LEGACY_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {index}")


def backward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    drop_index(connection)
    with connection.cursor() as cursor:
        for statement in LEGACY_PG_DDL:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_course_search")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
