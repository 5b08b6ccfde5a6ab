"""Daily job: recompute the deadline table for the day, then e-mail each social worker the PIIS deadlines that are
overdue or fall due within a few days.

The deadlines that move with time (overdue, at risk, the contract year of the evaluations, an exemption ending) are
recomputed here for the files whose first day of change (DeadlineFile.valid_until) has come, or that changed
(followup.deadlines), so that the day's first agenda pages read the table without recomputing anything.

Idempotent: every item sent is recorded in Reminder (unique per CPAS, user and deadline), so a second run the same
day sends nothing new. Runs outside any request, so it sets the CPAS for row-level security itself, per CPAS, in one
transaction per CPAS; the e-mails leave when that transaction commits (a failed send is logged, not retried).
Each CPAS's run is a background task (followup.tasks.send_cpas_reminders): run here one after the other, or with
--enqueue queued for the task worker (`manage.py db_worker`), which runs them apart from each other.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.followup.tasks import send_cpas_reminders

# How many days ahead a deadline is announced: a convenience for the workers, not a legal figure.
DEFAULT_NOTICE_DAYS = 3


class Command(BaseCommand):
    help = "E-mail each worker the PIIS deadlines that are overdue or due within --days days (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_NOTICE_DAYS, help="Notice in days (default: 3).")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as on this day (YYYY-MM-DD).")
        parser.add_argument("--enqueue", action="store_true", help="Queue one task per CPAS for the worker instead.")

    def handle(self, *args, days: int, date: date | None, enqueue: bool = False, **options):
        today = date or timezone.localdate()
        total = 0
        for cpas in Cpas.objects.order_by("pk"):
            if enqueue:
                send_cpas_reminders.enqueue(cpas.pk, today.isoformat(), days)
                total += 1
                continue
            sent = send_cpas_reminders.call(cpas.pk, today.isoformat(), days)
            total += sent
            if sent:
                self.stdout.write(f"{cpas.name}: {sent} e-mail(s)")
        if enqueue:
            self.stdout.write(self.style.SUCCESS(f"{total} CPAS queued for the reminders of {today.isoformat()}."))
            return
        self.stdout.write(self.style.SUCCESS(f"{total} reminder e-mail(s) sent for {today.isoformat()}."))
