"""A breach of what the commitment promised only (rules.check_breach, R56): the sanctions adapter passes the
commitment's obligation (means or result, as frozen in the version in force) and the kind of breach reported; the
open form shows the refusal translated, the typed facts kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from piis.contracts.snapshot import contract_snapshot
from piis.core.errors import ServiceError
from piis.sanctions import facts
from piis.sanctions.enums import BreachKind
from piis.sanctions.models import SanctionDossier
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.builders import in_force_contract

D = datetime.date
TODAY = D(2026, 5, 12)


def _result_contract(cpas, worker):
    """The same PIIS, its breached commitment agreed as a commitment of result in the version in force."""
    contract = in_force_contract(cpas, worker=worker)
    contract.breached.obligation = "result"
    contract.breached.save()
    version = contract.versions.get()
    version.snapshot = contract_snapshot(contract)
    version.save()
    return contract


@pytest.mark.django_db
def test_a_result_not_obtained_is_refused_for_a_commitment_of_means(cpas_a):
    contract = in_force_contract(cpas_a)
    assert contract.breached.obligation == "means"  # the default of every commitment, old ones included
    with pytest.raises(ServiceError) as refused:
        facts.clause_in_force(contract.breached, breach_on=D(2026, 4, 20), breach_kind=BreachKind.RESULT_NOT_OBTAINED)
    assert (refused.value.code, refused.value.field) == ("RESULT_NOT_PROMISED", "kind")
    agreed = facts.clause_in_force(contract.breached, breach_on=D(2026, 4, 20), breach_kind=BreachKind.EFFORT_NOT_MADE)
    assert agreed.text == contract.breached.text


@pytest.mark.django_db
def test_a_result_not_obtained_is_a_breach_of_a_commitment_of_result(cpas_a):
    contract = _result_contract(cpas_a, make_member(cpas_a).user)
    agreed = facts.clause_in_force(
        contract.breached, breach_on=D(2026, 4, 20), breach_kind=BreachKind.RESULT_NOT_OBTAINED
    )
    assert agreed.version_number == contract.versions.get().number


@pytest.mark.django_db
def test_what_the_version_froze_decides_not_the_live_row(cpas_a):
    """The commitment was agreed as one of means; a live row changed since (an amendment being drafted) does not
    turn it into a promise of result for a breach of the version in force."""
    contract = in_force_contract(cpas_a)
    contract.breached.obligation = "result"
    contract.breached.save()
    with pytest.raises(ServiceError):
        facts.clause_in_force(contract.breached, breach_on=D(2026, 4, 20), breach_kind=BreachKind.RESULT_NOT_OBTAINED)


@pytest.mark.django_db
def test_the_open_form_shows_the_refusal_translated_and_keeps_the_facts(cpas_a, login):
    member = make_member(cpas_a)
    contract = in_force_contract(cpas_a, worker=member.user)
    data = {"clause": contract.breached.pk, "breach_on": "2026-04-20", "kind": BreachKind.RESULT_NOT_OBTAINED,
            "facts": "Pas de certificat obtenu"}  # fmt: skip
    with at(TODAY):
        client = login(member)
        response = client.post(reverse("sanctions:open", args=[contract.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        assert "promised to try or to attend, not to obtain a result" in page
    assert "RESULT_NOT_PROMISED" not in page and "R56" not in page
    assert "Pas de certificat obtenu" in page
    assert not SanctionDossier.objects.exists()


@pytest.mark.django_db
def test_the_breach_kind_is_recorded_on_the_report(cpas_a, login):
    member = make_member(cpas_a)
    contract = _result_contract(cpas_a, member.user)
    data = {"clause": contract.breached.pk, "breach_on": "2026-04-20", "kind": BreachKind.RESULT_NOT_OBTAINED,
            "facts": "Pas de certificat obtenu"}  # fmt: skip
    with at(TODAY):
        response = login(member).post(reverse("sanctions:open", args=[contract.pk]), data)
    assert response.status_code == 302
    assert SanctionDossier.objects.get().breach.kind == BreachKind.RESULT_NOT_OBTAINED
