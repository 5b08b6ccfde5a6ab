"""Reads of the council's part: sittings (fetch-and-authorise, 404 outside the CPAS or the permission), what an
agenda may take, the decisions to notify, the payment exports, the sanction register with its figures (S-Eq 23,
groups under MIN_GROUP people suppressed), and the dated steps for the person's timeline and the agenda."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.sanctions.enums import (
    SUSPENSION_OUTCOMES,
    AppealOutcome,
    ClosureReason,
    DecisionOutcome,
    Deferral,
    DossierStatus,
    SittingStatus,
)
from piis.sanctions.models import (
    Appeal,
    CouncilSitting,
    Decision,
    PaymentExport,
    SanctionDossier,
    SittingItem,
)
from piis.sanctions.perms import can_manage_sittings, can_view_register, can_view_sittings
from piis.sanctions.selectors import AgendaEntry, Step

MIN_GROUP = 5  # S-Eq 23: a figure about fewer people than this is not shown (it would point at persons)


def _items_qs() -> QuerySet:
    return SittingItem.objects.select_related(
        "beneficiary", "dossier__breach", "dossier__opinion", "contract", "exemption", "decision", "hearing"
    ).prefetch_related("clauses", "decision__appeals")


def sittings_for_user(*, membership, context: str = "", upcoming: bool = False) -> list[CouncilSitting]:
    """The sittings the member sees: every sitting of the CPAS for the secretary, those they are convened to for a
    council member; newest first. No person is shown (the agenda is on the sitting's page)."""
    if not can_view_sittings(membership):
        return []
    qs = CouncilSitting.objects.for_cpas(membership.cpas_id).select_related("secretary")
    if membership.role == Role.COUNCIL_MEMBER:
        qs = qs.filter(members=membership.user)
    if upcoming:
        qs = qs.exclude(status=SittingStatus.MINUTES_CLOSED)
    from django.db.models import Count

    return list(qs.annotate(item_count=Count("items", distinct=True)).order_by("-sits_on", "-id"))


def sitting_get_for_user(*, membership, pk: int, context: str = "", audit: bool = True) -> CouncilSitting:
    """A sitting with its agenda (items, their dossier, decision and hearing), when the member may see it: the
    secretary, or a member convened. The read is audited with the people on the agenda."""
    if membership is None or not can_view_sittings(membership):
        raise Http404
    qs = (
        CouncilSitting.objects.for_cpas(membership.cpas_id)
        .select_related("secretary", "created_by")
        .prefetch_related("members", Prefetch("items", queryset=_items_qs().order_by("position", "id")))
    )
    try:
        sitting = qs.get(pk=pk)
    except CouncilSitting.DoesNotExist:
        raise Http404 from None
    if membership.role == Role.COUNCIL_MEMBER and membership.user not in sitting.members.all():
        raise Http404
    if audit:
        record_people_shown(actor=membership.user, cpas=membership.cpas, context=context,
                            beneficiary_ids=[i.beneficiary_id for i in sitting.items.all()],
                            verb=AuditVerb.SANCTION_SITTING_VIEWED)  # fmt: skip
    return sitting


def item_get_for_secretary(*, membership, pk: int) -> SittingItem:
    """One agenda item, for the secretary who records its hearing, decision, letter and appeal: 404 otherwise."""
    if membership is None or not can_manage_sittings(membership):
        raise Http404
    try:
        return _items_qs().select_related("sitting").filter(cpas_id=membership.cpas_id).get(pk=pk)
    except SittingItem.DoesNotExist:
        raise Http404 from None


def decision_get_for_user(*, membership, pk: int, context: str = "", audit: bool = True) -> Decision:
    """A decision (its letter): the secretary, a member convened to its sitting; audited on the person's file."""
    if membership is None or not can_view_sittings(membership):
        raise Http404
    try:
        decision = (
            Decision.objects.for_cpas(membership.cpas_id)
            .select_related("beneficiary", "item__sitting", "dossier__breach", "executes_deferral_of", "cpas")
            .get(pk=pk)
        )
    except Decision.DoesNotExist:
        raise Http404 from None
    if (
        membership.role == Role.COUNCIL_MEMBER
        and not decision.item.sitting.members.filter(pk=membership.user_id).exists()
    ):
        raise Http404
    if audit:
        record(actor=membership.user, cpas=membership.cpas, verb=AuditVerb.SANCTION_DECISION_LETTER_OPENED,
               target=decision, beneficiary_id=decision.beneficiary_id, context=context)  # fmt: skip
    return decision


def appeal_get_for_secretary(*, membership, pk: int) -> Appeal:
    if membership is None or not can_manage_sittings(membership):
        raise Http404
    try:
        return Appeal.objects.for_cpas(membership.cpas_id).select_related("decision__dossier").get(pk=pk)
    except Appeal.DoesNotExist:
        raise Http404 from None


def deferred_decisions_of(beneficiary_id: int, *, cpas_id: int) -> QuerySet:
    """R61: the person's deferred suspensions not annulled and not executed yet (a new decision may execute one)."""
    return (
        Decision.objects.for_cpas(cpas_id)
        .filter(beneficiary_id=beneficiary_id, outcome__in=SUSPENSION_OUTCOMES)
        .exclude(deferral=Deferral.NONE)
        .exclude(dossier__status=DossierStatus.ANNULLED)
        .filter(executed_by__isnull=True)
        .order_by("-decided_on")
    )


@dataclass(frozen=True)
class ContinuableDecision:
    decision: Decision
    appeal: str  # the outcome of the last appeal lodged (AppealOutcome), or "none"


def continuable_decisions(beneficiary_id: int, *, cpas_id: int) -> list[ContinuableDecision]:
    """R53: the person's suspensions a later competent CPAS may continue — notified to the person and not annulled on
    appeal (the last appeal lodged decides), oldest first. For the transfer package (piis.transfers.package)."""
    decisions = (
        Decision.objects.for_cpas(cpas_id)
        .filter(beneficiary_id=beneficiary_id, outcome__in=SUSPENSION_OUTCOMES, notified_on__isnull=False)
        .prefetch_related("appeals")
        .order_by("decided_on", "id")
    )
    rows = []
    for decision in decisions:
        appeals = sorted(decision.appeals.all(), key=lambda a: (a.lodged_on, a.pk))
        appeal = appeals[-1].outcome if appeals else "none"
        if appeal != AppealOutcome.ANNULLED:
            rows.append(ContinuableDecision(decision, str(appeal)))
    return rows


def labour_court_last_used(cpas) -> str:
    """The labour court named in the CPAS's latest decision (the form's suggestion; the secretary checks it)."""
    return (
        Decision.objects.for_cpas(cpas).exclude(labour_court="").order_by("-id").values_list("labour_court", flat=True)
    ).first() or ""


def exports_list(*, membership) -> list[PaymentExport]:
    if not can_manage_sittings(membership):
        raise Http404
    from django.db.models import Count

    return list(
        PaymentExport.objects.for_cpas(membership.cpas_id)
        .select_related("exported_by")
        .annotate(line_count=Count("lines"))
        .order_by("-exported_at")[:50]
    )


@dataclass(frozen=True)
class ExportPage:
    items: list[PaymentExport]
    more: bool


def exports_page(
    *,
    membership,
    before_id: int | None = None,
    exported_from: date | None = None,
    exported_until: date | None = None,
    limit: int = 25,
) -> ExportPage:
    """The payment exports, newest first, a page at a time (keyset on the id: `before_id` is the last one of the
    previous page), optionally between two days of export (the CPAS's local days)."""
    if not can_manage_sittings(membership):
        raise Http404
    from django.db.models import Count

    qs = PaymentExport.objects.for_cpas(membership.cpas_id)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    if exported_from is not None:
        qs = qs.filter(exported_at__date__gte=exported_from)
    if exported_until is not None:
        qs = qs.filter(exported_at__date__lte=exported_until)
    rows = list(qs.annotate(line_count=Count("lines")).order_by("-id")[: limit + 1])
    return ExportPage(rows[:limit], len(rows) > limit)


def export_get(*, membership, pk: int) -> PaymentExport:
    if membership is None or not can_manage_sittings(membership):
        raise Http404
    try:
        return PaymentExport.objects.for_cpas(membership.cpas_id).get(pk=pk)
    except PaymentExport.DoesNotExist:
        raise Http404 from None


# --- the sanction register (S-Eq 23) -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    dossier: SanctionDossier
    decision: Decision | None
    outcome: str  # what happened, as a person reads it
    excluded_reason: str  # the closure reason of an excluded/closed dossier
    appeal: str


@dataclass(frozen=True)
class Figures:
    """One group's figures; `suppressed` when it concerns fewer than MIN_GROUP people (nothing else is shown)."""

    label: str
    people: int  # people with a PIIS in the group (the denominator's persons)
    suppressed: bool
    piis: int = 0
    suspensions: int = 0
    rate_per_100: Decimal | None = None
    partial_share: Decimal | None = None
    deferred_share: Decimal | None = None
    excluded_cpas_default: int = 0


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def _figures(label: str, *, people: set[int], piis: int, decisions: list[Decision], cpas_default: int) -> Figures:
    if len(people) < MIN_GROUP:
        return Figures(label=label, people=len(people), suppressed=True)
    suspensions = [d for d in decisions if d.outcome in SUSPENSION_OUTCOMES]
    partial = sum(d.outcome == DecisionOutcome.PARTIAL_SUSPENSION for d in suspensions)
    deferred = sum(d.deferral != Deferral.NONE for d in suspensions)
    return Figures(
        label=label, people=len(people), suppressed=False, piis=piis, suspensions=len(suspensions),
        rate_per_100=_pct(len(suspensions), piis), partial_share=_pct(partial, len(suspensions)),
        deferred_share=_pct(deferred, len(suspensions)), excluded_cpas_default=cpas_default,
    )  # fmt: skip


def _outcome(dossier: SanctionDossier, decision: Decision | None) -> str:
    if dossier.status == DossierStatus.CLOSED:
        return _("Closed without a decision")
    if decision is None:
        return str(dossier.get_status_display())
    text = str(decision.get_outcome_display())
    if decision.outcome in SUSPENSION_OUTCOMES:
        text += f" — {decision.months.normalize() if decision.months else ''} {_('month(s)')}"
        if decision.deferral != Deferral.NONE:
            text += f", {decision.get_deferral_display().lower()}"
    if dossier.status == DossierStatus.ANNULLED:
        text += f" ({_('annulled on appeal')})"
    return text


def register(*, membership, year: int | None = None, context: str = "") -> tuple[list[RegisterRow], list[Figures]]:
    """Every procedure of the CPAS (opened in `year`, or all) with its outcome, the excluded and closed ones with
    their reason; figures per social worker and for the CPAS (sanction rate per 100 PIIS, share of partial and of
    deferred suspensions, dossiers excluded for a CPAS default). Bounded queries whatever the number of rows."""
    if not can_view_register(membership):
        raise Http404
    from piis.contracts.enums import ContractStatus
    from piis.contracts.models import Contract

    dossiers = SanctionDossier.objects.for_cpas(membership.cpas_id).select_related(
        "beneficiary", "contract__social_worker", "breach"
    )
    if year is not None:
        dossiers = dossiers.filter(opened_on__year=year)
    dossiers_list = list(dossiers.order_by("-opened_on", "-id"))
    decisions = {
        d.dossier_id: d
        for d in Decision.objects.for_cpas(membership.cpas_id)
        .filter(dossier__in=[x.pk for x in dossiers_list])
        .prefetch_related("appeals")
    }
    rows = []
    for dossier in dossiers_list:
        decision = decisions.get(dossier.pk)
        appeals = list(decision.appeals.all()) if decision is not None else []
        appeal = ""
        if appeals:
            latest = appeals[0]
            appeal = str(latest.get_outcome_display()) if latest.outcome != AppealOutcome.PENDING else _("Pending")
        excluded = str(dossier.get_closure_reason_display()) if dossier.status == DossierStatus.CLOSED else ""
        rows.append(RegisterRow(dossier, decision, _outcome(dossier, decision), excluded, appeal))
    # the denominators: PIIS concluded (in force or ended) per worker, in the year when one is chosen
    contracts = Contract.objects.for_cpas(membership.cpas_id).filter(
        status__in=[ContractStatus.IN_FORCE, ContractStatus.ENDED]
    )
    if year is not None:
        contracts = contracts.filter(
            Q(signed_on__year__lte=year) & (Q(ended_on__isnull=True) | Q(ended_on__year__gte=year))
        )
    people_of: dict[int | None, set[int]] = defaultdict(set)
    piis_of: dict[int | None, int] = defaultdict(int)
    names: dict[int | None, str] = {}
    for worker_id, beneficiary_id, first, last in contracts.values_list(
        "social_worker_id", "beneficiary_id", "social_worker__first_name", "social_worker__last_name"
    ):
        people_of[worker_id].add(beneficiary_id)
        piis_of[worker_id] += 1
        names[worker_id] = f"{first} {last}".strip() or _("Without a social worker")
    decided_of: dict[int | None, list[Decision]] = defaultdict(list)
    default_of: dict[int | None, int] = defaultdict(int)
    for row in rows:
        worker = row.dossier.contract.social_worker_id
        names.setdefault(worker, str(row.dossier.contract.social_worker or _("Without a social worker")))
        people_of[worker].add(row.dossier.beneficiary_id)
        if row.decision is not None and row.dossier.status != DossierStatus.ANNULLED:
            decided_of[worker].append(row.decision)
        if row.dossier.closure_reason == ClosureReason.CPAS_DEFAULT:
            default_of[worker] += 1
    figures = [
        _figures(names[w], people=people_of[w], piis=piis_of[w], decisions=decided_of[w], cpas_default=default_of[w])
        for w in sorted(people_of, key=lambda w: names.get(w, ""))
    ]
    everyone = set().union(*people_of.values()) if people_of else set()
    total = _figures(
        _("Whole CPAS"), people=everyone, piis=sum(piis_of.values()),
        decisions=[d for ds in decided_of.values() for d in ds], cpas_default=sum(default_of.values()),
    )  # fmt: skip
    record_people_shown(actor=membership.user, cpas=membership.cpas, context=context,
                        beneficiary_ids=[r.dossier.beneficiary_id for r in rows],
                        verb=AuditVerb.SANCTION_REGISTER_OPENED)  # fmt: skip
    return rows, [total, *figures]


# --- the person's timeline and the agenda ---------------------------------------------------------------------


def timeline_entries(beneficiary_id: int, *, cpas_id: int) -> list[Step]:
    """The council's steps on the person's file: sitting, decision, notification, appeal and judgment."""
    steps: list[Step] = []
    items = (
        SittingItem.objects.for_cpas(cpas_id)
        .filter(beneficiary_id=beneficiary_id)
        .select_related("sitting", "decision")
        .prefetch_related("decision__appeals")
    )
    for item in items:
        steps.append(Step(item.sitting.sits_on, _("On the agenda of the council"), str(item.get_kind_display())))
        decision = getattr(item, "decision", None)
        if decision is None:
            continue
        steps.append(Step(decision.decided_on, _("Council decision"), str(decision.get_outcome_display())))
        if decision.notified_on:
            steps.append(Step(decision.notified_on, _("Decision notified"), _("appeal possible until %(date)s")
                              % {"date": decision.appeal_deadline.strftime("%d/%m/%Y")}))  # fmt: skip
        for appeal in decision.appeals.all():
            steps.append(Step(appeal.lodged_on, _("Appeal lodged"), appeal.court))
            if appeal.outcome_on:
                steps.append(Step(appeal.outcome_on, _("Judgment"), str(appeal.get_outcome_display())))
    return sorted(steps, key=lambda s: s.on)


def agenda_entries(*, membership, today: date) -> list[AgendaEntry]:
    """The council's dates for the agenda: the sittings to come (the secretary's, a member's own) and the appeal
    deadlines still running (the secretary)."""
    entries: list[AgendaEntry] = []
    if not can_view_sittings(membership):
        return entries
    for sitting in sittings_for_user(membership=membership, upcoming=True):
        if sitting.sits_on >= today:
            url = reverse("council:sitting", args=[sitting.pk])
            entries.append(AgendaEntry(sitting.sits_on, "sitting", str(sitting), 0, "", url))
    if can_manage_sittings(membership):
        decisions = (
            Decision.objects.for_cpas(membership.cpas_id)
            .filter(appeal_deadline__gte=today)
            .select_related("beneficiary", "item")
        )
        for d in decisions:
            url = reverse("council:sitting", args=[d.item.sitting_id]) + f"#item-{d.item_id}"
            entries.append(AgendaEntry(d.appeal_deadline, "appeal_deadline", _("Appeal deadline of a decision"),
                                       d.beneficiary_id, str(d.beneficiary), url))  # fmt: skip
    return sorted(entries, key=lambda e: (e.due_on, e.beneficiary))
