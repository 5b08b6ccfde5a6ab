"""The annual report as the council's PDF: laid out after the request's transaction, the figures of the page."""

import os

import pytest

from piis.accounts.enums import Role
from tests.factories import make_member
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def test_the_annual_pdf(cpas_a, login):
    for _ in range(3):
        _beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
        sign_piis(cpas_a, decision, D(2026, 3, 25))
    client = login(make_member(cpas_a, Role.DIRECTOR))
    response = client.get("/reports/annual/2026/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if os.environ.get("REPORTS_PDF_OUT"):  # to look at the pages: REPORTS_PDF_OUT=/tmp/annual.pdf
        with open(os.environ["REPORTS_PDF_OUT"], "wb") as out:
            out.write(response.content)
