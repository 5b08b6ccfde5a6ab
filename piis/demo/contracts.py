"""Demo data of issue 5, contract side: a PIIS in every state (draft, handed over, awaiting signatures, in force,
ended), built through the same services a social worker uses, so that the demo obeys the law it shows.
Idempotent: a file that already has a contract is left alone."""

import datetime

from piis.accounts.models import Membership, Signatory
from piis.cases.models import Beneficiary
from piis.contracts.enums import RIGHTS, AssistanceChoice, CommitmentStatus, EndReason, SignatureMethod
from piis.contracts.models import Clause, Contract, Objective, Step, ThirdParty
from piis.contracts.services.drafting import (
    clause_save,
    contract_create,
    objective_save,
    step_save,
    third_party_save,
)
from piis.contracts.services.lifecycle import (
    contract_end,
    contract_hand_over,
    contract_sign,
    version_record_information,
)
from piis.followup.services import commitment_delivery_record
from piis.rules import add_years, earliest_signature_date

CONTEXT = "demo_data"
TEXTS = {
    "fr": {
        "objective": ("Suivre une formation qualifiante", "Attestation de réussite de la formation"),
        "objective2": ("Mettre de l'ordre dans les démarches administratives", "Dossiers à jour, courriers traités"),
        "beneficiary": "Je m'inscris à la formation et je la suis régulièrement.",
        "cpas": "Le CPAS paie les frais d'inscription, l'assurance et les frais de déplacement.",
        "cpas_support": "L'assistant(e) social(e) aide à remplir les documents lors d'un rendez-vous par mois.",
        "third": ("Centre de formation Horizon", "Le centre accueille la personne et l'accompagne chaque semaine."),
        "arrangements": "Trois évaluations par an, dont deux au CPAS ou à domicile.",
        "late": "La personne a été hospitalisée pendant plusieurs semaines avant la signature.",
        "step": "S'inscrire au centre de formation",
    },
    "nl": {
        "objective": ("Een beroepsopleiding volgen", "Attest van slagen voor de opleiding"),
        "objective2": ("Administratie op orde brengen", "Dossiers bijgewerkt, brieven beantwoord"),
        "beneficiary": "Ik schrijf me in voor de opleiding en volg ze regelmatig.",
        "cpas": "Het OCMW betaalt het inschrijvingsgeld, de verzekering en de verplaatsingskosten.",
        "cpas_support": "De maatschappelijk werker helpt één keer per maand met de documenten.",
        "third": ("Opleidingscentrum Horizon", "Het centrum begeleidt de persoon elke week."),
        "arrangements": "Drie evaluaties per jaar, waarvan twee op het OCMW of aan huis.",
        "late": "De persoon lag enkele weken in het ziekenhuis voor de ondertekening.",
        "step": "Zich inschrijven bij het opleidingscentrum",
    },
}
# Which state each file gets, by its position in the CPAS's list (files without an assessment get none).
STATES = (None, "draft", "handed_over", "awaiting", "in_force", "in_force", "in_force_third", "ended")


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _draft(member, beneficiary, texts, today, with_third_party: bool) -> Contract:
    decision = beneficiary.ri_decisions.order_by("-decided_on").first()
    assessment = beneficiary.assessments.order_by("-assessed_on").first()
    contract = Contract(
        beneficiary=beneficiary,
        ri_decision=decision,
        assessment=assessment,
        orientations=["professional", "training"],
        social_worker=member.user,
        start_on=decision.decided_on,
        end_on=add_years(decision.decided_on, 1),  # a first PIIS for a year: some in force already past it
        evaluation_arrangements=texts["arrangements"],
    )
    contract_create(membership=member, contract=contract, today=today, context=CONTEXT)
    items = [item for item in assessment.items.all() if not item.is_sensitive]
    for number, key in enumerate(("objective", "objective2")):
        title, result = texts[key]
        objective = Objective(
            contract=contract, title=title, observable_result=result, due_on=today + _days(120 + 60 * number)
        )
        objective_save(
            membership=member, objective=objective, assessment_items=items[number::2] or items[:1], context=CONTEXT
        )
        if number == 0:
            step = Step(objective=objective, description=texts["step"], due_on=today + _days(30))
            step_save(membership=member, step=step, owner="beneficiary", context=CONTEXT)
            clause = Clause(
                contract=contract,
                objective=objective,
                kind="training",
                text=texts["beneficiary"],
                proposed_by="beneficiary",
                due_on=objective.due_on,
            )
            clause_save(membership=member, clause=clause, party="beneficiary", sanctionable=None, context=CONTEXT)
            # The fees are due soon after the decision: on a PIIS in force, paid or overdue (_deliveries).
            clause = Clause(
                contract=contract,
                objective=objective,
                kind="cost_coverage",
                text=texts["cpas"],
                proposed_by="cpas",
                due_on=decision.decided_on + _days(45),
            )
            clause_save(membership=member, clause=clause, party="cpas", sanctionable=None, context=CONTEXT)
        else:
            clause = Clause(
                contract=contract,
                objective=objective,
                kind="cpas_support",
                text=texts["cpas_support"],
                proposed_by="beneficiary",
            )
            clause_save(membership=member, clause=clause, party="cpas", sanctionable=None, context=CONTEXT)
    if with_third_party:
        name, commitment = texts["third"]
        third = ThirdParty(
            contract=contract, name=name, kind="training_centre", requested_by="beneficiary", signatory_name=name
        )
        third_party_save(membership=member, third_party=third, context=CONTEXT)
        clause = Clause(contract=contract, kind="training", text=commitment, proposed_by="cpas", third_party=third)
        clause_save(membership=member, clause=clause, party=f"tp:{third.pk}", sanctionable=None, context=CONTEXT)
    return contract


def _sign(member, version, signer, signed_on, today, texts):
    contract_sign(membership=member, version=version, signer=signer, signed_on=signed_on, method=SignatureMethod.PAPER,
                  today=today, late_motivation=texts["late"], context=CONTEXT)  # fmt: skip


def _to_state(member, contract, state, today, texts) -> None:
    decided = contract.ri_decision.decided_on
    # Contracts in force were handed over three weeks after the decision, or as late as today allows.
    handed = (
        min(decided + _days(20), today - _days(12))
        if state.startswith(("in_force", "ended", "awaiting"))
        else today - _days(2)
    )
    handed = max(handed, decided)
    version = contract_hand_over(
        membership=member, contract=contract, handed_over_on=handed, today=today, context=CONTEXT
    )
    if state == "handed_over":
        return
    rights = [code for code, _label in RIGHTS]
    version_record_information(membership=member, version=version, given_on=handed, rights=rights,
                               assistance=AssistanceChoice.DECLINED, today=today, context=CONTEXT)  # fmt: skip
    signed_on = min(earliest_signature_date(handed) + _days(1), today)
    _sign(member, version, "beneficiary", signed_on, today, texts)
    if state == "awaiting":
        return
    for line in Signatory.objects.for_cpas(contract.cpas).filter(required=True):
        _sign(member, version, f"signatory:{line.pk}", signed_on, today, texts)
    for third in contract.third_parties.all():
        _sign(member, version, f"third_party:{third.pk}", signed_on, today, texts)
    if state == "ended":
        contract.refresh_from_db()
        contract_end(membership=member, contract=contract, ended_on=min(signed_on + _days(90), today),
                     reason=EndReason.RI_ENDED, today=today, context=CONTEXT)  # fmt: skip


def _deliveries(member, contract, today, index: int) -> None:
    """A PIIS in force says what was delivered: the CPAS's monthly support is under way; the fees are paid on every
    other file, and left overdue on the others (the agenda shows them)."""
    contract.refresh_from_db()
    started = contract.signed_on
    for clause in contract.clauses.filter(party="cpas"):
        if clause.kind == "cpas_support":
            status, on = CommitmentStatus.IN_PROGRESS, started
        elif index % 2 == 0:
            status, on = CommitmentStatus.DONE, min(started + _days(14), today)
        else:
            continue
        commitment_delivery_record(
            membership=member, clause=clause, status=status, on=on, today=today, context=CONTEXT
        )


def load_contracts_demo(cpas, *, language: str, today: datetime.date) -> dict[str, int]:
    """A PIIS in every state over the CPAS's demo files; returns the number created per state."""
    texts = TEXTS["nl" if language == "nl" else "fr"]
    created: dict[str, int] = {}
    # Idempotent as a whole: the states rotate over the files in order, and files loaded after this demo (the
    # observatory's) would shift the rotation on a second load and give a PIIS to files meant to have none.
    if Contract.objects.for_cpas(cpas).exists():
        return created
    files = (
        Beneficiary.objects.for_cpas(cpas)
        .filter(assessments__isnull=False, social_worker__isnull=False)
        .distinct()
        .order_by("national_number")
    )
    for index, beneficiary in enumerate(files):
        state = STATES[index % len(STATES)]
        if state is None or Contract.objects.for_cpas(cpas).filter(beneficiary=beneficiary).exists():
            continue
        member = Membership.objects.select_related("user", "cpas").get(cpas=cpas, user=beneficiary.social_worker)
        decided = beneficiary.ri_decisions.order_by("-decided_on").values_list("decided_on", flat=True).first()
        if state not in ("draft", "handed_over") and earliest_signature_date(decided) + _days(7) > today:
            state = "handed_over"  # too recent a decision for the reflection period to be over
        contract = _draft(member, beneficiary, texts, today, with_third_party=state == "in_force_third")
        if state != "draft":
            _to_state(member, contract, state, today, texts)
        if state.startswith("in_force"):
            _deliveries(member, contract, today, index)
        created[state] = created.get(state, 0) + 1
    return created
