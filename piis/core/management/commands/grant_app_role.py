from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from piis.core.rls import APP_ROLE, grant_app_role


class Command(BaseCommand):
    help = (
        "PostgreSQL: create (if absent) the unprivileged role the web app connects as and grant it access to the "
        "tables, present and future. Run as the owner role, after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default=APP_ROLE)

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Row-level security needs PostgreSQL; nothing to grant on this database.")
        grant_app_role(role)
        self.stdout.write(f"granted table access to {role} (not owner, not superuser, no BYPASSRLS)")
