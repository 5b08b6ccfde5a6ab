from django.core.management.base import BaseCommand, CommandError

from piis.demo.bench import SCALES, build


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database named *bench* (e.g. piis_bench, never the test or demo database) with the "
        "benchmark data set of scale.md: S (one large CPAS) or N (581 CPAS, 1M people); --fraction builds the "
        "largest CPAS of N up to that share of the people. Prints rows, build time, rate and disk size."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="S")
        parser.add_argument("--fraction", type=float, default=1.0, help="share of the people of the set (0–1]")
        parser.add_argument("--audit-fraction", type=float, default=1.0, help="share of the audit rows (0–1]")

    def handle(self, *args, scale, fraction, audit_fraction, **options):
        if not 0 < fraction <= 1 or not 0 <= audit_fraction <= 1:
            raise CommandError("--fraction must be in (0, 1], --audit-fraction in [0, 1].")
        try:
            figures = build(scale, fraction, audit_fraction=audit_fraction, out=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        rows = figures["rows"]
        total = sum(rows.values())
        self.stdout.write(f"scale {scale}, fraction {fraction}: {figures['cpas']} CPAS")
        for table, count in rows.items():
            self.stdout.write(f"  {table:<28} {count:>12,}")
        seconds = max(figures["seconds"], 1e-9)
        self.stdout.write(
            f"built {total:,} rows in {seconds:.0f} s ({total / seconds:,.0f} rows/s);"
            f" database size {figures['bytes'] / 2**30:.2f} GiB"
        )
