"""Nightly job: each CPAS's observatory figures per quarter (each over the twelve months ending with it), stored as
aggregates for the comparison between CPAS over time (observatory.equity). Each CPAS is computed in its own
transaction under its own row-level-security context. A run recomputes the quarter holding the day and the one before
(or, with --since, every quarter from the one holding that day: a backfill) and replaces those quarters' rows, so
running it twice changes nothing."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from piis.observatory.equity import periods_to_compute, refresh


class Command(BaseCommand):
    help = (
        "Compute every CPAS's observatory figures for the comparison between CPAS: the current and previous quarter, "
        "or every quarter since a day (safe to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as on this day (YYYY-MM-DD).")
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            default=None,
            help="Also recompute every quarter from the one holding this day (YYYY-MM-DD): a backfill.",
        )

    def handle(self, *args, date: date | None, since: date | None, **options):
        today = date or timezone.localdate()
        if since is not None and since > today:
            raise CommandError("--since is after the day of the run.")
        periods = periods_to_compute(today, since)
        count = refresh(today=today, since=since)
        codes = f"{periods[0].code} to {periods[-1].code}" if len(periods) > 1 else periods[0].code
        done = f"Figures of {count} CPAS computed for {codes} as on {today.isoformat()}."
        self.stdout.write(self.style.SUCCESS(done))
