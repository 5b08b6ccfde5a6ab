from django.core.management.base import BaseCommand

from piis.demo.data import DEMO_PASSWORD, demo_logins, load_demo_data


class Command(BaseCommand):
    help = "Load the synthetic demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, seed, quiet_logins, **options):
        created = load_demo_data(seed=seed)
        for key, count in created.items():
            self.stdout.write(f"{key}: {count} beneficiaries created")
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, cpas, role in demo_logins():
            self.stdout.write(f"  {username:<26} {role:<28} {cpas}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.")
