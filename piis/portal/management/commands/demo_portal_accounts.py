from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from piis.portal.demo import DEMO_PORTAL_PASSWORD, demo_portal_accounts


class Command(BaseCommand):
    help = "Create (idempotent) and print one beneficiary portal login per demo CPAS. Demo settings only."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The address the server answers on.")

    def handle(self, *args, url, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("demo_portal_accounts runs only where demo data is allowed (DEMO_DATA_ALLOWED).")
        logins = demo_portal_accounts()
        if not logins:
            self.stdout.write("No demo CPAS with a PIIS in force: run demo_data first.")
            return
        portal = url.rstrip("/") + "/portal/login/"
        self.stdout.write(
            self.style.SUCCESS(f"Beneficiary portal logins at {portal} (password for both: {DEMO_PORTAL_PASSWORD}):")
        )
        for cpas, name, person in logins:
            self.stdout.write(f"  {name:<26} {person:<28} {cpas.name}")
