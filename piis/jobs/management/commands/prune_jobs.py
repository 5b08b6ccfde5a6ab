"""Daily job: forget the background builds finished more than --days days ago, with their files (the task rows
are pruned by django-tasks-db's own `prune_db_task_results`). Per CPAS, in one transaction with that CPAS set for
row-level security; safe to run twice (what is gone is not found again)."""

from datetime import timedelta
from functools import partial

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.jobs.models import Job
from piis.jobs.services import in_cpas


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


class Command(BaseCommand):
    help = "Delete the background builds finished more than --days days ago, and their files (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Keep the builds of the last DAYS days (default 7).")

    def handle(self, *args, days: int, **options):
        before = timezone.now() - timedelta(days=days)
        total = 0
        for cpas in Cpas.objects.order_by("pk"):
            with in_cpas(cpas.pk):
                old = Job.objects.for_cpas(cpas).filter(finished_at__lt=before)
                names = [name for name in old.values_list("file", flat=True) if name]
                total += old.delete()[0]
                transaction.on_commit(partial(_delete_files, names))
        self.stdout.write(self.style.SUCCESS(f"{total} finished build(s) older than {days} day(s) deleted."))
