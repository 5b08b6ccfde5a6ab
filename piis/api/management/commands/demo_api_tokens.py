from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from piis.api.demo import demo_api_tokens


class Command(BaseCommand):
    help = "Create (idempotent) and print one API token per demo CPAS, with a curl call. Demo settings only."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The address the server answers on.")

    def handle(self, *args, url, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("demo_api_tokens runs only where demo data is allowed (DEMO_DATA_ALLOWED).")
        tokens = demo_api_tokens()
        if not tokens:
            self.stdout.write("No demo CPAS: run demo_data first.")
            return
        base = url.rstrip("/") + "/api/v1"
        self.stdout.write(self.style.SUCCESS("Demo API tokens (every scope; docs at " + base + "/docs):"))
        for cpas, text in tokens:
            self.stdout.write(f"  {cpas.name:<34} {text}")
        self.stdout.write(f'  curl -H "Authorization: Bearer {tokens[0][1]}" "{base}/files?limit=5"')
