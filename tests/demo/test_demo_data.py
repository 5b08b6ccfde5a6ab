import pytest
from django.core.management import call_command

from piis.accounts.enums import Role
from piis.accounts.models import Cpas, Membership
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_is_valid

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_reproducible_and_idempotent(capsys):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "wal_social_worker" in out and "vla_dpo" in out
    first = sorted(Beneficiary.objects.values_list("national_number", "last_name"))
    call_command("demo_data", quiet_logins=True)
    assert sorted(Beneficiary.objects.values_list("national_number", "last_name")) == first
    assert len(first) == 60
    assert all(nrn_is_valid(number) for number, _ in first)
    assert {c.region for c in Cpas.objects.all()} == {"wallonia", "flanders"}
    for cpas in Cpas.objects.all():
        roles = set(Membership.objects.filter(cpas=cpas).values_list("role", flat=True))
        assert roles == set(Role.values)
