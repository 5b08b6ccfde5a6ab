"""What the contract page says is true: lateness of an unsigned draft, the date the version in force was concluded,
the hand-over checklist only while there is something to hand over, an amendment's reason asked once, and a diff
without empty tables."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from piis.contracts.diff import version_diff
from piis.contracts.services.lifecycle import contract_back_to_draft, contract_hand_over, contract_start_amendment
from piis.contracts.snapshot import version_snapshot
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_lifecycle import hand_over, in_force, inform, matrix, sign, sign_all_cpas  # noqa: F401

D = datetime.date
pytestmark = pytest.mark.django_db


def _page(client, contract) -> str:
    return client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()


AMENDED_ON = D(2026, 6, 1)


def _amend(worker, contract, *, on=AMENDED_ON, reason="New training dates"):
    contract_start_amendment(membership=worker, contract=contract)
    clause = contract.clauses.get(party="cpas")
    clause.text = "Le CPAS paie aussi le matériel."
    clause.save()
    return contract_hand_over(membership=worker, contract=contract, handed_over_on=on, today=on, reason=reason)


def _conclude_amendment(worker, version, matrix, on):  # noqa: F811
    inform(worker, version, on)
    sign(worker, version, "beneficiary", on + datetime.timedelta(days=7))
    sign_all_cpas(worker, version, matrix, on + datetime.timedelta(days=7))
    version.refresh_from_db()
    assert version.concluded_on == on + datetime.timedelta(days=7)
    return version


# --- lateness ----------------------------------------------------------------------------------------------------


@time_machine.travel("2026-05-04 10:00")
def test_an_unsigned_draft_past_its_deadline_is_not_said_to_be_concluded_late(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a, decided_on=D(2026, 1, 10))  # deadline 2026-04-10, not concluded
    with translation.override("en"):
        page = _page(login(worker_a), contract)
    assert "it is concluded late" not in page and "it was concluded late" not in page
    assert "The deadline to conclude this PIIS was 10/04/2026 and has passed" in page
    assert "it will be concluded late" in page


@time_machine.travel("2026-05-04 10:00")
def test_a_contract_concluded_after_its_deadline_says_it_was_concluded_late(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract = drafted_contract(cpas_a, decided_on=D(2026, 1, 10))
    version = hand_over(worker_a, contract, D(2026, 4, 20))
    inform(worker_a, version, D(2026, 4, 20))
    sign(worker_a, version, "beneficiary", D(2026, 5, 4))
    sign_all_cpas(worker_a, version, matrix, D(2026, 5, 4))
    page = _page(login(worker_a), contract)
    assert "The deadline to conclude this PIIS was 10/04/2026: it was concluded late." in page
    assert "has passed" not in page


# --- in force since ------------------------------------------------------------------------------------------------


@time_machine.travel("2026-07-01 10:00")
def test_in_force_since_is_the_date_the_version_in_force_was_concluded(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)  # version 1 concluded on 09/03/2026
    _conclude_amendment(worker_a, _amend(worker_a, contract), matrix, D(2026, 6, 1))  # version 2 on 08/06/2026
    page = _page(login(worker_a), contract)
    assert "In force since 08/06/2026 (version 2)." in page
    assert "In force since 09/03/2026" not in page
    assert "First concluded on 09/03/2026." in page


@time_machine.travel("2026-04-01 10:00")
def test_a_contract_never_amended_is_in_force_since_its_conclusion(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    page = _page(login(worker_a), contract)
    assert "In force since 09/03/2026 (version 1)." in page and "First concluded on" not in page


# --- the hand-over checklist -----------------------------------------------------------------------------------------


@time_machine.travel("2026-07-01 10:00")
def test_the_hand_over_checklist_shows_only_while_there_is_a_draft_to_hand_over(cpas_a, worker_a, matrix, login):  # noqa: F811
    client = login(worker_a)
    draft = drafted_contract(cpas_a)
    assert "Ready for hand-over?" in _page(client, draft)
    contract, _first = in_force(cpas_a, worker_a, matrix)
    assert "Ready for hand-over?" not in _page(client, contract)
    contract_start_amendment(membership=worker_a, contract=contract)
    assert "Ready for hand-over?" in _page(client, contract)  # an amendment is being drafted


# --- the amendment's reason, asked once ------------------------------------------------------------------------


@time_machine.travel("2026-06-01 10:00")
def test_an_amendments_reason_is_asked_once_and_kept(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    client = login(worker_a)
    start = reverse("contracts:amendment_start", args=[contract.pk])
    assert "reason" not in client.get(start).context["form"].fields
    assert client.post(start).status_code == 302
    contract.refresh_from_db()
    assert contract.editing_amendment
    # the one place the reason is asked: the hand-over of the amendment, where it is frozen with the version
    hand_over_url = reverse("contracts:hand_over", args=[contract.pk])
    assert "reason" in client.get(hand_over_url).context["form"].fields
    with pytest.raises(ServiceError) as error:
        contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 6, 1), today=D(2026, 6, 1))
    assert (error.value.code, error.value.field) == ("REASON_REQUIRED", "reason")
    version = contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 6, 1),
                                 today=D(2026, 6, 1), reason="The person found a job")  # fmt: skip
    # back to draft: the reason already given is offered again, not asked from scratch
    contract_back_to_draft(membership=worker_a, contract=contract)
    form = client.get(hand_over_url).context["form"]
    assert form["reason"].value() == "The person found a job"
    version.refresh_from_db()
    assert version.reason == "The person found a job"


# --- the diff ----------------------------------------------------------------------------------------------------


@time_machine.travel("2026-06-02 10:00")
def test_the_diff_shows_only_what_changed_and_no_empty_table(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, first = in_force(cpas_a, worker_a, matrix, third_party=True)
    version = _amend(worker_a, contract)
    diff = version_diff(version_snapshot(first), version_snapshot(version))
    assert diff.changed_objectives == [] and [p.code for p in diff.changed_parties] == ["cpas"]
    third = contract.third_parties.get()
    assert [p.code for p in diff.unchanged_parties] == ["beneficiary", f"third_party:{third.pk}"]
    with translation.override("en"):
        page = _page(login(worker_a), contract)
    block = page[page.index('<div class="lc-diff">') :]
    block = block[: block.index("</div>")]
    tables = re.findall(r"<table.*?</table>", block, re.S)
    assert len(tables) == 1 and "Le CPAS paie aussi le matériel." in tables[0]
    assert all("<td" in table for table in tables)  # no table without a row
    assert "Objectives" not in block
    assert "Unchanged: Beneficiary, Centre de formation Horizon." in re.sub(r"\s+", " ", block)


def test_the_diff_names_the_general_terms_not_their_field_codes(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, first = in_force(cpas_a, worker_a, matrix)
    contract_start_amendment(membership=worker_a, contract=contract)
    contract.refresh_from_db()
    contract.evaluation_arrangements = "Every two months, at home."
    contract.orientations = ["professional", "training"]
    contract.save()
    version = contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 6, 1),
                                 today=D(2026, 6, 1), reason="Cadence")  # fmt: skip
    with translation.override("en"):
        diff = version_diff(version_snapshot(first), version_snapshot(version))
        header = {str(label): (before, after) for label, before, after in diff.header}
    assert set(header) == {"Orientations", "Evaluation arrangements"}
    assert "evaluation_arrangements" not in str(header) and "professional" not in str(header["Orientations"])
