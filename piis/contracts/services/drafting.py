"""Writes of the drafting phase: the contract header, objectives and steps, commitments of each party, third
parties and the CPAS's clause library.

Every write happens only while the contract is editable (`contract_is_editable`), inside one transaction with its
audit row keyed by the person's file. A broken rule becomes a `ValidationError` keyed by the form field it concerns,
with a translated message (the codes of piis.rules are mapped here, never restated).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save
from piis.contracts.enums import ContractStatus, Party, Position
from piis.contracts.models import Clause, ClauseTemplate, Contract, Objective, Step, ThirdParty
from piis.contracts.selectors import contract_is_editable
from piis.rules import (
    InvalidInput,
    RuleViolation,
    check_clause_kind,
    check_needs_assessment,
    check_study_piis,
    default_sanctionable,
)

MESSAGES = {
    "NEEDS_ASSESSMENT_MISSING": _(
        "A needs assessment made after the RI request and on or before today is required before drafting (R25)."
    ),
    "DATES_OUT_OF_ORDER": _("The RI request is dated in the future: check the RI decision."),
    "EQUITY_ASSESSMENT_MISSING": _(
        "The person is 25 or older: the CPAS must first decide that full-time studies are an equity ground (record "
        "it on the RI decision) before a study PIIS can be drafted (R22)."
    ),
    "COMMUNITY_SERVICE_FORBIDDEN": _(
        "Community service was annulled by the Constitutional Court in 2018 and can never be part of a PIIS (R23)."
    ),
    "UNKNOWN_CLAUSE_KIND": _("Choose one of the kinds of commitment in the list."),
}


class NotEditable(Exception):
    """The contract is handed over, being signed, in force without an amendment being drafted, or ended."""


def rule_error(error: RuleViolation | InvalidInput, field: str) -> ValidationError:
    """A rules-core error as a translated ValidationError on one form field."""
    return ValidationError({field: MESSAGES.get(error.code, error.message)}, code=error.code)


def _require_editable(contract: Contract) -> None:
    if not contract_is_editable(contract):
        raise NotEditable


def _save(membership, instance, *, contract: Contract, context: str, verb: AuditVerb):
    instance.cpas = membership.cpas
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=verb,
        instance=instance,
        context=context,
        beneficiary_id=contract.beneficiary_id,
    )


def _delete(membership, instance, *, contract: Contract, context: str, verb: AuditVerb) -> None:
    audited_delete(
        actor=membership.user,
        cpas=membership.cpas,
        verb=verb,
        instance=instance,
        context=context,
        beneficiary_id=contract.beneficiary_id,
    )


# --- contract header --------------------------------------------------------------------------------------------


def _check_header(contract: Contract, *, today: date) -> None:
    errors = {}
    if contract.ri_decision.beneficiary_id != contract.beneficiary_id:
        errors["ri_decision"] = _("Choose an RI decision of this person.")
    if contract.assessment_id and contract.assessment.beneficiary_id != contract.beneficiary_id:
        errors["assessment"] = _("Choose a needs assessment of this person.")
    if errors:
        raise ValidationError(errors)
    try:
        check_needs_assessment(
            assessed_on=contract.assessment.assessed_on if contract.assessment_id else None,
            draft_on=today,
            ri_requested_on=contract.ri_decision.requested_on,
        )
    except InvalidInput as error:
        raise rule_error(error, "ri_decision") from None
    except RuleViolation as error:
        raise rule_error(error, "assessment") from None
    if "studies" in contract.orientations:
        try:
            check_study_piis(
                birth_date=contract.beneficiary.birth_date,
                on=today,
                equity_assessment_decided=contract.ri_decision.full_time_studies,
            )
        except (RuleViolation, InvalidInput) as error:
            raise rule_error(error, "orientations") from None
    if contract.start_on and contract.end_on and contract.end_on < contract.start_on:
        raise ValidationError({"end_on": _("The planned end cannot be before the planned start.")})
    if contract.substitute_worker_id and contract.substitute_worker_id == contract.social_worker_id:
        raise ValidationError({"substitute_worker": _("The substitute must be another person.")})


ONE_OPEN_CONTRACT = _(
    "This person already has a PIIS being negotiated or in force: amend or end it before starting a new one."
)


@transaction.atomic
def contract_create(*, membership, contract: Contract, today: date, context: str = "") -> Contract:
    """Start a PIIS draft for a person (R25 needs assessment first, R22 study PIIS, one open PIIS at a time).

    Raises ValidationError (field-keyed) on a broken rule or when the person already has an open PIIS.
    """
    contract.cpas = membership.cpas
    contract.status = ContractStatus.DRAFT
    _check_header(contract, today=today)
    others = Contract.objects.for_cpas(membership.cpas).filter(beneficiary_id=contract.beneficiary_id)
    if others.exclude(status=ContractStatus.ENDED).exists():
        raise ValidationError(ONE_OPEN_CONTRACT, code="one_open_contract")
    try:
        return _save(membership, contract, contract=contract, context=context, verb=AuditVerb.CONTRACT_DRAFTED)
    except IntegrityError:  # a concurrent creation won the race; the constraint is the last fence
        raise ValidationError(ONE_OPEN_CONTRACT, code="one_open_contract") from None


@transaction.atomic
def contract_update_header(*, membership, contract: Contract, today: date, context: str = "") -> Contract:
    """Change the header facts (RI decision, assessment, orientations, workers, dates, evaluation) while editable."""
    _require_editable(contract)
    _check_header(contract, today=today)
    return _save(membership, contract, contract=contract, context=context, verb=AuditVerb.CONTRACT_DETAILS_CHANGED)


# --- objectives and steps ---------------------------------------------------------------------------------------


@transaction.atomic
def objective_save(*, membership, objective: Objective, assessment_items, context: str = "") -> Objective:
    """Create or update an objective: dated, checkable (S-Pers 5) and citing ≥ 1 item of the contract's needs
    assessment (S-Pers 2)."""
    contract = objective.contract
    _require_editable(contract)
    items = list(assessment_items)
    if not items:
        raise ValidationError(
            {"assessment_items": _("Link the objective to at least one item of the needs assessment.")}
        )
    if any(item.assessment_id != contract.assessment_id for item in items):
        raise ValidationError({"assessment_items": _("Choose items of this contract's needs assessment.")})
    if objective.due_on is None:
        raise ValidationError({"due_on": _("Give the objective a due date.")})
    verb = AuditVerb.OBJECTIVE_ADDED if objective.pk is None else AuditVerb.OBJECTIVE_CHANGED
    if objective.pk is None:
        objective.position = contract.objectives.count() + 1
    _save(membership, objective, contract=contract, context=context, verb=verb)
    objective.assessment_items.set(items)
    return objective


@transaction.atomic
def objective_delete(*, membership, objective: Objective, context: str = "") -> None:
    """Remove an objective with its steps; commitments tied to it are kept, no longer tied to an objective."""
    contract = objective.contract
    _require_editable(contract)
    for clause in Clause.objects.for_cpas(membership.cpas).filter(objective=objective):
        clause.objective = None
        _save(membership, clause, contract=contract, context=context, verb=AuditVerb.OBJECTIVE_REMOVED)
    _delete(membership, objective, contract=contract, context=context, verb=AuditVerb.OBJECTIVE_REMOVED)


def _set_owner(instance, owner: str, third_parties, field: str = "owner") -> str:
    """`owner` is "beneficiary", "cpas" or "tp:<id>" of a third party of this contract."""
    if owner.startswith("tp:"):
        match = [tp for tp in third_parties if f"tp:{tp.pk}" == owner]
        if not match:
            raise ValidationError({field: _("Choose a party of this contract.")})
        instance.third_party = match[0]
        return Party.THIRD_PARTY
    if owner not in (Party.BENEFICIARY, Party.CPAS):
        raise ValidationError({field: _("Choose a party of this contract.")})
    instance.third_party = None
    return owner


@transaction.atomic
def step_save(*, membership, step: Step, owner: str, context: str = "") -> Step:
    """Create or update a step of an objective, owned by the person, the CPAS or a third party of the contract."""
    contract = step.objective.contract
    _require_editable(contract)
    step.owner = _set_owner(step, owner, contract.third_parties.all())
    verb = AuditVerb.STEP_ADDED if step.pk is None else AuditVerb.STEP_CHANGED
    if step.pk is None:
        step.position = step.objective.steps.count() + 1
    return _save(membership, step, contract=contract, context=context, verb=verb)


@transaction.atomic
def step_delete(*, membership, step: Step, context: str = "") -> None:
    contract = step.objective.contract
    _require_editable(contract)
    _delete(membership, step, contract=contract, context=context, verb=AuditVerb.STEP_REMOVED)


# --- commitments ---------------------------------------------------------------------------------------------------


def _check_kind(kind: str, field: str = "kind") -> None:
    try:
        check_clause_kind(kind)
    except (RuleViolation, InvalidInput) as error:
        raise rule_error(error, field) from None


@transaction.atomic
def clause_save(*, membership, clause: Clause, party: str, sanctionable: bool | None, context: str = "") -> Clause:
    """Create or update one party's commitment (R27, S-Neg 6).

    `party` is "beneficiary", "cpas" or "tp:<id>". `sanctionable=None` takes the rules core's default for the kind
    (S-Dec 15, S-Dom 16). A CPAS commitment never grounds a sanction; a contested clause may ground one only with a
    record of the discussion. The kind must be one of the rules core's (never community service, R23).
    """
    contract = clause.contract
    _require_editable(contract)
    _check_kind(clause.kind)
    clause.party = _set_owner(clause, party, contract.third_parties.all(), "party")
    if clause.objective_id and clause.objective.contract_id != contract.pk:
        raise ValidationError({"objective": _("Choose an objective of this contract.")})
    if sanctionable is None:
        sanctionable = default_sanctionable(clause.kind) and clause.party != Party.CPAS
    if sanctionable and clause.party == Party.CPAS:
        raise ValidationError({"sanctionable": _("A commitment of the CPAS can never ground a sanction.")})
    if sanctionable and clause.position == Position.CONTESTED and not clause.discussion.strip():
        raise ValidationError(
            {"discussion": _("The person contests this clause: record the discussion before making it sanctionable.")}
        )
    clause.sanctionable = sanctionable
    verb = AuditVerb.CLAUSE_ADDED if clause.pk is None else AuditVerb.CLAUSE_CHANGED
    if clause.pk is None:
        clause.order = contract.clauses.count() + 1
        clause.template_text = clause.template.text if clause.template_id else ""
    return _save(membership, clause, contract=contract, context=context, verb=verb)


@transaction.atomic
def clause_delete(*, membership, clause: Clause, context: str = "") -> None:
    contract = clause.contract
    _require_editable(contract)
    _delete(membership, clause, contract=contract, context=context, verb=AuditVerb.CLAUSE_REMOVED)


# --- third parties --------------------------------------------------------------------------------------------------


@transaction.atomic
def third_party_save(*, membership, third_party: ThirdParty, context: str = "") -> ThirdParty:
    """Add or change a third party: a party at the request of the person or the CPAS (R34, S-Third 18)."""
    contract = third_party.contract
    _require_editable(contract)
    if third_party.requested_by not in (Party.BENEFICIARY, Party.CPAS):
        raise ValidationError({"requested_by": _("A third party joins at the request of the person or the CPAS.")})
    verb = AuditVerb.THIRD_PARTY_ADDED if third_party.pk is None else AuditVerb.THIRD_PARTY_CHANGED
    return _save(membership, third_party, contract=contract, context=context, verb=verb)


@transaction.atomic
def third_party_delete(*, membership, third_party: ThirdParty, context: str = "") -> None:
    """Remove a third party with its commitments and steps (only while the contract is editable)."""
    contract = third_party.contract
    _require_editable(contract)
    verb = AuditVerb.THIRD_PARTY_REMOVED
    for clause in list(third_party.clauses.all()):
        _delete(membership, clause, contract=contract, context=context, verb=verb)
    for step in list(Step.objects.for_cpas(membership.cpas).filter(third_party=third_party)):
        _delete(membership, step, contract=contract, context=context, verb=verb)
    _delete(membership, third_party, contract=contract, context=context, verb=verb)


# --- clause library -----------------------------------------------------------------------------------------------


@transaction.atomic
def clause_template_save(*, membership, template: ClauseTemplate, context: str = "") -> ClauseTemplate:
    """Add or change a template of the CPAS's clause library (never a community-service text, R23)."""
    _check_kind(template.kind)
    if _looks_forbidden(template.title):
        raise ValidationError({"title": MESSAGES["COMMUNITY_SERVICE_FORBIDDEN"]})
    template.cpas = membership.cpas
    verb = AuditVerb.CLAUSE_TEMPLATE_ADDED if template.pk is None else AuditVerb.CLAUSE_TEMPLATE_CHANGED
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=template, context=context)


def _looks_forbidden(label: str) -> bool:
    try:
        check_clause_kind(label)
    except RuleViolation as error:
        return error.code == "COMMUNITY_SERVICE_FORBIDDEN"
    return False


@transaction.atomic
def clause_template_set_active(*, membership, template: ClauseTemplate, active: bool, context: str = "") -> None:
    """Deactivate (or reactivate) a template; clauses made from it keep their text."""
    template.active = active
    verb = AuditVerb.CLAUSE_TEMPLATE_REACTIVATED if active else AuditVerb.CLAUSE_TEMPLATE_DEACTIVATED
    audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=template, context=context)
