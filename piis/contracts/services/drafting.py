"""Writes of the drafting phase: the contract header, objectives and steps, commitments of each party, third
parties and the CPAS's clause library.

Every write happens only while the contract is editable (`contract_is_editable`), inside one transaction with its
audit row keyed by the person's file. A refused write raises `piis.core.errors.ServiceError` with the form field
it concerns: the rules core's own code when the law refuses (never restated here), an app code otherwise; the text
is in piis.core.error_catalogue.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save
from piis.contracts.enums import CommitmentStatus, ContractStatus, Party, Position
from piis.contracts.models import Clause, ClauseTemplate, Contract, Objective, Step, ThirdParty
from piis.contracts.selectors import contract_is_editable
from piis.core.errors import ServiceError
from piis.rules import (
    InvalidInput,
    RuleViolation,
    check_clause_kind,
    check_clause_sanctionable,
    check_clause_text,
    check_needs_assessment,
    check_study_piis,
    default_sanctionable,
    param_int,
)


def _require_editable(contract: Contract) -> None:
    """NOT_EDITABLE: the contract is handed over, being signed, in force without an amendment being drafted, or
    ended."""
    if not contract_is_editable(contract):
        raise ServiceError("NOT_EDITABLE")


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
    """ServiceError REFERRED_TO_BY_RECORDS when the contract in force's signatures or evaluations refer to the row
    (an amendment being drafted): they keep it. The calling service is atomic, so nothing is half-removed."""
    try:
        audited_delete(
            actor=membership.user,
            cpas=membership.cpas,
            verb=verb,
            instance=instance,
            context=context,
            beneficiary_id=contract.beneficiary_id,
        )
    except ProtectedError:
        raise ServiceError("REFERRED_TO_BY_RECORDS") from None


# --- contract header --------------------------------------------------------------------------------------------


def _check_header(contract: Contract, *, today: date) -> None:
    if contract.ri_decision.beneficiary_id != contract.beneficiary_id:
        raise ServiceError("RI_DECISION_OF_ANOTHER_PERSON", field="ri_decision")
    assessment = contract.assessment
    if assessment is not None and assessment.beneficiary_id != contract.beneficiary_id:
        raise ServiceError("ASSESSMENT_OF_ANOTHER_PERSON", field="assessment")
    try:
        check_needs_assessment(
            assessed_on=assessment.assessed_on if assessment is not None else None,
            draft_on=today,
            ri_requested_on=contract.ri_decision.requested_on,
        )
    except InvalidInput as error:  # the draft (today) is dated before the RI request
        raise ServiceError("RI_REQUEST_IN_FUTURE", field="ri_decision") from error
    except RuleViolation as error:
        raise ServiceError.from_rule(error, field="assessment") from error
    if "studies" in contract.orientations:
        try:
            check_study_piis(
                birth_date=contract.beneficiary.birth_date,
                on=today,
                equity_assessment_decided=contract.ri_decision.full_time_studies,
            )
        except (RuleViolation, InvalidInput) as error:
            age = param_int("under_25_age_limit", on=today)
            raise ServiceError.from_rule(error, field="orientations", params={"age": age}) from error
    if contract.start_on and contract.end_on and contract.end_on < contract.start_on:
        raise ServiceError("PLANNED_END_BEFORE_START", field="end_on")
    if contract.substitute_worker_id and contract.substitute_worker_id == contract.social_worker_id:
        raise ServiceError("SUBSTITUTE_IS_SOCIAL_WORKER", field="substitute_worker")


@transaction.atomic
def contract_create(*, membership, contract: Contract, today: date, context: str = "") -> Contract:
    """Start a PIIS draft for a person (R25 needs assessment first, R22 study PIIS, one open PIIS at a time).

    Raises ServiceError (with its form field) on a broken rule, ONE_OPEN_CONTRACT when the person already has an
    open PIIS.
    """
    contract.cpas = membership.cpas
    contract.status = ContractStatus.DRAFT
    _check_header(contract, today=today)
    others = Contract.objects.for_cpas(membership.cpas).filter(beneficiary_id=contract.beneficiary_id)
    if others.exclude(status=ContractStatus.ENDED).exists():
        raise ServiceError("ONE_OPEN_CONTRACT")
    try:
        return _save(membership, contract, contract=contract, context=context, verb=AuditVerb.CONTRACT_DRAFTED)
    except IntegrityError as error:  # a concurrent creation won the race; the constraint is the last fence
        raise ServiceError("ONE_OPEN_CONTRACT") from error


@transaction.atomic
def contract_update_header(*, membership, contract: Contract, today: date, context: str = "") -> Contract:
    """Change the header facts (RI decision, assessment, orientations, workers, dates, evaluation) while editable."""
    _require_editable(contract)
    _check_header(contract, today=today)
    return _save(membership, contract, contract=contract, context=context, verb=AuditVerb.CONTRACT_DETAILS_CHANGED)


# --- objectives and steps ---------------------------------------------------------------------------------------


def _check_text(text: str, field: str) -> None:
    """R23: the free text of an objective, a step, a commitment or a library template never describes community
    service, in any language (the rules core's check_clause_text)."""
    try:
        check_clause_text(text)
    except RuleViolation as error:
        raise ServiceError.from_rule(error, field=field) from error


def _check_catalogue(instance, contract: Contract, *, partner: bool = False) -> None:
    """An objective, a step, a commitment or a third party points to an entry of its own CPAS's catalogue; a third
    party to a partner. Choosing an entry made inactive is refused (one already chosen stays)."""
    entry = instance.catalogue_entry
    if entry is None:
        return
    if entry.cpas_id != contract.cpas_id:
        raise ServiceError("CATALOGUE_ENTRY_INACTIVE", field="catalogue_entry")
    if partner and not entry.is_partner:
        raise ServiceError("CATALOGUE_NOT_A_PARTNER", field="catalogue_entry")
    if not entry.active:
        stored = type(instance).objects.filter(pk=instance.pk).values_list("catalogue_entry_id", flat=True).first()
        if stored != entry.pk:
            raise ServiceError("CATALOGUE_ENTRY_INACTIVE", field="catalogue_entry")


@transaction.atomic
def objective_save(*, membership, objective: Objective, assessment_items, context: str = "") -> Objective:
    """Create or update an objective: dated, checkable (S-Pers 5) and citing ≥ 1 item of the contract's needs
    assessment (S-Pers 2)."""
    contract = objective.contract
    _require_editable(contract)
    _check_text(objective.title, "title")
    _check_text(objective.observable_result, "observable_result")
    items = list(assessment_items)
    if not items:
        raise ServiceError("OBJECTIVE_WITHOUT_ASSESSMENT_ITEM", field="assessment_items")
    if any(item.assessment_id != contract.assessment_id for item in items):
        raise ServiceError("ASSESSMENT_ITEM_OF_ANOTHER_ASSESSMENT", field="assessment_items")
    if objective.due_on is None:
        raise ServiceError("OBJECTIVE_DUE_DATE_MISSING", field="due_on")
    _check_catalogue(objective, contract)
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
            raise ServiceError("PARTY_NOT_IN_CONTRACT", field=field)
        instance.third_party = match[0]
        return Party.THIRD_PARTY
    if owner not in (Party.BENEFICIARY, Party.CPAS):
        raise ServiceError("PARTY_NOT_IN_CONTRACT", field=field)
    instance.third_party = None
    return owner


@transaction.atomic
def step_save(*, membership, step: Step, owner: str, context: str = "") -> Step:
    """Create or update a step of an objective, owned by the person, the CPAS or a third party of the contract."""
    contract = step.objective.contract
    _require_editable(contract)
    _check_text(step.description, "description")
    step.owner = _set_owner(step, owner, contract.third_parties.all())
    _check_catalogue(step, contract)
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
        raise ServiceError.from_rule(error, field=field) from error


@transaction.atomic
def clause_save(
    *,
    membership,
    clause: Clause,
    party: str,
    sanctionable: bool | None,
    context: str = "",
    today: date | None = None,
) -> Clause:
    """Create or update one party's commitment (R27, S-Neg 6).

    `party` is "beneficiary", "cpas" or "tp:<id>". `sanctionable=None` takes the rules core's default for the kind
    and the party (S-Dec 15, S-Dom 16). Only the person's own commitment can ground a sanction (R55, R56): one of the
    CPAS or of a third party never does — asked for, it is refused; a row marked so before this was enforced is set
    back to not sanctionable when it is saved again. A contested clause may ground one only with a record of the
    discussion. The kind must be one of the rules core's and the text must not describe community service (R23).
    A due date is not before the contract's planned start (DUE_BEFORE_CONTRACT_START); a delivery status that changes
    is dated `today` (once the contract is in force, followup.services.commitment_delivery_record records it with
    its date).
    """
    contract = clause.contract
    _require_editable(contract)
    _check_kind(clause.kind)
    _check_text(clause.text, "text")
    if clause.due_on is not None and contract.start_on is not None and clause.due_on < contract.start_on:
        raise ServiceError("DUE_BEFORE_CONTRACT_START", field="due_on", params={"date": contract.start_on})
    _date_delivery_status(clause, today=today or timezone.localdate())
    clause.party = _set_owner(clause, party, contract.third_parties.all(), "party")
    if clause.objective is not None and clause.objective.contract_id != contract.pk:
        raise ServiceError("OBJECTIVE_OF_ANOTHER_CONTRACT", field="objective")
    _check_catalogue(clause, contract)
    if sanctionable is None:
        sanctionable = default_sanctionable(clause.kind, party=clause.party)
    try:
        check_clause_sanctionable(party=clause.party, sanctionable=sanctionable)
    except RuleViolation as error:
        raise ServiceError.from_rule(error, field="sanctionable") from error
    if sanctionable and clause.position == Position.CONTESTED and not clause.discussion.strip():
        raise ServiceError("CONTESTED_WITHOUT_DISCUSSION", field="discussion")
    clause.sanctionable = sanctionable
    verb = AuditVerb.CLAUSE_ADDED if clause.pk is None else AuditVerb.CLAUSE_CHANGED
    if clause.pk is None:
        clause.order = contract.clauses.count() + 1
        clause.template_text = clause.template.text if clause.template_id else ""
    return _save(membership, clause, contract=contract, context=context, verb=verb)


def _date_delivery_status(clause: Clause, *, today: date) -> None:
    """The delivery status says since when: `today` when it changes (a new commitment planned has no date)."""
    before = None
    if clause.pk is not None:
        stored = Clause.objects.for_cpas(clause.cpas_id).filter(pk=clause.pk)
        before = stored.values_list("delivery_status", flat=True).first()
    if before is None and clause.delivery_status == CommitmentStatus.PLANNED:
        clause.delivery_status_on = None
    elif before != clause.delivery_status:
        clause.delivery_status_on = today


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
        raise ServiceError("THIRD_PARTY_REQUESTER_INVALID", field="requested_by")
    _check_catalogue(third_party, contract, partner=True)
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
    _check_text(template.title, "title")
    _check_text(template.text, "text")
    template.cpas = membership.cpas
    verb = AuditVerb.CLAUSE_TEMPLATE_ADDED if template.pk is None else AuditVerb.CLAUSE_TEMPLATE_CHANGED
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=template, context=context)


@transaction.atomic
def clause_template_set_active(*, membership, template: ClauseTemplate, active: bool, context: str = "") -> None:
    """Deactivate (or reactivate) a template; clauses made from it keep their text."""
    template.active = active
    verb = AuditVerb.CLAUSE_TEMPLATE_REACTIVATED if active else AuditVerb.CLAUSE_TEMPLATE_DEACTIVATED
    audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=template, context=context)
