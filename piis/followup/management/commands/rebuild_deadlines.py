"""Recompute the deadline table (followup.Deadline) of every file that can have deadlines (a worker, a PIIS not
ended, or rows: followup.deadlines.files_with_deadlines), or of one CPAS's: after a bulk load that sent no model
signals (bench data), after restoring a backup, or to check the table. Idempotent: running it twice gives the same
rows. Sets the CPAS for row-level security itself, in one transaction per CPAS (1,000 files a round of queries)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.core.rls import set_current_cpas
from piis.followup.deadlines import rebuild_cpas
from piis.followup.models import Deadline, DeadlineFile


class Command(BaseCommand):
    help = "Recompute every file's deadlines for the agenda (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--cpas", type=int, default=None, help="Only this CPAS (its id).")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="As on this day (YYYY-MM-DD).")

    def handle(self, *args, cpas: int | None, date: date | None, **options):
        today = date or timezone.localdate()
        total = 0
        queryset = Cpas.objects.order_by("pk")
        for one in queryset.filter(pk=cpas) if cpas is not None else queryset:
            with transaction.atomic():
                set_current_cpas(one.pk)
                total += rebuild_cpas(cpas=one, today=today)
        if connection.vendor == "postgresql":
            # Fresh statistics for the freshness queries' plans (a table just refilled was estimated at a few rows and
            # read whole); a role that does not own the tables gets a warning, not an error.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {DeadlineFile._meta.db_table}, {Deadline._meta.db_table}")
        if options.get("verbosity", 1):
            self.stdout.write(self.style.SUCCESS(f"Deadlines of {total} file(s) computed for {today.isoformat()}."))
