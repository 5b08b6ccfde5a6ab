"""Builders for the follow-up tests (tests/factories.py belongs to the whole team; these are ours)."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from piis.followup.models import CommitmentReview, Evaluation, MeetingRequest, ObjectiveProgress, Reminder
from tests.factories import make_clause, make_contract, make_member, make_objective

D = datetime.date
SIGNED = D(2026, 1, 15)
DECIDED = D(2026, 1, 10)
SIGNED_LOAD = D(2026, 2, 1)


def at(today: datetime.date):
    """Freeze the clock on `today`, noon in Brussels."""
    moment = datetime.datetime.combine(today, datetime.time(12), tzinfo=ZoneInfo("Europe/Brussels"))
    return time_machine.travel(moment, tick=False)


def make_in_force_contract(cpas, *, signed_on=SIGNED, status="in_force", **kwargs):
    return make_contract(cpas, status=status, signed_on=signed_on, **kwargs)


def make_evaluation(cpas, **kwargs) -> Evaluation:
    contract = kwargs.pop("contract", None) or make_in_force_contract(cpas)
    defaults = {"held_on": D(2026, 3, 10), "mode": "office", "recorded_by": contract.social_worker}
    return Evaluation.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})


def make_objective_progress(cpas, **kwargs) -> ObjectiveProgress:
    evaluation = kwargs.pop("evaluation", None) or make_evaluation(cpas)
    objective = kwargs.pop("objective", None) or make_objective(cpas, contract=evaluation.contract)
    return ObjectiveProgress.objects.create(
        cpas=cpas, evaluation=evaluation, objective=objective, **{"progress": "in_progress", **kwargs}
    )


def make_commitment_review(cpas, **kwargs) -> CommitmentReview:
    evaluation = kwargs.pop("evaluation", None) or make_evaluation(cpas)
    clause = kwargs.pop("clause", None) or make_clause(
        cpas, contract=evaluation.contract, party="cpas", proposed_by="cpas", kind="cost_coverage"
    )
    return CommitmentReview.objects.create(
        cpas=cpas, evaluation=evaluation, clause=clause, **{"delivery": "delivered", **kwargs}
    )


def make_meeting_request(cpas, **kwargs) -> MeetingRequest:
    from tests.factories import make_beneficiary

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    recorded_by = kwargs.pop("recorded_by", None) or make_member(cpas).user
    defaults = {
        "requested_on": D(2026, 4, 3),
        "requested_by": "beneficiary",
        "deadline": D(2026, 4, 13),
        "subject": "Question sur la formation",
    }
    return MeetingRequest.objects.create(
        cpas=cpas, beneficiary=beneficiary, recorded_by=recorded_by, **{**defaults, **kwargs}
    )


def make_reminder(cpas, **kwargs) -> Reminder:
    user = kwargs.pop("user", None) or make_member(cpas).user
    return Reminder.objects.create(
        cpas=cpas, user=user, **{"key": "meeting:1:2026-04-13:due", "due_on": D(2026, 4, 13), **kwargs}
    )


def make_caseload(cpas, worker, n: int, *, decided_on=DECIDED, signed_on=SIGNED_LOAD, due_dates=False) -> list:
    """`n` files of `worker`, each with an RI decision, a PIIS in force with two evaluations, and an open meeting
    request; bulk-created (benchmarks/bench_agenda.py uses it too). Returns the beneficiaries.

    `due_dates`: each PIIS also has a planned end, an objective (with its progress at the first evaluation) and a
    dated step, and a commitment due; one file in five has an exemption under review."""
    from decimal import Decimal

    from piis.cases.models import Beneficiary, RiDecision
    from piis.cases.validators import nrn_with_check
    from piis.contracts.models import Contract

    start = Beneficiary.objects.count()
    people = Beneficiary.objects.bulk_create(
        Beneficiary(
            cpas=cpas,
            first_name=f"Load{i}",
            last_name=f"Caseload{i:04d}",
            birth_date=D(1980, 1, 1 + i % 28),
            national_number=nrn_with_check(D(1980, 1, 1 + i % 28), 100 + start + i),
            social_worker=worker,
            search_name=f"caseload{i:04d} load{i}",
        )
        for i in range(n)
    )
    decisions = RiDecision.objects.bulk_create(
        RiDecision(
            cpas=cpas,
            beneficiary=b,
            category=2,
            requested_on=decided_on,
            decided_on=decided_on,
            start_on=decided_on,
            monthly_amount=Decimal("1314.20"),
        )
        for b in people
    )
    # One file in ten has no PIIS yet: its conclusion deadline is on the agenda.
    contracts = Contract.objects.bulk_create(
        Contract(
            cpas=cpas,
            beneficiary=d.beneficiary,
            ri_decision=d,
            social_worker=worker,
            status="in_force",
            signed_on=signed_on,
            orientations=["professional"],
        )
        for i, d in enumerate(decisions)
        if i % 10
    )
    Evaluation.objects.bulk_create(
        Evaluation(cpas=cpas, contract=c, held_on=held, mode=mode, recorded_by=worker)
        for c in contracts
        for held, mode in ((D(2026, 3, 1), "office"), (D(2026, 6, 1), "phone"))
    )
    MeetingRequest.objects.bulk_create(
        MeetingRequest(
            cpas=cpas,
            beneficiary=b,
            requested_on=D(2026, 4, 3),
            requested_by="beneficiary",
            deadline=D(2026, 4, 13),
            recorded_by=worker,
        )
        for b in people[::3]
    )
    if due_dates:
        _add_due_dates(cpas, contracts, people)
    return people


def _add_due_dates(cpas, contracts, people) -> None:
    from piis.cases.models import Exemption
    from piis.contracts.models import Clause, Objective, Step

    Contract = type(contracts[0])
    for contract in contracts:
        contract.end_on = D(2027, 1, 31)
    Contract.objects.bulk_update(contracts, ["end_on"])
    objectives = Objective.objects.bulk_create(
        Objective(cpas=cpas, contract=c, title="Formation", observable_result="Attestation", due_on=D(2026, 6, 30))
        for c in contracts
    )
    Step.objects.bulk_create(
        Step(cpas=cpas, objective=o, description="Inscription", owner="beneficiary", due_on=D(2026, 5, 15))
        for o in objectives
    )
    first = {e.contract_id: e for e in Evaluation.objects.filter(held_on=D(2026, 3, 1), contract__in=contracts)}
    ObjectiveProgress.objects.bulk_create(
        ObjectiveProgress(cpas=cpas, evaluation=first[o.contract_id], objective=o, progress="in_progress")
        for o in objectives
    )
    Clause.objects.bulk_create(
        Clause(
            cpas=cpas,
            contract=c,
            party="cpas",
            kind="cost_coverage",
            text="Frais",
            proposed_by="cpas",
            due_on=D(2026, 5, 31),
        )
        for c in contracts
    )
    Exemption.objects.bulk_create(
        Exemption(
            cpas=cpas,
            beneficiary=b,
            ground="health",
            motivation="Opération",
            decided_on=D(2026, 2, 1),
            decided_by="Comité",
            start_on=D(2026, 2, 1),
            review_on=D(2026, 5, 1),
        )
        for b in people[1::5]
    )
