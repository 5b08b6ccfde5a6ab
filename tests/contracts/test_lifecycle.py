"""Contract lifecycle: hand-over, reflection period, information, signatures, conclusion, late flag, end."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.contracts.enums import ContractStatus
from piis.contracts.models import ContractVersion
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.services.lifecycle import (
    contract_back_to_draft,
    contract_end,
    contract_hand_over,
    contract_sign,
    version_record_information,
)
from piis.contracts.snapshot import contract_snapshot
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_delegation, make_member, make_signatory, make_version

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(cpas_a):
    return [
        make_signatory(cpas_a, function="president", holder_name="Paula President"),
        make_signatory(cpas_a, function="general_director", holder_name="Gaston Director"),
    ]


def hand_over(membership, contract, on):
    return contract_hand_over(membership=membership, contract=contract, handed_over_on=on, today=on)


def inform(membership, version, on):
    return version_record_information(
        membership=membership, version=version, given_on=on, rights=list(RIGHT_CODES), assistance="declined", today=on
    )


def sign(membership, version, signer, on, **kwargs):
    return contract_sign(membership=membership, version=version, signer=signer, signed_on=on, method="paper",
                         today=on, **kwargs)  # fmt: skip


def sign_all_cpas(membership, version, matrix, on):
    for line in matrix:
        sign(membership, version, f"signatory:{line.pk}", on)


# --- hand-over ------------------------------------------------------------------------------------------------


def test_hand_over_freezes_a_version_in_the_persons_language(cpas_a, worker_a):
    contract = drafted_contract(cpas_a, language="nl")
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.HANDED_OVER
    assert (version.number, version.kind, version.language) == (1, "initial", "nl")
    assert version.handed_over_on == D(2026, 3, 2) and version.handed_over_by == worker_a.user
    assert version.snapshot == contract_snapshot(contract)


def test_hand_over_is_refused_while_the_draft_has_problems(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    contract.objectives.all().delete()
    with pytest.raises(ServiceError) as error:
        hand_over(worker_a, contract, D(2026, 3, 2))
    assert error.value.code == "DRAFTING_PROBLEMS" and error.value.params["problems"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and not contract.versions.exists()


@pytest.mark.parametrize(
    ("on", "today", "code"),
    [
        (D(2026, 3, 3), D(2026, 3, 2), "HANDOVER_IN_FUTURE"),
        (D(2026, 1, 5), D(2026, 3, 2), "HANDOVER_BEFORE_RI_DECISION"),
    ],
)
def test_hand_over_date_must_be_between_the_ri_decision_and_today(cpas_a, worker_a, on, today, code):
    contract = drafted_contract(cpas_a)
    with pytest.raises(ServiceError) as error:
        contract_hand_over(membership=worker_a, contract=contract, handed_over_on=on, today=today)
    assert (error.value.code, error.value.field) == (code, "handed_over_on")


@time_machine.travel("2026-03-02 10:00")
def test_hand_over_page_lists_the_drafting_problems_and_keeps_the_date(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    contract.objectives.all().delete()
    response = login(worker_a).post(
        reverse("contracts:hand_over", args=[contract.pk]), {"handed_over_on": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "cannot be handed over yet" in response.content.decode()
    assert response.context["form"]["handed_over_on"].value() == "2026-03-01"


@time_machine.travel("2026-03-02 10:00")
def test_contract_page_shows_the_reflection_countdown(cpas_a, worker_a, login, matrix):
    contract = drafted_contract(cpas_a)
    client = login(worker_a)
    response = client.post(reverse("contracts:hand_over", args=[contract.pk]), {"handed_over_on": "2026-03-02"})
    assert response.status_code == 302
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "08/03/2026" in page or "8 March 2026" in page
    assert "6 days left" in page


def test_back_to_draft_withdraws_the_version_and_a_new_hand_over_restarts_the_period(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    first = hand_over(worker_a, contract, D(2026, 3, 2))
    contract_back_to_draft(membership=worker_a, contract=contract)
    contract.refresh_from_db()
    first.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and first.superseded
    second = hand_over(worker_a, contract, D(2026, 3, 4))
    inform(worker_a, second, D(2026, 3, 4))
    with pytest.raises(ServiceError) as error:
        sign(worker_a, second, "beneficiary", D(2026, 3, 9))
    assert error.value.code == "REFLECTION_PERIOD" and error.value.params["earliest"] == D(2026, 3, 10)


# --- signatures -----------------------------------------------------------------------------------------------


@pytest.mark.scenario("T15", rules=("R39",))
@time_machine.travel("2026-03-06 10:00")
def test_t15_signature_during_reflection_period_is_refused_with_the_earliest_date(cpas_a, worker_a, login, matrix):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {"signer": "beneficiary", "signed_on": "2026-03-06", "method": "paper", "signer_name": "Alex M."},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["signed_on"]
    assert "reflection period is not over" in errors[0] and "08/03/2026" in errors[0]
    assert response.context["form"]["signer_name"].value() == "Alex M."
    assert not version.signatures.exists()


@pytest.mark.scenario("T15", rules=("R39",))
def test_t15_signature_allowed_from_the_sixth_day(cpas_a, worker_a, matrix):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 8))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES


@pytest.mark.scenario("T16", rules=("R39",))
def test_t16_reflection_counts_calendar_days_over_new_year(cpas_a, worker_a, matrix):
    contract = drafted_contract(cpas_a, decided_on=D(2026, 12, 1))
    version = hand_over(worker_a, contract, D(2026, 12, 28))
    inform(worker_a, version, D(2026, 12, 28))
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, "beneficiary", D(2027, 1, 2))
    assert error.value.code == "REFLECTION_PERIOD" and error.value.params["earliest"] == D(2027, 1, 3)
    sign(worker_a, version, "beneficiary", D(2027, 1, 3))


@pytest.mark.scenario("T12", rules=("R14",))
@time_machine.travel("2026-03-20 10:00")
def test_t12_signature_before_the_ri_decision_is_refused_on_the_field(cpas_a, worker_a, login, matrix):
    contract = drafted_contract(cpas_a, decided_on=D(2026, 3, 10), status=ContractStatus.HANDED_OVER)
    # A final draft recorded as handed over before the decision (legacy file): the signature rule still holds.
    version = make_version(
        cpas_a, contract=contract, handed_over_on=D(2026, 2, 20), snapshot=contract_snapshot(contract)
    )
    inform(worker_a, version, D(2026, 2, 20))
    response = login(worker_a).post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {"signer": "beneficiary", "signed_on": "2026-03-05", "method": "paper"},
    )
    assert "before the RI decision" in response.context["form"].errors["signed_on"][0]
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, "beneficiary", D(2026, 3, 5))
    assert error.value.code == "PIIS_BEFORE_RI_DECISION"


def test_signature_needs_the_information_and_rights_recorded_first(cpas_a, worker_a, matrix):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    assert error.value.code == "RIGHTS_INFORMATION_MISSING"


def test_information_needs_every_right_and_the_assistants_name(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    with pytest.raises(ServiceError) as error:
        version_record_information(membership=worker_a, version=version, given_on=D(2026, 3, 2),
                                   rights=["assistance"], assistance="declined", today=D(2026, 3, 2))  # fmt: skip
    assert error.value.code == "RIGHTS_INCOMPLETE"
    with pytest.raises(ServiceError) as error:
        version_record_information(membership=worker_a, version=version, given_on=D(2026, 3, 2),
                                   rights=list(RIGHT_CODES), assistance="assisted", today=D(2026, 3, 2))  # fmt: skip
    assert error.value.code == "ASSISTANT_NAME_REQUIRED"


@time_machine.travel("2026-03-02 10:00")
def test_information_form_records_the_current_user_and_the_rights(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:information", args=[contract.pk, version.pk]),
        {"given_on": "2026-03-02", "rights": list(RIGHT_CODES), "assistance": "assisted", "assisted_by": "Ines"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.information_given_by == worker_a.user and version.assisted_by == "Ines"
    assert version.rights_given == list(RIGHT_CODES)


def test_information_form_shows_the_figures_of_the_law(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    page = login(worker_a).get(reverse("contracts:information", args=[contract.pk, version.pk])).content.decode()
    assert "reflection period of 5 calendar days" in page and "within 3 months" in page
    assert "%(" not in page


@pytest.mark.scenario("T19", rules=("R34", "R35"))
def test_t19_contract_with_a_training_centre_waits_for_its_signature(cpas_a, worker_a, matrix):
    contract = drafted_contract(cpas_a, third_party=True)
    third = contract.third_parties.get()
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    sign_all_cpas(worker_a, version, matrix, D(2026, 3, 9))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES and contract.signed_on is None
    sign(worker_a, version, f"third_party:{third.pk}", D(2026, 3, 11))
    contract.refresh_from_db()
    version.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE
    assert contract.signed_on == version.concluded_on == D(2026, 3, 11)
    assert set(contract.clauses.values_list("in_force_from", flat=True)) == {D(2026, 3, 11)}


@pytest.mark.scenario("T20", rules=("R35",))
def test_t20_flemish_ocmw_needs_chair_and_director_not_the_social_worker(cpas_a, worker_a):
    chair = make_signatory(cpas_a, function="bcsd_chair", holder_name="Voorzitter")
    director = make_signatory(cpas_a, function="algemeen_directeur", holder_name="Directeur")
    delegation = make_delegation(cpas_a, signatory=chair, delegate_name="BCSD-lid", valid_from=D(2026, 3, 1),
                                 valid_until=D(2026, 3, 31))  # fmt: skip
    contract = drafted_contract(cpas_a, language="nl")
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    sign(worker_a, version, "cosign", D(2026, 3, 9))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, f"signatory:{chair.pk}", D(2026, 4, 2), delegation_id=delegation.pk)
    assert error.value.code == "DELEGATION_INVALID"
    signature = sign(worker_a, version, f"signatory:{chair.pk}", D(2026, 3, 10), delegation_id=delegation.pk)
    assert signature.signer_name == "BCSD-lid"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    sign(worker_a, version, f"signatory:{director.pk}", D(2026, 3, 12))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == D(2026, 3, 12)


def test_a_party_signs_a_version_only_once(cpas_a, worker_a, matrix):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    assert error.value.code == "ALREADY_SIGNED"


def test_a_cpas_without_signatory_matrix_never_concludes(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    sign(worker_a, version, "beneficiary", D(2026, 3, 9))
    sign(worker_a, version, "cosign", D(2026, 3, 9))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES


@pytest.mark.scenario("T14", rules=("R15",))
@time_machine.travel("2026-05-04 10:00")
def test_late_conclusion_is_flagged_and_asks_a_motivation_but_never_blocks(cpas_a, worker_a, matrix, login):
    contract = drafted_contract(cpas_a, decided_on=D(2026, 1, 10))  # a new beneficiary: deadline 2026-04-10
    version = hand_over(worker_a, contract, D(2026, 4, 20))
    inform(worker_a, version, D(2026, 4, 20))
    client = login(worker_a)
    response = client.get(reverse("contracts:sign", args=[contract.pk, version.pk]))
    assert "late_motivation" in response.context["form"].fields
    response = client.post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {"signer": "beneficiary", "signed_on": "2026-05-04", "method": "screen", "late_motivation": "Hospitalised."},
    )
    assert response.status_code == 302
    sign_all_cpas(worker_a, version, matrix, D(2026, 5, 4))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.late_motivation == "Hospitalised."
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "concluded late" in page


# --- end, permissions, page -----------------------------------------------------------------------------------


def in_force(cpas, worker, matrix, **kwargs):
    contract = drafted_contract(cpas, **kwargs)
    version = hand_over(worker, contract, D(2026, 3, 2))
    inform(worker, version, D(2026, 3, 2))
    sign(worker, version, "beneficiary", D(2026, 3, 9))
    for third in contract.third_parties.all():
        sign(worker, version, f"third_party:{third.pk}", D(2026, 3, 9))
    sign_all_cpas(worker, version, matrix, D(2026, 3, 9))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE
    return contract, version


def test_ending_a_contract_in_force_records_date_and_reason(cpas_a, worker_a, matrix):
    contract, _version = in_force(cpas_a, worker_a, matrix)
    with pytest.raises(ServiceError) as error:
        contract_end(membership=worker_a, contract=contract, ended_on=D(2026, 3, 1), reason="completed",
                     today=D(2026, 9, 1))  # fmt: skip
    assert error.value.code == "END_BEFORE_SIGNATURE"
    contract_end(
        membership=worker_a, contract=contract, ended_on=D(2026, 9, 1), reason="ri_ended", today=D(2026, 9, 1)
    )
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on, contract.end_reason) == ("ended", D(2026, 9, 1), "ri_ended")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.SOCIAL_WORKER, True), (Role.TEAM_LEAD, True), (Role.DIRECTOR, False), (Role.DPO, False)],
)
def test_who_may_record_signatures(cpas_a, worker_a, login, role, allowed):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    response = login(make_member(cpas_a, role)).get(reverse("contracts:sign", args=[contract.pk, version.pk]))
    assert (response.status_code == 200) is allowed


def test_pdf_download_is_audited_as_a_read(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    url = reverse("contracts:pdf", args=[contract.pk, version.pk])
    response = login(worker_a).get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(verb="contract_pdf_opened", context=url).get()
    assert event.beneficiary_id == contract.beneficiary_id and event.target_type == "contracts.contractversion"


def test_contract_page_queries_stay_bounded(cpas_a, worker_a, matrix, login, django_assert_max_num_queries):
    contract, _version = in_force(cpas_a, worker_a, matrix, third_party=True)
    client = login(worker_a)
    url = reverse("contracts:detail", args=[contract.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as captured:
        client.get(url)
    before = len(captured.captured_queries)
    for number in range(2, 6):
        make_version(cpas_a, contract=contract, number=number, kind="amendment", superseded=True, snapshot={})
    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200


def test_versions_are_listed_on_the_contract_page(cpas_a, worker_a, matrix, login):
    contract, version = in_force(cpas_a, worker_a, matrix)
    page = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert reverse("contracts:version", args=[contract.pk, version.pk]) in page
    assert ContractVersion.objects.filter(contract=contract).count() == 1


def test_snapshot_is_deterministic_and_keeps_sensitive_needs_to_their_domain(cpas_a):
    import json

    contract = drafted_contract(cpas_a, third_party=True)
    first, second = contract_snapshot(contract), contract_snapshot(contract)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    sensitive = [need for need in first["needs"] if need["sensitive"]]
    assert sensitive == [{"id": sensitive[0]["id"], "domain": "health", "kind": "obstacle", "sensitive": True,
                          "text": ""}]  # fmt: skip
    assert "Secret medical detail" not in json.dumps(first)
    assert [c["party"] for c in first["clauses"]] == ["beneficiary", "cpas", "third_party"]
    assert first["third_parties"][0]["code"] == f"third_party:{first['third_parties'][0]['id']}"


def test_a_scanned_signature_is_audited_with_the_stored_file_name(cpas_a, worker_a, settings, tmp_path):
    """The audit row names the scan's stored path, never its content."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    contract = drafted_contract(cpas_a, social_worker=worker_a.user)
    version = hand_over(worker_a, contract, datetime.date(2026, 3, 2))
    inform(worker_a, version, datetime.date(2026, 3, 2))
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    sign(worker_a, version, "beneficiary", datetime.date(2026, 3, 9), scan=scan)
    event = AuditEvent.objects.filter(target_type="contracts.signature").get()
    assert event.changes["scan"][1].startswith("signatures/") and event.changes["scan"][1].endswith(".pdf")
    assert (tmp_path / event.changes["scan"][1]).read_bytes() == b"%PDF-1.4 test"
