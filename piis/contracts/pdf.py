"""The contract PDF (R26, R27, R32, R33, S-Info 24, S-Neg 10, S-Dom 16): one version, printed as it was saved.

Everything printed comes from the version's typed snapshot (snapshot.py) and the version row (information,
signatures), so a PDF of v1 stays v1 whatever changed since. The CPAS signature blocks are the matrix lines saved
at hand-over (function and holder then); a snapshot of schema 1 did not save them and prints the lines required
today (`ContractSnapshot.signatory_lines`). A signature given for a required line the snapshot does not list (the
matrix changed after the hand-over) gets its own block, so no signature that counted is left off the paper.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import SignatoryFunction
from piis.cases.enums import AssessmentItemKind, LifeDomain
from piis.contracts.enums import Orientation, Party, Position, ThirdPartyKind
from piis.contracts.models import ContractVersion, Signature
from piis.contracts.rights import rights_figures, rights_list
from piis.contracts.selectors_drafting import clause_kind_label
from piis.contracts.services.lifecycle import signature_code
from piis.contracts.snapshot import ContractSnapshot, ObjectiveEntry, StepEntry, version_snapshot
from piis.rules import earliest_signature_date

FUNCTION_LABELS = dict(SignatoryFunction.choices)


def _needs(s: ContractSnapshot) -> dict[int, dict[str, Any]]:
    return {
        need.id: {
            **asdict(need),
            "domain_label": LifeDomain(need.domain).label,
            "kind_label": AssessmentItemKind(need.kind).label,
        }
        for need in s.needs
    }


def _owner_label(step: StepEntry, s: ContractSnapshot) -> str:
    if step.owner == Party.THIRD_PARTY:
        return next((third.name for third in s.third_parties if third.id == step.third_party), "")
    return str(Party(step.owner).label)


def _objective_view(objective: ObjectiveEntry, s: ContractSnapshot) -> dict[str, Any]:
    steps = [{**asdict(step), "owner_label": _owner_label(step, s), "due": step.due_on} for step in objective.steps]
    return {**asdict(objective), "due": objective.due_on, "steps": steps}


def _clause_views(s: ContractSnapshot) -> list[dict[str, Any]]:
    titles: dict[int | None, str] = {objective.id: objective.title for objective in s.objectives}
    return [
        {
            **asdict(clause),
            "sanctionable": clause.grounds_sanction,  # R55, R56: never a commitment of the CPAS or a third party
            "kind_label": clause_kind_label(clause.kind),
            "objective_title": titles.get(clause.objective, ""),
            "proposed_label": Party(clause.proposed_by).label,
            "position_label": Position(clause.position).label,
        }
        for clause in s.clauses
    ]


def _sections(s: ContractSnapshot) -> list[dict[str, Any]]:
    """The commitments of each party, in order: the beneficiary, the CPAS, then each third party."""
    clauses = _clause_views(s)
    mine = [c for c in clauses if c["party"] == Party.BENEFICIARY]
    sections = [
        {"title": _("Commitments of the beneficiary"), "clauses": mine},
        {"title": _("Commitments of the CPAS"), "clauses": [c for c in clauses if c["party"] == Party.CPAS]},
    ]
    for third in s.third_parties:
        sections.append(
            {
                "title": _("Commitments of %(name)s") % {"name": third.name},
                "third": {**asdict(third), "kind_label": ThirdPartyKind(third.kind).label},
                "clauses": [c for c in clauses if c["party"] == Party.THIRD_PARTY and c["third_party"] == third.id],
            }
        )
    return sections


def _cpas_block(function: str, name: str, signature: Signature | None) -> dict[str, Any]:
    role = _("For the CPAS: %(function)s") % {"function": FUNCTION_LABELS.get(function, function)}
    return {"role": role, "name": name, "signature": signature}


def _signature_blocks(version: ContractVersion, s: ContractSnapshot) -> list[dict[str, Any]]:
    """One block per party to sign: the beneficiary, the CPAS lines saved at hand-over, the third parties."""
    by_code = {signature_code(sig): sig for sig in version.signatures.select_related("signatory", "delegation")}
    lines = s.signatory_lines(cpas=version.cpas)
    saved = {line.function for line in lines}
    later = [
        (sig.signatory.function, sig)
        for sig in by_code.values()
        if sig.signatory is not None and sig.signatory.required and sig.signatory.function not in saved
    ]
    name = f"{s.beneficiary.first_name} {s.beneficiary.last_name}"
    return [
        {"role": _("The beneficiary"), "name": name, "signature": by_code.get(Party.BENEFICIARY)},
        *(_cpas_block(line.function, line.holder_name, by_code.get(line.function)) for line in lines),
        *(_cpas_block(function, sig.signer_name, sig) for function, sig in later),
        *(
            {
                "role": _("Third party: %(name)s") % {"name": third.name},
                "name": third.signatory_name or third.name,
                "signature": by_code.get(third.code),
            }
            for third in s.third_parties
        ),
    ]


def _upcoming(objectives: list[dict[str, Any]]) -> list[tuple]:
    """The dated steps and objectives, soonest first: (due, what, who)."""
    rows = [(step["due"], step["description"], step["owner_label"]) for o in objectives for step in o["steps"]]
    rows += [(o["due"], o["title"], "") for o in objectives]
    return sorted((row for row in rows if row[0]), key=lambda row: row[0])


def _content(s: ContractSnapshot) -> dict[str, Any]:
    """The contract's text: orientations, needs (S-Dom 16: sensitive ones by domain only), objectives, commitments."""
    needs = _needs(s)
    objectives = [_objective_view(objective, s) for objective in s.objectives]
    sections = _sections(s)
    return {
        "orientations": [Orientation(o).label for o in s.orientations if o in Orientation.values],
        "open_needs": [n for n in needs.values() if not n["sensitive"]],
        "sensitive_domains": sorted({str(n["domain_label"]) for n in needs.values() if n["sensitive"]}),
        "objectives": objectives,
        "upcoming": _upcoming(objectives),
        "sections": sections,
        "my_commitments": sections[0]["clauses"],
        "cpas_commitments": sections[1]["clauses"],
        "third_sections": sections[2:],
    }


def pdf_context(version: ContractVersion) -> dict[str, Any]:
    """What the PDF templates print, read from the version's snapshot (a PDF of v1 stays v1).

    Call it inside translation.override(version.language): labels are translated when it runs.
    """
    s = version_snapshot(version)
    return {
        "version": version,
        "s": s,
        "beneficiary": s.beneficiary,
        "birth_date": s.beneficiary.birth_date,
        "start_on": s.start_on,
        "end_on": s.end_on,
        **_content(s),
        "rights": rights_list(version.handed_over_on),
        "earliest_signature": earliest_signature_date(version.handed_over_on),
        "figures": rights_figures(version.handed_over_on),
        "signature_blocks": _signature_blocks(version, s),
    }


def render_contract_pdf(version: ContractVersion) -> bytes:
    """The contract of one version as a PDF, in the person's language (R32, S-Info 24), with WeasyPrint."""
    from weasyprint import HTML  # heavy: loaded only when a PDF is printed

    with translation.override(version.language):
        html = render_to_string("contracts/pdf/contract.html", pdf_context(version))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
