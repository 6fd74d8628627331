from typing import Any

from django.db import migrations

from govtrain.catalog.search import install_index


def forward(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL: the side table's GIN indexes without a pending list (fastupdate off),
    which made the planner scan the table; `install_index` sets it and is idempotent."""
    if schema_editor.connection.vendor == "postgresql":
        install_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_course_search_table")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
