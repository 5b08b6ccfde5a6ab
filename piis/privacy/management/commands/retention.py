"""Retention: report (--dry-run) or erase (--apply) what is past each CPAS's retention period.

    manage.py retention --dry-run [--cpas 21004] [--date 2036-01-01]
    manage.py retention --apply [--cpas 21004]

The dry run writes nothing. --apply erases exactly what the dry run of the same day lists (piis.privacy.retention),
one file per transaction, each with one audit row per kind erased. Monthly audit partitions are dropped only by a run
over every CPAS (no --cpas), once the audit period of every CPAS is over for them; that needs the owner of the
audit table (run it as the migration role). No audit row is ever updated or deleted.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.core.rls import set_current_cpas
from piis.privacy.enums import RecordKind
from piis.privacy.retention import drop_audit_partitions, erase_plan, retention_plan, retention_years, years_ago

CONTEXT = "manage.py retention --apply"


def _cpas(value: str) -> Cpas:
    found = Cpas.objects.filter(nis_code=value).first()
    if found is None and value.isdigit():
        found = Cpas.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"No CPAS with NIS code or id {value!r}.")
    return found


def audit_boundary(today: datetime.date) -> datetime.date:
    """The first day every CPAS still keeps in the audit trail: the cut-off of the longest audit period."""
    cutoffs = []
    for cpas in Cpas.objects.order_by("pk"):
        with transaction.atomic():
            set_current_cpas(cpas.pk)
            cutoffs.append(years_ago(today, retention_years(cpas)[RecordKind.AUDIT]))
    return min(cutoffs, default=today)


class Command(BaseCommand):
    help = "Report (--dry-run) or erase (--apply) the records past each CPAS's retention period."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="List what would be erased; write nothing.")
        mode.add_argument("--apply", action="store_true", help="Erase what the dry run lists.")
        parser.add_argument("--cpas", help="One CPAS (NIS code or id); every CPAS when left out.")
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None, help="As on this day.")

    def handle(self, *args, dry_run: bool, apply: bool, cpas: str | None, date, **options):
        today = date or timezone.localdate()
        targets = [_cpas(cpas)] if cpas else list(Cpas.objects.order_by("pk"))
        boundary = audit_boundary(today)
        audit_rows: dict[int, int] = {}
        partitions: list[str] = []
        for target in targets:
            with transaction.atomic():
                set_current_cpas(target.pk)
                plans = retention_plan(target, today, audit_boundary=boundary)
            self.stdout.write(f"{target.name} ({target.nis_code}), as on {today.isoformat()}:")
            for plan in plans:
                oldest = plan.oldest.isoformat() if plan.oldest else "-"
                self.stdout.write(
                    f"  {plan.kind:<16} {plan.years:>3} years (before {plan.cutoff.isoformat()}): "
                    f"{plan.count} to erase, oldest {oldest}"
                )
                if plan.kind == RecordKind.AUDIT:
                    audit_rows[target.pk] = plan.audit_rows
                    partitions = plan.partitions
            if apply:
                for erased in erase_plan(target, plans, context=CONTEXT):
                    if erased.kept:
                        self.stdout.write(
                            self.style.WARNING(
                                f"  file {erased.file_id}: kept, other records depend on it: {erased.kept}"
                            )
                        )
        if partitions:
            self.stdout.write(f"Audit partitions past every CPAS's period (before {boundary.isoformat()}): "
                              f"{', '.join(partitions)}")  # fmt: skip
        if apply and partitions:
            if cpas:
                self.stdout.write("Audit partitions are dropped only by a run over every CPAS (without --cpas).")
            else:
                dropped = drop_audit_partitions(boundary, audit_rows, context=CONTEXT)
                self.stdout.write(f"Dropped {len(dropped)} audit partition(s).")
        self.stdout.write(self.style.SUCCESS("Erased." if apply else "Dry run: nothing was written."))
