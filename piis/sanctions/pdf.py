"""The formal notice letter (R63, R56.2, S-Info 24) as a PDF in the person's language.

Laid out by the contract PDF machinery (contracts.pdf.html_to_pdf: WeasyPrint in a child process, bounded in time,
called after the request's transaction, core.deferred). Everything printed comes from the dossier's rows: the
commitment as agreed on the breach date (BreachReport.clause_text), the facts, the date to comply or explain, the
cap the core gave (FormalNotice.max_months), the passages extracted into the dossier (disclosed with the letter),
and the rights with the figures of the law in force (contracts.rights).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format

from piis.contracts.pdf import html_to_pdf
from piis.contracts.print_bounds import print_length_problem
from piis.contracts.rights import rights_figures
from piis.sanctions.models import SanctionDossier

__all__ = ["notice_html", "render_notice_pdf"]


def months_figure(months: Decimal) -> dict[str, Any]:
    """A number of months for a sentence: its text in the active language and a whole count for the plural."""
    whole = months == months.to_integral_value()
    return {"months_text": number_format(months.normalize()), "months_count": int(months) if whole else 2}


def notice_context(dossier: SanctionDossier) -> dict[str, Any]:
    notice = dossier.notice
    breach = dossier.breach
    on = notice.sent_on or timezone.localdate()
    return {
        "dossier": dossier,
        "notice": notice,
        "breach": breach,
        "beneficiary": dossier.beneficiary,
        "cpas": dossier.cpas,
        "worker": dossier.contract.social_worker,
        "letter_date": on,
        "figures": rights_figures(on),
        **months_figure(notice.max_months),
        "evidence": list(dossier.evidence.all()),
    }


def notice_html(dossier: SanctionDossier) -> str:
    """The letter as HTML, in the notice's language. ServiceError PRINT_TEXT_TOO_LONG / PRINT_TOO_LONG beyond the
    print bounds (contracts.print_bounds)."""
    texts = [dossier.breach.clause_text, dossier.breach.facts, *(e.passage for e in dossier.evidence.all())]
    problem = print_length_problem(texts)
    if problem is not None:
        raise problem
    with translation.override(dossier.notice.language):
        return render_to_string("sanctions/pdf/notice_letter.html", notice_context(dossier))


def render_notice_pdf(dossier: SanctionDossier) -> bytes:
    return html_to_pdf(notice_html(dossier))
