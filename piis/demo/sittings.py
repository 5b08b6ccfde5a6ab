"""Demo data of the council's part (issue 11, sanct2): in each demo CPAS, a sitting held today with its minutes
closed — the dossier the procedure demo left ready for the council, decided as a partial suspension partly deferred
and notified, and a refusal to sign heard and decided — and a sitting planned next week for the members' home page.
Idempotent: nothing is added to a CPAS that already has a sitting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from piis.accounts.enums import Role
from piis.accounts.models import Membership
from piis.cases.models import Beneficiary
from piis.core.errors import ServiceError
from piis.sanctions import facts, services_council
from piis.sanctions.models import CouncilSitting
from piis.sanctions.selectors import dossiers_ready

TEXTS = {
    "fr": {
        "place": "Salle du conseil, 1er étage",
        "motivation": (
            "Trois absences à la formation sans motif légitime malgré la mise en demeure. Le comité suspend la "
            "moitié du revenu d'intégration pendant un mois et sursoit à la moitié de cette suspension pour laisser "
            "à la personne le temps de reprendre la formation."
        ),
        "court": "Tribunal du travail de Liège, division Liège",
        "reasons": "La personne refuse de signer : elle ne veut pas d'un projet centré sur la recherche d'emploi.",
        "refusal": "Après l'audition, le conseil constate le refus et demande une nouvelle proposition négociée.",
        "minutes": "Le conseil a entendu la personne, assistée d'une déléguée syndicale.",
        "present": "Présidente, deux conseillers, la secrétaire",
    },
    "nl": {
        "place": "Raadzaal, eerste verdieping",
        "motivation": (
            "Drie keer afwezig op de opleiding zonder wettige reden ondanks de ingebrekestelling. Het comité schorst "
            "de helft van het leefloon gedurende een maand, met uitstel voor de helft van die schorsing."
        ),
        "court": "Arbeidsrechtbank Antwerpen, afdeling Antwerpen",
        "reasons": "De persoon weigert te tekenen: hij wil geen project dat enkel op werk zoeken gericht is.",
        "refusal": "Na het verhoor stelt de raad de weigering vast en vraagt een nieuw onderhandeld voorstel.",
        "minutes": "De raad hoorde de persoon, bijgestaan door een vakbondsafgevaardigde.",
        "present": "Voorzitter, twee raadsleden, de secretaris",
    },
}


def _member(cpas, role):
    row = Membership.objects.filter(cpas=cpas, role=role, is_active=True).select_related("user").first()
    return row.user if row is not None else None


@transaction.atomic
def load_sittings_demo(cpas, *, language: str = "fr", today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    if CouncilSitting.objects.for_cpas(cpas).exists():
        return {}
    secretary = _member(cpas, Role.COUNCIL_SECRETARY)
    if secretary is None:
        return {}
    members = [m.user for m in Membership.objects.filter(cpas=cpas, role=Role.COUNCIL_MEMBER, is_active=True)]
    texts = TEXTS["nl" if language == "nl" else "fr"]
    sitting = services_council.sitting_plan(
        actor=secretary, cpas=cpas, organ="special_committee", sits_on=today, place=texts["place"], members=members
    )
    made = {"sittings": 1, "decisions": 0}
    dossier = dossiers_ready(cpas=cpas).first()
    if dossier is not None:
        item = services_council.item_add_dossier(actor=secretary, sitting=sitting, dossier=dossier)
        cap = facts.sanction_cap(dossier)
        window = facts.start_window(decided_on=today, notified_on=today)
        given = services_council.DecisionInput(
            outcome="partial_suspension",
            motivation=texts["motivation"],
            labour_court=texts["court"],
            letter_language=dossier.beneficiary.language,
            months=min(Decimal(1), cap.max_months),
            share=Decimal("0.5"),
            deferral="partial",
            deferred_share=Decimal("0.5"),
            probation_end=today + timedelta(days=180),
            start_on=window.default,
        )
        try:
            decision = services_council.decision_record(actor=secretary, item=item, given=given)
            services_council.decision_notified(
                actor=secretary,
                decision=decision,
                letter_sent_on=today,
                delivery_method="handed_over",
                notified_on=today,
            )
            made["decisions"] += 1
        except ServiceError:
            services_council.item_remove(actor=secretary, item=item)
    person = Beneficiary.objects.for_cpas(cpas).exclude(pk__in=sitting.items.values("beneficiary_id")).first()
    if person is not None:
        item = services_council.item_add_matter(
            actor=secretary,
            sitting=sitting,
            kind="refusal_to_sign",
            beneficiary=person,
            person_reasons=texts["reasons"],
        )
        services_council.item_hearing(
            actor=secretary,
            item=item,
            right_notified_on=today - timedelta(days=10),
            answer="asked",
            held_on=today,
            attendees=texts["present"],
            assistant="—",
            minutes=texts["minutes"],
        )
        item.refresh_from_db()
        services_council.decision_record(
            actor=secretary,
            item=item,
            given=services_council.DecisionInput(
                outcome="rejected",
                motivation=texts["refusal"],
                labour_court=texts["court"],
                letter_language=person.language,
            ),
        )
        made["decisions"] += 1
    services_council.minutes_close(actor=secretary, sitting=sitting, present=texts["present"])
    services_council.sitting_plan(
        actor=secretary,
        cpas=cpas,
        organ="special_committee",
        sits_on=today + timedelta(days=7),
        place=texts["place"],
        members=members,
    )
    made["sittings"] += 1
    return made
