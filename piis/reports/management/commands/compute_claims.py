"""Nightly job: the subsidy claim of the current and the previous month of every CPAS, computed and stored
(reports.claims), so that the claim page, its CSV and the API read it instead of computing it. Each CPAS and month
in its own transaction under the CPAS's row-level-security context; a second run replaces the stored claims."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.jobs.services import in_cpas
from piis.reports.claims import compute_claim


class Command(BaseCommand):
    help = "Compute and store every CPAS's subsidy claim of this month and the previous one (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as on this day (YYYY-MM-DD).")
        parser.add_argument("--cpas", type=int, action="append", default=None, help="Only this CPAS (its id).")

    def handle(self, *args, date: date | None, cpas: list[int] | None, **options):
        today = date or timezone.localdate()
        this_month = today.replace(day=1)
        months = [(this_month - timedelta(days=1)).replace(day=1), this_month]
        every = Cpas.objects.order_by("pk")
        if cpas:
            every = every.filter(pk__in=cpas)
        count = 0
        for one in every:
            for month in months:
                with in_cpas(one.pk):
                    run = compute_claim(one, month)
                count += 1
                self.stdout.write(f"{one.nis_code} {month:%Y-%m}: {run.lines} lines in {run.seconds} s")
        self.stdout.write(self.style.SUCCESS(f"{count} claims computed for {today.isoformat()}."))
