"""The council's documents as PDFs: the decision letter (R58–R62, R66, R67, R75, S-Info 24) in the letter's language
and the minutes of a sitting.

Laid out by the contract PDF machinery (contracts.pdf.html_to_pdf: WeasyPrint in a child process, bounded in time),
after the request's transaction (core.deferred.AfterCommit): `pdf_response_later` is the one helper the council's
views use for it (the notice letter's views can use it too). Everything printed comes from the rows: the decision,
its motivation and ground code, the appeal (the competent labour court, the months of the law in force, the
deadline from the notification through facts.appeal_deadline_for) and the right to be assisted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from piis.contracts.print_bounds import print_length_problem
from piis.contracts.rights import rights_figures
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError
from piis.sanctions import facts
from piis.sanctions.enums import SUSPENSION_OUTCOMES, Deferral
from piis.sanctions.models import CouncilSitting, Decision

__all__ = ["decision_html", "minutes_html", "pdf_response_later", "render_pdf"]


def render_pdf(html: str) -> bytes:
    from piis.contracts.pdf import html_to_pdf

    return html_to_pdf(html)


def pdf_response_later(
    html: str, *, respond: Callable[[bytes], HttpResponse], failed: Callable[[ServiceError], HttpResponse]
) -> AfterCommit:
    """Lay `html` out as a PDF after the request's transaction; `respond(pdf)` (or `failed(error)`) runs in a new
    short transaction and records what must be recorded."""

    def work() -> bytes | ServiceError:
        try:
            return render_pdf(html)
        except ServiceError as error:
            return error

    def finish(result: Any) -> HttpResponse:
        return failed(result) if isinstance(result, ServiceError) else respond(result)

    return AfterCommit(work, finish)


def decision_context(decision: Decision) -> dict[str, Any]:
    item = decision.item
    sitting = item.sitting
    on = decision.letter_sent_on or timezone.localdate()
    deadline = facts.appeal_deadline_for(decision.notified_on) if decision.notified_on else None
    suspension = decision.outcome in SUSPENSION_OUTCOMES
    return {
        "decision": decision,
        "item": item,
        "sitting": sitting,
        "beneficiary": decision.beneficiary,
        "cpas": decision.cpas,
        "breach": getattr(decision.dossier, "breach", None) if decision.dossier else None,
        "letter_date": on,
        "figures": rights_figures(on),
        "suspension": suspension,
        "share_percent": int(decision.share * 100) if decision.share is not None else None,
        "deferred_percent": int(decision.deferred_share * 100) if decision.deferred_share is not None else None,
        "deferred": suspension and decision.deferral != Deferral.NONE,
        "total_deferral": decision.deferral == Deferral.TOTAL,
        "months": decision.months.normalize() if decision.months is not None else None,
        "deadline": deadline,
    }


def decision_html(decision: Decision) -> str:
    """The decision letter as HTML, in the letter's language. ServiceError PRINT_TEXT_TOO_LONG / PRINT_TOO_LONG
    beyond the print bounds."""
    problem = print_length_problem([decision.motivation, decision.item.person_reasons])
    if problem is not None:
        raise problem
    with translation.override(decision.letter_language or decision.beneficiary.language):
        return render_to_string("sanctions/pdf/decision_letter.html", decision_context(decision))


def minutes_html(sitting: CouncilSitting, *, language: str) -> str:
    """The minutes of a sitting (members convened and present, each item and its decision), in `language`."""
    items = list(sitting.items.all())
    problem = print_length_problem(
        [sitting.minutes_notes, *(i.summary for i in items), *(getattr(i, "decision", None) and i.decision.motivation
                                                              or "" for i in items)]
    )  # fmt: skip
    if problem is not None:
        raise problem
    with translation.override(language):
        return render_to_string(
            "sanctions/pdf/minutes.html",
            {"sitting": sitting, "items": items, "members": list(sitting.members.all()), "cpas": sitting.cpas},
        )
