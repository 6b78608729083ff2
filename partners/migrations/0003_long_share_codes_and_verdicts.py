import django.utils.timezone
from django.db import migrations, models
from django.db.models import F

import partners.models


def grandfather_verified(apps, schema_editor):
    """Checks recorded before verdicts were kept count as verified on the day they were made: before this, every
    check was recorded as a verification, and a partner must not stop hearing of revocations it relied on."""
    VerifiedCredential = apps.get_model("partners", "VerifiedCredential")
    VerifiedCredential.objects.update(verified_at=F("at"))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_partnermember"),
    ]

    operations = [
        migrations.AddField(
            model_name="verifiedcredential",
            name="verdict",
            field=models.CharField(default="valid", help_text="The verdict of the partner's last check.", max_length=30),
        ),
        migrations.AddField(
            model_name="verifiedcredential",
            name="verified_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                help_text="The partner's last check that found it valid.",
                null=True,
            ),
        ),
        migrations.RunPython(grandfather_verified, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="share",
            name="code",
            field=models.CharField(default=partners.models._share_code, editable=False, max_length=40, unique=True),
        ),
    ]
