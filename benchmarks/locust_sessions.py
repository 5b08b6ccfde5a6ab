"""Logged-in sessions for the load test (benchmarks/locustfile.py): one per bench worker of the first CPAS and one
for its DPO, each past the second factor, with the worker's files, contracts, names and national numbers.

    DATABASE_URL=postgres://piis_bench_app@127.0.0.1:5432/piis_bench \\
        .venv/bin/python benchmarks/locust_sessions.py > /tmp/piis-locust-sessions.json

Run it with the settings and SECRET_KEY the server runs with (a session is signed with that key).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from piis.accounts.models import Membership  # noqa: E402
from piis.core.rls import set_current_cpas  # noqa: E402
from tests.conftest import pass_second_factor  # noqa: E402

WORKERS = int(os.environ.get("LOCUST_WORKERS", "40"))


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    first = Membership.objects.select_related("user").get(user__username="bench_w150")
    members = list(
        Membership.objects.filter(cpas_id=first.cpas_id, role="social_worker").select_related("user").order_by("pk")
    )[:WORKERS]
    dpo = Membership.objects.select_related("user").get(user__username="bench_dpo")
    out = {"workers": [], "dpo": {"session": session_of(dpo.user)}}
    with transaction.atomic(), connection.cursor() as cursor:
        set_current_cpas(first.cpas_id)
        for member in members:
            cursor.execute(
                "SELECT b.id, c.id, split_part(b.last_name, '-', 1), b.national_number FROM cases_beneficiary b "
                "LEFT JOIN contracts_contract c ON c.beneficiary_id = b.id AND c.status = 'in_force' "
                "WHERE b.social_worker_id = %s ORDER BY b.id LIMIT 60",
                [member.user_id],
            )
            rows = cursor.fetchall()
            out["workers"].append(
                {
                    "session": session_of(member.user),
                    "files": [r[0] for r in rows],
                    "contracts": [r[1] for r in rows if r[1]],
                    "names": sorted({r[2] for r in rows}),
                    "numbers": [r[3] for r in rows],
                }
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
