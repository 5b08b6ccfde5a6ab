"""The frozen text of a contract version (S-Neg 7): what the parties read, sign and get as a PDF.

`contract_snapshot` turns the live content into plain JSON (dates as ISO strings, lists in a stable order), so two
snapshots of the same content are equal and an amendment can be compared with the version in force (diff.py).
S-Dom 16: a need in a sensitive life domain is frozen as its domain only, never its text.
"""

from piis.cases.enums import SENSITIVE_DOMAINS
from piis.contracts.models import Contract

SNAPSHOT_SCHEMA = 1


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _needs(contract: Contract) -> list[dict]:
    if contract.assessment_id is None:
        return []
    items = contract.assessment.items.order_by("domain", "kind", "id")
    needs = []
    for item in items:
        sensitive = item.domain in SENSITIVE_DOMAINS
        needs.append(
            {
                "id": item.pk,
                "domain": item.domain,
                "kind": item.kind,
                "sensitive": sensitive,
                # S-Dom 16: the details stay in the confidential social file.
                "text": "" if sensitive else item.text,
            }
        )
    return needs


def _objectives(contract: Contract) -> list[dict]:
    objectives = contract.objectives.order_by("position", "id").prefetch_related("steps", "assessment_items")
    return [
        {
            "id": objective.pk,
            "title": objective.title,
            "observable_result": objective.observable_result,
            "due_on": _iso(objective.due_on),
            "needs": sorted(item.pk for item in objective.assessment_items.all()),
            "steps": [
                {
                    "id": step.pk,
                    "description": step.description,
                    "owner": step.owner,
                    "third_party": step.third_party_id,
                    "due_on": _iso(step.due_on),
                }
                for step in sorted(objective.steps.all(), key=lambda s: (s.position, s.pk))
            ],
        }
        for objective in objectives
    ]


def _clauses(contract: Contract) -> list[dict]:
    return [
        {
            "id": clause.pk,
            "party": clause.party,
            "third_party": clause.third_party_id,
            "objective": clause.objective_id,
            "kind": clause.kind,
            "text": clause.text,
            "proposed_by": clause.proposed_by,
            "position": clause.position,
            "sanctionable": clause.sanctionable,
        }
        for clause in contract.clauses.order_by("order", "id")
    ]


def _third_parties(contract: Contract) -> list[dict]:
    return [
        {
            "id": third.pk,
            "code": third.party_code,
            "name": third.name,
            "kind": third.kind,
            "requested_by": third.requested_by,
            "contact": third.contact,
            "signatory_name": third.signatory_name,
        }
        for third in contract.third_parties.order_by("id")
    ]


def contract_snapshot(contract: Contract) -> dict:
    """The live content of `contract` as deterministic, JSON-ready data (see the module docstring)."""
    beneficiary = contract.beneficiary
    cpas = contract.cpas
    return {
        "schema": SNAPSHOT_SCHEMA,
        "cpas": {"name": cpas.name, "region": cpas.region},
        "beneficiary": {
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "birth_date": _iso(beneficiary.birth_date),
            "address": beneficiary.address,
            "phone": beneficiary.phone,
            "email": beneficiary.email,
            "language": beneficiary.language,
        },
        "social_worker": _person_name(contract.social_worker),
        "social_worker_email": getattr(contract.social_worker, "email", "") or "",
        "substitute_worker": _person_name(contract.substitute_worker),
        "ri_decision_on": _iso(contract.ri_decision.decided_on),
        "orientations": sorted(contract.orientations or []),
        "start_on": _iso(contract.start_on),
        "end_on": _iso(contract.end_on),
        "evaluation_arrangements": contract.evaluation_arrangements,
        "beneficiary_comments": contract.beneficiary_comments,
        "third_parties": _third_parties(contract),
        "needs": _needs(contract),
        "objectives": _objectives(contract),
        "clauses": _clauses(contract),
    }
