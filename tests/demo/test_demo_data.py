import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from piis.accounts.enums import Role
from piis.accounts.models import Cpas, Membership
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_is_valid

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_reproducible_and_idempotent(capsys):
    call_command("demo_data", url="http://0.0.0.0:8123/")
    out = capsys.readouterr().out
    assert "wal_social_worker" in out and "vla_dpo" in out
    assert "Open http://0.0.0.0:8123/ and log in." in out  # the address make run serves, not a fixed one
    first = sorted(Beneficiary.objects.values_list("national_number", "last_name"))
    rows = _rows_per_model()
    call_command("demo_data", quiet_logins=True)
    assert _rows_per_model() == rows  # a second load adds nothing anywhere (the audit trail aside)
    assert sorted(Beneficiary.objects.values_list("national_number", "last_name")) == first
    # 30 files a CPAS, 40 with two years of concluded PIIS (the observatory) and a couple on the category-3 RI.
    assert len(first) == 60 + 2 * 40 + 2 * 2
    assert all(nrn_is_valid(number) for number, _ in first)
    assert {c.region for c in Cpas.objects.all()} == {"wallonia", "flanders"}
    for cpas in Cpas.objects.all():
        roles = set(Membership.objects.filter(cpas=cpas).values_list("role", flat=True))
        assert roles == set(Role.values)


def _rows_per_model() -> dict[str, int]:
    from piis.audit.models import AuditEvent
    from piis.core.models import tenant_models

    return {m._meta.label: m.objects.count() for m in tenant_models() if m is not AuditEvent}


def test_demo_data_refuses_to_run_where_it_is_not_allowed():
    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(CommandError, match="refuses to run"):
        call_command("demo_data")
    assert not Cpas.objects.exists() and not Beneficiary.objects.exists()


@pytest.mark.django_db(databases=[])
def test_demo_data_refuses_to_run_with_the_production_settings():
    """As an operator would run it on the server: refused before it touches the database, with the reason."""
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "DEMO_DATA_ALLOWED"}
    env |= {"DJANGO_SETTINGS_MODULE": "piis.settings.prod", "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "piis.example.org", "DATABASE_URL": "sqlite:///:memory:"}  # fmt: skip
    done = subprocess.run([sys.executable, "manage.py", "demo_data"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode != 0
    assert "refuses to run with these settings (piis.settings.prod)" in done.stderr
    assert "DEMO_DATA_ALLOWED=1" in done.stderr


def test_demo_addresses_are_belgian_addresses_in_the_demo_town():
    """Faker's fr_BE has no Belgian addresses (it falls back to American ones): the demo builds its own."""
    import re

    from faker import Faker

    from piis.demo.data import DEMO_CPAS, belgian_address

    for spec in DEMO_CPAS:
        fake = Faker(spec.faker_locale)
        fake.seed_instance(7)
        for _ in range(20):
            address = belgian_address(spec, fake)
            assert re.fullmatch(rf".+ \d{{1,3}}, {spec.postcode} {re.escape(spec.town)}", address), address


def test_each_demo_cpas_claims_a_couple_on_category_3():
    """The subsidy claim of last month shows one couple line (R70) in each demo CPAS."""
    import datetime

    from django.utils import timezone

    from piis.reports.models import ClaimLine, ClaimRun
    from piis.reports.subsidy import CLAIMED, subsidy_lines

    call_command("demo_data", quiet_logins=True)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for cpas in Cpas.objects.all():
        couples = [line for line in subsidy_lines(cpas, last_month) if line.partner_id]
        assert len(couples) == 1, cpas
        assert couples[0].status == CLAIMED and couples[0].category == 3
        # make run stores the claim as the nightly job does: the director's page reads it, not "not computed yet"
        run = ClaimRun.objects.get(cpas=cpas, month=last_month)
        stored = list(ClaimLine.objects.filter(run=run, partner__isnull=False))
        assert [(line.beneficiary_id, line.status, line.category) for line in stored] == [
            (couples[0].beneficiary_id, CLAIMED, 3)
        ]
