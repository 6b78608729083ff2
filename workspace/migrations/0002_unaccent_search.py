"""The ``unaccent`` extension behind config.search's ``unaccent_icontains`` lookup (admin searches that ignore
accents). A no-op on SQLite, where the lookup uses a Python function instead; a trusted extension since
PostgreSQL 13, so the database owner may create it."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workspace", "0001_export_jobs")]

    operations = [UnaccentExtension()]
