"""Nightly job: each CPAS's observatory figures over the last twelve months, stored as aggregates for the
comparison between CPAS (observatory.equity). Each CPAS is computed in its own transaction under its own
row-level-security context; running it twice replaces the rows."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from piis.observatory.equity import refresh


class Command(BaseCommand):
    help = "Compute every CPAS's observatory figures for the comparison between CPAS (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as on this day (YYYY-MM-DD).")

    def handle(self, *args, date: date | None, **options):
        today = date or timezone.localdate()
        count = refresh(today=today)
        self.stdout.write(self.style.SUCCESS(f"Figures of {count} CPAS computed for {today.isoformat()}."))
