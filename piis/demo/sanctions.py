"""Demo sanction procedures: a dossier at each stage before the council in each demo CPAS, through the services
(so the audit trail, the checklist and the letters are those of real use). Idempotent: a CPAS that has dossiers is
left alone. Dates are relative to `today`. The council's part (sittings, decisions) is added by its own loader.

Stages, over the PIIS in force whose person's commitment may ground a sanction (in order): a breach just reported;
a notice sent and not yet delivered; a notice delivered with the answer being gathered; a dossier ready for the
council; one closed because the person had a legitimate reason. A file whose CPAS fee is overdue (demo contracts:
every other one) shows the exclusion of R57 in its checklist.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from piis.contracts.enums import ContractStatus
from piis.contracts.models import Clause, Contract
from piis.core.errors import ServiceError
from piis.sanctions import facts, services
from piis.sanctions.models import SanctionDossier

STAGES = ("open", "notice_sent", "preparing", "ready", "closed")

TEXTS = {
    "fr": {
        "facts": "Absent(e) aux séances de formation des trois derniers lundis, sans prévenir le centre ni le CPAS.",
        "answer": "J'ai dû garder mon enfant malade ; je n'avais personne pour m'aider.",
        "assessment": (
            "Pas d'explication pour deux des trois absences ; l'assistante sociale en a parlé avec la personne."
        ),
        "legitimate": "Certificat médical d'hospitalisation couvrant toute la période.",
        "opinion": "La personne reconnaît les absences. Une suspension partielle avec sursis est proposée.",
        "close": "Hospitalisation attestée par certificat : motif légitime, pas de proposition au conseil.",
        "override": (
            "Les frais ont été pris en charge par le centre de formation lui-même : la formation restait accessible."
        ),
    },
    "nl": {
        "facts": "Afwezig op de opleiding de voorbije drie maandagen, zonder het centrum of het OCMW te verwittigen.",
        "answer": "Ik moest voor mijn ziek kind zorgen; ik had niemand om te helpen.",
        "assessment": (
            "Geen uitleg voor twee van de drie afwezigheden; de maatschappelijk werker besprak het met de persoon."
        ),
        "legitimate": "Medisch attest van ziekenhuisopname voor de hele periode.",
        "opinion": "De persoon erkent de afwezigheden. Een gedeeltelijke schorsing met uitstel wordt voorgesteld.",
        "close": "Ziekenhuisopname met attest: wettige reden, geen voorstel aan de raad.",
        "override": "De kosten werden door het opleidingscentrum zelf gedragen: de opleiding bleef toegankelijk.",
    },
}


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _candidates(cpas, today: date) -> list[tuple[Contract, Clause]]:
    """PIIS in force for more than a month, with a commitment of the person that may ground a breach."""
    rows = []
    contracts = (
        Contract.objects.for_cpas(cpas)
        .filter(status=ContractStatus.IN_FORCE, signed_on__lte=today - _days(35))
        .select_related("beneficiary", "social_worker")
        .order_by("pk")
    )
    for contract in contracts:
        clauses = facts.breachable_clauses(contract)
        if clauses:
            rows.append((contract, clauses[0]))
    return rows


def _stage(contract, clause, stage: str, today: date, texts: dict) -> SanctionDossier | None:
    actor = contract.social_worker
    breach_on = max(contract.signed_on + _days(7), today - _days(12))
    try:
        dossier = services.dossier_open(actor=actor, contract=contract, clause=clause, breach_on=breach_on,
                                        facts_text=texts["facts"])  # fmt: skip
    except ServiceError:
        return None
    if stage == "open":
        return dossier
    sent = min(breach_on + _days(2), today)
    services.notice_prepare(actor=actor, dossier=dossier, comply_by=today + _days(7),
                            language=contract.beneficiary.language)  # fmt: skip
    services.notice_send(actor=actor, dossier=dossier, sent_on=sent)
    services.hearing_right_notified(actor=actor, dossier=dossier, notified_on=sent, reply_by=today + _days(7))
    if stage == "notice_sent":
        return dossier
    services.notice_delivered(actor=actor, dossier=dossier, delivered_on=min(sent + _days(2), today),
                              method="registered")  # fmt: skip
    services.answer_record(actor=actor, dossier=dossier, kind="written", answered_on=today,
                           answer_text=texts["answer"], legitimate_reason_invoked=True)  # fmt: skip
    if stage == "preparing":
        services.commitments_check(actor=actor, dossier=dossier)  # an overdue CPAS fee shows the exclusion (R57)
        return dossier
    legitimate = stage == "closed"
    services.legitimate_reason_answer(actor=actor, dossier=dossier, found=legitimate,
                                      assessment=texts["legitimate" if legitimate else "assessment"])  # fmt: skip
    if legitimate:
        services.dossier_close(actor=actor, dossier=dossier, reason="legitimate_reason", note=texts["close"])
        return dossier
    services.hearing_answer(actor=actor, dossier=dossier, answer="declined")
    services.commitments_check(actor=actor, dossier=dossier)
    if facts.unmet_tied_commitments(dossier):
        services.commitments_override(actor=actor, dossier=dossier, motivation=texts["override"])
    services.opinion_record(actor=actor, dossier=dossier, opinion=texts["opinion"], proposal="deferred_suspension",
                            months=facts.sanction_cap(dossier).max_months, share=None)  # fmt: skip
    dossier.refresh_from_db()
    if dossier.recent_piis_on is None:
        services.dossier_mark_ready(actor=actor, dossier=dossier)
    return dossier


@transaction.atomic
def load_sanctions_demo(cpas, *, language: str = "fr", today: date | None = None) -> dict[str, int]:
    """One dossier per stage before the council (as many as there are PIIS in force to carry them)."""
    today = today or timezone.localdate()
    if SanctionDossier.objects.for_cpas(cpas).exists():
        return {}
    texts = TEXTS["nl" if language == "nl" else "fr"]
    made: dict[str, int] = {}
    for (contract, clause), stage in zip(_candidates(cpas, today), STAGES, strict=False):
        if _stage(contract, clause, stage, today, texts) is not None:
            made[stage] = made.get(stage, 0) + 1
    return made
