"""A dossier ready for the council, built through the services of the procedure (sanct1's part), and a sitting
planned on it through the council's services: the arrange step of the council's tests and e2e."""

import datetime
from decimal import Decimal

from piis.contracts.enums import CommitmentStatus
from piis.sanctions import services, services_council
from tests.factories import make_member
from tests.followup.builders import at
from tests.sanctions.builders import in_force_contract

D = datetime.date
BREACH = D(2026, 4, 20)
SITTING = D(2026, 5, 20)


def ready_dossier(cpas, *, breach_on=BREACH, worker=None, contract=None):
    """A dossier on a breach of `breach_on` taken through every step (spring 2026 dates shifted with the breach)
    and marked ready. The CPAS's commitment is delivered, so nothing excludes the sanction."""
    contract = contract or in_force_contract(cpas, worker=worker)
    contract.cpas_commitment.delivery_status = CommitmentStatus.DONE
    contract.cpas_commitment.delivery_status_on = D(2026, 3, 20)
    contract.cpas_commitment.save()
    actor = contract.social_worker
    shift = breach_on - D(2026, 4, 20)

    def day(m, d):
        return D(2026, m, d) + shift

    with at(day(4, 22)):
        dossier = services.dossier_open(
            actor=actor,
            contract=contract,
            clause=contract.breached,
            breach_on=breach_on,
            facts_text="Absent trois lundis sans prévenir.",
        )
    with at(day(4, 23)):
        services.notice_prepare(actor=actor, dossier=dossier, comply_by=day(5, 8), language="fr")
        services.notice_send(actor=actor, dossier=dossier, sent_on=day(4, 23))
        services.hearing_right_notified(actor=actor, dossier=dossier, notified_on=day(4, 23), reply_by=day(5, 8))
    with at(day(4, 27)):
        services.notice_delivered(actor=actor, dossier=dossier, delivered_on=day(4, 25), method="registered")
    with at(day(5, 4)):
        services.answer_record(
            actor=actor,
            dossier=dossier,
            kind="written",
            answered_on=day(5, 4),
            answer_text="J'étais malade.",
            legitimate_reason_invoked=True,
        )
        services.legitimate_reason_answer(
            actor=actor, dossier=dossier, found=False, assessment="Aucun certificat pour ces lundis."
        )
        services.hearing_answer(actor=actor, dossier=dossier, answer="declined")
    with at(day(5, 12)):
        services.commitments_check(actor=actor, dossier=dossier)
        services.opinion_record(
            actor=actor,
            dossier=dossier,
            opinion="Absences sans motif.",
            proposal="suspension",
            months=Decimal("1"),
            share=Decimal("0.5"),
        )
        if dossier.recent_piis_on is not None:
            lead = make_member(cpas, "team_lead").user
            services.recent_piis_review(actor=lead, dossier=dossier, note="Contrat antérieur, rien d'anormal.")
        services.dossier_mark_ready(actor=actor, dossier=dossier)
    return dossier


def sitting_with(cpas, dossier, *, sits_on=SITTING, secretary=None, members=()):
    secretary = secretary or make_member(cpas, "council_secretary").user
    with at(sits_on - datetime.timedelta(days=5)):
        sitting = services_council.sitting_plan(
            actor=secretary,
            cpas=cpas,
            organ="special_committee",
            sits_on=sits_on,
            place="Salle du conseil",
            members=members,
        )
        item = services_council.item_add_dossier(actor=secretary, sitting=sitting, dossier=dossier)
    return sitting, item, secretary


def suspension(**kwargs) -> services_council.DecisionInput:
    defaults = {
        "outcome": "partial_suspension",
        "motivation": "Trois absences sans motif légitime malgré la mise en demeure.",
        "labour_court": "Tribunal du travail de Liège",
        "letter_language": "fr",
        "months": Decimal("1"),
        "share": Decimal("0.5"),
        "start_on": D(2026, 7, 1),
    }
    return services_council.DecisionInput(**{**defaults, **kwargs})
