from functools import partial

from django.core.exceptions import ValidationError
from django.db import migrations, models, transaction

import catalog.models
from catalog import badges


def store_badges_under_generated_names(apps, schema_editor):
    """Badges uploaded before names were generated kept the uploader's name (``badge.html`` is served as HTML)
    and SVGs went through an older allow-list: check each again and store it under a generated name. An old file
    whose name a server would not type as an image is removed; .png and .svg ones stay, for the credentials
    already issued that link to them."""
    Program = apps.get_model("catalog", "Program")
    for program in Program.objects.exclude(image=""):
        old = program.image.name
        try:
            with program.image.open("rb"):
                cleaned = badges.clean_upload(program.image)
        except FileNotFoundError:
            continue  # nothing stored, nothing served
        except ValidationError:
            cleaned = None  # the drawn badge takes its place
        if cleaned:
            program.image.save(cleaned.name, cleaned, save=False)
        Program.objects.filter(pk=program.pk).update(image=program.image.name if cleaned else "")
        if not old.lower().endswith((".png", ".svg")):
            storage = program.image.storage
            transaction.on_commit(partial(storage.delete, old), using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_program_translations'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalprogram',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The title, summary and description in other languages: {"fr": {"title": "…", "summary": "…", "description": "…"}}. Pages show them to visitors reading in that language.', validators=[catalog.models.validate_translations]),
        ),
        migrations.AlterField(
            model_name='program',
            name='image',
            field=models.FileField(blank=True, help_text="PNG or SVG (checked and cleaned on upload). Empty: a badge drawn in the institution's colours.", upload_to=catalog.models.badge_path, verbose_name='badge image'),
        ),
        migrations.AlterField(
            model_name='program',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='The title, summary and description in other languages: {"fr": {"title": "…", "summary": "…", "description": "…"}}. Pages show them to visitors reading in that language.', validators=[catalog.models.validate_translations]),
        ),
        migrations.RunPython(store_badges_under_generated_names, migrations.RunPython.noop),
    ]
