import datetime
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from piis.demo.data import DEMO_PASSWORD, demo_logins, load_demo_data

REFUSAL = (
    "demo_data refuses to run with these settings ({module}): it adds fictitious people and accounts whose password "
    "is published, which must never reach a real database. It runs with piis.settings.dev (make run) and the test "
    "settings; a public demo server may allow it with DEMO_DATA_ALLOWED=1."
)


class Command(BaseCommand):
    help = "Load the synthetic demo data (idempotent) and print the demo logins. Refused with production settings."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")
        parser.add_argument("--url", default="", help="The address the server will answer on, to print.")

    def handle(self, *args, seed, quiet_logins, url, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(REFUSAL.format(module=settings.SETTINGS_MODULE))
        created = load_demo_data(seed=seed)
        self._logins(created, quiet_logins=quiet_logins, url=url)
        # Last, the agenda's deadline table of everything above (the demo bulk-creates evaluations and meeting
        # requests, which send no model signals; followup.deadlines).
        call_command("rebuild_deadlines", verbosity=0)
        # And the figures each CPAS compares with all CPAS (the observatory's nightly job; it replaces its rows),
        # backfilled over the last eight quarters so that the comparison over time shows a line.
        today = timezone.localdate()
        since = today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1) - datetime.timedelta(days=7 * 91)
        call_command("compute_equity", f"--since={since.isoformat()}", stdout=StringIO())
        # And the subsidy claims of this month and the previous one (the nightly job), so that the director's claim
        # page shows a claim rather than "not computed yet".
        call_command("compute_claims", stdout=StringIO())

    def _logins(self, created, *, quiet_logins, url):
        for key, count in created.items():
            self.stdout.write(f"{key}: {count} beneficiaries created")
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, cpas, role in demo_logins():
            self.stdout.write(f"  {username:<26} {role:<28} {cpas}")
        self.stdout.write("")
        if settings.PIIS_MFA_REQUIRED:
            self.stdout.write(
                "Second factor: ON. At the first login each account sets up an authenticator app (scan the QR code "
                "or type the key) and gets ten recovery codes."
            )
        else:
            self.stdout.write(
                "Second factor: OFF in these development settings (a banner says so); the password alone logs in. "
                "PIIS_MFA_REQUIRED=1 make run to try it; production always asks for it."
            )
        # The API's demo tokens (piis.api, beside this app: called by its command's name, not imported).
        if apps.is_installed("piis.api"):
            self.stdout.write("")
            call_command("demo_api_tokens", url=url or "http://127.0.0.1:8000/", stdout=self.stdout)
        # The beneficiary portal's demo logins (piis.portal, beside this app: called by its command's name).
        if apps.is_installed("piis.portal"):
            self.stdout.write("")
            call_command("demo_portal_accounts", url=url or "http://127.0.0.1:8000/", stdout=self.stdout)
        if url:
            self.stdout.write("")
            self.stdout.write(f"Open {url} and log in.")
