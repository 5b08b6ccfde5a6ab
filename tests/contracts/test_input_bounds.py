"""Contract forms refuse impossible dates and unbounded input: information in 1900 or before the hand-over, due
dates before the contract starts, planned dates centuries ahead, clauses longer than a page, oversized or
disguised scans."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piis.contracts.models import Clause, Objective, Step
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.services.lifecycle import version_record_information
from piis.core.errors import ServiceError
from piis.core.forms import LONG_TEXT_MAX_LENGTH, UPLOAD_MAX_MB
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_drafting import _clause_data
from tests.contracts.test_lifecycle import hand_over, inform, matrix  # noqa: F401 — fixture
from tests.factories import make_assessment_item, make_contract, make_objective

D = datetime.date
pytestmark = pytest.mark.django_db


def _at(day: str):
    return time_machine.travel(f"{day} 10:00", tick=False)


# --- information and rights ---------------------------------------------------------------------------------------


@_at("2026-03-04")
@pytest.mark.parametrize(("typed", "words"), [("1900-01-01", "01/10/2002"), ("2026-03-05", "in the future")])
def test_information_recorded_in_1900_or_tomorrow_is_refused(cpas_a, worker_a, login, typed, words):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:information", args=[contract.pk, version.pk]),
        {"given_on": typed, "rights": list(RIGHT_CODES), "assistance": "declined"},
    )
    assert response.status_code == 200
    assert words in response.context["form"].errors["given_on"][0]
    version.refresh_from_db()
    assert version.information_given_on is None


@_at("2026-03-04")
def test_information_before_the_hand_over_is_refused_on_its_field(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:information", args=[contract.pk, version.pk]),
        {"given_on": "2026-03-01", "rights": list(RIGHT_CODES), "assistance": "declined"},
    )
    assert response.context["form"].errors["given_on"] == [
        "The information cannot be dated before the hand-over of the final draft (02/03/2026)."
    ]
    with pytest.raises(ServiceError) as caught:
        version_record_information(
            membership=worker_a, version=version, given_on=D(2026, 3, 1), rights=list(RIGHT_CODES),
            assistance="declined", today=D(2026, 3, 4),
        )  # fmt: skip
    assert (caught.value.code, caught.value.field) == ("INFORMATION_BEFORE_HANDOVER", "given_on")
    inform(worker_a, version, D(2026, 3, 2))  # the day of the hand-over is fine


@_at("2026-03-20")
@pytest.mark.usefixtures("matrix")
def test_a_signature_before_the_hand_over_is_refused_on_its_field(cpas_a, worker_a, login):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {"signer": "beneficiary", "signed_on": "2026-02-20", "method": "paper"},
    )
    assert response.context["form"].errors["signed_on"] == [
        "The signature cannot be dated before the hand-over of the final draft (02/03/2026)."
    ]
    assert not version.signatures.exists()


# --- drafting -------------------------------------------------------------------------------------------------------


def test_an_objective_or_a_step_due_before_the_contract_starts_is_refused(cpas_a, worker_a, login):
    contract = make_contract(cpas_a, start_on=D(2026, 3, 1), end_on=D(2027, 2, 28))
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    client = login(worker_a)
    data = {"title": "Trouver un emploi", "observable_result": "Contrat signé", "assessment_items": [item.pk]}
    response = client.post(reverse("contracts:objective_add", args=[contract.pk]), {**data, "due_on": "2026-02-01"})
    assert response.context["form"].errors["due_on"] == [
        "This date is before the planned start of the contract (01/03/2026)."
    ]
    assert not Objective.objects.exists()
    objective = make_objective(cpas_a, contract=contract, due_on=D(2026, 9, 30))
    response = client.post(
        reverse("contracts:step_add", args=[objective.pk]),
        {"description": "Visite", "owner_party": "beneficiary", "due_on": "2026-02-15"},
    )
    assert "planned start of the contract" in response.context["form"].errors["due_on"][0]
    assert not Step.objects.exists()


def test_a_planned_end_centuries_ahead_is_refused(cpas_a, worker_a, login):
    contract = make_contract(cpas_a, start_on=D(2026, 3, 1), end_on=D(2027, 2, 28))
    data = {
        "ri_decision": contract.ri_decision_id,
        "assessment": contract.assessment_id,
        "orientations": ["professional"],
        "social_worker": worker_a.user_id,
        "start_on": "2026-03-01",
        "end_on": "3026-02-28",
    }
    response = login(worker_a).post(reverse("contracts:edit", args=[contract.pk]), data)
    assert "too far ahead" in response.context["form"].errors["end_on"][0]
    contract.refresh_from_db()
    assert contract.end_on == D(2027, 2, 28)


def test_a_clause_longer_than_the_limit_is_refused_with_the_limit(cpas_a, worker_a, login):
    contract = make_contract(cpas_a)
    response = login(worker_a).post(
        reverse("contracts:clause_add", args=[contract.pk]), _clause_data(text="x" * 200_000)
    )
    [message] = response.context["form"].errors["text"]
    assert str(LONG_TEXT_MAX_LENGTH) in message  # the error states the limit
    assert not Clause.objects.exists()


# --- signed scans ---------------------------------------------------------------------------------------------------


@_at("2026-03-09")
@pytest.mark.usefixtures("matrix")
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("signed.pdf", b"%PDF-1.4\n" + b"0" * (UPLOAD_MAX_MB * 1024 * 1024), "too large"),
        ("signed.pdf", b"<html><body>not a scan</body></html>", "PDF, PNG or JPEG"),
    ],
)
def test_a_scan_too_large_or_not_a_pdf_png_jpeg_is_refused_and_nothing_stored(
    cpas_a, worker_a, login, settings, tmp_path, name, content, words
):
    settings.MEDIA_ROOT = tmp_path
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    response = login(worker_a).post(
        reverse("contracts:sign", args=[contract.pk, version.pk]),
        {
            "signer": "beneficiary",
            "signed_on": "2026-03-09",
            "method": "paper",
            "scan": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert words in response.context["form"].errors["scan"][0]
    assert not version.signatures.exists() and not any(tmp_path.rglob("*.pdf"))
