"""A person's world for the portal tests: a PIIS in force (with its version, goals, steps, the CPAS's commitments and
an evaluation), a meeting request, a formal notice sent, a hearing, a notified decision with its appeal deadline, a
transfer letter sent, and the person's portal account."""

import datetime
from dataclasses import dataclass, field

from piis.followup.models import Evaluation, MeetingRequest
from tests.factories import make_beneficiary, make_member
from tests.portal.helpers import open_account
from tests.sanctions.builders import make_decision, make_dossier, make_hearing, make_item, make_notice
from tests.transfers.builders import make_piis_in_force, make_transfer

D = datetime.date


@dataclass
class PersonWorld:
    beneficiary: object
    account: object
    ids: dict[str, list[int]] = field(default_factory=dict)


def person_world(
    cpas, *, worker=None, language: str = "fr", first_name: str = "Amina", with_account: bool = True
) -> PersonWorld:
    worker = worker or make_member(cpas)
    beneficiary = make_beneficiary(cpas, social_worker=worker.user, language=language, first_name=first_name)
    contract = make_piis_in_force(cpas, beneficiary=beneficiary, social_worker=worker.user)
    version = contract.versions.get()
    evaluation = Evaluation.objects.filter(contract=contract).get()
    meeting = MeetingRequest.objects.create(
        cpas=cpas,
        beneficiary=beneficiary,
        requested_on=D(2026, 11, 20),
        requested_by="beneficiary",
        deadline=D(2026, 11, 27),
        recorded_by=worker.user,
    )
    clause = contract.clauses.filter(party="beneficiary").first()
    dossier = make_dossier(cpas, contract=contract, clause=clause, opened_by=worker.user)
    notice = make_notice(cpas, dossier=dossier, sent_on=D(2026, 4, 24), delivered_on=D(2026, 4, 25))
    make_hearing(cpas, dossier=dossier, reply_by=D(2026, 5, 10), scheduled_on=D(2026, 5, 15))
    decided = make_decision(
        cpas,
        item=make_item(cpas, dossier=dossier),
        notified_on=D(2026, 5, 25),
        appeal_deadline=D(2026, 8, 25),
        start_on=D(2026, 7, 1),
        end_on=D(2026, 7, 31),
        letter_language=language,
    )
    transfer = make_transfer(cpas, contract=contract, letter_sent_on=D(2026, 7, 2), language=language)
    account = open_account(worker, beneficiary)[0] if with_account else None
    ids = {
        "piis_id": [contract.pk],
        "piis_version_id": [version.pk],
        "notice_letter_id": [notice.pk],
        "decision_letter_id": [decided.pk],
        "move_letter_id": [transfer.pk],
        "contract_id": [contract.pk],
        "transfer_id": [transfer.pk],
        "evaluation_id": [evaluation.pk],
        "meeting_id": [meeting.pk],
        "meeting_request_id": [meeting.pk],
        "dossier_id": [dossier.pk],
        "beneficiary_id": [beneficiary.pk],
    }
    return PersonWorld(beneficiary=beneficiary, account=account, ids=ids)
