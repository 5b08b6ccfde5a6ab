"""The contract PDF (R26, R27, R32, R33, S-Info 24, S-Neg 10, S-Dom 16): one version, printed as it was saved.

Everything printed comes from the version's typed snapshot (snapshot.py) and the version row (information,
signatures), so a PDF of v1 stays v1 whatever changed since. The CPAS signature blocks are the matrix lines saved
at hand-over (function and holder then); a snapshot of schema 1 did not save them and prints the lines required
today (`ContractSnapshot.signatory_lines`). A signature given for a required line the snapshot does not list (the
matrix changed after the hand-over) gets its own block, so no signature that counted is left off the paper.
"""

import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from piis.accounts.enums import SignatoryFunction
from piis.cases.enums import AssessmentItemKind, LifeDomain
from piis.contracts.enums import Orientation, Party, PathKind, Position, ThirdPartyKind
from piis.contracts.models import ContractVersion, Signature
from piis.contracts.paths import promise_sentence, stages
from piis.contracts.print_bounds import print_length_problem
from piis.contracts.reflection import reflection_dates
from piis.contracts.rights import rights_figures, rights_list
from piis.contracts.selectors_drafting import clause_kind_label
from piis.contracts.services.lifecycle import signature_code
from piis.contracts.snapshot import ContractSnapshot, ObjectiveEntry, StepEntry, version_snapshot
from piis.core.errors import ServiceError

logger = logging.getLogger(__name__)

FUNCTION_LABELS = dict(SignatoryFunction.choices)
WORKER = Path(__file__).with_name("pdf_worker.py")

# The one-page summary (S-Info 24) stays one page whatever the contract holds: a few commitments per party, each
# shortened to one line, then "and N more: see the full contract" (the full text follows it).
SUMMARY_TEXT_CHARS = 80
SUMMARY_COMMITMENTS = {"beneficiary": 4, "cpas": 2}
SUMMARY_THIRD_PARTIES = 2  # the first commitment of each of the first two third parties
SUMMARY_UPCOMING = 3


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


def _stages(objectives: list[dict[str, Any]], s: ContractSnapshot) -> list[dict[str, Any]]:
    """The objectives as printed, numbered in order: in stages for a sequenced path (contracts.paths.stages)."""
    groups = stages(objectives, s.path, stage_of=lambda o: o["stage"])
    number = 0
    printed = []
    for stage, members in groups:
        rows = []
        for objective in members:
            number += 1
            rows.append({**objective, "number": number})
        printed.append({"stage": stage, "objectives": rows})
    return printed


def _clause_views(s: ContractSnapshot) -> list[dict[str, Any]]:
    titles: dict[int | None, str] = {objective.id: objective.title for objective in s.objectives}
    names: dict[int | None, str] = {third.id: third.name for third in s.third_parties}
    return [
        {
            **asdict(clause),
            "sanctionable": clause.grounds_sanction,  # R55, R56: never a commitment of the CPAS or a third party
            "kind_label": clause_kind_label(clause.kind),
            "objective_title": titles.get(clause.objective, ""),
            "proposed_label": Party(clause.proposed_by).label,
            "position_label": Position(clause.position).label,
            "promise": promise_sentence(
                clause.party, clause.obligation, third_party_name=names.get(clause.third_party, "")
            ),
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


def _shorten(text: str, limit: int = SUMMARY_TEXT_CHARS) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


def _shortlist(clauses: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    return {"texts": [_shorten(c["text"]) for c in clauses[:limit]], "more": max(len(clauses) - limit, 0)}


def _others(third_sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The third parties' commitments in the summary: the first of the first few parties, "name: text"."""
    shown = [
        _shorten(f"{_shorten(section['third']['name'], 30)}: {section['clauses'][0]['text']}")
        for section in third_sections[:SUMMARY_THIRD_PARTIES]
        if section["clauses"]
    ]
    return {"texts": shown, "more": sum(len(section["clauses"]) for section in third_sections) - len(shown)}


def _summary(sections: list[dict[str, Any]], upcoming: list[tuple]) -> dict[str, Any]:
    """What the one-page summary prints: bounded lists of shortened texts, and how many were left out."""
    return {
        "mine": _shortlist(sections[0]["clauses"], SUMMARY_COMMITMENTS["beneficiary"]),
        "cpas": _shortlist(sections[1]["clauses"], SUMMARY_COMMITMENTS["cpas"]),
        "others": _others(sections[2:]),
        "upcoming": [(due, _shorten(what, 40), _shorten(who, 16)) for due, what, who in upcoming[:SUMMARY_UPCOMING]],
    }


def _content(s: ContractSnapshot) -> dict[str, Any]:
    """The contract's text: orientations, needs (S-Dom 16: sensitive ones by domain only), objectives, commitments."""
    needs = _needs(s)
    objectives = [_objective_view(objective, s) for objective in s.objectives]
    sections = _sections(s)
    return {
        "path_label": PathKind(s.path).label if s.path in PathKind.values else "",
        "stages": _stages(objectives, s),
        "orientations": [Orientation(o).label for o in s.orientations if o in Orientation.values],
        "open_needs": [n for n in needs.values() if not n["sensitive"]],
        "sensitive_domains": sorted({str(n["domain_label"]) for n in needs.values() if n["sensitive"]}),
        "objectives": objectives,
        "upcoming": _upcoming(objectives),
        "sections": sections,
        "my_commitments": sections[0]["clauses"],
        "cpas_commitments": sections[1]["clauses"],
        "third_sections": sections[2:],
        "summary": _summary(sections, _upcoming(objectives)),
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
        "earliest_signature": reflection_dates(version.handed_over_on).signature_from,
        "figures": rights_figures(version.handed_over_on),
        "signature_blocks": _signature_blocks(version, s),
    }


def _texts(value: Any) -> Iterator[str]:
    """Every string of a snapshot, however deep: what the PDF may print."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value):
        for field in fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _texts(item)


def contract_html(version: ContractVersion) -> str:
    """The contract of one version as HTML for the PDF, in the person's language (R32, S-Info 24).

    Raises ServiceError PRINT_TEXT_TOO_LONG or PRINT_TOO_LONG when the version is beyond the print bounds
    (print_bounds.py): such a version is not printed at all rather than printed in part.
    """
    problem = print_length_problem([*_texts(version_snapshot(version)), version.reason, version.assisted_by])
    if problem is not None:
        raise problem
    with translation.override(version.language):
        return render_to_string("contracts/pdf/contract.html", pdf_context(version))


def html_to_pdf(html: str, *, timeout: float | None = None) -> bytes:
    """Lay out `html` as a PDF with WeasyPrint in a child process (pdf_worker.py), stopped after `timeout` seconds
    (settings.PDF_RENDER_TIMEOUT): ServiceError PRINT_TIMEOUT then. Needs no database; call it outside any
    transaction (core.deferred.AfterCommit), so that nobody waits for it."""
    limit = settings.PDF_RENDER_TIMEOUT if timeout is None else timeout
    # -P: not the worker's folder first on sys.path, where contracts/selectors.py would hide the standard library's
    command = [sys.executable, "-P", str(WORKER), str(settings.BASE_DIR)]
    try:
        done = subprocess.run(command, input=html.encode(), capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:  # the child has been killed
        logger.warning("PDF layout stopped after %s s (%s characters of HTML)", limit, len(html))
        raise ServiceError("PRINT_TIMEOUT") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise RuntimeError(f"PDF layout failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout


def render_contract_pdf(version: ContractVersion) -> bytes:
    """The contract of one version as a PDF, in the person's language (R32, S-Info 24), bounded in size and time."""
    return html_to_pdf(contract_html(version))
