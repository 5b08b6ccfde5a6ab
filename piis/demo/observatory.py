"""Demo data for the observatory: two years of concluded PIIS in the second team, so that its charts show numbers.

The thirty demo files of the first team conclude too few PIIS a quarter for any figure to pass the observatory's
suppression (fewer than five people). This adds, per CPAS, `FILES` files followed by the second team's social worker
(who otherwise has none), each with a PIIS concluded between three weeks and two years ago (about five a quarter):
clauses from a small clause library, kept or edited, proposed by the person or the CPAS, some contested, a few in an
intimate domain; commitments due and delivered or not; a version handed over and signed, some after a second draft,
some with an assistant. Rows are written directly (no audit rows: the demo's history starts with these PIIS in force);
idempotent (nothing is added once the second worker has files); works on SQLite.
"""

import datetime
import random
from typing import TypedDict

from django.db import transaction
from faker import Faker

from piis.accounts.enums import Language, Role
from piis.accounts.models import Membership, Team
from piis.accounts.selectors import required_cpas_signatories
from piis.cases.models import AssessmentItem, Beneficiary, NeedsAssessment, RiDecision
from piis.cases.validators import nrn_with_check
from piis.contracts.enums import AssistanceChoice, CommitmentStatus, ContractStatus, EndReason, VersionKind
from piis.contracts.models import Clause, ClauseTemplate, Contract, ContractVersion, Objective, Signature
from piis.contracts.snapshot import contract_snapshot
from piis.rules import earliest_signature_date

FILES = 40


class _Texts(TypedDict):
    own_words: str
    aspiration: str
    need: str
    obstacle: str
    objective: tuple[str, str]  # title, observable result
    templates: list[tuple[str, str, str, str]]  # title, kind, party, text
    own: list[str]
    edit: str
    health: str


TEXTS: dict[str, _Texts] = {
    "fr": {
        "own_words": "Je voudrais un travail stable, près de chez moi.",
        "aspiration": "Travailler dans la logistique",
        "need": "Un permis de conduire",
        "obstacle": "Pas de garde pour les enfants le matin",
        "objective": ("Obtenir le permis de conduire", "Réussite de l'examen théorique"),
        "templates": [
            ("Recherche d'emploi", "job_search", "beneficiary",
             "Je m'inscris chez Actiris ou au Forem et je réponds chaque mois à au moins quatre offres d'emploi."),
            ("Frais de formation", "cost_coverage", "cpas",
             "Le CPAS prend en charge les frais d'inscription et de transport liés à la formation convenue."),
            ("Accompagnement", "cpas_support", "cpas",
             "Le CPAS désigne une assistante sociale de référence et organise un entretien chaque mois."),
        ],
        "own": [
            "Je m'inscris à l'auto-école du quartier et je suis les cours théoriques du mardi.",
            "Je cherche une place de crèche avec l'aide de la maison de quartier.",
            "Je prépare un curriculum vitae avec le service d'insertion et je l'envoie à trois entrepôts.",
            "Je participe à l'atelier de néerlandais deux fois par semaine.",
        ],
        "edit": " Les frais de garde pendant la formation sont aussi pris en charge.",
        "health": "Je prends rendez-vous avec un médecin pour un bilan de santé.",
    },
    "nl": {
        "own_words": "Ik wil vast werk, dicht bij huis.",
        "aspiration": "Werken in de logistiek",
        "need": "Een rijbewijs",
        "obstacle": "Geen opvang voor de kinderen 's ochtends",
        "objective": ("Het rijbewijs halen", "Geslaagd voor het theorie-examen"),
        "templates": [
            ("Werk zoeken", "job_search", "beneficiary",
             "Ik schrijf mij in bij VDAB en ik reageer elke maand op minstens vier vacatures."),
            ("Opleidingskosten", "cost_coverage", "cpas",
             "Het OCMW betaalt het inschrijvingsgeld en de verplaatsingskosten van de afgesproken opleiding."),
            ("Begeleiding", "cpas_support", "cpas",
             "Het OCMW duidt een vaste maatschappelijk werker aan en plant elke maand een gesprek."),
        ],
        "own": [
            "Ik schrijf mij in bij de rijschool in de buurt en volg de theorielessen op dinsdag.",
            "Ik zoek een plaats in de kinderopvang met hulp van het buurthuis.",
            "Ik maak een cv met de trajectbegeleider en stuur het naar drie magazijnen.",
            "Ik volg twee keer per week de les Nederlands.",
        ],
        "edit": " Ook de kosten van kinderopvang tijdens de opleiding worden betaald.",
        "health": "Ik maak een afspraak met een arts voor een gezondheidscheck.",
    },
}  # fmt: skip


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@transaction.atomic
def load_observatory_demo(cpas, *, language: str, today: datetime.date, seed: int) -> int:
    """Adds the files and their PIIS; returns how many files were added (0 when already there)."""
    team = Team.objects.for_cpas(cpas).order_by("id")[1:2].first()
    worker = (
        Membership.objects.filter(cpas=cpas, role=Role.SOCIAL_WORKER, team=team).select_related("user").first()
        if team
        else None
    )
    if worker is None or Beneficiary.objects.for_cpas(cpas).filter(social_worker=worker.user).exists():
        return 0
    texts = TEXTS["nl" if language == Language.NL else "fr"]
    rng = random.Random(f"observatory-{seed}")
    fake = Faker("nl_BE" if language == Language.NL else "fr_BE")
    fake.seed_instance(seed + 500)
    templates = [
        ClauseTemplate.objects.get_or_create(
            cpas=cpas, title=title, defaults={"kind": kind, "party": party, "language": language, "text": text}
        )[0]
        for title, kind, party, text in texts["templates"]
    ]
    signatories = required_cpas_signatories(cpas=cpas)
    taken = set(Beneficiary.objects.for_cpas(cpas).values_list("national_number", flat=True))
    for index in range(FILES):
        birth = datetime.date(1965, 1, 1) + _days(rng.randrange(0, 15000))
        serial = 500 + index
        number = nrn_with_check(birth, serial)
        while number in taken:
            serial += 1
            number = nrn_with_check(birth, serial % 997 + 1)
        taken.add(number)
        person = Beneficiary.objects.create(
            cpas=cpas,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            birth_date=birth,
            national_number=number,
            language=language,
            social_worker=worker.user,
            team=team,
        )
        # Concluded between three weeks and two years ago: about five PIIS a quarter.
        signed = today - _days(21 + index * 18 + rng.randrange(0, 10))
        handed = signed - _days(6 + rng.choice([0, 0, 1, 3, 8]))
        if earliest_signature_date(handed) > signed:
            handed = signed - _days(6)
        decided = handed - _days(rng.randrange(10, 60))
        decision = RiDecision.objects.create(
            cpas=cpas, beneficiary=person, category=rng.choice([1, 2, 3]), requested_on=decided - _days(20),
            decided_on=decided, notified_on=decided + _days(3), start_on=decided, monthly_amount="1314.20",
        )  # fmt: skip
        assessment = NeedsAssessment.objects.create(
            cpas=cpas, beneficiary=person, assessed_on=decided - _days(5), own_words=texts["own_words"],
            author=worker.user,
        )  # fmt: skip
        items = {
            kind: AssessmentItem.objects.create(
                cpas=cpas, assessment=assessment, domain="employment", kind=kind, text=text
            )
            for kind, text in (
                ("aspiration", texts["aspiration"]),
                ("need", texts["need"]),
                ("obstacle", texts["obstacle"]),
            )
        }
        ended = index % 9 == 8 and signed + _days(180) < today
        contract = Contract.objects.create(
            cpas=cpas, beneficiary=person, ri_decision=decision, assessment=assessment, orientations=["professional"],
            status=ContractStatus.ENDED if ended else ContractStatus.IN_FORCE, social_worker=worker.user,
            start_on=signed, end_on=signed + _days(365), signed_on=signed,
            ended_on=signed + _days(180) if ended else None, end_reason=EndReason.RI_ENDED if ended else "",
        )  # fmt: skip
        objective = Objective.objects.create(
            cpas=cpas, contract=contract, title=texts["objective"][0], observable_result=texts["objective"][1],
            due_on=signed + _days(240),
        )  # fmt: skip
        # Most objectives answer the person's aspiration or need; some only an obstacle.
        objective.assessment_items.add(
            items["obstacle"] if index % 4 == 3 else items[rng.choice(["aspiration", "need"])]
        )
        order = 0
        for template in templates:
            edited = template.party == "cpas" and rng.random() < 0.4
            order += 1
            Clause.objects.create(
                cpas=cpas, contract=contract, objective=objective, party=template.party, kind=template.kind,
                text=template.text + (texts["edit"] if edited else ""), template=template,
                template_text=template.text, proposed_by="cpas",
                position="contested" if template.party == "beneficiary" and index % 5 == 0 else "agreed",
                due_on=signed + _days(45), in_force_from=signed, order=order,
                **_delivery(rng, signed + _days(45), today, cpas_side=template.party == "cpas"),
            )  # fmt: skip
        own_text = texts["own"][index % len(texts["own"])]
        Clause.objects.create(
            cpas=cpas, contract=contract, objective=objective, party="beneficiary", kind="training", text=own_text,
            proposed_by="beneficiary" if rng.random() < 0.6 else "cpas", due_on=signed + _days(60),
            in_force_from=signed, order=order + 1, **_delivery(rng, signed + _days(60), today, cpas_side=False),
        )  # fmt: skip
        if index % 7 == 0:
            Clause.objects.create(
                cpas=cpas, contract=contract, party="beneficiary", kind="health", text=texts["health"],
                proposed_by="cpas", position="reservation", in_force_from=signed, order=order + 2,
            )  # fmt: skip
        if index % 6 == 0:  # a first draft withdrawn at the person's request
            ContractVersion.objects.create(
                cpas=cpas, contract=contract, number=1, kind=VersionKind.INITIAL, language=language,
                snapshot=contract_snapshot(contract), handed_over_on=handed - _days(10), handed_over_by=worker.user,
                superseded=True,
            )  # fmt: skip
        version = ContractVersion.objects.create(
            cpas=cpas, contract=contract, number=2 if index % 6 == 0 else 1, kind=VersionKind.INITIAL,
            language=language, snapshot=contract_snapshot(contract), handed_over_on=handed,
            handed_over_by=worker.user, information_given_on=handed, information_given_by=worker.user,
            rights_given=["assistance", "reflection"],
            assistance=AssistanceChoice.ASSISTED if index % 3 == 0 else AssistanceChoice.DECLINED,
            assisted_by=fake.name() if index % 3 == 0 else "", concluded_on=signed,
        )  # fmt: skip
        Signature.objects.create(
            cpas=cpas, version=version, party="beneficiary", signer_name=f"{person.first_name} {person.last_name}",
            signed_on=signed, method="paper", recorded_by=worker.user,
        )  # fmt: skip
        for line in signatories:
            Signature.objects.create(
                cpas=cpas, version=version, party="cpas", signatory=line, signer_name=line.holder_name,
                signed_on=signed, method="paper", recorded_by=worker.user,
            )  # fmt: skip
    return FILES


def _delivery(rng: random.Random, due: datetime.date, today: datetime.date, *, cpas_side: bool) -> dict:
    """Delivered on time, late or not yet; the CPAS's side a little more often on time than the person's."""
    if due > today:
        return {"delivery_status": CommitmentStatus.PLANNED, "delivery_status_on": None}
    draw = rng.random()
    if draw < (0.7 if cpas_side else 0.55):
        return {"delivery_status": CommitmentStatus.DONE, "delivery_status_on": due - _days(rng.randrange(0, 20))}
    if draw < 0.85:
        return {"delivery_status": CommitmentStatus.DONE, "delivery_status_on": min(due + _days(15), today)}
    return {"delivery_status": CommitmentStatus.NOT_DONE, "delivery_status_on": due + _days(1)}
