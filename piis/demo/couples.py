"""Demo data: one couple per CPAS on the category-3 RI (R70), so that the monthly subsidy claim shows a couple line.

Both partners have the category-3 RI since five months and name each other as partner in their household; one of them
concluded a PIIS four months ago (in force), the other is exempted for health reasons (R9). The claim then has one
line for the couple, on the category-3 amount, not doubled. Rows are written directly, like the observatory's demo
files; idempotent (the partners are found by their national numbers); works on SQLite.
"""

import datetime

from django.db import transaction

from piis.accounts.enums import Language, Role
from piis.accounts.models import Membership, Team
from piis.accounts.selectors import required_cpas_signatories
from piis.cases.enums import HouseholdRelation, RiCategory
from piis.cases.models import AssessmentItem, Beneficiary, Exemption, HouseholdMember, NeedsAssessment, RiDecision
from piis.cases.validators import nrn_with_check
from piis.contracts.enums import AssistanceChoice, ContractStatus, VersionKind
from piis.contracts.models import Clause, Contract, ContractVersion, Objective, Signature
from piis.contracts.snapshot import contract_snapshot
from piis.rules import ri_monthly_amount

# Fictitious people: (first name, last name, birth date); the national numbers use serials no other demo file uses.
PARTNERS = {
    "fr": (("Samira", "Benali", datetime.date(1986, 4, 12)), ("Karim", "Benali", datetime.date(1983, 9, 3))),
    "nl": (("Els", "Peeters", datetime.date(1987, 2, 21)), ("Tom", "Peeters", datetime.date(1984, 11, 8))),
}
SERIALS = (961, 963)
TEXTS = {
    "fr": {
        "own_words": "Nous voulons tous les deux retrouver du travail ; je commence par une formation.",
        "need": "Une formation d'aide-comptable",
        "objective": "Suivre la formation d'aide-comptable",
        "result": "Attestation de fin de module",
        "clause": "Je suis la formation d'aide-comptable deux jours par semaine.",
        "support": "Le CPAS prend en charge le minerval et l'abonnement de transport.",
        "exemption": "Raisons de santé : incapacité temporaire attestée par le médecin.",
        "organ": "Comité spécial du service social",
    },
    "nl": {
        "own_words": "We willen allebei weer werk vinden; ik begin met een opleiding.",
        "need": "Een opleiding boekhoudkundig bediende",
        "objective": "De opleiding boekhoudkundig bediende volgen",
        "result": "Attest van de eerste module",
        "clause": "Ik volg twee dagen per week de opleiding boekhoudkundig bediende.",
        "support": "Het OCMW betaalt het inschrijvingsgeld en het abonnement voor het openbaar vervoer.",
        "exemption": "Gezondheidsredenen: tijdelijke ongeschiktheid, bevestigd door de arts.",
        "organ": "Bijzonder comité voor de sociale dienst",
    },
}


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@transaction.atomic
def load_couple_demo(cpas, *, language: str, today: datetime.date) -> int:
    """Adds the couple; returns how many files were added (0 when already there)."""
    lang = "nl" if language == Language.NL else "fr"
    numbers = [nrn_with_check(birth, serial) for (_f, _l, birth), serial in zip(PARTNERS[lang], SERIALS, strict=True)]
    if Beneficiary.objects.for_cpas(cpas).filter(national_number__in=numbers).exists():
        return 0
    team = Team.objects.for_cpas(cpas).order_by("id").first()
    member = Membership.objects.filter(cpas=cpas, role=Role.SOCIAL_WORKER).select_related("user").order_by("id")
    worker = (member.filter(team=team).first() or member.first()) if team else member.first()
    if worker is None:
        return 0
    texts = TEXTS[lang]
    decided = today - _days(150)
    people = []
    for (first, last, birth), number in zip(PARTNERS[lang], numbers, strict=True):
        person = Beneficiary.objects.create(
            cpas=cpas, first_name=first, last_name=last, birth_date=birth, national_number=number,
            language=language, social_worker=worker.user, team=team,
        )  # fmt: skip
        decision = RiDecision.objects.create(
            cpas=cpas, beneficiary=person, category=RiCategory.FAMILY, requested_on=decided - _days(20),
            decided_on=decided, notified_on=decided + _days(3), start_on=decided,
            monthly_amount=ri_monthly_amount(int(RiCategory.FAMILY), on=decided),
        )  # fmt: skip
        people.append((person, decision))
    for (person, _decision), (other, _other_decision) in zip(people, people[::-1], strict=True):
        HouseholdMember.objects.create(
            cpas=cpas, beneficiary=person, name=f"{other.first_name} {other.last_name}",
            relation=HouseholdRelation.PARTNER, birth_date=other.birth_date,
        )  # fmt: skip
    # The second partner is exempted from the PIIS for health reasons (R9); the first concluded one four months ago.
    exempted = people[1][0]
    Exemption.objects.create(
        cpas=cpas, beneficiary=exempted, ground="health", motivation=texts["exemption"],
        decided_on=decided + _days(10), decided_by=texts["organ"], start_on=decided + _days(10),
        review_on=today + _days(60),
    )  # fmt: skip
    person, decision = people[0]
    signed, handed = today - _days(120), today - _days(130)
    assessment = NeedsAssessment.objects.create(
        cpas=cpas, beneficiary=person, assessed_on=decided - _days(5), own_words=texts["own_words"], author=worker.user
    )  # fmt: skip
    need = AssessmentItem.objects.create(
        cpas=cpas, assessment=assessment, domain="training", kind="need", text=texts["need"]
    )
    contract = Contract.objects.create(
        cpas=cpas, beneficiary=person, ri_decision=decision, assessment=assessment, orientations=["professional"],
        status=ContractStatus.IN_FORCE, social_worker=worker.user, start_on=signed, end_on=signed + _days(365),
        signed_on=signed,
    )  # fmt: skip
    objective = Objective.objects.create(
        cpas=cpas, contract=contract, title=texts["objective"], observable_result=texts["result"],
        due_on=signed + _days(240),
    )  # fmt: skip
    objective.assessment_items.add(need)
    clauses = (
        ("beneficiary", "training", texts["clause"], "beneficiary"),
        ("cpas", "cost_coverage", texts["support"], "cpas"),
    )
    for order, (party, kind, text, by) in enumerate(clauses, start=1):
        Clause.objects.create(
            cpas=cpas, contract=contract, objective=objective, party=party, kind=kind, text=text, proposed_by=by,
            in_force_from=signed, order=order,
        )  # fmt: skip
    version = ContractVersion.objects.create(
        cpas=cpas, contract=contract, number=1, kind=VersionKind.INITIAL, language=language,
        snapshot=contract_snapshot(contract), handed_over_on=handed, handed_over_by=worker.user,
        information_given_on=handed, information_given_by=worker.user, rights_given=["assistance", "reflection"],
        assistance=AssistanceChoice.DECLINED, concluded_on=signed,
    )  # fmt: skip
    Signature.objects.create(
        cpas=cpas, version=version, party="beneficiary", signer_name=f"{person.first_name} {person.last_name}",
        signed_on=signed, method="paper", recorded_by=worker.user,
    )  # fmt: skip
    for line in required_cpas_signatories(cpas=cpas):
        Signature.objects.create(
            cpas=cpas, version=version, party="cpas", signatory=line, signer_name=line.holder_name,
            signed_on=signed, method="paper", recorded_by=worker.user,
        )  # fmt: skip
    return len(people)
