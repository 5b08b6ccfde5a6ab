"""Reads of the non-compliance procedure: fetch-and-authorise (404 outside the CPAS or the permission), the
"ready for the council" checklist, the commitments to check, and the dated steps for the person's timeline and
the agenda."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.contracts.enums import Party
from piis.contracts.models import Clause
from piis.core.errors import error_message
from piis.sanctions import facts
from piis.sanctions.enums import ACTIVE_STATUSES, AnswerKind, DossierStatus, HearingAnswer
from piis.sanctions.models import SanctionDossier
from piis.sanctions.perms import can_view_dossier

_RELATED = ("beneficiary", "contract", "breach__clause", "opened_by")
_ONE_TO_ONE = ("notice", "answer", "commitment_check", "opinion", "hearing")


def _with_steps(qs: QuerySet) -> QuerySet:
    return qs.select_related(*_RELATED).prefetch_related(
        "evidence", "commitment_check__lines", "notice", "answer", "opinion", "hearing"
    )


def _one(dossier: SanctionDossier, name: str):
    """A one-to-one step of the dossier, or None when it is not recorded yet."""
    return getattr(dossier, name, None)


def dossier_get_for_user(*, membership, pk: int, context: str = "", audit: bool = True) -> SanctionDossier:
    """The dossier, inside the membership's CPAS, when the member may see it (perms.can_view_dossier): 404 otherwise.
    The read is audited on the person's file (SANCTION_DOSSIER_OPENED)."""
    if membership is None:
        raise Http404
    try:
        dossier = _with_steps(SanctionDossier.objects.for_cpas(membership.cpas_id)).get(pk=pk)
    except SanctionDossier.DoesNotExist:
        raise Http404 from None
    if not can_view_dossier(membership, dossier):
        raise Http404
    if audit:
        record(actor=membership.user, cpas=membership.cpas, verb=AuditVerb.SANCTION_DOSSIER_OPENED, target=dossier,
               beneficiary_id=dossier.beneficiary_id, context=context)  # fmt: skip
    return dossier


def dossier_list(*, membership, active_only: bool = False, context: str = "", audit: bool = True) -> list:
    """The dossiers the member may see (bounded queries), newest first; the page's read is one audit row."""
    qs = SanctionDossier.objects.for_cpas(membership.cpas_id).select_related(
        "beneficiary", "contract", "breach", "notice"
    )
    if active_only:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    rows = [d for d in qs if can_view_dossier(membership, d)]
    if audit:
        record_people_shown(
            actor=membership.user, cpas=membership.cpas, beneficiary_ids=[d.beneficiary_id for d in rows],
            context=context, verb=AuditVerb.SANCTION_DOSSIER_LIST_OPENED,
        )  # fmt: skip
    return rows


def dossiers_for_file(*, membership, beneficiary) -> list[SanctionDossier]:
    """The person's dossiers the member may see (the file page's section; its read is the file's own audit row),
    with what their timeline reads (the breach and the one-to-one steps) in one query; their file is `beneficiary`."""
    qs = (
        SanctionDossier.objects.for_cpas(membership.cpas_id)
        .filter(beneficiary=beneficiary)
        .select_related("contract", "breach", *_ONE_TO_ONE)
    )
    dossiers = list(qs)
    for dossier in dossiers:
        dossier.beneficiary = beneficiary
    return [d for d in dossiers if can_view_dossier(membership, d)]


def dossiers_ready(*, cpas) -> QuerySet:
    """The dossiers ready for the council (what a sitting's agenda may take; sanct2)."""
    return (
        SanctionDossier.objects.for_cpas(cpas)
        .filter(status=DossierStatus.READY)
        .select_related("beneficiary", "breach")
        .order_by("ready_on", "id")
    )


def commitments_due(dossier: SanctionDossier) -> list[Clause]:
    """R57: the CPAS's and third parties' commitments of the contract due on or before the breach."""
    breach_on = dossier.breach.breach_on
    return list(
        Clause.objects.for_cpas(dossier.cpas_id)
        .filter(contract_id=dossier.contract_id, party__in=[Party.CPAS, Party.THIRD_PARTY], due_on__lte=breach_on)
        .select_related("third_party", "objective")
        .order_by("due_on", "id")
    )


# --- the checklist: what still blocks "ready for the council" (S-Dec 13, 14; R57; S-Time 22) -------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    section: str  # the anchor of the dossier page's section where it is solved
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return error_message(self.code, self.params)


def readiness(dossier: SanctionDossier) -> list[Problem]:
    """Every safeguard that does not hold yet, in the order of the procedure; empty = ready for the council."""
    problems: list[Problem] = []
    notice, answer = _one(dossier, "notice"), _one(dossier, "answer")
    check, opinion, hearing = _one(dossier, "commitment_check"), _one(dossier, "opinion"), _one(dossier, "hearing")
    if notice is None or notice.sent_on is None:
        problems.append(Problem("NOTICE_MISSING", "notice"))
    elif notice.delivered_on is None:
        problems.append(Problem("NOTICE_NOT_DELIVERED", "notice"))
    if answer is None:
        problems.append(Problem("ANSWER_MISSING", "answer"))
    elif answer.legitimate_reason_found is None:
        problems.append(Problem("REASON_NOT_ANSWERED", "answer"))
    elif answer.legitimate_reason_found:
        problems.append(Problem("LEGITIMATE_REASON", "answer"))
    if check is None:
        problems.append(Problem("COMMITMENTS_NOT_CHECKED", "commitments"))
    elif facts.unmet_tied_commitments(dossier) and not check.override_motivation:
        problems.append(Problem("COMMITMENT_UNMET_EXCLUDES", "commitments"))
    if opinion is None:
        problems.append(Problem("OPINION_MISSING", "opinion"))
    if hearing is None:
        problems.append(Problem("HEARING_NOT_OFFERED", "hearing"))
    elif hearing.answer == HearingAnswer.PENDING:
        problems.append(Problem("HEARING_ANSWER_PENDING", "hearing"))
    elif hearing.answer == HearingAnswer.ASKED and hearing.held_on is None:
        problems.append(Problem("HEARING_NOT_HELD", "hearing"))
    if dossier.recent_piis_on is not None and dossier.recent_piis_reviewed_on is None:
        problems.append(Problem("RECENT_PIIS_NOT_REVIEWED", "alert", {"date": dossier.recent_piis_on}))
    return problems


# --- dated steps: the person's timeline and the agenda ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    on: date
    label: str | Promise
    detail: str = ""


def timeline(dossier: SanctionDossier) -> list[Step]:
    """The procedure's dated steps, oldest first (the dossier page and the person's file)."""
    steps = [Step(dossier.breach.breach_on, _("Breach"), dossier.breach.clause_text[:120])]
    steps.append(Step(dossier.opened_on, _("Procedure opened")))
    notice, answer = _one(dossier, "notice"), _one(dossier, "answer")
    check, opinion, hearing = _one(dossier, "commitment_check"), _one(dossier, "opinion"), _one(dossier, "hearing")
    if notice is not None and notice.sent_on:
        steps.append(Step(notice.sent_on, _("Formal notice sent")))
    if notice is not None and notice.delivered_on:
        steps.append(Step(notice.delivered_on, _("Formal notice delivered")))
    if answer is not None and answer.kind != AnswerKind.SILENCE and answer.answered_on:
        steps.append(Step(answer.answered_on, _("Answer of the person")))
    if check is not None:
        steps.append(Step(check.checked_on, _("Commitments of the CPAS checked")))
    if opinion is not None:
        steps.append(Step(opinion.given_on, _("Social worker's opinion")))
    if hearing is not None:
        steps.append(Step(hearing.right_notified_on, _("Right to be heard notified")))
        if hearing.held_on:
            steps.append(Step(hearing.held_on, _("Hearing held")))
    if dossier.ready_on:
        steps.append(Step(dossier.ready_on, _("Ready for the council")))
    if dossier.closed_on:
        steps.append(Step(dossier.closed_on, _("Closed without a decision"), dossier.get_closure_reason_display()))
    return sorted(steps, key=lambda s: s.on)


@dataclass(frozen=True)
class AgendaEntry:
    due_on: date
    kind: str  # "notice_deadline" | "hearing" | "hearing_reply"
    label: str
    beneficiary_id: int
    beneficiary: str
    url: str


def agenda_dossiers(*, cpas) -> QuerySet:
    """Rows without which agenda_entries finds nothing: the CPAS's running dossiers, whatever the file. A page asks
    first whether one exists (one cheap EXISTS) and reads agenda_entries only then."""
    return SanctionDossier.objects.for_cpas(cpas).filter(status__in=ACTIVE_STATUSES)


def agenda_entries(*, membership, dossiers: list[SanctionDossier] | None = None) -> list[AgendaEntry]:
    """The procedure's dates for the member's agenda: the date to comply or explain of a notice not yet answered,
    the reply date of a hearing right, a planned hearing (dossiers the member may see, still running)."""
    if dossiers is None:
        dossiers = [
            d
            for d in _with_steps(
                SanctionDossier.objects.for_cpas(membership.cpas_id).filter(status__in=ACTIVE_STATUSES)
            )
            if can_view_dossier(membership, d)
        ]
    entries: list[AgendaEntry] = []
    for d in dossiers:
        url = reverse("sanctions:detail", args=[d.pk])
        who = str(d.beneficiary)
        notice, answer, hearing = _one(d, "notice"), _one(d, "answer"), _one(d, "hearing")
        if notice is not None and notice.sent_on and answer is None:
            entries.append(
                AgendaEntry(
                    notice.comply_by,
                    "notice_deadline",
                    str(_("Formal notice: date to comply or explain")),
                    d.beneficiary_id,
                    who,
                    url,
                )
            )
        if hearing is not None and hearing.answer == HearingAnswer.PENDING and hearing.reply_by:
            entries.append(
                AgendaEntry(
                    hearing.reply_by,
                    "hearing_reply",
                    str(_("Right to be heard: date to ask")),
                    d.beneficiary_id,
                    who,
                    url,
                )
            )
        if hearing is not None and hearing.scheduled_on and hearing.held_on is None:
            entries.append(
                AgendaEntry(
                    hearing.scheduled_on,
                    "hearing",
                    str(_("Hearing before the sanction decision")),
                    d.beneficiary_id,
                    who,
                    url,
                )
            )
    return sorted(entries, key=lambda e: (e.due_on, e.beneficiary))
