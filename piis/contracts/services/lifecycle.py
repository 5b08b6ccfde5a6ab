"""The transitions of a PIIS contract (contracts/enums.py: TRANSITIONS). Only these change `status`, each after
asking the table whether it may leave the contract's state (`selectors.contract_state`, `can_transition`) and
moving it to the table's target (`_enter`).

hand over a final draft (S-Neg 7) → record the information and rights (R28, R38) → signatures (R14, R34–R36, R39)
→ in force → amendments (R49) → end. Each service runs in one transaction, locks the contract row, writes its
audit rows with the file's beneficiary_id, and raises `piis.core.errors.ServiceError` (a stable code, the form field
it belongs to and the figures of the message) when the law or the state forbids the step; the text of each code is
in piis.core.error_catalogue.
"""

from datetime import date

from django.db import transaction

from piis.accounts.models import Signatory, SignatoryDelegation
from piis.accounts.selectors import required_cpas_signatories
from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save, record
from piis.contracts.diff import version_diff
from piis.contracts.enums import (
    STATE_STATUS,
    ContractStatus,
    EndReason,
    LifecycleState,
    Party,
    Transition,
    VersionKind,
    can_transition,
    lifecycle_state,
    transition_target,
)
from piis.contracts.models import Clause, Contract, ContractVersion, Signature
from piis.contracts.reflection import reflection_dates
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.selectors import contract_state
from piis.contracts.snapshot import contract_snapshot, version_snapshot
from piis.core.concurrency import carry_read_version
from piis.core.errors import ServiceError
from piis.rules import InvalidInput, RuleViolation, check_amendment, check_signature
from piis.rules.signature import is_concluded

# How a signature counts (the rules core's party names): the beneficiary, a CPAS matrix function, a third party's
# code; the social worker's co-signature counts for nothing required (T20).
COSIGNATURE = "social_worker_cosignature"
# A CPAS without a required line in its signatory matrix can never conclude a PIIS: the CPAS is a party (R34).
NO_MATRIX = "cpas_signatory_matrix_empty"


def _lock(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("ri_decision", "beneficiary").get(pk=contract.pk)


def _save(membership, instance, context: str, beneficiary_id: int, *, verb: AuditVerb):
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=verb,
        instance=instance,
        context=context,
        beneficiary_id=beneficiary_id,
    )


def _apply(contract: Contract, state: LifecycleState) -> None:
    """Put `contract` in `state`: its stored status, and whether an amendment is being drafted."""
    contract.status = STATE_STATUS[state]
    contract.editing_amendment = state == LifecycleState.AMENDMENT_DRAFTING


def _enter(
    membership, contract: Contract, state: LifecycleState, context: str, *, verb: AuditVerb, **fields
) -> Contract:
    _apply(contract, state)
    for name, value in fields.items():
        setattr(contract, name, value)
    return _save(membership, contract, context, contract.beneficiary_id, verb=verb)


def hand_over_problems(contract: Contract, today: date) -> list[str]:
    try:
        from piis.contracts.selectors_drafting import drafting_problems
    except ImportError:  # part B not merged yet: nothing to check beyond the lifecycle itself
        return []
    return list(drafting_problems(contract=contract, today=today))


def pending_version(contract: Contract) -> ContractVersion | None:
    """The version handed over and not yet concluded nor withdrawn (initial or amendment), if any."""
    return (
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=True, superseded=False)
        .order_by("-number")
        .first()
    )


def withdrawn_amendment_reason(contract: Contract) -> str:
    """The reason given for the amendment being drafted, when it was handed over once and taken back to draft: the
    hand-over form offers it again instead of asking it from scratch ("" when there is none)."""
    in_force = version_in_force(contract)
    withdrawn = (
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, kind=VersionKind.AMENDMENT, concluded_on__isnull=True, superseded=True)
        .filter(number__gt=in_force.number if in_force else 0)
        .order_by("-number")
        .values_list("reason", flat=True)
        .first()
    )
    return withdrawn or ""


def version_in_force(contract: Contract) -> ContractVersion | None:
    return (
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=False, superseded=False)
        .order_by("-number")
        .first()
    )


# --- hand-over -------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_hand_over(
    *, membership, contract: Contract, handed_over_on: date, today: date, reason: str = "", context: str = ""
) -> ContractVersion:
    """S-Neg 7: freeze the live content as version n+1 and hand it over; the reflection period starts (R39).

    Initial contract: draft → handed_over. Amendment (in force, editing_amendment): the live content is locked again
    and the new version waits for every party's consent. Raises ServiceError DRAFTING_PROBLEMS (the list in
    params["problems"]),
    NOT_DRAFTING, HANDOVER_IN_FUTURE, HANDOVER_BEFORE_RI_DECISION, REASON_REQUIRED.
    """
    contract = _lock(contract)
    state = contract_state(contract)
    if not can_transition(state, Transition.HAND_OVER):
        raise ServiceError("NOT_DRAFTING")
    amendment = state == LifecycleState.AMENDMENT_DRAFTING
    if handed_over_on > today:
        raise ServiceError("HANDOVER_IN_FUTURE", field="handed_over_on")
    if handed_over_on < contract.ri_decision.decided_on:
        raise ServiceError(
            "HANDOVER_BEFORE_RI_DECISION", field="handed_over_on", params={"date": contract.ri_decision.decided_on}
        )
    if amendment and not reason.strip():
        raise ServiceError("REASON_REQUIRED", field="reason")
    problems = hand_over_problems(contract, today)
    if problems:
        raise ServiceError("DRAFTING_PROBLEMS", params={"problems": problems})
    last = contract.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ContractVersion(
        cpas=contract.cpas,
        contract=contract,
        number=last + 1,
        kind=VersionKind.AMENDMENT if amendment else VersionKind.INITIAL,
        reason=reason.strip() if amendment else "",
        snapshot=contract_snapshot(contract),
        language=contract.beneficiary.language,
        handed_over_on=handed_over_on,
        handed_over_by=membership.user,
    )
    verb = AuditVerb.CONTRACT_HANDED_OVER
    _save(membership, version, context, contract.beneficiary_id, verb=verb)
    _enter(membership, contract, transition_target(state, Transition.HAND_OVER), context, verb=verb)
    return version


@transaction.atomic
def contract_back_to_draft(*, membership, contract: Contract, context: str = "") -> Contract:
    """The person asks for changes: the version handed over is withdrawn, the live content editable again.

    A new hand-over restarts the reflection period. Signatures already given on the withdrawn version stay in its
    history. Raises ServiceError NOTHING_HANDED_OVER.
    """
    contract = _lock(contract)
    state = contract_state(contract)
    version = pending_version(contract)
    if version is None or not can_transition(state, Transition.BACK_TO_DRAFT):
        raise ServiceError("NOTHING_HANDED_OVER")
    version.superseded = True
    verb = AuditVerb.HANDOVER_WITHDRAWN
    _save(membership, version, context, contract.beneficiary_id, verb=verb)
    return _enter(membership, contract, transition_target(state, Transition.BACK_TO_DRAFT), context, verb=verb)


# --- information and rights --------------------------------------------------------------------------------------


def information_recorded(version: ContractVersion, *, on: date | None = None) -> bool:
    """R28, R38, S-Neg 8: the information and every right were given (on or before `on`), assistance answered."""
    if version.information_given_on is None or not version.assistance:
        return False
    if set(RIGHT_CODES) - set(version.rights_given or []):
        return False
    return on is None or version.information_given_on <= on


@transaction.atomic
def version_record_information(
    *,
    membership,
    version: ContractVersion,
    given_on: date,
    rights: list[str],
    assistance: str,
    assisted_by: str = "",
    today: date,
    context: str = "",
) -> ContractVersion:
    """R28, R38, S-Neg 8, S-Info 24: record that the person was informed of the content, scope, consequences and of
    every right, by the current user, and whether someone assisted them.

    Raises ServiceError VERSION_CLOSED, INFORMATION_IN_FUTURE, INFORMATION_BEFORE_HANDOVER, RIGHTS_INCOMPLETE,
    ASSISTANT_NAME_REQUIRED.
    """
    contract = _lock(version.contract)
    version = carry_read_version(version, ContractVersion.objects.select_for_update().get(pk=version.pk))
    if version.concluded_on is not None or version.superseded:
        raise ServiceError("VERSION_CLOSED")
    if given_on > today:
        raise ServiceError("INFORMATION_IN_FUTURE", field="given_on")
    if given_on < version.handed_over_on:  # the person is informed of the final draft, once it is handed over
        raise ServiceError("INFORMATION_BEFORE_HANDOVER", field="given_on", params={"date": version.handed_over_on})
    missing = [code for code in RIGHT_CODES if code not in rights]
    if missing:
        raise ServiceError("RIGHTS_INCOMPLETE", field="rights")
    if assistance == "assisted" and not assisted_by.strip():
        raise ServiceError("ASSISTANT_NAME_REQUIRED", field="assisted_by")
    version.information_given_on = given_on
    version.information_given_by = membership.user
    version.rights_given = [code for code in RIGHT_CODES if code in rights]
    version.assistance = assistance
    version.assisted_by = assisted_by.strip() if assistance == "assisted" else ""
    return _save(membership, version, context, contract.beneficiary_id, verb=AuditVerb.INFORMATION_RECORDED)


@transaction.atomic
def contract_hand_over_and_inform(
    *,
    membership,
    contract: Contract,
    handed_over_on: date,
    rights: list[str],
    assistance: str,
    assisted_by: str = "",
    today: date,
    reason: str = "",
    context: str = "",
) -> ContractVersion:
    """The hand-over (S-Neg 7) and the information and rights given at the same meeting (R28, R38, S-Info 24),
    dated the hand-over: `contract_hand_over`, then `version_record_information` on the new version, each with its
    own audit row. One transaction: when the information is refused, nothing is handed over.

    Raises the ServiceErrors of both.
    """
    version = contract_hand_over(
        membership=membership, contract=contract, handed_over_on=handed_over_on, today=today, reason=reason,
        context=context,
    )  # fmt: skip
    return version_record_information(
        membership=membership, version=version, given_on=handed_over_on, rights=rights, assistance=assistance,
        assisted_by=assisted_by, today=today, context=context,
    )  # fmt: skip


# --- signatures ---------------------------------------------------------------------------------------------------


def required_party_codes(version: ContractVersion) -> dict[str, list[str]]:
    """Who must sign `version`: the CPAS matrix functions and the third parties frozen in the version."""
    functions = [line.function for line in required_cpas_signatories(cpas=version.cpas)]
    return {
        "cpas": functions or [NO_MATRIX],
        "third_parties": [third.code for third in version_snapshot(version).third_parties],
    }


def signature_code(signature: Signature) -> str:
    """How one signature counts for the rules core (see COSIGNATURE)."""
    if signature.party == Party.THIRD_PARTY:
        return f"third_party:{signature.third_party_id}"
    if signature.party == Party.CPAS:
        return signature.signatory.function if signature.signatory is not None else COSIGNATURE
    return Party.BENEFICIARY


def _resolve_signer(version: ContractVersion, signer: str, delegation_id: int | None, signed_on: date) -> dict:
    """Turn the form's signer choice into Signature fields; ServiceError UNKNOWN_SIGNER / DELEGATION_INVALID."""
    contract = version.contract
    if signer == Party.BENEFICIARY:
        return {"party": Party.BENEFICIARY, "default_name": f"{contract.beneficiary.first_name} "
                f"{contract.beneficiary.last_name}"}  # fmt: skip
    if signer == "cosign":
        worker = contract.social_worker
        return {"party": Party.CPAS, "default_name": worker.get_full_name() or worker.username}
    kind, _sep, pk = signer.partition(":")
    if kind == "signatory" and pk.isdigit():
        line = Signatory.objects.for_cpas(version.cpas_id).filter(pk=int(pk)).first()
        if line is None:
            raise ServiceError("UNKNOWN_SIGNER", field="signer")
        fields = {"party": Party.CPAS, "signatory": line, "default_name": line.holder_name}
        if delegation_id:
            delegation = (
                SignatoryDelegation.objects.for_cpas(version.cpas_id).filter(pk=delegation_id, signatory=line).first()
            )
            if delegation is None or not (
                delegation.valid_from <= signed_on
                and (delegation.valid_until is None or signed_on <= delegation.valid_until)
            ):
                raise ServiceError("DELEGATION_INVALID", field="delegation")
            fields |= {"delegation": delegation, "default_name": delegation.delegate_name}
        return fields
    if kind == "third_party" and pk.isdigit():
        frozen = {third.id for third in version_snapshot(version).third_parties}
        third = contract.third_parties.filter(pk=int(pk)).first()
        if third is None or third.pk not in frozen:
            raise ServiceError("UNKNOWN_SIGNER", field="signer")
        return {"party": Party.THIRD_PARTY, "third_party": third, "default_name": third.signatory_name or third.name}
    raise ServiceError("UNKNOWN_SIGNER", field="signer")


def existing_signature(version: ContractVersion, signer: str) -> Signature | None:
    """The signature already recorded on `version` for the form's `signer` choice (counted as signature_code counts
    it), or None. A party signs a version once: a second POST of the same signature (its response lost, the button
    pressed twice, the form sent again from the browser's history) finds it, and records nothing."""
    try:
        fields = _resolve_signer(version, signer, None, version.handed_over_on)
    except ServiceError:
        return None
    fields.pop("default_name")
    code = signature_code(Signature(version=version, **fields))
    return next(
        (given for given in version.signatures.select_related("signatory") if signature_code(given) == code), None
    )


def _check_signature_rules(version: ContractVersion, signed_on: date, today: date) -> None:
    if signed_on > today:
        raise ServiceError("SIGNATURE_IN_FUTURE", field="signed_on")
    try:
        check_signature(
            final_draft_handed_over=version.handed_over_on,
            signed_on=signed_on,
            ri_decision_date=version.contract.ri_decision.decided_on,
            rights_information_recorded=information_recorded(version, on=signed_on),
        )
    except RuleViolation as violation:
        params = {"earliest": reflection_dates(version.handed_over_on).signature_from}
        params["ri_decision_on"] = version.contract.ri_decision.decided_on
        field = None if violation.code == "RIGHTS_INFORMATION_MISSING" else "signed_on"
        raise ServiceError.from_rule(violation, field=field, params=params) from violation
    except InvalidInput as invalid:
        # Dated before the hand-over: when it is also before the RI decision, that is the clearer message (R14).
        decided_on = version.contract.ri_decision.decided_on
        if signed_on < decided_on:
            raise ServiceError("PIIS_BEFORE_RI_DECISION", field="signed_on", rule="R14",
                               params={"ri_decision_on": decided_on}) from invalid  # fmt: skip
        raise ServiceError("SIGNATURE_BEFORE_HANDOVER", field="signed_on",
                           params={"date": version.handed_over_on}) from invalid  # fmt: skip


@transaction.atomic
def contract_sign(
    *,
    membership,
    version: ContractVersion,
    signer: str,
    signed_on: date,
    method: str,
    today: date,
    delegation_id: int | None = None,
    signer_name: str = "",
    scan=None,
    late_motivation: str = "",
    context: str = "",
) -> Signature:
    """R14, R34–R36, R39, R28: record one party's signature (or consent to an amendment) on the pending version.

    `signer`: "beneficiary", "signatory:<id>" (a line of the CPAS matrix, optionally through a delegation valid on
    the signing date), "third_party:<id>" or "cosign" (the social worker's co-signature, which replaces no required
    line, T20). The first signature of an initial contract moves it to awaiting_signatures; the last required one
    concludes it (in force, clauses in force from that date); for an amendment, check_amendment decides (T26, T27).
    Raises ServiceError VERSION_CLOSED, UNKNOWN_SIGNER, DELEGATION_INVALID, ALREADY_SIGNED, SIGNATURE_IN_FUTURE,
    SIGNATURE_BEFORE_HANDOVER, PIIS_BEFORE_RI_DECISION, REFLECTION_PERIOD, RIGHTS_INFORMATION_MISSING.
    """
    contract = _lock(version.contract)
    version = ContractVersion.objects.select_for_update().select_related("contract").get(pk=version.pk)
    version.contract = contract
    # Before the state: the last signature concludes the version, so its retry would otherwise find it closed.
    if existing_signature(version, signer) is not None:
        raise ServiceError("ALREADY_SIGNED", field="signer")
    # A version still open is the one handed over: the contract's state follows from it without another query.
    is_open = version.concluded_on is None and not version.superseded
    state = lifecycle_state(
        contract.status, editing_amendment=contract.editing_amendment, amendment_handed_over=is_open
    )
    if not is_open or not can_transition(state, Transition.SIGN):
        raise ServiceError("VERSION_CLOSED")
    fields = _resolve_signer(version, signer, delegation_id, signed_on)
    _check_signature_rules(version, signed_on, today)
    default_name = fields.pop("default_name")
    signature = Signature(
        cpas=contract.cpas,
        version=version,
        signer_name=signer_name.strip() or default_name,
        signed_on=signed_on,
        method=method,
        recorded_by=membership.user,
        **fields,
    )
    if scan:
        signature.scan = scan
    code = signature_code(signature)
    existing = [signature_code(s) for s in version.signatures.select_related("signatory")]
    if code in existing:
        raise ServiceError("ALREADY_SIGNED", field="signer")
    _save(membership, signature, context, contract.beneficiary_id, verb=AuditVerb.CONTRACT_SIGNED)
    if late_motivation.strip() and not contract.late_motivation:
        contract.late_motivation = late_motivation.strip()
        _save(membership, contract, context, contract.beneficiary_id, verb=AuditVerb.LATE_MOTIVATION_RECORDED)
    signed_state = transition_target(state, Transition.SIGN)
    if signed_state != state:
        _enter(membership, contract, signed_state, context, verb=AuditVerb.CONTRACT_SIGNED)
    _conclude_if_complete(membership, contract, version, signed_state, [*existing, code], context)
    return signature


def amendment_consents(version: ContractVersion, signed: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(parties, consenting, touched) of an amendment version for check_amendment, in the rules core's names.

    The CPAS consents when every required line of its matrix has signed (as for a conclusion).
    """
    required = required_party_codes(version)
    parties = [Party.BENEFICIARY.value, Party.CPAS.value, *required["third_parties"]]
    consenting = [code for code in signed if code == Party.BENEFICIARY or code.startswith("third_party:")]
    if set(required["cpas"]) <= set(signed):
        consenting.append(Party.CPAS.value)
    previous = (
        ContractVersion.objects.for_cpas(version.cpas_id)
        .filter(contract=version.contract_id, concluded_on__isnull=False, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    diff = version_diff(version_snapshot(previous) if previous else None, version_snapshot(version))
    touched = [code for code in parties if code in diff.touched]
    return parties, [c for c in consenting if c in parties], touched


def amendment_violation(version: ContractVersion, signed: list[str]) -> RuleViolation | None:
    """What still stops an amendment version from taking effect (T26, T27), or None when it is complete."""
    parties, consenting, touched = amendment_consents(version, signed)
    try:
        check_amendment(
            parties=parties,
            consenting=consenting,
            information_recorded=information_recorded(version),
            touched=touched,
            strict=True,  # T26: every party consents, even one whose section is untouched
        )
    except RuleViolation as violation:
        return violation
    return None


def _store_pdf_after_commit(version: ContractVersion) -> None:
    """A signed version never changes: its PDF is laid out once by the background worker and kept (contracts.tasks)
    after the conclusion has committed, so that nobody waits for it when it is first opened."""
    from piis.contracts.tasks import store_signed_pdf

    version_id, cpas_id = version.pk, version.cpas_id
    transaction.on_commit(lambda: store_signed_pdf.enqueue(version_id, cpas_id))


def _conclude_if_complete(
    membership, contract: Contract, version: ContractVersion, state: LifecycleState, signed: list[str], context: str
):
    last_date = max(version.signatures.values_list("signed_on", flat=True))
    concluded = transition_target(state, Transition.CONCLUDE)
    if version.kind == VersionKind.INITIAL:
        required = required_party_codes(version)
        if not is_concluded(signed_by=signed, cpas_signatories=required["cpas"],
                            third_parties=required["third_parties"]):  # fmt: skip
            return
        version.concluded_on = last_date
        _save(membership, version, context, contract.beneficiary_id, verb=AuditVerb.CONTRACT_CONCLUDED)
        _store_pdf_after_commit(version)
        Clause.objects.for_cpas(contract.cpas_id).filter(contract=contract).update(in_force_from=last_date)
        _enter(membership, contract, concluded, context, verb=AuditVerb.CONTRACT_CONCLUDED, signed_on=last_date)
        return
    if amendment_violation(version, signed) is not None:
        return
    previous = version_in_force(contract)
    diff = version_diff(version_snapshot(previous) if previous else None, version_snapshot(version))
    verb = AuditVerb.AMENDMENT_CONCLUDED
    if previous is not None:
        previous.superseded = True
        _save(membership, previous, context, contract.beneficiary_id, verb=verb)
    version.concluded_on = last_date
    _save(membership, version, context, contract.beneficiary_id, verb=verb)
    _store_pdf_after_commit(version)
    clauses = Clause.objects.for_cpas(contract.cpas_id).filter(contract=contract)
    clauses.filter(pk__in=diff.changed_clause_ids).update(in_force_from=last_date)
    clauses.filter(in_force_from__isnull=True).update(in_force_from=last_date)
    _enter(membership, contract, concluded, context, verb=verb)


@transaction.atomic
def contract_record_late_motivation(*, membership, contract: Contract, motivation: str, context: str = "") -> Contract:
    """R15, T14: why the PIIS was (or will be) concluded after its deadline. A flag for audit, never a block."""
    contract = carry_read_version(contract, _lock(contract))
    if not motivation.strip():
        raise ServiceError("MOTIVATION_REQUIRED", field="late_motivation")
    contract.late_motivation = motivation.strip()
    return _save(membership, contract, context, contract.beneficiary_id, verb=AuditVerb.LATE_MOTIVATION_RECORDED)


# --- amendment and end -------------------------------------------------------------------------------------------


@transaction.atomic
def contract_start_amendment(*, membership, contract: Contract, reason: str = "", context: str = "") -> Contract:
    """R49: open the live content of a contract in force for an amendment; the version in force stays in force.

    The reason is asked once, when the amendment is handed over (contract_hand_over, REASON_REQUIRED), where it is
    frozen with the new version; a `reason` known already is only recorded in the audit row. Raises ServiceError
    NOT_IN_FORCE, AMENDMENT_PENDING.
    """
    contract = _lock(contract)
    state = contract_state(contract)
    if not can_transition(state, Transition.START_AMENDMENT):
        raise ServiceError("AMENDMENT_PENDING" if contract.status == ContractStatus.IN_FORCE else "NOT_IN_FORCE")
    _apply(contract, transition_target(state, Transition.START_AMENDMENT))
    contract.save(update_fields=["editing_amendment", "updated_at"])
    changes: dict[str, list] = {"editing_amendment": [False, True]}
    if reason.strip():
        changes["amendment_reason"] = [None, reason.strip()]
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.AMENDMENT_STARTED,
        target=contract,
        changes=changes,
        beneficiary_id=contract.beneficiary_id,
        context=context,
    )
    return contract


@transaction.atomic
def contract_end(
    *, membership, contract: Contract, ended_on: date, reason: str, today: date, context: str = ""
) -> Contract:
    """End a contract in force (reason from EndReason): in_force → ended. A pending amendment is withdrawn.

    Raises ServiceError NOT_IN_FORCE, END_IN_FUTURE, END_BEFORE_SIGNATURE, UNKNOWN_REASON.
    """
    contract = _lock(contract)
    state = contract_state(contract)
    if not can_transition(state, Transition.END):
        raise ServiceError("NOT_IN_FORCE")
    if reason not in EndReason.values:
        raise ServiceError("UNKNOWN_REASON", field="reason")
    if ended_on > today:
        raise ServiceError("END_IN_FUTURE", field="ended_on")
    if contract.signed_on and ended_on < contract.signed_on:
        raise ServiceError("END_BEFORE_SIGNATURE", field="ended_on", params={"date": contract.signed_on})
    version = pending_version(contract)
    if version is not None:
        version.superseded = True
        _save(membership, version, context, contract.beneficiary_id, verb=AuditVerb.CONTRACT_ENDED)
    return _enter(
        membership,
        contract,
        transition_target(state, Transition.END),
        context,
        verb=AuditVerb.CONTRACT_ENDED,
        ended_on=ended_on,
        end_reason=reason,
    )
