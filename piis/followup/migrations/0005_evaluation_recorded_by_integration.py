import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """An evaluation recorded by an integration through the API has no account behind it: recorded_by becomes
    optional and the integration's name is kept in recorded_by_label (as for meeting requests, 0003); the key of the
    request that recorded it (Idempotency-Key) finds it when the same request is sent again."""

    dependencies = [
        ("followup", "0004_person_meeting_and_evaluation_comment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="recorded_by_label",
            field=models.CharField(
                blank=True, editable=False, max_length=150, verbose_name="recorded by (integration)"
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="submission_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
    ]
