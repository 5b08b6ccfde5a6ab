"""The table of Django's database cache in which the API counts each token's calls per minute (settings.CACHES
"api_rate"): made here, so that `migrate` is all a deployment runs."""

from django.core.management import call_command
from django.db import migrations

TABLE = "piis_api_rate"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
