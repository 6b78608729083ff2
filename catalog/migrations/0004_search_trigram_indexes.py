"""A trigram index for the catalog's skill search on PostgreSQL.

The search filters with ``icontains``, which PostgreSQL runs as ``UPPER(column::text) LIKE UPPER('%word%')``; a GIN
trigram index on that same expression finds matching competencies without reading them all. (The program's own
columns are checked while the title index pages through published programs, so indexes on them went unused.)
SQLite has no equivalent, so this runs on PostgreSQL only (``TrigramExtension`` is itself a no-op elsewhere).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = [("catalog_competency", "name")]


def _index_name(table, column):
    return f"{table.removeprefix('catalog_')}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_index_name(table, column)}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_catalog_indexes")]

    operations = [TrigramExtension(), migrations.RunPython(create_indexes, drop_indexes)]
