"""The API's rate limit counted in its own table, one upsert per call (api.auth), in place of Django's database
cache (its table, made by 0002, is dropped)."""

import django.db.models.deletion
from django.core.management import call_command
from django.db import migrations, models

import piis.core.rls

CACHE_TABLE = "piis_api_rate"


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_recovery_codes_hashed"),
        ("api", "0002_rate_limit_cache_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiCallCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("minute", models.BigIntegerField()),
                ("calls", models.PositiveIntegerField(default=0)),
                (
                    "cpas",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.cpas"
                    ),
                ),
                (
                    "token",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="api.apitoken"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("token", "minute"), name="api_call_count_one_per_minute")
                ],
            },
        ),
        piis.core.rls.EnableTenantRLS("api_apicallcount"),
        migrations.RunPython(drop_cache_table, create_cache_table),
    ]
