"""Reads for the lifecycle part of the contract page: timeline, versions, reflection countdown, information,
signatures still missing, amendment diff, late flag. A fixed number of queries whatever the number of versions."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from piis.accounts.selectors import required_cpas_signatories
from piis.contracts.diff import version_diff
from piis.contracts.enums import (
    ContractStatus,
    EndReason,
    LifecycleState,
    Party,
    Transition,
    VersionKind,
    can_transition,
    lifecycle_state,
)
from piis.contracts.models import Contract, ContractVersion, Signature
from piis.contracts.obligation import conclusion_for_contract
from piis.contracts.perms import can_edit_contract
from piis.contracts.reflection import reflection_dates
from piis.contracts.rights import rights_list
from piis.contracts.services.lifecycle import (
    COSIGNATURE,
    amendment_violation,
    information_recorded,
    signature_code,
)
from piis.contracts.snapshot import version_snapshot
from piis.core import compiled

TIMELINE = (
    ContractStatus.DRAFT,
    ContractStatus.HANDED_OVER,
    ContractStatus.AWAITING_SIGNATURES,
    ContractStatus.IN_FORCE,
    ContractStatus.ENDED,
)


@dataclass
class RequiredSigner:
    code: str
    label: str
    name: str
    signature: Signature | None
    choice: str


def version_list(contract: Contract) -> list[ContractVersion]:
    """Every version of the contract with its signatures (2 queries)."""
    signatures = Signature.objects.select_related("signatory", "delegation", "third_party", "recorded_by")
    return list(
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract)
        .select_related("handed_over_by", "information_given_by")
        .prefetch_related(Prefetch("signatures", queryset=signatures))
        .order_by("number")
    )


def _page_versions(contract: Contract) -> list[ContractVersion]:
    """The contract page's versions (1 query): each with `first_signed_on`, the date of its first signature (for the
    timeline), and without its signatures, which only the version still open shows (_pending_signatures)."""
    if connection.vendor != "postgresql":
        versions = list(_versions_of(cpas=contract.cpas_id, contract=contract.pk))
    else:  # its SQL built once (core.compiled)
        versions = compiled.instances(("page_versions",), _versions_of, cpas=contract.cpas_id, contract=contract.pk)
    for version in versions:
        ContractVersion.contract.field.set_cached_value(version, contract)
    return versions


def _versions_of(*, cpas: int, contract: int):
    first_signed_on = Signature.objects.filter(version=OuterRef("pk")).order_by("signed_on").values("signed_on")[:1]
    return (
        ContractVersion.objects.for_cpas(cpas)
        .filter(contract_id=contract)
        .select_related("information_given_by")
        .annotate(first_signed_on=Subquery(first_signed_on))
        .order_by("number")
    )


def _pending_signatures(version: ContractVersion) -> None:
    """The signatures of the version still open, read once (1 query) into `version.signatures.all()`."""
    signatures = Signature.objects.select_related("signatory", "delegation").order_by("signed_on", "id")
    prefetch_related_objects([version], Prefetch("signatures", queryset=signatures))


def version_get_by_number(contract: Contract, number: int) -> ContractVersion:
    """One version of a contract already fetched inside the caller's CPAS (contract_get_for_user), by its number;
    Http404 when it has none such."""
    try:
        version = ContractVersion.objects.for_cpas(contract.cpas_id).get(contract=contract, number=number)
    except ContractVersion.DoesNotExist:
        raise Http404 from None
    version.contract = contract
    return version


def version_state(version: ContractVersion) -> str:
    if version.concluded_on and not version.superseded:
        return "in_force"
    if version.concluded_on:
        return "replaced"
    if version.superseded:
        return "withdrawn"
    return "pending"


VERSION_STATES = {
    "in_force": _("In force"),
    "replaced": _("Replaced by a later version"),
    "withdrawn": _("Withdrawn (back to draft)"),
    "pending": _("Awaiting signatures"),
}


def _first_signed_on(version: ContractVersion) -> date | None:
    """The date of the version's first signature: annotated by _page_versions, else read from its signatures."""
    if hasattr(version, "first_signed_on"):
        return version.first_signed_on
    return min((s.signed_on for s in version.signatures.all()), default=None)


def _timeline(contract: Contract, versions: list[ContractVersion]) -> list[dict]:
    initial = [v for v in versions if v.kind == VersionKind.INITIAL and not (v.superseded and not v.concluded_on)]
    first = initial[-1] if initial else None
    first_signature = _first_signed_on(first) if first else None
    dates = {
        ContractStatus.DRAFT: contract.created_at.date() if contract.created_at else None,
        ContractStatus.HANDED_OVER: first.handed_over_on if first else None,
        ContractStatus.AWAITING_SIGNATURES: first_signature,
        ContractStatus.IN_FORCE: contract.signed_on,
        ContractStatus.ENDED: contract.ended_on,
    }
    current = TIMELINE.index(contract.status)
    end_reason = EndReason(contract.end_reason).label if contract.end_reason else ""
    return [
        {
            "status": status,
            "label": ContractStatus(status).label,
            "date": dates[status] if index <= current else None,
            "state": "done" if index < current else ("current" if index == current else "todo"),
            "note": end_reason if status == ContractStatus.ENDED and index == current else "",
        }
        for index, status in enumerate(TIMELINE)
    ]


def _signers(contract, version, matrix) -> tuple[list[RequiredSigner], list[Signature]]:
    by_code = {signature_code(s): s for s in version.signatures.all()}
    beneficiary = contract.beneficiary
    rows = [
        RequiredSigner(
            Party.BENEFICIARY,
            str(Party.BENEFICIARY.label),
            f"{beneficiary.first_name} {beneficiary.last_name}",
            by_code.get(Party.BENEFICIARY),
            Party.BENEFICIARY,
        )
    ]
    for line in matrix:
        rows.append(
            RequiredSigner(
                line.function,
                str(line.get_function_display()),
                line.holder_name,
                by_code.get(line.function),
                f"signatory:{line.pk}",
            )
        )
    for third in version_snapshot(version).third_parties:
        rows.append(
            RequiredSigner(
                third.code, str(_("Third party")), third.name, by_code.get(third.code), f"third_party:{third.id}"
            )
        )
    required_codes = {row.code for row in rows}
    extra = [s for code, s in by_code.items() if code not in required_codes]
    return rows, extra


def signer_choices(contract, version, matrix, all_lines) -> list[tuple[str, str]]:
    """The form's choices for who signs: required parties still to sign first, then optional CPAS lines."""
    rows, _extra = _signers(contract, version, matrix)
    choices = [(row.choice, f"{row.label} — {row.name}") for row in rows if row.signature is None]
    required_ids = {line.pk for line in matrix}
    choices += [
        (f"signatory:{line.pk}", f"{line.get_function_display()} — {line.holder_name}")
        for line in all_lines
        if line.pk not in required_ids
    ]
    worker = contract.social_worker
    choices.append(("cosign", f"{_('Co-signature of the social worker')} — {worker.get_full_name() or worker}"))
    return choices


def next_signer(contract, version, matrix) -> str:
    """The form's choice for the first required party still to sign `version` ("" when all have signed)."""
    rows, _extra = _signers(contract, version, matrix)
    return next((row.choice for row in rows if row.signature is None), "")


def delegation_choices(all_lines) -> list[tuple[int, str]]:
    choices = []
    for line in all_lines:
        for delegation in line.delegations.all():
            until = delegation.valid_until.strftime("%d/%m/%Y") if delegation.valid_until else "…"
            choices.append(
                (
                    delegation.pk,
                    f"{delegation.delegate_name} ({line.get_function_display()}, "
                    f"{delegation.valid_from:%d/%m/%Y}–{until})",
                )
            )
    return choices


def lifecycle_actions(contract: Contract, pending: ContractVersion | None) -> dict[str, bool]:
    """What the page offers, from the transitions table (enums.TRANSITIONS): templates compare no status.

    `pending`: the version handed over and still open, if any (tells an amendment handed over from one drafted).
    """
    state = lifecycle_state(
        contract.status, editing_amendment=contract.editing_amendment, amendment_handed_over=pending is not None
    )
    return {
        "can_hand_over": can_transition(state, Transition.HAND_OVER),
        "can_back_to_draft": can_transition(state, Transition.BACK_TO_DRAFT),
        "can_sign": can_transition(state, Transition.SIGN),
        "can_start_amendment": can_transition(state, Transition.START_AMENDMENT),
        "can_end": can_transition(state, Transition.END),
        "is_in_force": contract.status == ContractStatus.IN_FORCE,
        "is_ended": state == LifecycleState.ENDED,
    }


def lifecycle_context(*, membership, contract: Contract, today: date) -> dict:
    """Template context for _timeline.html and _lifecycle.html (bounded queries: the versions, then, only while a
    version is open, its signatures and the signatory matrix). `versions` is also the documents section's."""
    versions = _page_versions(contract)
    pending = next((v for v in reversed(versions) if v.concluded_on is None and not v.superseded), None)
    in_force = next((v for v in reversed(versions) if v.concluded_on and not v.superseded), None)
    matrix = []
    if pending is not None:
        _pending_signatures(pending)
        matrix = required_cpas_signatories(cpas=membership.cpas)  # with the membership: contract.cpas is a query
    for version in versions:
        # Shown by the template beside each version (attributes of the page, not of the model).
        version.state = version_state(version)  # type: ignore[attr-defined]
        version.state_label = VERSION_STATES[version.state]  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "timeline": _timeline(contract, versions),
        "versions": versions,
        "pending_version": pending,
        "version_in_force": in_force,
        "can_edit_lifecycle": can_edit_contract(membership),
        "matrix_empty": not matrix,
        "end_reason_label": EndReason(contract.end_reason).label if contract.end_reason else "",
        **lifecycle_actions(contract, pending),
    }
    if pending is not None:
        earliest = reflection_dates(pending.handed_over_on).signature_from
        signers, extra = _signers(contract, pending, matrix)
        context |= {
            "earliest_signature": earliest,
            "reflection_days_left": max((earliest - today).days, 0),
            "information_ok": information_recorded(pending),
            "rights": rights_list(pending.handed_over_on),
            "rights_given": set(pending.rights_given or []),
            "required_signers": signers,
            "extra_signatures": extra,
            "still_to_sign": [row for row in signers if row.signature is None],
        }
        if pending.kind == VersionKind.AMENDMENT:
            signed = [signature_code(s) for s in pending.signatures.all()]
            violation = amendment_violation(pending, signed)
            context["amendment_missing"] = violation.code if violation else ""
            context["diff"] = version_diff(version_snapshot(in_force) if in_force else None, version_snapshot(pending))
    conclusion = conclusion_for_contract(contract, today=today)
    deadline, late = conclusion.deadline, conclusion.late
    context |= {"conclusion_deadline": deadline, "late": late, "late_motivation_missing": late and not
                contract.late_motivation}  # fmt: skip
    context["cosignature_code"] = COSIGNATURE
    # "Signed today", one click per party still to sign, where the full form would add nothing that is needed: the
    # reflection period is over, the information recorded, no late motivation to ask (the sign page asks it).
    context["quick_sign"] = bool(
        pending is not None
        and pending.kind == VersionKind.INITIAL
        and context["can_sign"]
        and context["information_ok"]
        and not context["reflection_days_left"]
        and not context["late_motivation_missing"]
    )
    return context
