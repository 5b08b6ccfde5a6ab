"""manage.py import_piis FILE --cpas NIS [--user NAME]: import an open PIIS file (docs/open-piis.md) into a CPAS of
this deployment, all or nothing, with the same checks as the upload page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.core.errors import ServiceError, error_message
from piis.core.rls import set_current_cpas
from piis.transfers.services import package_import


class Command(BaseCommand):
    help = "Import an open PIIS file into the CPAS with the given NIS code."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--cpas", required=True, help="NIS code of the CPAS importing the PIIS")
        parser.add_argument("--user", default="", help="user name recorded in the audit trail")

    def handle(self, *args, path, cpas, user, **options):
        target = Cpas.objects.filter(nis_code=cpas).first()
        if target is None:
            raise CommandError(f"No CPAS with NIS code {cpas}.")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        raw = Path(path).read_bytes()
        try:
            with transaction.atomic():
                set_current_cpas(target.pk)
                incoming = package_import(actor=actor, cpas=target, raw=raw, today=timezone.localdate(),
                                          context="manage.py import_piis")  # fmt: skip
        except ServiceError as error:
            raise CommandError(str(error_message(error.code, error.params))) from None
        self.stdout.write(f"Imported: incoming transfer {incoming.pk} ({incoming.first_name} {incoming.last_name}).")
