import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A meeting request recorded by an integration through the API has no account behind it: recorded_by becomes
    optional and the integration's name is kept in recorded_by_label."""

    dependencies = [
        ("followup", "0002_meeting_request_submission_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="meetingrequest",
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
            model_name="meetingrequest",
            name="recorded_by_label",
            field=models.CharField(
                blank=True, editable=False, max_length=150, verbose_name="recorded by (integration)"
            ),
        ),
    ]
