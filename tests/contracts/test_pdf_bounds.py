"""The contract PDF is bounded in size and time, its summary in length, and nobody waits for it (issue 10).

A 200 KB commitment once made a 136-page PDF laid out in about a minute, inside the request's transaction, while
other people's logins failed with "database is locked".
"""

import datetime
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from piis.audit.models import AuditEvent
from piis.contracts import pdf as pdf_module
from piis.contracts.models import ContractVersion
from piis.contracts.pdf import SUMMARY_COMMITMENTS, SUMMARY_TEXT_CHARS, contract_html, html_to_pdf, pdf_context
from piis.contracts.print_bounds import (
    LINE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TOTAL_CHARS,
    print_length_problem,
    printed_length,
)
from piis.contracts.selectors_drafting import drafting_problems
from piis.contracts.services.lifecycle import contract_hand_over
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_pdf_lifecycle import pdf_pages
from tests.factories import make_clause, make_member, make_objective, make_step, make_third_party

D = datetime.date
WORDS = "Suivre la formation et se présenter aux rendez-vous convenus avec le centre. " * 3000
pytestmark = pytest.mark.django_db


def _handed_over(cpas, worker, **kwargs):
    contract = drafted_contract(cpas, **kwargs)
    return contract, contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 3, 2),
                                        today=D(2026, 3, 2))  # fmt: skip


def _saved_before_the_bounds(version, text: str) -> ContractVersion:
    """A version whose snapshot holds `text` as a commitment, as one frozen before the bounds existed could."""
    snapshot = dict(version.snapshot)
    snapshot["clauses"] = [{**snapshot["clauses"][0], "text": text}, *snapshot["clauses"][1:]]
    ContractVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    version.refresh_from_db()
    return version


# --- the bounds ---------------------------------------------------------------------------------------------------


def test_a_line_break_counts_as_a_whole_line():
    assert printed_length("abc") == 3
    assert printed_length("a\nb") == 3 + LINE_CHARS
    assert print_length_problem(["\n" * (MAX_TEXT_CHARS // LINE_CHARS)]).code == "PRINT_TEXT_TOO_LONG"


def test_each_text_and_the_whole_contract_are_bounded():
    assert print_length_problem(["x" * MAX_TEXT_CHARS] * (MAX_TOTAL_CHARS // MAX_TEXT_CHARS)) is None
    one = print_length_problem(["short", "Le bénéficiaire   suit " + "x" * MAX_TEXT_CHARS])
    assert one.code == "PRINT_TEXT_TOO_LONG" and one.params["limit"] == MAX_TEXT_CHARS
    assert one.params["start"].startswith("Le bénéficiaire suit x") and one.params["start"].endswith("…")
    total = print_length_problem(["x" * MAX_TEXT_CHARS] * (MAX_TOTAL_CHARS // MAX_TEXT_CHARS) + ["y"])
    assert total.code == "PRINT_TOO_LONG" and total.params == {"length": MAX_TOTAL_CHARS + 1, "limit": MAX_TOTAL_CHARS}
    with translation.override("en"):
        assert "too long to print" in total.message and str(MAX_TOTAL_CHARS) in total.message


def test_a_draft_too_long_to_print_cannot_be_handed_over(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    assert drafting_problems(contract=contract, today=D(2026, 3, 2)) == []
    make_clause(cpas_a, contract=contract, kind="job_search", text=WORDS[: MAX_TEXT_CHARS + 1])
    with translation.override("en"):
        problems = drafting_problems(contract=contract, today=D(2026, 3, 2))
    assert any("too long to print" in problem and "Suivre la formation et" in problem for problem in problems)
    with pytest.raises(ServiceError) as refused:
        contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 3, 2), today=D(2026, 3, 2))
    assert refused.value.code == "DRAFTING_PROBLEMS"


def test_the_pdf_of_a_version_too_long_to_print_is_a_page_that_says_which_text(cpas_a, worker_a, login):
    contract, version = _handed_over(cpas_a, worker_a)
    _saved_before_the_bounds(version, "Le texte trop long " + WORDS[: 200 * 1024])
    url = reverse("contracts:pdf", args=[contract.pk, version.pk])
    response = login(worker_a).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "too long to print" in page and "Le texte trop long Suivre" in page
    assert not AuditEvent.objects.filter(verb="contract_pdf_opened").exists()  # nothing was printed


def test_contract_html_refuses_a_version_whose_texts_add_up_beyond_the_bound(cpas_a, worker_a):
    _contract, version = _handed_over(cpas_a, worker_a)
    snapshot = dict(version.snapshot)
    clause = snapshot["clauses"][0]
    count = MAX_TOTAL_CHARS // (MAX_TEXT_CHARS - 100) + 1
    snapshot["clauses"] = [
        {**clause, "id": clause["id"] + i, "text": WORDS[: MAX_TEXT_CHARS - 100]} for i in range(count)
    ]
    ContractVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    version.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        contract_html(version)
    assert refused.value.code == "PRINT_TOO_LONG"


# --- the time bound -----------------------------------------------------------------------------------------------


def test_a_layout_that_takes_too_long_is_stopped_with_a_page_that_says_so(cpas_a, worker_a, login):
    contract, version = _handed_over(cpas_a, worker_a)
    url = reverse("contracts:pdf", args=[contract.pk, version.pk])
    with override_settings(PDF_RENDER_TIMEOUT=0.05):  # less than starting the layout process takes
        response = login(worker_a).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"]
    assert "could not be produced in time" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="contract_pdf_opened").exists()


def test_the_longest_printable_contract_is_laid_out_well_within_the_time_bound(cpas_a, worker_a, tmp_path):
    """At the bounds (six commitments of nearly the longest text): about 5 s and 27 pages, against a bound of 20 s."""
    contract = drafted_contract(cpas_a)
    count = MAX_TOTAL_CHARS // MAX_TEXT_CHARS - 1  # the fixed texts of the contract take the rest
    for _ in range(count):
        make_clause(cpas_a, contract=contract, kind="job_search", text=WORDS[: MAX_TEXT_CHARS - 100])
    version = contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 3, 2),
                                 today=D(2026, 3, 2))  # fmt: skip
    content = html_to_pdf(contract_html(version))  # within PDF_RENDER_TIMEOUT, or ServiceError PRINT_TIMEOUT
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True, text=False).stdout
        pages = int(next(line for line in info.decode().splitlines() if line.startswith("Pages:")).split()[1])
        assert pages <= 40


# --- nobody waits for it ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_layout_runs_after_the_request_transaction_has_committed(cpas_a, worker_a, login, monkeypatch):
    """No transaction, hence no lock (SQLite's write lock), is held while the PDF is laid out."""
    contract, version = _handed_over(cpas_a, worker_a)
    seen = {}

    def layout(html, **kwargs):
        seen["in_transaction"] = connection.in_atomic_block
        seen["audited_before"] = AuditEvent.objects.filter(verb="contract_pdf_opened").exists()
        return b"%PDF-1.7 laid out"

    monkeypatch.setattr("piis.contracts.pdf.html_to_pdf", layout)
    url = reverse("contracts:pdf", args=[contract.pk, version.pk])
    response = login(worker_a).get(url)
    assert response.status_code == 200 and response.content == b"%PDF-1.7 laid out"
    assert seen == {"in_transaction": False, "audited_before": False}
    assert AuditEvent.objects.filter(verb="contract_pdf_opened", context=url).count() == 1


# --- the one-page summary -----------------------------------------------------------------------------------------


def _named(cpas, first_name: str):
    user = make_member(cpas).user
    user.first_name, user.last_name = first_name, "Vandenbroucke-Van Der Straeten de Lichtervelde " * 3
    user.email = "marie-christine.vandenbroucke-vanderstraeten@ocmw-sint-jans-molenbeek.example.be"
    user.save()
    return user


def _crowded(cpas, worker, language="fr"):
    """A contract with far more than a summary page can hold: long commitments of every party, many dated steps,
    long names of the people and the CPAS."""
    cpas.name = "Centre public d'action sociale de Molenbeek-Saint-Jean et des communes associées"
    cpas.save()
    contract = drafted_contract(cpas, language=language, third_party=True, social_worker=_named(cpas, "Marie"),
                                substitute_worker=_named(cpas, "Jean-Baptiste"))  # fmt: skip
    objective = make_objective(cpas, contract=contract, title=WORDS[:300], observable_result=WORDS[:300],
                               due_on=D(2026, 5, 1))  # fmt: skip
    objective.assessment_items.add(*contract.assessment.items.all())
    for day in range(1, 8):
        make_step(cpas, objective=objective, description=WORDS[:300], due_on=D(2026, 4, day))
    for _ in range(9):
        make_clause(cpas, contract=contract, objective=objective, kind="job_search", text=WORDS[:1500])
        make_clause(cpas, contract=contract, objective=objective, party="cpas", kind="cpas_support",
                    text=WORDS[:1500], proposed_by="cpas")  # fmt: skip
    for n in range(3):
        third = make_third_party(cpas, contract=contract, name=f"Partenaire {n} " + WORDS[:180])
        for _ in range(4):
            make_clause(cpas, contract=contract, objective=objective, party="third_party", third_party=third,
                        kind="training", text=WORDS[:1500], proposed_by="cpas")  # fmt: skip
    return contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 3, 2),
                              today=D(2026, 3, 2))  # fmt: skip


def test_the_summary_prints_a_bounded_number_of_shortened_commitments(cpas_a, worker_a):
    version = _crowded(cpas_a, worker_a)
    with translation.override("en"):
        summary = pdf_context(version)["summary"]
    assert len(summary["mine"]["texts"]) == SUMMARY_COMMITMENTS["beneficiary"] and summary["mine"]["more"] == 6
    assert len(summary["cpas"]["texts"]) == SUMMARY_COMMITMENTS["cpas"] and summary["cpas"]["more"] == 8
    others = summary["others"]
    assert len(others["texts"]) == pdf_module.SUMMARY_THIRD_PARTIES and others["more"] == 1 + 3 * 4 - 2
    assert others["texts"][0] == "Centre de formation Horizon: Le centre accueille la personne en formation."
    texts = [*summary["mine"]["texts"], *summary["cpas"]["texts"], *others["texts"]]
    assert all(len(text) <= SUMMARY_TEXT_CHARS + 1 for text in texts)
    assert len(summary["upcoming"]) == pdf_module.SUMMARY_UPCOMING


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_summary_stays_on_its_one_page_whatever_the_contract_holds(cpas_a, worker_a, tmp_path, language):
    version = _crowded(cpas_a, worker_a, language)
    pages = pdf_pages(html_to_pdf(contract_html(version)), tmp_path)
    title = {"fr": "intégration sociale (PIIS)", "nl": "(GPMI)"}[language]
    assert title not in pages[0] and title in pages[1]  # the summary ends on page 1, the contract starts on page 2
