"""The access export (GDPR art. 15) holds the person's sanction procedures (piis/sanctions/personal_data.py): each
dossier with its breach, evidence extracts, formal notice, answer, check of the CPAS's commitments, opinion and
hearing; the council's decisions, appeals and payment lines — and nothing of another person's procedure."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.cases.models import RiDecision
from piis.sanctions import services_council
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.builders import make_evidence
from tests.sanctions.council_builders import ready_dossier, sitting_with, suspension

D = datetime.date
pytestmark = pytest.mark.django_db


def _procedure(cpas, marker: str, secretary=None):
    """A dossier taken to a notified decision, appealed, and exported for payment; `marker` in its evidence."""
    dossier = ready_dossier(cpas)
    make_evidence(cpas, dossier=dossier, passage=f"Passage {marker}")
    RiDecision.objects.filter(beneficiary=dossier.beneficiary).update(monthly_amount=Decimal("1263.17"))
    _sitting, item, secretary = sitting_with(cpas, dossier, secretary=secretary)
    with at(D(2026, 5, 20)):
        decision = services_council.decision_record(actor=secretary, item=item, given=suspension())
    with at(D(2026, 5, 25)):
        services_council.decision_notified(actor=secretary, decision=decision, letter_sent_on=D(2026, 5, 21),
                                           delivery_method="registered", notified_on=D(2026, 5, 22))  # fmt: skip
        services_council.payments_export(actor=secretary, cpas=cpas)
        services_council.appeal_lodge(actor=secretary, decision=decision, lodged_on=D(2026, 5, 25),
                                      court=f"Tribunal {marker}")  # fmt: skip
    return dossier, decision, secretary


def _sanctions_section(client, person) -> list[dict]:
    response = client.post(reverse("privacy:export", args=[person.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("personal-data.json"))["sections"]["sanctions"]


def test_the_export_holds_the_persons_sanction_procedure_and_nothing_of_another(cpas_a, client, login):
    dossier, decision, secretary = _procedure(cpas_a, "MINE")
    other, other_decision, _ = _procedure(cpas_a, "THEIRS", secretary=secretary)
    login(make_member(cpas_a, Role.DPO))
    records = _sanctions_section(client, dossier.beneficiary)
    by_type: dict[str, list[dict]] = {}
    for row in records:
        by_type.setdefault(row["type"], []).append(row)
    [exported] = by_type["sanctions.sanctiondossier"]
    assert exported["id"] == dossier.pk
    for part in ("breach", "notice", "answer", "commitment_check", "opinion", "hearing"):
        assert exported[part] is not None, part
    assert exported["commitment_check"]["lines"]
    assert exported["answer"]["answer_text"] == "J'étais malade."
    assert [e["passage"] for e in exported["evidence"]] == ["Passage MINE"]
    assert [i["id"] for i in by_type["sanctions.sittingitem"]] == [decision.item_id]
    [exported_decision] = by_type["sanctions.decision"]
    assert exported_decision["id"] == decision.pk and exported_decision["notified_on"] == "2026-05-22"
    assert [a["court"] for a in exported_decision["appeals"]] == ["Tribunal MINE"]
    lines = by_type["sanctions.paymentline"]
    assert lines and {line["decision_id"] for line in lines} == {decision.pk}
    text = json.dumps(records)
    assert "THEIRS" not in text
    ids = {(row["type"], row["id"]) for row in records}
    assert ("sanctions.sanctiondossier", other.pk) not in ids and ("sanctions.decision", other_decision.pk) not in ids


def test_a_person_without_a_procedure_has_an_empty_sanctions_section(cpas_a, client, login):
    _procedure(cpas_a, "THEIRS")
    from tests.factories import make_beneficiary

    person = make_beneficiary(cpas_a)
    login(make_member(cpas_a, Role.DPO))
    assert _sanctions_section(client, person) == []
