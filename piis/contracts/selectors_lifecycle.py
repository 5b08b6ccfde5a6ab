"""Reads for the lifecycle part of the contract page: timeline, versions, reflection countdown, information,
signatures still missing, amendment diff, late flag. A fixed number of queries whatever the number of versions."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from piis.accounts.selectors import required_cpas_signatories
from piis.cases.models import Exemption, IncomePeriod
from piis.contracts.diff import version_diff
from piis.contracts.enums import ContractStatus, EndReason, Party, VersionKind
from piis.contracts.models import Contract, ContractVersion, Signature
from piis.contracts.perms import can_edit_contract
from piis.contracts.rights import rights_figures, rights_list
from piis.contracts.services.lifecycle import (
    COSIGNATURE,
    amendment_violation,
    information_recorded,
    signature_code,
)
from piis.rules import Exemption as RuleExemption
from piis.rules import InvalidInput, earliest_signature_date, piis_obligation
from piis.rules import Period as RulePeriod
from piis.rules.obligation import is_concluded_late

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


def contract_obligation_deadline(contract: Contract) -> date | None:
    """R13, R15: the conclusion deadline when this PIIS is compulsory (facts of the file), else None."""
    beneficiary, decision = contract.beneficiary, contract.ri_decision
    periods = list(IncomePeriod.objects.for_cpas(contract.cpas_id).filter(beneficiary=beneficiary))
    exemptions = [
        RuleExemption(e.ground, e.start_on, max(filter(None, (e.end_on, e.lifted_on)), default=None))
        for e in Exemption.objects.for_cpas(contract.cpas_id).filter(beneficiary=beneficiary)
    ]
    try:
        obligation = piis_obligation(
            birth_date=beneficiary.birth_date,
            ri_decision_date=decision.decided_on,
            ri_start_date=decision.start_on,
            previous_ri=[RulePeriod(p.start_on, p.end_on) for p in periods if p.kind == "ri"],
            previous_cpas_employment=[RulePeriod(p.start_on, p.end_on) for p in periods if p.kind != "ri"],
            employed_with_top_up=decision.employed_with_top_up,
            full_time_studies=decision.full_time_studies,
            exemptions=exemptions,
        )
    except InvalidInput:
        return None
    return obligation.deadline if obligation.required else None


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


def _timeline(contract: Contract, versions: list[ContractVersion]) -> list[dict]:
    initial = [v for v in versions if v.kind == VersionKind.INITIAL and not (v.superseded and not v.concluded_on)]
    first = initial[-1] if initial else None
    first_signature = min((s.signed_on for s in first.signatures.all()), default=None) if first else None
    dates = {
        ContractStatus.DRAFT: contract.created_at.date() if contract.created_at else None,
        ContractStatus.HANDED_OVER: first.handed_over_on if first else None,
        ContractStatus.AWAITING_SIGNATURES: first_signature,
        ContractStatus.IN_FORCE: contract.signed_on,
        ContractStatus.ENDED: contract.ended_on,
    }
    current = TIMELINE.index(contract.status)
    return [
        {
            "status": status,
            "label": ContractStatus(status).label,
            "date": dates[status] if index <= current else None,
            "state": "done" if index < current else ("current" if index == current else "todo"),
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
    for third in version.snapshot.get("third_parties", []):
        rows.append(
            RequiredSigner(
                third["code"],
                str(_("Third party")),
                third["name"],
                by_code.get(third["code"]),
                f"third_party:{third['id']}",
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


def lifecycle_context(*, membership, contract: Contract, today: date) -> dict:
    """Template context for _timeline.html and _lifecycle.html (bounded queries)."""
    versions = version_list(contract)
    pending = next((v for v in reversed(versions) if v.concluded_on is None and not v.superseded), None)
    in_force = next((v for v in reversed(versions) if v.concluded_on and not v.superseded), None)
    matrix = required_cpas_signatories(cpas=contract.cpas)
    for version in versions:
        version.state = version_state(version)
        version.state_label = VERSION_STATES[version.state]
    context = {
        "timeline": _timeline(contract, versions),
        "versions": versions,
        "pending_version": pending,
        "version_in_force": in_force,
        "can_edit_lifecycle": can_edit_contract(membership),
        "matrix_empty": not matrix,
        "end_reason_label": EndReason(contract.end_reason).label if contract.end_reason else "",
    }
    if pending is not None:
        earliest = earliest_signature_date(pending.handed_over_on)
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
            context["diff"] = version_diff(in_force.snapshot if in_force else {}, pending.snapshot)
    deadline = contract_obligation_deadline(contract) if contract.status != ContractStatus.ENDED else None
    late = deadline is not None and is_concluded_late(deadline=deadline, signed_on=contract.signed_on, today=today)
    context |= {"conclusion_deadline": deadline, "late": late, "late_motivation_missing": late and not
                contract.late_motivation}  # fmt: skip
    context["cosignature_code"] = COSIGNATURE
    return context


# --- the contract PDF (R26, R27, R32, R33, S-Info 24, S-Neg 10, S-Dom 16) -----------------------------------------


def _kind_label(kind: str) -> str:
    try:
        from piis.contracts.selectors_drafting import clause_kind_label
    except ImportError:
        return kind
    return clause_kind_label(kind)


def pdf_context(version: ContractVersion) -> dict:
    """What the PDF templates print, read from the version's snapshot only (a PDF of v1 stays v1).

    Call it inside translation.override(version.language): labels are translated when it runs.
    """
    from piis.cases.enums import AssessmentItemKind, LifeDomain
    from piis.contracts.enums import Orientation, Position, ThirdPartyKind

    s = version.snapshot
    parse = date.fromisoformat
    thirds = {third["id"]: third for third in s.get("third_parties", [])}
    objectives_by_id = {objective["id"]: objective for objective in s.get("objectives", [])}
    needs = s.get("needs", [])
    need_by_id = {}
    for need in needs:
        need = {**need, "domain_label": LifeDomain(need["domain"]).label,
                "kind_label": AssessmentItemKind(need["kind"]).label}  # fmt: skip
        need_by_id[need["id"]] = need

    def owner_label(step) -> str:
        if step["owner"] == Party.THIRD_PARTY:
            return thirds.get(step["third_party"], {}).get("name", "")
        return str(Party(step["owner"]).label)

    objectives = []
    for objective in s.get("objectives", []):
        steps = [
            {**step, "owner_label": owner_label(step), "due": parse(step["due_on"]) if step["due_on"] else None}
            for step in objective["steps"]
        ]
        linked = [need_by_id[pk] for pk in objective["needs"] if pk in need_by_id]
        objectives.append({**objective, "due": parse(objective["due_on"]), "steps": steps, "linked_needs": linked})

    def clause_view(clause) -> dict:
        objective = objectives_by_id.get(clause["objective"])
        return {
            **clause,
            "kind_label": _kind_label(clause["kind"]),
            "objective_title": objective["title"] if objective else "",
            "proposed_label": Party(clause["proposed_by"]).label,
            "position_label": Position(clause["position"]).label,
        }

    clauses = [clause_view(c) for c in s.get("clauses", [])]
    sections = [
        {
            "title": _("Commitments of the beneficiary"),
            "clauses": [c for c in clauses if c["party"] == Party.BENEFICIARY],
        },
        {"title": _("Commitments of the CPAS"), "clauses": [c for c in clauses if c["party"] == Party.CPAS]},
    ]
    for third in s.get("third_parties", []):
        sections.append(
            {
                "title": _("Commitments of %(name)s") % {"name": third["name"]},
                "third": {**third, "kind_label": ThirdPartyKind(third["kind"]).label},
                "clauses": [c for c in clauses if c["party"] == Party.THIRD_PARTY and c["third_party"] == third["id"]],
            }
        )
    by_code = {signature_code(sig): sig for sig in version.signatures.select_related("signatory", "delegation")}
    matrix = required_cpas_signatories(cpas=version.cpas)
    beneficiary = s.get("beneficiary", {"first_name": "", "last_name": ""})
    signature_blocks = [
        {
            "role": _("The beneficiary"),
            "name": f"{beneficiary['first_name']} {beneficiary['last_name']}",
            "signature": by_code.get(Party.BENEFICIARY),
        },  # fmt: skip
        *(
            {
                "role": _("For the CPAS: %(function)s") % {"function": line.get_function_display()},
                "name": line.holder_name,
                "signature": by_code.get(line.function),
            }  # fmt: skip
            for line in matrix
        ),
        *(
            {
                "role": _("Third party: %(name)s") % {"name": third["name"]},
                "name": third["signatory_name"] or third["name"],
                "signature": by_code.get(third["code"]),
            }  # fmt: skip
            for third in s.get("third_parties", [])
        ),
    ]
    upcoming = sorted(
        [
            (step["due"], step["description"], step["owner_label"])
            for o in objectives
            for step in o["steps"]
            if step["due"]
        ]
        + [(o["due"], o["title"], "") for o in objectives],  # fmt: skip
        key=lambda row: row[0],
    )
    return {
        "version": version,
        "s": s,
        "beneficiary": beneficiary,
        "birth_date": parse(beneficiary["birth_date"]) if beneficiary.get("birth_date") else None,
        "start_on": parse(s["start_on"]) if s.get("start_on") else None,
        "end_on": parse(s["end_on"]) if s.get("end_on") else None,
        "orientations": [Orientation(o).label for o in s.get("orientations", []) if o in Orientation.values],
        "open_needs": [n for n in need_by_id.values() if not n["sensitive"]],
        "sensitive_domains": sorted({str(n["domain_label"]) for n in need_by_id.values() if n["sensitive"]}),
        "objectives": objectives,
        "sections": sections,
        "my_commitments": sections[0]["clauses"],
        "cpas_commitments": sections[1]["clauses"],
        "third_sections": sections[2:],
        "upcoming": upcoming,
        "rights": rights_list(version.handed_over_on),
        "earliest_signature": earliest_signature_date(version.handed_over_on),
        "figures": rights_figures(version.handed_over_on),
        "signature_blocks": signature_blocks,
    }


def render_contract_pdf(version: ContractVersion) -> bytes:
    """The contract of one version as a PDF, in the person's language (R32, S-Info 24), with WeasyPrint."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    with translation.override(version.language):
        html = render_to_string("contracts/pdf/contract.html", pdf_context(version))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
