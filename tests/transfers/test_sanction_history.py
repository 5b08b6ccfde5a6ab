"""R53: the package carries the suspensions the new CPAS may continue — notified, not annulled on appeal — and
nothing of the procedure behind them (facts, evidence, hearing, opinion)."""

import datetime
import json

import jsonschema
import pytest

from piis.accounts.enums import Role
from piis.transfers import services
from piis.transfers.enums import Answer
from piis.transfers.models import IncomingTransfer
from piis.transfers.openpiis import schema
from piis.transfers.package import sanction_history
from tests.factories import make_member
from tests.sanctions.builders import make_appeal, make_decision, make_dossier, make_evidence, make_item
from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

D = datetime.date
pytestmark = pytest.mark.django_db


def _decision(cpas, contract, **kwargs):
    dossier = make_dossier(cpas, contract=contract, status="on_agenda")
    return make_decision(cpas, item=make_item(cpas, dossier=dossier), **kwargs)


@pytest.mark.scenario("T28", rules=("R53",))
def test_only_the_suspensions_a_later_cpas_may_continue(cpas_a):
    contract = make_piis_in_force(cpas_a)
    kept = _decision(cpas_a, contract, notified_on=D(2026, 5, 25), start_on=D(2026, 7, 1), end_on=D(2026, 7, 31))
    _decision(cpas_a, contract)  # decided but never notified: not final
    _decision(cpas_a, contract, outcome="no_sanction", share=None, months=None, max_months=None, ground="",
              notified_on=D(2026, 5, 25))  # fmt: skip
    annulled = _decision(cpas_a, contract, notified_on=D(2026, 5, 25))
    make_appeal(cpas_a, decision=annulled, outcome="annulled", outcome_on=D(2026, 6, 30))
    pending = _decision(cpas_a, contract, notified_on=D(2026, 5, 26))
    make_appeal(cpas_a, decision=pending)
    make_evidence(cpas_a, dossier=kept.dossier, passage="Le centre signale trois absences.")
    rows = sanction_history(beneficiary_id=contract.beneficiary_id, cpas_id=cpas_a.pk)
    assert [(r["notified_on"], r["appeal"]) for r in rows] == [("2026-05-25", "none"), ("2026-05-26", "pending")]
    assert rows[0] == {
        "decided_on": "2026-05-20", "notified_on": "2026-05-25", "outcome": "partial_suspension", "months": "1",
        "share": "0.5", "start_on": "2026-07-01", "end_on": "2026-07-31", "deferral": "none",
        "deferred_share": None, "deferral_until": None, "appeal": "none",
    }  # fmt: skip
    text = json.dumps(rows)
    assert "absences" not in text.lower() and "motif" not in text.lower()  # no evidence, no motivation


def test_the_package_with_a_sanction_follows_the_schema(cpas_a, cpas_b):
    contract = make_piis_in_force(cpas_a)
    _decision(cpas_a, contract, notified_on=D(2026, 5, 25), start_on=D(2026, 7, 1), end_on=D(2026, 7, 31))
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    transfer = services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED,
                                             learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16), new_cpas=cpas_b,
                                             today=D(2026, 7, 2))  # fmt: skip
    services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                    answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
    services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
    document = IncomingTransfer.objects.get(cpas=cpas_b).package
    jsonschema.validate(document, schema())
    assert len(document["sanctions"]) == 1


def test_a_commitment_is_reviewed_once(cpas_a, cpas_b):
    from piis.core.errors import ServiceError
    from tests.transfers.builders import make_review

    review = make_review(cpas_b)
    member = make_member(cpas_b)
    services.review_decide(membership=member, review=review, decision="keep", reason="Même centre.", today=MOVED)
    with pytest.raises(ServiceError) as refused:
        services.review_decide(membership=member, review=review, decision="drop", reason="Autre.", today=MOVED)
    assert refused.value.code == "TAKEOVER_ALREADY_DECIDED"
    review.refresh_from_db()
    assert review.decision == "keep"
