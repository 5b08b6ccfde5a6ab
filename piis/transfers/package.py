"""What the new CPAS receives (R51, R53): one open PIIS document built from the old CPAS's rows.

Read-only on contracts and followup; the sanctions through their selector (selectors_council.continuable_decisions).
The content of the PIIS is the version in force as frozen at hand-over (contracts.snapshot), the commitments'
delivery status as it stands today, every version, every evaluation, and the sanction decisions the new CPAS may
continue (`sanction_history`).
"""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from typing import Any

from piis.contracts.enums import OPEN_COMMITMENT_STATUSES
from piis.contracts.models import Clause, ContractVersion
from piis.contracts.snapshot import version_snapshot
from piis.followup.models import Evaluation
from piis.sanctions.selectors_council import continuable_decisions
from piis.transfers.models import Transfer
from piis.transfers.openpiis import FORMAT, VERSION, iso

__all__ = ["build_document", "sanction_history", "version_to_send"]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def sanction_history(*, beneficiary_id: int, cpas_id: int) -> list[dict[str, Any]]:
    """R53: the suspensions a later competent CPAS may continue — decisions notified to the person and not annulled
    on appeal. Nothing of the procedure behind them (breach facts, evidence, hearing, opinions) leaves the CPAS."""
    rows = []
    for row in continuable_decisions(beneficiary_id, cpas_id=cpas_id):
        decision = row.decision
        rows.append(
            {
                "decided_on": iso(decision.decided_on),
                "notified_on": iso(decision.notified_on),
                "outcome": decision.outcome,
                "months": _decimal(decision.months),
                "share": _decimal(decision.share),
                "start_on": iso(decision.start_on),
                "end_on": iso(decision.end_on),
                "deferral": decision.deferral,
                "deferred_share": _decimal(decision.deferred_share),
                "deferral_until": iso(decision.probation_end),
                "appeal": row.appeal,
            }
        )
    return rows


def version_to_send(contract) -> ContractVersion | None:
    """The version in force: the last concluded one not superseded."""
    return (
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=False, superseded=False)
        .order_by("-number")
        .first()
    )


def build_document(transfer: Transfer, *, pdf: bytes, answer: str, answered_on: date | None, today: date) -> dict:
    contract = transfer.contract
    person = transfer.beneficiary
    version = version_to_send(contract)
    assert version is not None
    snap = version_snapshot(version)
    live = {c.pk: c for c in Clause.objects.for_cpas(contract.cpas_id).filter(contract=contract)}

    def tp(pk: int | None) -> str | None:
        return None if pk is None else f"tp{pk}"

    name = f"{person.first_name} {person.last_name}"
    parties: list[dict[str, Any]] = [
        {"id": "beneficiary", "role": "beneficiary", "name": name, "kind": "person"},
        {"id": "cpas", "role": "cpas", "name": contract.cpas.name, "kind": "cpas"},
    ]
    parties += [{"id": tp(t.id), "role": "third_party", "name": t.name, "kind": t.kind} for t in snap.third_parties]
    objectives = [
        {
            "id": f"o{o.id}",
            "title": o.title,
            "observable_result": o.observable_result,
            "due_on": iso(o.due_on),
            "steps": [
                {
                    "id": f"s{s.id}",
                    "description": s.description,
                    "owner": s.owner,
                    "party": tp(s.third_party),
                    "due_on": iso(s.due_on),
                }
                for s in o.steps
            ],  # fmt: skip
        }
        for o in snap.objectives
    ]
    commitments = []
    for c in snap.clauses:
        row = live.get(c.id)
        status = row.delivery_status if row else "planned"
        commitments.append(
            {
                "id": f"c{c.id}",
                "party": c.party,
                "third_party": tp(c.third_party),
                "objective": None if c.objective is None else f"o{c.objective}",
                "kind": c.kind,
                "text": c.text,
                "due_on": iso(c.due_on),
                "may_ground_sanction": c.grounds_sanction,
                "status": status,
                "status_on": iso(row.delivery_status_on) if row else None,
                "open": status in OPEN_COMMITMENT_STATUSES,
            }
        )
    versions = [
        {"number": v.number, "kind": v.kind, "language": v.language, "handed_over_on": iso(v.handed_over_on),
         "concluded_on": iso(v.concluded_on), "reason": v.reason}
        for v in ContractVersion.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("number")
    ]  # fmt: skip
    evaluations = [
        {"held_on": iso(e.held_on), "mode": e.mode, "difficulties": e.difficulties, "adjustments": e.adjustments,
         "person_comment": e.beneficiary_comment}
        for e in Evaluation.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("held_on", "id")
    ]  # fmt: skip
    return {
        "format": FORMAT,
        "version": VERSION,
        "package_id": f"{contract.cpas.nis_code}-{transfer.pk}",
        "created_on": iso(today),
        "source": {"name": contract.cpas.name, "nis_code": contract.cpas.nis_code},
        "destination": {"name": transfer.destination_name, "nis_code": transfer.destination_nis_code},
        "transfer": {"moved_on": iso(transfer.moved_on), "answer": answer, "answered_on": iso(answered_on)},
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": iso(person.birth_date),
            "national_number": person.national_number or "",
            "language": person.language,
        },
        "piis": {
            "id": f"{contract.cpas.nis_code}-{contract.pk}",
            "orientations": list(contract.orientations or []),
            "signed_on": iso(contract.signed_on),
            "start_on": iso(contract.start_on),
            "end_on": iso(contract.end_on),
            "ended_on": iso(today),
            "end_reason": "transferred",
            "parties": parties,
            "versions": versions,
            "objectives": objectives,
            "commitments": commitments,
            "evaluations": evaluations,
            "signed_pdf": {
                "version": version.number,
                "media_type": "application/pdf",
                "base64": base64.b64encode(pdf).decode("ascii"),
            },
        },
        "sanctions": sanction_history(beneficiary_id=person.pk, cpas_id=contract.cpas_id),
    }
