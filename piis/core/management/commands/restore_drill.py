from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from piis.core.restore_drill import DrillError, run_drill


class Command(BaseCommand):
    help = (
        "Restore drill (PostgreSQL): dump the database of DATABASE_URL with pg_dump (custom format), restore it into "
        "a fresh scratch database, compare each table's row count and checksum and each sequence, print the table "
        "and a verdict, drop the scratch database. Exits non-zero on any difference. Needs a role that reads every "
        "row (superuser or BYPASSRLS) and may create databases. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="the DATABASES alias to drill (default: default)")

    def handle(self, *args, database, **options):
        settings_dict = connections[database].settings_dict
        try:
            report = run_drill(settings_dict)
        except DrillError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.table())
        if not report.ok:
            raise CommandError(f"the restore of {report.database} differs from the database (see the table above)")
