"""Reads for the drafting part of the contract page: objectives, commitments per party, third parties, the clause
library, the share of unmodified template text (S-Pers 4) and what still blocks the hand-over of the final draft."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from piis.accounts.enums import Role
from piis.accounts.models import User
from piis.cases.access import require_file_access
from piis.cases.enums import SENSITIVE_DOMAINS
from piis.cases.models import AssessmentItem, NeedsAssessment, RiDecision
from piis.cases.selectors import set_empty, set_prefetched
from piis.contracts.enums import ContractStatus, Party, Position
from piis.contracts.models import Clause, ClauseTemplate, Contract, Objective, Step, ThirdParty
from piis.contracts.paths import stages
from piis.contracts.perms import can_edit_contract, can_view_contract
from piis.contracts.print_bounds import print_length_problem
from piis.contracts.selectors import contract_is_editable, contract_relation_present
from piis.contracts.snapshot import grounds_sanction
from piis.core import compiled
from piis.rules import (
    CLAUSE_KINDS,
    InvalidInput,
    check_clause_text,
    check_needs_assessment,
    template_share_needs_review,
)
from piis.rules import RuleViolation as _RuleViolation

# Labels of the rules core's clause kinds (R17, R27, R29). The rules core owns the list; this only names them.
CLAUSE_KIND_LABELS = {
    "employment": gettext_lazy("Employment or work experience"),
    "job_search": gettext_lazy("Job search"),
    "work_availability": gettext_lazy("Availability for work"),
    "training": gettext_lazy("Vocational training"),
    "studies": gettext_lazy("Full-time studies"),
    "language": gettext_lazy("Language"),
    "administration": gettext_lazy("Administration"),
    "housing": gettext_lazy("Housing"),
    "debt": gettext_lazy("Debt"),
    "health": gettext_lazy("Health"),
    "family": gettext_lazy("Family and parenting"),
    "relationships": gettext_lazy("Relationships"),
    "social_participation": gettext_lazy("Leisure and social participation"),
    "addiction": gettext_lazy("Addiction"),
    "cpas_support": gettext_lazy("Support by the CPAS"),
    "cost_coverage": gettext_lazy("Costs borne by the CPAS (fees, insurance, clothing, travel)"),
    "incentive_premium": gettext_lazy("Incentive premium"),
    "complementary_aid": gettext_lazy("Complementary aid"),
}
CPAS_CLAUSE_KINDS = ("cpas_support", "cost_coverage", "incentive_premium", "complementary_aid")
# R29: a beneficiary commitment to vocational training or work experience requires the CPAS to bear its costs.
KINDS_NEEDING_COST_COVERAGE = frozenset({"training", "employment"})


def clause_kind_label(kind: str) -> str:
    return str(CLAUSE_KIND_LABELS.get(kind, kind))


def clause_kind_choices(party: str | None = None) -> list[tuple[str, str]]:
    """The rules core's clause kinds with translated labels: CPAS commitments first for the CPAS, last otherwise."""
    cpas_kinds = [k for k in CPAS_CLAUSE_KINDS if k in CLAUSE_KINDS]
    others = [k for k in CLAUSE_KIND_LABELS if k in CLAUSE_KINDS and k not in cpas_kinds]
    others += sorted(k for k in CLAUSE_KINDS if k not in CLAUSE_KIND_LABELS)
    ordered = cpas_kinds + others if party == Party.CPAS else others + cpas_kinds
    return [(k, clause_kind_label(k)) for k in ordered]


# --- lookups inside the membership's CPAS (another CPAS's object: 404) -----------------------------------------


def _get(queryset, *, membership, pk: int, beneficiary_of=None):
    """One object of the membership's CPAS (404 otherwise); for a part of a contract, `beneficiary_of(obj)` names
    the file whose need-to-know applies (piis.cases.access)."""
    if not can_view_contract(membership):
        raise Http404
    try:
        obj = queryset.for_cpas(membership.cpas).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    assert obj.cpas_id == membership.cpas_id
    if beneficiary_of is not None:
        require_file_access(membership, beneficiary_of(obj))
    return obj


_CONTRACT_RELATED = ("contract", "contract__beneficiary", "contract__assessment", "contract__ri_decision")


def objective_get_for_user(*, membership, objective_id: int) -> Objective:
    return _get(
        Objective.objects.select_related(*_CONTRACT_RELATED),
        membership=membership,
        pk=objective_id,
        beneficiary_of=lambda o: o.contract.beneficiary,
    )


def step_get_for_user(*, membership, step_id: int) -> Step:
    related = ("objective", *(f"objective__{r}" for r in _CONTRACT_RELATED))
    return _get(
        Step.objects.select_related(*related),
        membership=membership,
        pk=step_id,
        beneficiary_of=lambda o: o.objective.contract.beneficiary,
    )


def clause_get_for_user(*, membership, clause_id: int) -> Clause:
    return _get(
        Clause.objects.select_related(*_CONTRACT_RELATED, "template"),
        membership=membership,
        pk=clause_id,
        beneficiary_of=lambda o: o.contract.beneficiary,
    )


def third_party_get_for_user(*, membership, third_party_id: int) -> ThirdParty:
    return _get(
        ThirdParty.objects.select_related(*_CONTRACT_RELATED),
        membership=membership,
        pk=third_party_id,
        beneficiary_of=lambda o: o.contract.beneficiary,
    )


def clause_template_get_for_user(*, membership, template_id: int) -> ClauseTemplate:
    return _get(ClauseTemplate.objects.all(), membership=membership, pk=template_id)


def clause_template_list(*, membership, active_only: bool = False) -> list[ClauseTemplate]:
    qs = ClauseTemplate.objects.for_cpas(membership.cpas)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("-active", "party", "title", "id"))


def ri_decisions_of(*, beneficiary):
    return RiDecision.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary)


def assessments_of(*, beneficiary):
    return NeedsAssessment.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary)


def assessment_items_for_objectives(*, contract: Contract):
    """The items of the contract's needs assessment an objective may answer (S-Pers 2). A sensitive item the person
    has not consented to record is never offered (S-Dom 16)."""
    if contract.assessment_id is None:
        return AssessmentItem.objects.none()
    items = AssessmentItem.objects.for_cpas(contract.cpas_id).filter(assessment_id=contract.assessment_id)
    return items.exclude(domain__in=SENSITIVE_DOMAINS, consent_given=False)


def drafting_staff(*, cpas):
    """Who may be named social worker or substitute on a PIIS: the CPAS's active social workers and team leads."""
    return (
        User.objects.filter(
            memberships__cpas=cpas,
            memberships__is_active=True,
            memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEAD],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def open_contract_of(*, beneficiary) -> Contract | None:
    """The person's PIIS being negotiated or in force, if any (one at a time)."""
    return (
        Contract.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary)
        .exclude(status=ContractStatus.ENDED)
        .first()
    )


# --- template share (S-Pers 4) -----------------------------------------------------------------------------------


def template_share(clauses) -> Decimal:
    """Characters of clauses whose text is still exactly their template's original text / all clause characters."""
    total = sum(len(c.text) for c in clauses)
    if not total:
        return Decimal(0)
    unmodified = sum(len(c.text) for c in clauses if c.template_text and c.text == c.template_text)
    return Decimal(unmodified) / Decimal(total)


# --- what blocks the hand-over ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    contract: Contract
    objectives: list = field(default_factory=list)
    clauses: list = field(default_factory=list)
    third_parties: list = field(default_factory=list)


def _objectives_of(*, contract: int):
    return Objective.objects.filter(contract_id=contract).select_related("catalogue_entry").order_by("position", "id")


def _steps_of(**objectives: int):
    """The steps of the objectives `objectives` (o0, o1, …: their ids), as the prefetch of `steps` reads them."""
    return (
        Step.objects.filter(objective_id__in=list(objectives.values()))
        .select_related("catalogue_entry")
        .order_by("position", "id")
    )


def _needs_of(**objectives: int):
    """The links of the objectives `objectives` (o0, o1, …) to the needs they answer, with the need, in the needs'
    order (AssessmentItem's): the rows the prefetch of `assessment_items` reads."""
    return (
        Objective.assessment_items.through.objects.filter(objective_id__in=list(objectives.values()))
        .select_related("assessmentitem")
        .order_by("assessmentitem__domain", "assessmentitem__kind", "assessmentitem__id")
    )


def _clauses_of(*, contract: int):
    return Clause.objects.filter(contract_id=contract).select_related("catalogue_entry").order_by("order", "id")


def _third_parties_of(*, contract: int):
    return ThirdParty.objects.filter(contract_id=contract).select_related("catalogue_entry").order_by("id")


def _read(key: tuple, build, **values) -> list:
    """The instances of `build(**values)`, its SQL compiled once per `key` (core.compiled) on PostgreSQL."""
    if connection.vendor != "postgresql":
        return list(build(**values))
    return compiled.instances(key, build, **values)


def _load(contract: Contract) -> _Draft:
    """The draft's objectives (with their steps and needs), clauses and third parties: a step's third party and a
    clause's objective are the contract's own, given from those read rather than joined again. Their SQL is built
    once per shape (core.compiled)."""
    objectives = _read(("draft_objectives",), _objectives_of, contract=contract.pk)
    if objectives:
        by_objective: dict[int, list] = {objective.pk: [] for objective in objectives}
        values = {f"o{i}": pk for i, pk in enumerate(by_objective)}
        for step in _read(("draft_steps", len(values)), _steps_of, **values):
            by_objective[step.objective_id].append(step)
        for objective in objectives:
            Objective.contract.field.set_cached_value(objective, contract)
            set_prefetched(objective, "steps", by_objective[objective.pk])
        if connection.vendor != "postgresql":
            prefetch_related_objects(objectives, Prefetch("assessment_items", queryset=AssessmentItem.objects.all()))
        else:
            needs: dict[int, list] = {objective.pk: [] for objective in objectives}
            for link in _read(("draft_needs", len(values)), _needs_of, **values):
                needs[link.objective_id].append(link.assessmentitem)
            for objective in objectives:
                set_empty(objective, "assessment_items")  # then given its rows, as the prefetch would
                objective._prefetched_objects_cache["assessment_items"]._result_cache = needs[objective.pk]
    clauses = _read(("draft_clauses",), _clauses_of, contract=contract.pk)
    for clause in clauses:
        Clause.contract.field.set_cached_value(clause, contract)
    third_parties = (
        _read(("draft_third_parties",), _third_parties_of, contract=contract.pk)
        if contract_relation_present(contract, "third_parties")
        else []
    )
    for third in third_parties:
        ThirdParty.contract.field.set_cached_value(third, contract)
    third_party_by_id = {third.pk: third for third in third_parties}
    for objective in objectives:
        for step in objective.steps.all():
            if step.third_party_id is None or step.third_party_id in third_party_by_id:
                step.third_party = third_party_by_id.get(step.third_party_id)
    objective_by_id = {objective.pk: objective for objective in objectives}
    for clause in clauses:
        if clause.objective_id is None or clause.objective_id in objective_by_id:
            clause.objective = objective_by_id.get(clause.objective_id)
    return _Draft(contract=contract, objectives=objectives, clauses=clauses, third_parties=third_parties)


def _problems(draft: _Draft, today: date) -> list[str]:
    contract = draft.contract
    problems = []
    assessment = contract.assessment if contract.assessment_id else None
    try:
        check_needs_assessment(
            assessed_on=assessment.assessed_on if assessment else None,
            draft_on=today,
            ri_requested_on=contract.ri_decision.requested_on,
        )
    except (_RuleViolation, InvalidInput):
        problems.append(_("No needs assessment made between the RI request and today."))
    if not draft.objectives:
        problems.append(_("The contract has no objective yet."))
    cpas_by_objective = {c.objective_id for c in draft.clauses if c.party == Party.CPAS}
    for objective in draft.objectives:
        if objective.due_on is None:
            problems.append(_("Objective “%(title)s” has no due date.") % {"title": objective.title})
        if not objective.assessment_items.all():
            problems.append(
                _("Objective “%(title)s” answers no item of the needs assessment.") % {"title": objective.title}
            )
        if objective.pk not in cpas_by_objective:
            problems.append(_("Objective “%(title)s” has no commitment of the CPAS.") % {"title": objective.title})
    has_cost_coverage = any(c.party == Party.CPAS and c.kind == "cost_coverage" for c in draft.clauses)
    if not has_cost_coverage and any(
        c.party == Party.BENEFICIARY and c.kind in KINDS_NEEDING_COST_COVERAGE for c in draft.clauses
    ):
        problems.append(
            _(
                "The person commits to training or work experience: the CPAS must commit to bear the registration "
                "fees, insurance, work clothing and travel costs."
            )
        )
    committed = {c.third_party_id for c in draft.clauses if c.party == Party.THIRD_PARTY}
    for third_party in draft.third_parties:
        if third_party.pk not in committed:
            problems.append(_("Third party “%(name)s” has no commitment.") % {"name": third_party.name})
    for clause in draft.clauses:
        if clause.sanctionable and clause.position == Position.CONTESTED and not clause.discussion.strip():
            problems.append(
                _("A contested clause may ground a sanction without a record of the discussion: “%(text)s”.")
                % {"text": clause.text[:60]}
            )
    problems += _community_service_problems(draft)
    too_long = print_length_problem(_printed_texts(draft))
    if too_long is not None:
        problems.append(too_long.message)
    return problems


def _printed_texts(draft: _Draft) -> list[str]:
    """The free texts of the draft that its PDF prints (print_bounds: a draft too long to print is not handed over)."""
    contract = draft.contract
    texts = [contract.evaluation_arrangements, contract.beneficiary_comments]
    for objective in draft.objectives:
        texts += [objective.title, objective.observable_result, *(step.description for step in objective.steps.all())]
    texts += [clause.text for clause in draft.clauses]
    texts += [text for third in draft.third_parties for text in (third.name, third.contact, third.signatory_name)]
    return texts


def _community_service_problems(draft: _Draft) -> list[str]:
    """R23: text written before the detection (or imported) that describes community service blocks the hand-over."""
    texts = [text for o in draft.objectives for text in (o.title, o.observable_result)]
    texts += [step.description for o in draft.objectives for step in o.steps.all()]
    texts += [clause.text for clause in draft.clauses]
    problems = []
    for text in texts:
        try:
            check_clause_text(text)
        except _RuleViolation:
            problems.append(
                _("“%(text)s” describes community service, which can never be part of a PIIS: reword or remove it.")
                % {"text": text[:60]}
            )
    return problems


@dataclass(frozen=True)
class NextAction:
    label: str
    url: str


def _next_action(draft: _Draft) -> NextAction | None:
    """What the draft needs next, in the order of the hand-over checklist: an objective, a commitment of the CPAS for
    each objective (S-Neg 9, R27), a commitment of the person, one for each third party (R34). None when nothing of
    these is missing (the checklist may still list a problem, shown on the contract page)."""
    contract = draft.contract
    add_clause = reverse("contracts:clause_add", args=[contract.pk])
    if not draft.objectives:
        return NextAction(_("Add an objective"), reverse("contracts:objective_add", args=[contract.pk]))
    cpas_by_objective = {c.objective_id for c in draft.clauses if c.party == Party.CPAS}
    for objective in draft.objectives:
        if objective.pk not in cpas_by_objective:
            label = _("Add the CPAS's commitment for “%(title)s”") % {"title": objective.title}
            return NextAction(label, f"{add_clause}?party={Party.CPAS}&objective={objective.pk}")
    if not any(c.party == Party.BENEFICIARY for c in draft.clauses):
        return NextAction(_("Add a commitment of the person"), f"{add_clause}?party={Party.BENEFICIARY}")
    committed = {c.third_party_id for c in draft.clauses if c.party == Party.THIRD_PARTY}
    for third_party in draft.third_parties:
        if third_party.pk not in committed:
            label = _("Add a commitment of %(name)s") % {"name": third_party.name}
            return NextAction(label, f"{add_clause}?party=tp:{third_party.pk}")
    return None


def drafting_next_action(*, contract: Contract) -> NextAction | None:
    """The next thing the draft needs (see _next_action), for "Save and continue" on the drafting forms."""
    return _next_action(_load(contract))


def drafting_problems(*, contract: Contract, today: date) -> list[str]:
    """Translated messages for everything that blocks handing over the final draft; empty when it is ready.

    Checks: the needs assessment (R25, S-Pers 1), at least one objective, each dated and citing the assessment
    (S-Pers 2, 5) with at least one CPAS commitment (S-Neg 9, R27), the cost coverage a training or work-experience
    commitment requires (R29), a commitment for each third party (R34), no contested sanctionable clause without a
    record of the discussion (S-Neg 6), no text describing community service (R23).
    """
    return _problems(_load(contract), today)


# --- the contract page --------------------------------------------------------------------------------------------


def _sections(draft: _Draft) -> list[dict]:
    by_party: dict[str, list[Clause]] = {Party.BENEFICIARY: [], Party.CPAS: []}
    by_third_party: dict[int, list[Clause]] = {tp.pk: [] for tp in draft.third_parties}
    for clause in draft.clauses:
        clause.kind_label = clause_kind_label(clause.kind)
        clause.unmodified_template = bool(clause.template_text) and clause.text == clause.template_text
        clause.grounds_sanction = grounds_sanction(party=clause.party, sanctionable=clause.sanctionable)
        if clause.party == Party.THIRD_PARTY:
            by_third_party.setdefault(clause.third_party_id, []).append(clause)
        else:
            by_party[clause.party].append(clause)
    sections = [
        {"key": "beneficiary", "title": _("Commitments of the person"), "clauses": by_party[Party.BENEFICIARY]},
        {"key": "cpas", "title": _("Commitments of the CPAS"), "clauses": by_party[Party.CPAS]},
    ]
    for tp in draft.third_parties:
        sections.append(
            {
                "key": f"tp{tp.pk}",
                "title": _("Commitments of %(name)s") % {"name": tp.name},
                "third_party": tp,
                "clauses": by_third_party[tp.pk],
            }
        )
    return sections


def drafting_context(*, membership, contract: Contract, today: date | None = None) -> dict:
    """Template context for the drafting sections of contracts/detail.html, in a bounded number of queries."""
    today = today or timezone.localdate()
    draft = _load(contract)
    share = template_share(draft.clauses)
    drafting_open = contract_is_editable(contract)
    # The checklist's problems are shown only while drafting (the page offers the hand-over only then).
    problems = _problems(draft, today) if drafting_open else []
    return {
        "drafting": {
            "editable": drafting_open and can_edit_contract(membership),
            # a draft or an amendment being drafted: the hand-over checklist has something to say
            "drafting_open": drafting_open,
            "objectives": draft.objectives,
            "stages": _stages(draft.objectives, contract.path),
            "path_label": contract.get_path_display(),
            "sections": _sections(draft),
            "third_parties": draft.third_parties,
            "orientations": _orientation_labels(contract),
            "template_share": share,
            "template_share_percent": round(share * 100),
            "template_flagged": template_share_needs_review(share, on=today),
            "clause_count": len(draft.clauses),
            "problems": problems,
            "ready": not problems,
            "next_action": _next_action(draft),
        }
    }


def _stages(objectives: list[Objective], path: str) -> list[tuple[int | None, list[Objective]]]:
    """The objectives grouped in the stages of a sequenced path (one group otherwise), each numbered in order as the
    PDF numbers them (`display_number`)."""
    groups = stages(objectives, path, stage_of=lambda objective: objective.stage)
    number = 0
    for _stage, members in groups:
        for objective in members:
            number += 1
            objective.display_number = number
    return groups


def _orientation_labels(contract: Contract) -> list[str]:
    from piis.contracts.enums import Orientation

    labels = dict(Orientation.choices)
    return [str(labels.get(o, o)) for o in contract.orientations]
