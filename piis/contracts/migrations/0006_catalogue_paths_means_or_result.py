"""Issue 18: a contract's path (sequenced or integrated) and the stages of its objectives; objectives, steps,
commitments and third parties may point to an entry of the CPAS's catalogue; every commitment says whether it
promises means or a result.

Commitments recorded before this migration get "means" (the field's default): the protective reading, as they
were written without the distinction — a commitment read as promising effort cannot be breached by a result not
obtained (rules.check_breach). A worker who agreed a result with the person changes it in an amendment."""

import django.db.models.deletion
from django.db import migrations, models


def _catalogue_field():
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="catalogue.catalogueentry",
        verbose_name="from the catalogue",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_catalogue_and_target_groups"),
        ("contracts", "0005_amendment_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="path",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sequenced", "Sequenced path (stages one after the other)"),
                    ("integrated", "Integrated path (several domains at once)"),
                ],
                max_length=12,
                verbose_name="path",
            ),
        ),
        migrations.AddField(
            model_name="objective",
            name="stage",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="stage"),
        ),
        migrations.AddField(model_name="objective", name="catalogue_entry", field=_catalogue_field()),
        migrations.AddField(model_name="step", name="catalogue_entry", field=_catalogue_field()),
        migrations.AddField(model_name="clause", name="catalogue_entry", field=_catalogue_field()),
        migrations.AddField(model_name="thirdparty", name="catalogue_entry", field=_catalogue_field()),
        migrations.AddField(
            model_name="clause",
            name="obligation",
            field=models.CharField(
                choices=[
                    ("means", "Obligation of means (to try, to attend)"),
                    ("result", "Obligation of result (to obtain)"),
                ],
                default="means",
                max_length=10,
                verbose_name="what it promises",
            ),
        ),
    ]
