"""Stored guidance now keeps facts instead of English sentences (guidance/wording.py); rows in the old form are
discarded and computed again on the next visit."""

from django.db import migrations


def discard_stored_guidance(apps, schema_editor):
    apps.get_model("guidance", "LearnerGuidance").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]

    operations = [migrations.RunPython(discard_stored_guidance, migrations.RunPython.noop)]
