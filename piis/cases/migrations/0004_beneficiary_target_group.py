import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_catalogue_and_target_groups"),
        ("cases", "0003_file_team_and_break_the_glass"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="target_group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="beneficiaries",
                to="catalogue.targetgroup",
                verbose_name="target group",
            ),
        ),
    ]
