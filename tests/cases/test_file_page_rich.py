"""The file page of a rich file (a PIIS in force and ended ones, exemptions, records, an assessment, follow-up,
sanction procedures and the council's steps, documents and letters): what each section shows, in a number of
queries that does not grow with the number of contracts, records or dossiers.

`FILE_PAGE_DUMP=dir pytest --create-db tests/cases/test_file_page_rich.py` writes the rendered pages (normalised:
no CSRF token, no CSP nonce) so that a change meant to keep the HTML can be compared before and after."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.accounts.enums import Role
from piis.cases.models import Beneficiary
from piis.cases.services import break_the_glass
from piis.contracts.obligation import obligation_for_file
from tests.documents.builders import make_document, make_letter
from tests.factories import (
    make_assessment_item,
    make_assistant,
    make_beneficiary,
    make_closure_day,
    make_contract,
    make_exemption,
    make_household_member,
    make_income_period,
    make_member,
)
from tests.followup.builders import at, make_evaluation, make_meeting_request
from tests.sanctions.builders import make_appeal, make_decision
from tests.sanctions.council_builders import ready_dossier, sitting_with

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)


def _rich_file(cpas, worker, *, more: int = 0):
    """A file with a PIIS in force, a sanction dossier on it taken to the council (decision notified, appeal), an
    ended PIIS, and every kind of record; `more` adds that many of each repeated row."""
    dossier = ready_dossier(cpas, worker=worker.user)
    contract = dossier.contract
    beneficiary = contract.beneficiary
    beneficiary.team = worker.team
    beneficiary.save()
    _sitting, item, _secretary = sitting_with(cpas, dossier)
    decision = make_decision(cpas, item=item, notified_on=D(2026, 5, 25), appeal_deadline=D(2026, 6, 24))
    make_appeal(cpas, decision=decision, outcome_on=D(2026, 6, 12), outcome="confirmed")
    for i in range(1 + more):
        make_contract(cpas, ri_decision=contract.ri_decision, social_worker=worker.user,
                      status="ended", signed_on=D(2024, 1, 10 + i), ended_on=D(2025, 1, 10 + i))  # fmt: skip
        make_household_member(cpas, beneficiary=beneficiary)
        make_assistant(cpas, beneficiary=beneficiary, may_receive_file_data=bool(i % 2))
        make_income_period(cpas, beneficiary=beneficiary, start_on=D(2010 + i, 1, 1), end_on=D(2010 + i, 6, 30))
        make_exemption(cpas, beneficiary=beneficiary, start_on=D(2020 + i, 2, 1), end_on=D(2020 + i, 5, 31),
                       review_on=D(2020 + i, 4, 1))  # fmt: skip
        make_evaluation(cpas, contract=contract, held_on=D(2026, 3, 10 + i))
        make_meeting_request(cpas, beneficiary=beneficiary, recorded_by=worker.user)
        make_meeting_request(cpas, beneficiary=beneficiary, recorded_by=worker.user, status="held",
                             held_on=D(2026, 4, 8))  # fmt: skip
        make_document(cpas, beneficiary=beneficiary, added_by=worker.user)
        make_letter(cpas, beneficiary=beneficiary, sent_by=worker.user)
    make_exemption(cpas, beneficiary=beneficiary, start_on=D(2026, 6, 1), end_on=D(2026, 12, 31),
                   review_on=D(2026, 9, 1))  # fmt: skip
    for domain in ("employment", "housing", "health"):
        make_assessment_item(cpas, assessment=contract.assessment, domain=domain, justification="Needed",
                             consent_given=True)  # fmt: skip
    return beneficiary


def _closure_days(cpas) -> None:
    """Closure days of the CPAS around the deadlines (they move the warning date)."""
    for day in range(1, 29, 3):
        for month in (4, 5, 6, 7):
            make_closure_day(cpas, day=D(2026, month, day))


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken"', html)
    return re.sub(r'nonce="[^"]*"', "nonce", html)


def _get(client, beneficiary):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:detail", args=[beneficiary.pk]))
    assert response.status_code == 200
    return response, len(queries)


def test_the_rich_file_page_shows_every_section(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    lead = make_member(cpas_a, Role.TEAM_LEAD, team=worker.team)
    with at(TODAY):
        _closure_days(cpas_a)
        beneficiary = _rich_file(cpas_a, worker)
        bare = make_beneficiary(cpas_a, social_worker=worker.user, team=worker.team)
        pages = {}
        director = make_member(cpas_a, Role.DIRECTOR)  # another team's: reaches the file by breaking the glass
        break_the_glass(membership=director, beneficiary=beneficiary, reason="Urgence signalée par le président")
        break_the_glass(membership=director, beneficiary=bare, reason="Urgence signalée par le président")
        for who, member in (("worker", worker), ("lead", lead), ("director", director)):
            for language in ("fr", "nl", "de", "en"):
                member.user.preferred_language = language
                member.user.save()
                client = login(member)
                client.cookies.pop("django_language", None)
                response, _n = _get(client, beneficiary)
                pages[f"{who}-{language}"] = _normalised(response.content.decode())
                # The obligation read with the page's shared rows (closure days read with the file) is the one
                # computed on its own.
                assert response.context["obligation"] == obligation_for_file(
                    beneficiary=Beneficiary.objects.get(pk=beneficiary.pk), today=TODAY
                )
                response, _n = _get(client, bare)
                pages[f"{who}-{language}-bare"] = _normalised(response.content.decode())
    page = pages["worker-en"]
    for shown in ("Sanction procedures", "Council", "Appeal lodged", "Judgment", "Report a breach", "Exemptions",
                  "Needs assessments", "Attestation", "Vos droits", "Question sur la formation"):  # fmt: skip
        assert shown in page, shown
    dump = os.environ.get("FILE_PAGE_DUMP")
    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        for name, html in pages.items():
            (Path(dump) / f"{name}.html").write_text(html)


def test_the_file_page_queries_do_not_grow_with_contracts_records_or_dossiers(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    with at(TODAY):
        _closure_days(cpas_a)
        small, large = _rich_file(cpas_a, worker), _rich_file(cpas_a, worker, more=4)
        client = login(worker)
        _get(client, small)
        (_r, n_small), (_r, n_large) = _get(client, small), _get(client, large)
    assert n_small == n_large
    # 26: the 19 of test_file_page (documents, letters, each record relation), its PIIS with their evaluations (one
    # query, shared by the obligation, the next step, the follow-up and the sanctions), the meeting requests, the
    # sanction dossiers (with their steps: one query), the council's items and their appeals.
    assert n_small <= 26
