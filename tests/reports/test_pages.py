"""The reports pages: who reaches them, what they show, their files, their audit rows and their query counts."""

import csv
import io
import json
import zipfile

import pytest

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from tests.factories import make_member
from tests.reports.builders import D, compute, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cpas_a):
    lines = []
    for _ in range(3):
        beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
        sign_piis(cpas_a, decision, D(2026, 3, 25))
        lines.append(beneficiary)
    compute(cpas_a, D(2026, 4, 1))
    return lines


def _url(name, *args):
    from django.urls import reverse

    return reverse(f"reports:{name}", args=args)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.INSPECTOR])
def test_claim_page_csv_and_audit(cpas_a, login, claim, role):
    client = login(make_member(cpas_a, role))
    page = client.get(_url("subsidy_claim", 2026, 4))
    assert page.status_code == 200
    assert page.content.count(b'data-status="claimed"') == 3
    assert AuditEvent.objects.filter(verb="subsidy_claim_opened").count() == 1
    response = client.get(_url("subsidy_claim_csv", 2026, 4))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "cpas_nis_code" and len(rows) == 4
    assert {row[11] for row in rows[1:]} == {"87.61"}
    assert AuditEvent.objects.filter(verb="subsidy_claim_exported").count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.CPAS_ADMIN, Role.DPO])
def test_claim_refused_to_other_roles(cpas_a, login, role):
    client = login(make_member(cpas_a, role))
    assert client.get(_url("subsidy_claim", 2026, 4)).status_code == 403


def test_month_and_year_bounds_are_404(cpas_a, login):
    client = login(make_member(cpas_a, Role.DIRECTOR))
    assert client.get(_url("subsidy_claim", 2026, 13)).status_code == 404
    assert client.get(_url("subsidy_claim", 1999, 1)).status_code == 404
    assert client.get(_url("annual", 3000)).status_code == 404


def test_claim_query_count(cpas_a, login, claim, django_assert_max_num_queries):
    client = login(make_member(cpas_a, Role.DIRECTOR))
    client.get(_url("subsidy_claim", 2026, 4))
    for _ in range(10):
        beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
        sign_piis(cpas_a, decision, D(2026, 3, 25))
    compute(cpas_a, D(2026, 4, 1))
    with django_assert_max_num_queries(30):
        assert client.get(_url("subsidy_claim", 2026, 4)).status_code == 200


def test_annual_query_count(cpas_a, login, claim, django_assert_max_num_queries):
    client = login(make_member(cpas_a, Role.COUNCIL_MEMBER))
    with django_assert_max_num_queries(45):
        page = client.get(_url("annual", 2026))
    assert page.status_code == 200
    assert b'data-section="obligation"' in page.content and b"<svg" in page.content
    csv_rows = client.get(_url("annual_csv", 2026)).content.decode("utf-8-sig").splitlines()
    assert csv_rows[0].startswith("section;figure")


def test_evidence_page_and_bundle(cpas_a, login, claim):
    client = login(make_member(cpas_a, Role.INSPECTOR))
    person = claim[0]
    page = client.get(_url("evidence", 2026, 4, person.pk))
    assert page.status_code == 200
    assert b'data-evidence="assessments"' in page.content and b'data-evidence="contracts"' in page.content
    assert AuditEvent.objects.filter(verb="subsidy_evidence_opened", beneficiary_id=person.pk).exists() or (
        AuditEvent.objects.filter(verb="subsidy_evidence_opened").count() == 1
    )
    response = client.get(_url("month_bundle", 2026, 4))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert len(manifest["lines"]) == 3
    assert all(line["has_assessment"] and line["has_signed_piis"] for line in manifest["lines"])
    assert AuditEvent.objects.filter(verb="subsidy_evidence_exported").count() == 1


def test_evidence_of_another_cpas_is_404(cpas_a, cpas_b, login):
    beneficiary, decision = file_with_ri(cpas_b, granted=D(2026, 3, 10))
    sign_piis(cpas_b, decision, D(2026, 3, 25))
    client = login(make_member(cpas_a, Role.INSPECTOR))
    assert client.get(_url("evidence", 2026, 4, beneficiary.pk)).status_code == 404


def test_inspector_reaches_no_file(cpas_a, login, claim):
    from django.urls import reverse

    client = login(make_member(cpas_a, Role.INSPECTOR))
    response = client.get(reverse("cases:detail", args=[claim[0].pk]))
    assert response.status_code in (403, 404)


def test_evidence_query_count_does_not_grow_with_the_cpas(cpas_a, login, claim, django_assert_max_num_queries):
    client = login(make_member(cpas_a, Role.INSPECTOR))
    client.get(_url("evidence", 2026, 4, claim[0].pk))
    for _ in range(10):
        beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
        sign_piis(cpas_a, decision, D(2026, 3, 25))
    compute(cpas_a, D(2026, 4, 1))
    with django_assert_max_num_queries(30):
        assert client.get(_url("evidence", 2026, 4, claim[0].pk)).status_code == 200
