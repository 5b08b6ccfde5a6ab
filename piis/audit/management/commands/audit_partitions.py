from django.core.management.base import BaseCommand
from django.utils import timezone

from piis.audit.partitions import ensure_month_partitions, month_partitions


class Command(BaseCommand):
    help = "Create the monthly partitions of the audit trail ahead of time (PostgreSQL; safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12, help="How many months ahead (default 12).")

    def handle(self, *args, months, **options):
        created = ensure_month_partitions(timezone.localdate(), months)
        self.stdout.write(f"created {len(created)} partition(s); {len(month_partitions())} in all")
