import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="program",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalprogram",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
    ]
