"""Daily job: e-mail each social worker the PIIS deadlines that are overdue or fall due within a few days.

Idempotent: every item sent is recorded in Reminder (unique per CPAS, user and deadline), so a second run the same
day sends nothing new. Runs outside any request, so it sets the CPAS for row-level security itself, per CPAS, in one
transaction per CPAS; the e-mails leave when that transaction commits (a failed send is logged, not retried).
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.core.rls import set_current_cpas
from piis.followup.services import reminders_send

# How many days ahead a deadline is announced: a convenience for the workers, not a legal figure.
DEFAULT_NOTICE_DAYS = 3


class Command(BaseCommand):
    help = "E-mail each worker the PIIS deadlines that are overdue or due within --days days (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_NOTICE_DAYS, help="Notice in days (default: 3).")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as on this day (YYYY-MM-DD).")

    def handle(self, *args, days: int, date: date | None, **options):
        today = date or timezone.localdate()
        total = 0
        for cpas in Cpas.objects.order_by("pk"):
            with transaction.atomic():
                set_current_cpas(cpas.pk)
                sent = reminders_send(cpas=cpas, today=today, days=days)
            total += sent
            if sent:
                self.stdout.write(f"{cpas.name}: {sent} e-mail(s)")
        self.stdout.write(self.style.SUCCESS(f"{total} reminder e-mail(s) sent for {today.isoformat()}."))
