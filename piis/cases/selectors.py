import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import ClosureDay
from piis.accounts.perms import can_view_beneficiaries
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.enums import SENSITIVE_DOMAINS, LifeDomain, PeriodKind
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Beneficiary,
    Exemption,
    NeedsAssessment,
    RiDecision,
    search_key,
)
from piis.cases.validators import normalize_nrn
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.rules import Exemption as RulesExemption
from piis.rules import InvalidInput, Obligation, Period, RuleViolation, piis_obligation
from piis.rules.obligation import check_study_piis, earlier_ri_period, is_concluded_late
from piis.rules.params import param_int

# A PIIS counts as concluded once every required party has signed: in force, or ended since.
CONCLUDED_STATUSES = frozenset({ContractStatus.IN_FORCE, ContractStatus.ENDED})


def beneficiary_list(*, membership, query: str = "", mine: bool = False):
    """The files of the membership's CPAS, narrowed by a name or national-number search.

    Lists are not audited as reads of a file (they show no more than a name and masked number); opening a
    file is (beneficiary_get_for_user).
    """
    qs = Beneficiary.objects.for_cpas(membership.cpas).select_related("social_worker")
    query = (query or "").strip()
    digits = normalize_nrn(query)
    if re.fullmatch(r"[0-9]{6,11}", digits):
        qs = qs.filter(national_number__startswith=digits)
    elif query:
        for word in search_key(query).split():
            qs = qs.filter(search_name__contains=word)
    if mine:
        qs = qs.filter(social_worker=membership.user)
    return qs


def beneficiary_get_for_user(*, membership, beneficiary_id: int, context: str) -> Beneficiary:
    """Fetch one file inside the membership's CPAS, check the role, and record the read.

    Another CPAS's file and a refused role both give 404, so that nobody learns that a file exists elsewhere.
    """
    if not can_view_beneficiaries(membership):
        raise Http404
    try:
        beneficiary = (
            Beneficiary.objects.for_cpas(membership.cpas).select_related("social_worker").get(pk=beneficiary_id)
        )
    except Beneficiary.DoesNotExist:
        raise Http404 from None
    assert beneficiary.cpas_id == membership.cpas_id  # the second look: never serve another CPAS's row
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.FILE_OPENED,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        context=context,
    )
    return beneficiary


# --- the file's records, the obligation, the needs assessments (issue 5, part A) -------------------------------


def beneficiary_file_prefetch(beneficiary: Beneficiary) -> Beneficiary:
    """Load every record the file page shows in a fixed number of queries (one per relation)."""
    prefetch_related_objects(
        [beneficiary],
        "household",
        "assistants",
        "ri_decisions",
        "income_periods",
        "exemptions",
        Prefetch(
            "assessments",
            queryset=NeedsAssessment.objects.select_related("author").prefetch_related("items"),
        ),
    )
    return beneficiary


def file_record_get(*, membership, beneficiary: Beneficiary, model, record_id: int):
    """One record of a file, looked up inside the membership's CPAS and that file; 404 otherwise."""
    try:
        record = model.objects.for_cpas(membership.cpas).get(pk=record_id, beneficiary=beneficiary)
    except model.DoesNotExist:
        raise Http404 from None
    assert record.cpas_id == membership.cpas_id
    return record


def assessment_get(*, membership, beneficiary: Beneficiary, assessment_id: int) -> NeedsAssessment:
    return file_record_get(
        membership=membership, beneficiary=beneficiary, model=NeedsAssessment, record_id=assessment_id
    )


def assistants_allowed_file_data(beneficiary: Beneficiary) -> list[Assistant]:
    """S-Third 19: the only assistants who may receive data from the file (active, with the person's consent)."""
    return [a for a in beneficiary.assistants.all() if a.active and a.may_receive_file_data]


def latest_ri_decision(beneficiary: Beneficiary) -> RiDecision | None:
    """The decision the obligation runs from: the latest decision date (then the latest recorded)."""
    return max(beneficiary.ri_decisions.all(), key=lambda d: (d.decided_on, d.pk), default=None)


@dataclass(frozen=True)
class ExemptionRow:
    exemption: Exemption
    state: str  # "upcoming" | "active" | "ended"

    @property
    def state_label(self):
        return EXEMPTION_STATE_LABELS[self.state]


EXEMPTION_STATE_LABELS = {"upcoming": _("Not yet started"), "active": _("Active"), "ended": _("Ended")}


def exemptions_for_file(*, beneficiary: Beneficiary, today: date) -> list[ExemptionRow]:
    return [ExemptionRow(e, e.state_on(today)) for e in beneficiary.exemptions.all()]


@dataclass(frozen=True)
class Label:
    code: str
    label: str


def _reason_label(code: str, *, on: date) -> str:
    if code == "under_25":
        age = param_int("under_25_age_limit", on=on)
        return _("Under %(age)s on the date of the RI decision (R1)") % {"age": age}
    return REASON_LABELS.get(code, code)


REASON_LABELS = {
    "new_beneficiary": _("New beneficiary: first RI, or RI again after a gap without RI or CPAS employment (R2, R3)"),
    "studies": _("Full-time studies accepted on equity grounds (R5)"),
    "employed_with_top_up": _("Works and receives the RI as a top-up to wages: a PIIS may still be proposed (R4)"),
    "exempted": _("Exempted for health or equity reasons (R9)"),
    "not_new_beneficiary": _("No ground applies: a PIIS is optional, at the person's or the CPAS's request (R6)"),
}
ASSUMPTION_LABELS = {
    "A1": _("Age taken on the date of the RI decision (assumption A1, to be validated by the legal service)."),
    "A2": _(
        "The deadline runs again from the end of the exemption (assumption A2, to be validated by the legal service)."
    ),
}
INPUT_ERROR_LABELS = {
    "DATES_OUT_OF_ORDER": _(
        "Some dates of the file are in the wrong order (birth, RI decision, periods, exemptions)."
    ),
    "UNKNOWN_GROUND": _("An exemption has an unknown ground."),
}
STUDY_PIIS_LABELS = {
    "EQUITY_ASSESSMENT_MISSING": _(
        "A study PIIS cannot be drafted yet: a person aged %(age)s or more needs an equity assessment decision "
        "accepting the full-time studies, recorded on the RI decision (R22)."
    ),
}


@dataclass(frozen=True)
class StudyPiisCheck:
    """R22 / T31: may a study PIIS be drafted for this file on `today`? `message` says why not."""

    allowed: bool
    code: str = ""
    message: str = ""


def study_piis_check(*, beneficiary: Beneficiary, ri_decision: RiDecision | None, today: date) -> StudyPiisCheck:
    """The equity assessment decision is the RI decision's `full_time_studies` flag with its motivation (R22)."""
    decided = bool(ri_decision and ri_decision.full_time_studies)
    try:
        check_study_piis(birth_date=beneficiary.birth_date, on=today, equity_assessment_decided=decided)
    except RuleViolation as violation:
        age = param_int("under_25_age_limit", on=today)
        message = STUDY_PIIS_LABELS.get(violation.code, violation.message) % {"age": age}
        return StudyPiisCheck(False, violation.code, message)
    except InvalidInput as error:
        return StudyPiisCheck(False, error.code, INPUT_ERROR_LABELS.get(error.code, str(error)))
    return StudyPiisCheck(True)


@dataclass(frozen=True)
class FileObligation:
    """What the file page (and the contract part) shows about the PIIS obligation on `today`.

    `obligation` is piis.rules.piis_obligation's answer for the latest RI decision, or None when there is no RI
    decision (`ri_decision` None) or the file's dates cannot be right (`error`).
    """

    today: date
    ri_decision: RiDecision | None
    obligation: Obligation | None = None
    reasons: tuple[Label, ...] = ()
    assumptions: tuple[Label, ...] = ()
    concluded_on: date | None = None
    late: bool = False
    revived: bool = False
    error: str = ""
    study: StudyPiisCheck | None = None

    @property
    def required(self) -> bool:
        return bool(self.obligation and self.obligation.required)

    @property
    def deadline(self) -> date | None:
        return self.obligation.deadline if self.obligation else None

    @property
    def warning_date(self) -> date | None:
        return self.obligation.warning_date if self.obligation else None

    @property
    def days_left(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None


def _earlier_ri_periods(decisions, latest: RiDecision) -> list[Period]:
    """Earlier decisions of this file count as earlier RI (R2): until their end, or until the latest one starts."""
    periods = []
    for decision in decisions:
        if decision.pk == latest.pk or decision.start_on >= latest.start_on:
            continue
        periods.append(earlier_ri_period(start=decision.start_on, end=decision.end_on, next_start=latest.start_on))
    return periods


def _concluded_on(contracts, ri_decision: RiDecision) -> date | None:
    """The first conclusion of a PIIS for this RI: a contract in force or ended, signed on or after the decision."""
    dates = [
        c.signed_on
        for c in contracts
        if c.status in CONCLUDED_STATUSES and c.signed_on is not None and c.signed_on >= ri_decision.decided_on
    ]
    return min(dates, default=None)


def obligation_for_file(*, beneficiary: Beneficiary, today: date, contracts=None, closures=None) -> FileObligation:
    """R1–R15, R22 — the PIIS obligation of a file on `today`, from its latest RI decision and its history.

    Uses the prefetched relations of `beneficiary_file_prefetch` when present. `contracts` (the file's PIIS
    contracts) and `closures` (the CPAS's closure days, which move the warning date) are read when not given.
    """
    decisions = list(beneficiary.ri_decisions.all())
    latest = max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)
    if latest is None:
        return FileObligation(today=today, ri_decision=None)
    study = study_piis_check(beneficiary=beneficiary, ri_decision=latest, today=today)
    periods = list(beneficiary.income_periods.all())
    previous_ri = [Period(p.start_on, p.end_on) for p in periods if p.kind == PeriodKind.RI]
    previous_ri += _earlier_ri_periods(decisions, latest)
    employment = [Period(p.start_on, p.end_on) for p in periods if p.kind == PeriodKind.CPAS_EMPLOYMENT]
    exemptions = [RulesExemption(e.ground, e.start_on, e.effective_end) for e in beneficiary.exemptions.all()]
    if closures is None:
        closures = ClosureDay.objects.for_cpas(beneficiary.cpas_id).values_list("day", flat=True)
    try:
        obligation = piis_obligation(
            birth_date=beneficiary.birth_date,
            ri_decision_date=latest.decided_on,
            ri_start_date=latest.start_on,
            previous_ri=previous_ri,
            previous_cpas_employment=employment,
            employed_with_top_up=latest.employed_with_top_up,
            full_time_studies=latest.full_time_studies,
            exemptions=exemptions,
            # A decision recorded ahead of its date is assessed on that date.
            on=max(today, latest.decided_on),
            closures=list(closures),
        )
    except InvalidInput as error:
        message = INPUT_ERROR_LABELS.get(error.code, str(error))
        return FileObligation(today=today, ri_decision=latest, error=message, study=study)
    if contracts is None:
        contracts = Contract.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary)
    concluded_on = _concluded_on(contracts, latest)
    late = bool(
        obligation.required
        and obligation.deadline
        and is_concluded_late(deadline=obligation.deadline, signed_on=concluded_on, today=today)
    )
    return FileObligation(
        today=today,
        ri_decision=latest,
        obligation=obligation,
        reasons=tuple(Label(code, _reason_label(code, on=latest.decided_on)) for code in obligation.reasons),
        assumptions=tuple(Label(code, ASSUMPTION_LABELS.get(code, code)) for code in obligation.assumptions),
        concluded_on=concluded_on,
        late=late,
        revived="A2" in obligation.assumptions,
        study=study,
    )


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    label: str
    sensitive: bool
    items: tuple[AssessmentItem, ...]


def assessment_domains(assessment: NeedsAssessment) -> list[DomainGroup]:
    """The items of one assessment grouped by life domain, in the S-Dom order (professional → intimate)."""
    by_domain: dict[str, list[AssessmentItem]] = {}
    for item in assessment.items.all():
        by_domain.setdefault(item.domain, []).append(item)
    return [
        DomainGroup(domain.value, domain.label, domain in SENSITIVE_DOMAINS, tuple(by_domain[domain.value]))
        for domain in LifeDomain
        if domain.value in by_domain
    ]


@dataclass(frozen=True)
class AssessmentView:
    assessment: NeedsAssessment
    domains: list[DomainGroup]


def assessments_for_file(beneficiary: Beneficiary) -> list[AssessmentView]:
    return [AssessmentView(a, assessment_domains(a)) for a in beneficiary.assessments.all()]
