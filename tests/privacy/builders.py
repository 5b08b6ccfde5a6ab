"""A person with every kind of record the export holds (tests/factories.py belongs to the whole team)."""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.cases.models import GlassBreak
from piis.contracts.snapshot import contract_snapshot
from piis.followup.models import Reminder
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import (
    make_assistant,
    make_exemption,
    make_household_member,
    make_income_period,
    make_member,
    make_signature,
    make_version,
)
from tests.followup.builders import (
    make_commitment_review,
    make_evaluation,
    make_meeting_request,
    make_objective_progress,
)

D = datetime.date
SCAN = b"%PDF-1.4\n% scanned signed copy\n"


def person_with_everything(cpas, *, marker: str = ""):
    """A file with identity, household, assistant, RI decision, earlier period, exemption, needs assessment, a PIIS
    with a version, a signature and its scan, an evaluation, a meeting request, a reminder about it, and reads of
    the file by a worker (one on the file, one on a list). `marker` is put in a free text of each kind."""
    contract = drafted_contract(cpas, third_party=True, status="in_force", signed_on=D(2026, 1, 20))
    person = contract.beneficiary
    if marker:
        person.notes = f"notes {marker}"
        person.save()
    worker = contract.social_worker
    make_household_member(cpas, beneficiary=person, name=f"Household {marker}")
    make_assistant(cpas, beneficiary=person, name=f"Assistant {marker}")
    make_income_period(cpas, beneficiary=person, note=f"period {marker}"[:200])
    make_exemption(cpas, beneficiary=person, motivation=f"Exemption {marker}")
    version = make_version(cpas, contract=contract, snapshot=contract_snapshot(contract), language="fr")
    signature = make_signature(cpas, version=version, signer_name=f"Signer {marker}")
    signature.scan.save("scan.pdf", ContentFile(SCAN), save=True)
    evaluation = make_evaluation(cpas, contract=contract, difficulties=f"Evaluation {marker}")
    make_objective_progress(cpas, evaluation=evaluation, objective=contract.objectives.first())
    make_commitment_review(cpas, evaluation=evaluation, clause=contract.clauses.filter(party="cpas").first())
    meeting = make_meeting_request(cpas, beneficiary=person, subject=f"Meeting {marker}", recorded_by=worker)
    reminder = Reminder.objects.create(cpas=cpas, user=worker, key=f"meeting:{meeting.pk}:2026-04-13:due",
                                       due_on=D(2026, 4, 13))  # fmt: skip
    reader = make_member(cpas, username=f"reader{person.pk}").user
    opened = record(actor=reader, cpas=cpas, verb=AuditVerb.FILE_OPENED, target=person, beneficiary_id=person.pk,
                    context=f"/files/{person.pk}/")  # fmt: skip
    listed = record_people_shown(actor=reader, cpas=cpas, beneficiary_ids=[person.pk], context="/files/?q=x")
    GlassBreak.objects.create(cpas=cpas, beneficiary=person, user=reader, reason=f"Complaint {marker}",
                              until=timezone.now() + datetime.timedelta(hours=8))  # fmt: skip
    return SimpleNamespace(
        person=person, contract=contract, version=version, signature=signature, evaluation=evaluation,
        meeting=meeting, reminder=reminder, reader=reader, opened=opened, listed=listed,
    )  # fmt: skip
