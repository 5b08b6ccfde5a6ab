"""Demo data of issue 5, file side: RI decisions, earlier periods, exemptions, households, assistants and needs
assessments, in realistic states relative to the day the demo is loaded. Idempotent: a file that already has an
RI decision is left alone."""

import datetime
import random

from faker import Faker

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Beneficiary,
    Exemption,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
)
from piis.cases.services import RECORD_EVENTS, record_saved_event
from piis.rules import ri_monthly_amount


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# Texts in the CPAS's language: the demo should read like a real file in Namur-like or Ghent-like CPAS.
TEXTS = {
    "fr": {
        "own_words": [
            "Je voudrais trouver un travail stable, idéalement dans la vente ou la logistique.",
            "J'aimerais reprendre une formation et mieux parler néerlandais.",
            "Je veux d'abord régler mes dettes et trouver un logement plus grand pour mes enfants.",
            "Mon rêve est de devenir aide-soignante.",
        ],
        "items": [
            ("employment", "aspiration", "Travailler dans la vente"),
            ("training", "need", "Obtenir un certificat de compétences en logistique"),
            ("language", "need", "Cours de néerlandais niveau A2"),
            ("administration", "obstacle", "Courriers administratifs difficiles à comprendre"),
            ("housing", "need", "Logement trop petit pour la famille"),
            ("debt", "obstacle", "Dettes d'énergie en cours"),
            ("employment", "strength", "Expérience de trois ans comme caissière"),
            ("social_participation", "aspiration", "Rejoindre un club de football"),
        ],
        "health": ("health", "obstacle", "Mal de dos chronique qui limite le port de charges"),
        "justification": "Nécessaire pour adapter le projet professionnel (pas de port de charges).",
        "exemption": "Opération prévue et plusieurs mois de convalescence.",
        "organ": "Comité spécial du service social",
        "friend": "Amie de la famille",
    },
    "nl": {
        "own_words": [
            "Ik wil graag vast werk vinden, het liefst in de logistiek.",
            "Ik wil een opleiding volgen en beter Nederlands spreken.",
            "Eerst wil ik mijn schulden afbetalen en een grotere woning vinden voor mijn kinderen.",
            "Mijn droom is zorgkundige worden.",
        ],
        "items": [
            ("employment", "aspiration", "Werken in de logistiek"),
            ("training", "need", "Heftruckattest behalen"),
            ("language", "need", "Cursus Nederlands niveau A2"),
            ("administration", "obstacle", "Moeilijke brieven van de overheid"),
            ("housing", "need", "Woning te klein voor het gezin"),
            ("debt", "obstacle", "Achterstallige energierekeningen"),
            ("employment", "strength", "Drie jaar ervaring als kassierster"),
            ("social_participation", "aspiration", "Lid worden van een voetbalclub"),
        ],
        "health": ("health", "obstacle", "Chronische rugpijn, geen zware lasten"),
        "justification": "Nodig om het beroepsproject aan te passen (geen zware lasten).",
        "exemption": "Geplande operatie en enkele maanden herstel.",
        "organ": "Bijzonder comité voor de sociale dienst",
        "friend": "Vriendin van de familie",
    },
}


def _save(cpas, instance, beneficiary):
    # What a worker would have done: recorded a new record of the file, or a needs assessment with its items.
    recorded = type(instance) in RECORD_EVENTS
    verb = record_saved_event(instance) if recorded else AuditVerb.NEEDS_ASSESSMENT_RECORDED
    return audited_save(
        actor=None, cpas=cpas, verb=verb, instance=instance, context="demo_data", beneficiary_id=beneficiary.pk
    )


def _ri_decision(cpas, beneficiary, rng, today, index) -> RiDecision:
    # Spread the decisions over the last 14 months so that every obligation state appears: some deadlines ahead,
    # some just passed, some long concluded.
    decided = today - _days(5 + (index * 53 + rng.randrange(0, 20)) % 420)
    category = rng.choice([1, 2, 2, 3])
    return _save(
        cpas,
        RiDecision(
            cpas=cpas,
            beneficiary=beneficiary,
            category=category,
            requested_on=decided - _days(rng.randrange(7, 30)),
            decided_on=decided,
            notified_on=decided + _days(rng.randrange(1, 6)),
            start_on=decided - _days(rng.randrange(0, 20)),
            monthly_amount=ri_monthly_amount(category, on=decided),
            employed_with_top_up=index % 11 == 5,
        ),
        beneficiary,
    )


def _history(cpas, beneficiary, decision, rng, index, texts) -> None:
    if index % 4 == 1:  # an earlier RI period: some are "new beneficiaries" again, some not
        end = decision.start_on - _days(rng.choice([20, 60, 200]))
        _save(
            cpas,
            IncomePeriod(cpas=cpas, beneficiary=beneficiary, kind="ri", start_on=end - _days(180), end_on=end),
            beneficiary,
        )
    if index % 7 == 3:
        _save(
            cpas,
            Exemption(
                cpas=cpas,
                beneficiary=beneficiary,
                ground="health",
                motivation=texts["exemption"],
                decided_on=decision.decided_on,
                decided_by=texts["organ"],
                start_on=decision.decided_on,
                review_on=decision.decided_on + _days(60),
                end_on=decision.decided_on + _days(120),
            ),
            beneficiary,
        )


def _household(cpas, beneficiary, fake, rng, index, texts) -> None:
    if index % 3 == 0:
        for _ in range(rng.randrange(1, 3)):
            child = HouseholdMember(
                cpas=cpas,
                beneficiary=beneficiary,
                name=fake.first_name(),
                relation="child",
                birth_date=datetime.date(2012, 1, 1) + _days(rng.randrange(0, 3000)),
            )
            _save(cpas, child, beneficiary)
    if index % 5 == 2:
        helper = Assistant(
            cpas=cpas,
            beneficiary=beneficiary,
            name=fake.name(),
            relationship=texts["friend"],
            may_receive_file_data=index % 10 == 2,
        )
        _save(cpas, helper, beneficiary)


def _assessment(cpas, beneficiary, decision, author, rng, index, texts) -> NeedsAssessment | None:
    if index % 6 == 0 and index % 12 != 0:
        return None  # a few files still wait for their needs assessment
    assessed = max(decision.requested_on, decision.decided_on - _days(rng.randrange(0, 5)))
    assessment = _save(
        cpas,
        NeedsAssessment(
            cpas=cpas,
            beneficiary=beneficiary,
            assessed_on=assessed,
            own_words=rng.choice(texts["own_words"]),
            author=author,
        ),
        beneficiary,
    )
    for domain, kind, text in rng.sample(texts["items"], 4):
        _save(cpas, AssessmentItem(cpas=cpas, assessment=assessment, domain=domain, kind=kind, text=text), beneficiary)
    if index % 8 == 4:  # a sensitive domain, recorded with justification and consent (S-Dom 16)
        domain, kind, text = texts["health"]
        _save(
            cpas,
            AssessmentItem(
                cpas=cpas,
                assessment=assessment,
                domain=domain,
                kind=kind,
                text=text,
                justification=texts["justification"],
                consent_given=True,
            ),
            beneficiary,
        )
    return assessment


def load_cases_demo(cpas, *, language: str, seed: int, today: datetime.date) -> int:
    """RI decisions and the rest for every demo file of `cpas` that has none yet; returns how many files got one."""
    fake = Faker("nl_BE" if language == "nl" else "fr_BE")
    fake.seed_instance(seed)
    texts = TEXTS["nl" if language == "nl" else "fr"]
    done = 0
    files = Beneficiary.objects.for_cpas(cpas).select_related("social_worker").order_by("national_number")
    for index, beneficiary in enumerate(files):
        rng = random.Random(f"{seed}-{beneficiary.national_number}")
        if beneficiary.ri_decisions.exists():
            continue
        decision = _ri_decision(cpas, beneficiary, rng, today, index)
        _history(cpas, beneficiary, decision, rng, index, texts)
        _household(cpas, beneficiary, fake, rng, index, texts)
        _assessment(cpas, beneficiary, decision, beneficiary.social_worker, rng, index, texts)
        done += 1
    return done
